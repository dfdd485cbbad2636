from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eprocurement.bench_data import BENCH_CODE_PREFIX, remove_tender_bench, seed_tender_bench
from eprocurement.models import Package


class Command(BaseCommand):
    help = "Seed public tenders for the bench agencies that seed_bench made (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--packages", type=int, default=100_000)
        parser.add_argument("--replace", action="store_true", help=_("Remove the previous bench tenders first."))
        parser.add_argument("--if-empty", action="store_true", help=_("Do nothing when bench tenders exist."))

    def handle(self, *args, **options):
        existing = Package.objects.filter(code__startswith=BENCH_CODE_PREFIX).exists()
        if existing and options["if_empty"]:
            self.stdout.write(_("Bench tenders are already there; nothing to do."))
            return
        if existing and not options["replace"]:
            raise CommandError(_("Bench tenders are already there. Run with --replace to seed them again."))
        if existing:
            remove_tender_bench()
        if options["packages"] < 1:
            raise CommandError(_("Seed at least one package."))
        try:
            made = seed_tender_bench(packages=options["packages"])
        except ValueError as error:
            raise CommandError(_("Run seed_bench first: there are no bench agencies.")) from error
        self.stdout.write(_("Seeded %(count)d bench tenders.") % {"count": made})
