"""The public Musrenbang page learns from procurement and E-Monev what became of a plan
item: its tenders (with status), its contract, and its latest accepted physical progress."""

from decimal import Decimal

from emonev.choices import ReportStatus
from eplanning.outcomes import outcomes_for
from eprocurement.choices import PackageStatus
from eprocurement.models import Package
from tests.emonev.factories import monev_world, report_row


def facts(plan_item_id) -> dict[str, str]:
    return {str(fact.label): fact.value for fact in outcomes_for([plan_item_id])[plan_item_id]}


def test_a_plan_item_shows_its_tender_contract_and_accepted_progress(kab_kupang, django_assert_num_queries):
    world = monev_world(kab_kupang)
    plan_item_id = world.budget_plan_item.pk
    report_row(
        world,
        month=4,
        physical=Decimal("30.00"),
        status=ReportStatus.ACCEPTED,
        plan_item=world.budget_plan_item,
        contract=None,
    )
    report_row(
        world,
        month=5,
        physical=Decimal("45.00"),
        status=ReportStatus.ACCEPTED,
        plan_item=world.budget_plan_item,
        contract=None,
    )
    report_row(
        world,
        month=6,
        physical=Decimal("60.00"),
        status=ReportStatus.SUBMITTED,
        plan_item=world.budget_plan_item,
        contract=None,
    )

    # budget (1 query), procurement (1), progress (1): the same for a whole page of items
    with django_assert_num_queries(3):
        shown = facts(plan_item_id)

    assert shown["Tender"] == f"{world.package.code} · {PackageStatus.OPENED.label}"
    assert shown["Contract"].startswith(f"{world.contract.number} · Rp")
    assert shown["Physical progress"] == "45.00% (05/2026)"  # the submitted June report is not public


def test_a_draft_package_and_unaccepted_reports_are_not_shown(kab_kupang):
    world = monev_world(kab_kupang)
    Package.objects.filter(pk=world.package.pk).update(status=PackageStatus.DRAFT)
    report_row(world, month=4, status=ReportStatus.SUBMITTED, plan_item=world.budget_plan_item, contract=None)
    shown = facts(world.budget_plan_item.pk)
    assert "Tender" not in shown and "Contract" not in shown and "Physical progress" not in shown
