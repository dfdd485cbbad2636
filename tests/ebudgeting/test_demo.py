"""E-Budgeting's demo data: the province's Dinas PUPR DPA 2027 with its first payments,
and Diskominfo's RKA in draft, loaded by ``manage.py load_demo``."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import translation

from ebudgeting.choices import DocumentStatus
from ebudgeting.demo import load_budgeting_demo, spread
from ebudgeting.models import BudgetDocument, BudgetLine, CashPlanMonth, LedgerEntry, Realization
from portal.demo_data import demo_loaders
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db

MODELS = (BudgetDocument, BudgetLine, CashPlanMonth, LedgerEntry, Realization, AuditEntry)


def load() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    return load()


def test_the_loader_runs_after_planning():
    labels = [str(label) for label, _loader in demo_loaders()]
    assert load_budgeting_demo in [loader for _label, loader in demo_loaders()]
    assert labels.index("E-Budgeting") > labels.index("E-Planning")


def test_pupr_has_an_approved_dpa_on_its_approved_plan_items(demo):
    dpa = BudgetDocument.objects.get(agency__region__code="53", agency__code="DPUPR", fiscal_year__year=2027)
    assert dpa.status == DocumentStatus.APPROVED and dpa.number == "DPA/DPUPR/2027/1"
    lines = dpa.lines.select_related("account", "plan_item")
    assert lines.count() == 5
    assert {line.account.level for line in lines} == {"sub_rincian_objek"}
    assert "5.1.02.01.01.0024" in {line.account.code for line in lines}
    assert {line.plan_item.status for line in lines} == {"approved"}
    assert all(line.amount == line.volume * line.unit_price for line in lines)
    steps = AuditEntry.objects.filter(
        object_type="ebudgeting.budgetdocument", object_id=str(dpa.pk), action="transition"
    )
    assert list(steps.order_by("seq").values_list("new_status", flat=True)) == ["submitted", "verified", "approved"]


def test_every_cash_plan_adds_up_to_its_line(demo):
    lines = BudgetLine.objects.annotate(planned=Sum("cash_plan__amount"))
    assert lines.count() == 7
    assert not lines.exclude(planned=F("amount")).exists()
    assert CashPlanMonth.objects.count() == 12 * 7


def test_the_first_payments_are_realized_in_early_months(demo):
    realizations = Realization.objects.select_related("line")
    assert realizations.count() == 3
    assert {r.date.month for r in realizations} <= {1, 2, 3}
    for line in BudgetLine.objects.filter(realized__gt=0):
        assert line.realized == line.realizations.aggregate(total=Sum("amount"))["total"]
        assert line.available == line.amount - line.realized
    assert LedgerEntry.objects.filter(kind="realize").count() == 3


def test_kominfo_has_an_rka_in_draft(demo):
    rka = BudgetDocument.objects.get(agency__region__code="53", agency__code="DISKOMINFO", fiscal_year__year=2027)
    assert rka.status == DocumentStatus.DRAFT and not rka.number
    assert rka.lines.count() == 2


def test_a_second_run_adds_nothing(demo):
    before = {model: model.objects.count() for model in MODELS}

    output = load()

    assert {model: model.objects.count() for model in MODELS} == before
    assert "E-Budgeting demo data added" in demo and "E-Budgeting" not in output


def test_spread_puts_the_rounding_rest_in_the_last_month():
    plan = spread(Decimal("100.00"), (1, 2, 3))
    assert plan[:3] == [Decimal("33"), Decimal("33"), Decimal("34.00")] and sum(plan) == Decimal("100.00")
    assert plan[3:] == [Decimal("0")] * 9
