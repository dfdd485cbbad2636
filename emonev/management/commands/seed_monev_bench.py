from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from emonev.bench_data import bench_contracts, remove_monev_bench, seed_monev_bench


class Command(BaseCommand):
    help = "Seed contracts with twelve months of progress for the bench agencies (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--contracts-per-agency", type=int, default=3)
        parser.add_argument(
            "--replace", action="store_true", help=_("Remove the previous bench monitoring data first.")
        )
        parser.add_argument("--if-empty", action="store_true", help=_("Do nothing when bench monitoring data exists."))

    def handle(self, *args, **options):
        existing = bench_contracts().exists()
        if existing and options["if_empty"]:
            self.stdout.write(_("Bench monitoring data is already there; nothing to do."))
            return
        if existing and not options["replace"]:
            raise CommandError(_("Bench monitoring data is already there. Run with --replace to seed it again."))
        if existing:
            remove_monev_bench()
        if options["contracts_per_agency"] < 1:
            raise CommandError(_("Seed at least one contract per agency."))
        try:
            result = seed_monev_bench(contracts_per_agency=options["contracts_per_agency"])
        except ValueError as error:
            raise CommandError(_("Run seed_bench and seed_budget_bench first: there are no bench DPAs.")) from error
        self.stdout.write(
            _(
                "Seeded %(contracts)d bench contracts in %(agencies)d agencies: %(reports)d progress reports, "
                "%(critical)d critical."
            )
            % {
                "contracts": result.contracts,
                "agencies": result.agencies,
                "reports": result.reports,
                "critical": result.critical,
            }
        )
