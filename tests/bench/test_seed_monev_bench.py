"""The E-Monev bench seeder on a tiny scale: what it makes, and that --replace and
removal take away exactly that."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from ebudgeting.models import BudgetDocument, BudgetLine, Realization
from emonev.bench_data import ACTOR_EMAIL, bench_contracts, remove_monev_bench, trace_contract_id
from emonev.choices import ReportStatus
from emonev.models import CriticalStatus, PlannedCurve, PlannedPoint, ProgressReport
from emonev.rules import is_critical
from eprocurement.models import Contract, ContractPayment, Package, ProcurementFunding, ProcurementPlanItem, Vendor
from portal.bench_data import BENCH_PLANNER_EMAIL
from portal.models import Agency, User

pytestmark = pytest.mark.django_db

MODELS = (
    Contract,
    Package,
    ProcurementPlanItem,
    ProcurementFunding,
    Vendor,
    PlannedCurve,
    PlannedPoint,
    ProgressReport,
    CriticalStatus,
    Realization,
    ContractPayment,
    User,
)


@pytest.fixture
def budgets():
    call_command(
        "seed_bench",
        "--scale",
        "tiny",
        "--agencies-per-region",
        "1",
        "--notifications-per-user",
        "0",
        stdout=StringIO(),
    )
    call_command("seed_budget_bench", "--lines-per-agency", "10", "--big-document-lines", "20", stdout=StringIO())


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_monev_bench", "--contracts-per-agency", "2", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model: model.objects.count() for model in MODELS}


def figures() -> dict:
    lines = dict(BudgetLine.objects.values_list("pk", "realized"))
    totals = dict(BudgetDocument.objects.values_list("pk", "total_realized"))
    return {"lines": lines, "documents": totals}


def test_each_agency_gets_contracts_with_twelve_accepted_months_on_its_dpa(budgets):
    agencies = Agency.objects.filter(code__startswith="BENCH-").count()

    seed()

    contracts = bench_contracts()
    assert contracts.count() == 2 * agencies
    assert ProgressReport.objects.filter(contract__in=contracts, status=ReportStatus.ACCEPTED).count() == 24 * agencies
    assert PlannedPoint.objects.filter(curve__contract__in=contracts).count() == 24 * agencies
    contract = contracts.select_related("package").first()
    # The trace's chain: contract → package → RUP item → funding → a line of the agency's DPA.
    funding = ProcurementFunding.objects.select_related("budget_line__document").get(
        plan_item__package_links__package=contract.package
    )
    assert funding.budget_line.document.agency_id == contract.package.agency_id
    assert funding.amount == contract.value <= funding.budget_line.amount
    # Financial progress = the contract's realizations up to each month's end.
    december = ProgressReport.objects.get(contract=contract, month=12)
    paid = Realization.objects.filter(subject_id=str(contract.pk)).aggregate(t=Sum("amount"))["t"]
    assert (
        december.financial_realized
        == paid
        == ContractPayment.objects.filter(contract=contract).aggregate(t=Sum("amount"))["t"]
    )
    assert funding.budget_line.realized == paid
    # Critical statuses follow the rule on December's report; some contracts lag.
    for status in CriticalStatus.objects.filter(contract__in=contracts):
        assert status.is_critical == is_critical(status.planned_pct, status.actual_pct)
    lagging = ProgressReport.objects.filter(contract__in=contracts, month=12, physical_pct__lt=Decimal("100"))
    assert lagging.exists()
    assert trace_contract_id(BENCH_PLANNER_EMAIL) in set(
        contracts.filter(package__agency__memberships__user__email=BENCH_PLANNER_EMAIL).values_list("pk", flat=True)
    )


def test_a_second_seed_is_refused_and_if_empty_leaves_it_alone(budgets):
    seed()
    before = counts()

    with pytest.raises(CommandError):
        seed()
    assert "nothing to do" in seed("--if-empty")
    assert counts() == before


def test_replace_makes_the_same_again_and_remove_restores_the_budget(budgets):
    untouched, budget = counts(), figures()
    seed()
    made = counts()

    seed("--replace")
    assert counts() == made

    remove_monev_bench()
    assert counts() == untouched
    assert figures() == budget
    assert not User.objects.filter(email=ACTOR_EMAIL).exists()


def test_without_bench_budgets_it_says_what_to_run_first():
    with pytest.raises(CommandError, match="seed_budget_bench"):
        seed()


def test_the_bench_reads_the_monev_pages_and_times_the_monthly_report(budgets):
    from bench import run

    seed()
    sessions = run.open_sessions()

    pages = run.monev_pages()
    # Each page answers 200 to its account (count_queries raises otherwise).
    assert all(run.count_queries(page, sessions[page.who]) > 1 for page in pages)
    assert {page.who for page in pages} == {"leader", "planner", "anonymous"}
    lines = run.monthly_report_timing()
    assert "Provinsi Nusa Tenggara Timur, December 2027" in lines[0] and "× WeasyPrint alone" in lines[1]
