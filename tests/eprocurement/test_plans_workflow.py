"""RUP items through the services: drafting, announcing (kode RUP, ledger commits), cancelling."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetLine, LedgerEntry
from eprocurement.choices import PlanItemStatus, ProcurementKind, ProcurementMethod
from eprocurement.models import ProcurementPlanItem
from eprocurement.services.plans import (
    plan_item_announce,
    plan_item_cancel,
    plan_item_create,
    plan_item_update,
)
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.eprocurement.factories_plans import fundings, item_data, rup_world


@pytest.fixture
def world(kab_kupang):
    return rup_world(kab_kupang)


def draft(world, *pairs, actor=None, **data):
    pairs = pairs or ((world.lines[0], "150000000"), (world.lines[1], "40000000"))
    return plan_item_create(
        agency=world.agency,
        fiscal_year=world.year,
        data=item_data(**data),
        fundings=fundings(*pairs),
        actor=actor or world.ppk,
    )


def committed(line) -> Decimal:
    return BudgetLine.objects.get(pk=line.pk).committed


def test_a_draft_is_valued_at_the_sum_of_its_fundings(world):
    # when the PPK drafts an item from two lines
    item = draft(world)
    # then its value is their sum, it is a draft without a code, reserved for small businesses
    assert item.value == Decimal("190000000.00")
    assert item.status == PlanItemStatus.DRAFT and item.rup_code is None
    assert item.small_business_reserved is True
    assert item.fundings.count() == 2
    # and nothing is committed yet
    assert committed(world.lines[0]) == 0


def test_the_budget_officer_may_draft_too(world):
    assert draft(world, actor=world.officer).pk


def test_a_planner_may_not_draft(world, make_member):
    with pytest.raises(PermissionDenied):
        draft(world, actor=make_member(world.agency, "planner"))


def test_a_ppk_of_kota_kupang_may_not_draft_for_kab_kupang(world, kota_kupang):
    other = rup_world(kota_kupang)
    with pytest.raises(PermissionDenied):
        draft(world, actor=other.ppk)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ((), "at least one budget line"),
        (("0",), "more than zero"),
        (("-5",), "more than zero"),
        (("abc",), "number of rupiah"),
        (("500000000.01",), "Only Rp"),
    ],
)
def test_bad_fundings_are_refused_and_nothing_saved(world, pairs, message):
    given = tuple((world.lines[0], amount) for amount in pairs)
    with pytest.raises(DomainError, match=message):
        plan_item_create(
            agency=world.agency,
            fiscal_year=world.year,
            data=item_data(),
            fundings=fundings(*given) if given else [],
            actor=world.ppk,
        )
    assert not ProcurementPlanItem.objects.exists()


def test_a_line_of_another_agency_is_refused(world):
    foreign = rup_world(world.agency.region, code="PUPR").lines[0]
    with pytest.raises(DomainError, match="agency's DPA"):
        draft(world, (foreign, "100"))
    assert not ProcurementPlanItem.objects.exists()


def test_a_line_of_a_document_not_approved_is_refused(world):
    world.document.status = DocumentStatus.VERIFIED
    world.document.save(update_fields=["status"])
    with pytest.raises(DomainError, match="not in an approved DPA"):
        draft(world)


def test_the_same_line_twice_is_refused(world):
    with pytest.raises(DomainError, match="once"):
        draft(world, (world.lines[0], "100"), (world.lines[0], "200"))


def test_a_method_that_does_not_fit_the_value_is_refused(world):
    # Rp190 juta of goods by tender: within the direct procurement limit
    with pytest.raises(DomainError, match="within the direct procurement limit"):
        draft(world, method=ProcurementMethod.TENDER)
    assert not ProcurementPlanItem.objects.exists()


def test_direct_appointment_needs_its_grounds(world):
    with pytest.raises(DomainError, match="grounds"):
        draft(world, method=ProcurementMethod.DIRECT_APPOINTMENT)
    item = draft(world, method=ProcurementMethod.DIRECT_APPOINTMENT, method_justification="Keadaan darurat bencana")
    assert item.method_justification == "Keadaan darurat bencana"


def test_dates_out_of_order_are_refused(world):
    with pytest.raises(DomainError, match="cannot end before it starts"):
        draft(world, selection_end=item_data()["selection_start"].replace(day=1, month=2))


def test_small_business_reservation_cannot_be_turned_off_for_a_small_item(world):
    with pytest.raises(DomainError, match="reserved for small businesses"):
        plan_item_create(
            agency=world.agency,
            fiscal_year=world.year,
            data=item_data(),
            fundings=fundings((world.lines[0], "100")),
            actor=world.ppk,
            small_business_reserved=False,
        )


def test_announce_assigns_the_code_and_commits_every_line(world):
    # given a draft on two lines
    item = draft(world)
    # when it is announced
    item = plan_item_announce(item=item, actor=world.ppk)
    # then it has a kode RUP: year, region code without the dot, sequence of six digits
    assert item.status == PlanItemStatus.ANNOUNCED
    assert item.rup_code == "20265301000001"
    # and each line has its amount committed under the item's reference
    assert committed(world.lines[0]) == Decimal("150000000.00")
    assert committed(world.lines[1]) == Decimal("40000000.00")
    assert set(LedgerEntry.objects.filter(reference=f"rup:{item.pk}").values_list("line_id", "amount")) == {
        (world.lines[0].pk, Decimal("150000000.00")),
        (world.lines[1].pk, Decimal("40000000.00")),
    }
    # and the transition is audited, the agency's budget officer told
    entry = AuditEntry.objects.get(object_type="eprocurement.procurementplanitem", action="transition")
    assert (entry.old_status, entry.new_status) == ("draft", "announced")
    assert Notification.objects.filter(recipient=world.officer, title__contains=item.rup_code).exists()


def test_codes_are_unique_and_follow_each_other(world):
    first = plan_item_announce(item=draft(world, (world.lines[0], "100")), actor=world.ppk)
    second = plan_item_announce(item=draft(world, (world.lines[0], "100")), actor=world.ppk)
    assert (first.rup_code, second.rup_code) == ("20265301000001", "20265301000002")


def test_a_line_without_enough_funds_commits_nothing_and_the_item_stays_draft(world):
    # given a draft, and then the second line spent elsewhere
    item = draft(world)
    from ebudgeting.services.ledger import ledger_commit

    ledger_commit(line_id=world.lines[1].pk, amount="470000000", reference="kontrak lain", actor=world.ppk)
    # when it is announced
    with pytest.raises(DomainError, match="Only Rp30.000.000,00 is available|Only Rp30,000,000.00 is available"):
        plan_item_announce(item=item, actor=world.ppk)
    # then nothing is committed on either line, and the item is still a draft without a code
    assert committed(world.lines[0]) == 0
    assert committed(world.lines[1]) == Decimal("470000000.00")
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DRAFT and item.rup_code is None
    assert not LedgerEntry.objects.filter(reference=f"rup:{item.pk}").exists()


def test_announcing_twice_is_refused(world):
    item = plan_item_announce(item=draft(world), actor=world.ppk)
    with pytest.raises(DomainError, match="Only a draft item can be announced"):
        plan_item_announce(item=item, actor=world.ppk)
    assert committed(world.lines[0]) == Decimal("150000000.00")


def test_announce_checks_the_method_against_the_limits_in_force(world, settings):
    item = draft(world)
    settings.PROCUREMENT_DIRECT_LIMITS = {**settings.PROCUREMENT_DIRECT_LIMITS, "goods": 100_000_000}
    with pytest.raises(DomainError, match="Direct procurement"):
        plan_item_announce(item=item, actor=world.ppk)
    assert committed(world.lines[0]) == 0


def test_editing_a_draft_replaces_its_fundings(world):
    item = draft(world)
    item = plan_item_update(
        item=item,
        data=item_data(name="Laptop dan proyektor"),
        fundings=fundings((world.lines[1], "75000000")),
        actor=world.officer,
    )
    assert item.name == "Laptop dan proyektor" and item.value == Decimal("75000000.00")
    assert list(item.fundings.values_list("budget_line_id", flat=True)) == [world.lines[1].pk]


def test_editing_is_refused_after_announce(world):
    item = plan_item_announce(item=draft(world), actor=world.ppk)
    with pytest.raises(DomainError, match="Only a draft item can be edited"):
        plan_item_update(
            item=item, data=item_data(name="Diubah"), fundings=fundings((world.lines[0], "1")), actor=world.ppk
        )
    item.refresh_from_db()
    assert item.name != "Diubah" and item.value == Decimal("190000000.00")


def test_cancel_releases_the_committed_funds(world):
    item = plan_item_announce(item=draft(world), actor=world.ppk)
    item = plan_item_cancel(item=item, reason="Kebutuhan dipenuhi hibah", actor=world.officer)
    assert item.status == PlanItemStatus.CANCELLED and item.cancel_reason == "Kebutuhan dipenuhi hibah"
    assert committed(world.lines[0]) == 0 and committed(world.lines[1]) == 0
    # the code stays taken
    assert item.rup_code == "20265301000001"
    # the PPK who announced hears of it (in their own language): announced by them, so only the cancel
    assert (
        Notification.objects.filter(recipient=world.ppk, kind="eprocurement.rup", subject_id=str(item.pk)).count() == 1
    )


def test_cancel_needs_a_reason(world):
    item = plan_item_announce(item=draft(world), actor=world.ppk)
    with pytest.raises(DomainError, match="Say why"):
        plan_item_cancel(item=item, reason="  ", actor=world.ppk)
    item.refresh_from_db()
    assert item.status == PlanItemStatus.ANNOUNCED and committed(world.lines[0]) > 0


def test_a_draft_can_be_cancelled_and_a_cancelled_item_not_again(world):
    item = plan_item_cancel(item=draft(world), reason="Batal", actor=world.ppk)
    assert item.status == PlanItemStatus.CANCELLED
    with pytest.raises(DomainError, match="cannot be cancelled"):
        plan_item_cancel(item=item, reason="Lagi", actor=world.ppk)


def test_a_ppk_of_another_agency_may_not_announce(world):
    item = draft(world)
    stranger = rup_world(world.agency.region, code="PUPR").ppk
    with pytest.raises(PermissionDenied):
        plan_item_announce(item=item, actor=stranger)


def test_consultancy_above_its_limit_by_selection(world):
    item = draft(
        world, (world.lines[0], "100000001"), kind=ProcurementKind.CONSULTANCY, method=ProcurementMethod.SELECTION
    )
    assert plan_item_announce(item=item, actor=world.ppk).status == PlanItemStatus.ANNOUNCED


def test_an_item_above_the_small_business_limit_is_not_reserved_unless_asked(kab_kupang):
    big = rup_world(kab_kupang, lines=1, line_amount=Decimal("16000000000.00"))
    item = draft(big, (big.lines[0], "15000000001"), kind=ProcurementKind.WORKS, method=ProcurementMethod.TENDER)
    assert item.small_business_reserved is False
