import dataclasses
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal import bench_data


class Command(BaseCommand):
    help = (
        "Generate synthetic benchmark data (agencies BENCH-*, names '[bench] ...', people @bench.ntt.test) "
        "at province or national scale. Never on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(bench_data.SCALES), default="province")
        parser.add_argument("--agencies-per-region", type=int, help=_("Override the scale's number."))
        parser.add_argument("--staff-per-agency", type=int, help=_("Override the scale's number."))
        parser.add_argument("--notifications-per-user", type=int, help=_("Override the scale's number."))
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--replace", action="store_true", help=_("Remove the previous bench data first."))
        what.add_argument("--if-empty", action="store_true", help=_("Do nothing when bench data is already there."))
        what.add_argument("--remove", action="store_true", help=_("Only remove the bench data."))

    def handle(self, *args, **options):
        if options["remove"] or options["replace"]:
            self._report(_("Removed"), bench_data.remove())
            if options["remove"]:
                return
        elif bench_data.bench_data_exists():
            if options["if_empty"]:
                self.stdout.write(_("Bench data is already there; nothing to do."))
                return
            raise CommandError(
                _("Bench data is already there. Run with --replace to remove it and seed again, or --remove.")
            )
        started = time.monotonic()
        created = bench_data.seed(scale=self._scale(options))
        self._report(_("Created"), created)
        self.stdout.write(
            _("Seeded in %(seconds).1f s. Bench accounts %(planner)s and %(leader)s, password %(password)s.")
            % {
                "seconds": time.monotonic() - started,
                "planner": bench_data.BENCH_PLANNER_EMAIL,
                "leader": bench_data.BENCH_LEADER_EMAIL,
                "password": bench_data.BENCH_PASSWORD,
            }
        )

    def _scale(self, options) -> bench_data.Scale:
        overrides = {
            name: options[name]
            for name in ("agencies_per_region", "staff_per_agency", "notifications_per_user")
            if options[name] is not None
        }
        if overrides.get("agencies_per_region", 1) < 1 or any(v < 0 for v in overrides.values()):
            raise CommandError(_("Every region needs at least one agency, and no count can be negative."))
        return dataclasses.replace(bench_data.SCALES[options["scale"]], **overrides)

    def _report(self, verb, counts):
        listed = ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or _("nothing")
        self.stdout.write(f"{verb}: {listed}.")
