from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ebudgeting.bench_data import remove_budget_bench, seed_budget_bench
from ebudgeting.models import BudgetDocument
from portal.bench_data import BENCH_PLANNER_EMAIL


class Command(BaseCommand):
    help = "Seed plans and budgets for the bench agencies that seed_bench made (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--lines-per-agency", type=int, default=300)
        parser.add_argument("--big-document-lines", type=int, default=2000)
        parser.add_argument("--replace", action="store_true", help=_("Remove the previous bench budgets first."))
        parser.add_argument("--if-empty", action="store_true", help=_("Do nothing when bench budgets exist."))

    def handle(self, *args, **options):
        existing = BudgetDocument.objects.filter(agency__code__startswith="BENCH-").exists()
        if existing and options["if_empty"]:
            self.stdout.write(_("Bench budgets are already there; nothing to do."))
            return
        if existing and not options["replace"]:
            raise CommandError(_("Bench budgets are already there. Run with --replace to seed them again."))
        if existing:
            remove_budget_bench()
        if options["lines_per_agency"] < 1 or options["big_document_lines"] < 1:
            raise CommandError(_("Every agency needs at least one line."))
        result = seed_budget_bench(
            lines_per_agency=options["lines_per_agency"],
            big_document_lines=options["big_document_lines"],
            big_agency_user=BENCH_PLANNER_EMAIL,
        )
        self.stdout.write(
            _("Seeded %(lines)d lines in %(agencies)d agencies; the big document is #%(document)s.")
            % {"lines": result.lines, "agencies": result.agencies, "document": result.big_document_id}
        )
