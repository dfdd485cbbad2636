"""Adding, changing and removing budget lines through the service."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import translation

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetLine, CashPlanMonth
from ebudgeting.services.documents import document_create, line_add, line_delete, line_update
from eplanning.choices import PlanStatus
from portal.models import AuditEntry
from portal.services import DomainError
from tests.ebudgeting.factories import (
    AccountCodeFactory,
    BudgetDocumentFactory,
    PlanItemFactory,
    budget_world,
    even_cash_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # The messages are matched in English, whatever the catalogue says.
    with translation.override("en"):
        yield


@pytest.fixture
def world(kab_kupang):
    world = budget_world(kab_kupang)
    world.document = document_create(agency=world.agency, fiscal_year=world.year, actor=world.officer)
    return world


def add(world, *, volume="10", unit_price="1000000", cash_plan=None, actor=None, **overrides):
    fields = {
        "plan_item": world.plan_item,
        "account": world.account,
        "funding_source": world.funding,
        "description": "Belanja alat tulis kantor",
        "volume": Decimal(volume),
        "unit": "paket",
        "unit_price": Decimal(unit_price),
        **overrides,
    }
    amount = (Decimal(volume) * Decimal(unit_price)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    plan = cash_plan if cash_plan is not None else even_cash_plan(amount)
    return line_add(document_id=world.document.pk, actor=actor or world.officer, cash_plan=plan, **fields)


def test_amount_is_volume_times_unit_price_rounded_half_up(world):
    # given a volume and a price whose product has a half cent
    # when the line is added
    line = add(world, volume="0.5", unit_price="0.05")
    # then the amount is rounded half up, and the line is its own origin
    assert line.amount == Decimal("0.03")
    assert line.origin_id == line.pk
    assert sum(m.amount for m in line.cash_plan.all()) == Decimal("0.03")


def test_cash_plan_not_adding_up_is_refused_and_nothing_saved(world):
    audit_before = AuditEntry.objects.count()
    plan = [Decimal("1000000")] * 12  # 12,000,000 for a 10,000,000 line
    with pytest.raises(DomainError, match="cash plan adds up"):
        add(world, cash_plan=plan)
    assert not BudgetLine.objects.exists()
    assert not CashPlanMonth.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_cash_plan_needs_twelve_months(world):
    with pytest.raises(DomainError, match="12 months"):
        add(world, cash_plan=[Decimal("10000000")])


def test_negative_month_is_refused(world):
    plan = [Decimal("11000000"), Decimal("-1000000")] + [Decimal("0")] * 10
    with pytest.raises(DomainError, match="negative"):
        add(world, cash_plan=plan)
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize(("volume", "price"), [("-1", "1000"), ("1", "-1000")])
def test_negative_volume_or_price_is_refused(world, volume, price):
    with pytest.raises(DomainError, match="negative"):
        add(world, volume=volume, unit_price=price, cash_plan=[Decimal("0")] * 12)
    assert not BudgetLine.objects.exists()


def test_plan_item_must_be_approved(world):
    draft = PlanItemFactory(agency=world.agency, fiscal_year=world.year, status=PlanStatus.SUBMITTED)
    with pytest.raises(DomainError, match="approved plan item"):
        add(world, plan_item=draft)


def test_plan_item_of_another_agency_is_refused(world, kab_kupang):
    other = PlanItemFactory(agency__region=kab_kupang, fiscal_year=world.year)
    with pytest.raises(DomainError, match="another agency"):
        add(world, plan_item=other)


def test_plan_item_of_another_year_is_refused(world):
    from tests.ebudgeting.factories import FiscalYearFactory

    other = PlanItemFactory(agency=world.agency, fiscal_year=FiscalYearFactory(year=2027))
    with pytest.raises(DomainError, match="another fiscal year"):
        add(world, plan_item=other)


def test_account_must_be_an_active_sub_rincian_objek(world):
    inactive = AccountCodeFactory(is_active=False)
    with pytest.raises(DomainError, match="sub rincian objek"):
        add(world, account=inactive)
    with pytest.raises(DomainError, match="sub rincian objek"):
        add(world, account=world.account.parent)


def test_plan_item_ceiling_holds_at_the_boundary(world):
    # given a plan item with a ceiling of 50,000,000
    add(world, volume="40", unit_price="1000000")
    # when lines reach exactly the ceiling, that is allowed
    add(world, volume="10", unit_price="1000000")
    # then one cent more is refused
    with pytest.raises(DomainError, match="above its ceiling"):
        add(world, volume="1", unit_price="0.01")
    assert BudgetLine.objects.count() == 2


def test_agency_ceiling_holds_at_the_boundary(world):
    # given an agency ceiling of 100,000,000 over three plan items
    second = PlanItemFactory(agency=world.agency, fiscal_year=world.year, indicative_ceiling=Decimal("60000000"))
    third = PlanItemFactory(agency=world.agency, fiscal_year=world.year, indicative_ceiling=Decimal("60000000"))
    add(world, volume="50", unit_price="1000000")
    add(world, volume="50", unit_price="1000000", plan_item=second)
    # when one more cent is asked under a plan item with room
    with pytest.raises(DomainError, match="agency's lines"):
        add(world, volume="1", unit_price="0.01", plan_item=third)
    assert BudgetLine.objects.count() == 2


def test_no_agency_ceiling_means_no_lines(world):
    world.ceiling.delete()
    with pytest.raises(DomainError, match="ceiling"):
        add(world)


def test_update_recomputes_amount_and_replaces_the_cash_plan(world):
    line = add(world)
    updated = line_update(
        line_id=line.pk, actor=world.officer, volume=Decimal("3"), cash_plan=[Decimal("1000000")] * 3 + [0] * 9
    )
    assert updated.amount == Decimal("3000000.00")
    assert (
        list(updated.cash_plan.values_list("amount", flat=True)) == [Decimal("1000000.00")] * 3 + [Decimal("0.00")] * 9
    )


def test_update_checks_the_ceiling_without_counting_the_line_twice(world):
    line = add(world, volume="50", unit_price="1000000")
    # the same 50,000,000 again is fine: the line's old amount is not counted
    line_update(line_id=line.pk, actor=world.officer, description="Lain", cash_plan=even_cash_plan(line.amount))
    with pytest.raises(DomainError, match="above its ceiling"):
        line_update(
            line_id=line.pk, actor=world.officer, volume=Decimal("51"), cash_plan=even_cash_plan(Decimal("51000000"))
        )


def test_delete_removes_line_and_cash_plan(world):
    line = add(world)
    line_delete(line_id=line.pk, actor=world.officer)
    assert not BudgetLine.objects.exists()
    assert not CashPlanMonth.objects.exists()


@pytest.mark.parametrize("status", [DocumentStatus.SUBMITTED, DocumentStatus.VERIFIED, DocumentStatus.APPROVED])
def test_lines_are_locked_outside_draft_and_returned(world, status):
    line = add(world)
    type(world.document).objects.filter(pk=world.document.pk).update(status=status)
    with pytest.raises(DomainError, match="draft or returned"):
        add(world)
    with pytest.raises(DomainError, match="draft or returned"):
        line_update(line_id=line.pk, actor=world.officer, description="x", cash_plan=even_cash_plan(line.amount))
    with pytest.raises(DomainError, match="draft or returned"):
        line_delete(line_id=line.pk, actor=world.officer)


def test_lines_editable_again_when_returned(world):
    type(world.document).objects.filter(pk=world.document.pk).update(status=DocumentStatus.RETURNED)
    assert add(world).pk


def test_only_the_agencys_budget_officer_changes_lines(world, kota_kupang):
    stranger = budget_world(kota_kupang).officer
    with pytest.raises(PermissionDenied):
        add(world, actor=stranger)
    with pytest.raises(PermissionDenied):
        add(world, actor=world.verifier)


def test_only_one_current_document_per_agency_and_year(world):
    with pytest.raises(DomainError, match="already has"):
        document_create(agency=world.agency, fiscal_year=world.year, actor=world.officer)


def test_unknown_fields_cannot_be_set(world):
    with pytest.raises(DomainError, match="cannot be set"):
        add(world, committed=Decimal("1"))


@pytest.mark.django_db(transaction=True)
def test_concurrent_additions_cannot_both_pass_the_ceiling(kab_kupang):
    # given a plan item with room for one 30,000,000 line but not two
    world = budget_world(kab_kupang)
    world.document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    barrier, results = threading.Barrier(2), []

    def attempt():
        try:
            barrier.wait()
            add(world, volume="30", unit_price="1000000")
            results.append("ok")
        except DomainError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one passed, the other saw the first's line under the document lock
    assert sorted(results) == ["ok", "refused"]
    assert BudgetLine.objects.count() == 1
