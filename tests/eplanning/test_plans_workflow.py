"""The plan item workflow: draft → submitted → verified → approved, returned with
comments, revisions; who may do each step, and the agency ceiling rule."""

from decimal import Decimal

import pytest

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from eplanning.services.plans import (
    plan_item_approve,
    plan_item_return,
    plan_item_start_revision,
    plan_item_submit,
    plan_item_update,
    plan_item_verify,
)
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.eplanning.plans_support import given_item, given_region_staff


@pytest.fixture
def staff(kab_kupang, make_member):
    return given_region_staff(kab_kupang, make_member)


def _audits(item):
    return list(
        AuditEntry.objects.filter(object_type="eplanning.planitem", object_id=str(item.pk))
        .order_by("seq")
        .values_list("old_status", "new_status")
    )


def test_planner_submits_and_verifiers_are_told(staff):
    item = given_item(staff)

    plan_item_submit(plan_item_id=item.pk, actor=staff.planner)

    item.refresh_from_db()
    assert item.status == PlanStatus.SUBMITTED
    assert _audits(item) == [("draft", "submitted")]
    assert Notification.objects.filter(recipient=staff.verifier, kind="plan.submitted").count() == 1


def test_full_workflow_to_approved_notifies_the_planner(staff):
    item = given_item(staff)

    plan_item_submit(plan_item_id=item.pk, actor=staff.planner)
    plan_item_verify(plan_item_id=item.pk, actor=staff.verifier, note="Sesuai Renstra")
    plan_item_approve(plan_item_id=item.pk, actor=staff.verifier)

    item.refresh_from_db()
    assert item.status == PlanStatus.APPROVED
    assert _audits(item) == [("draft", "submitted"), ("submitted", "verified"), ("verified", "approved")]
    kinds = set(Notification.objects.filter(recipient=staff.planner).values_list("kind", flat=True))
    assert kinds == {"plan.verified", "plan.approved"}


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.VERIFIED])
def test_verifier_returns_with_a_comment_and_the_planner_can_edit_again(staff, status):
    item = given_item(staff, status=status)

    plan_item_return(plan_item_id=item.pk, actor=staff.verifier, comment="Indikator belum terukur")
    plan_item_update(plan_item_id=item.pk, actor=staff.planner, title="Judul diperbaiki")

    item.refresh_from_db()
    assert (item.status, item.verifier_note, item.title) == (
        PlanStatus.RETURNED,
        "Indikator belum terukur",
        "Judul diperbaiki",
    )
    note = Notification.objects.get(recipient=staff.planner, kind="plan.returned")
    assert note.body == "Indikator belum terukur"


def test_returning_without_a_comment_is_refused(staff):
    item = given_item(staff, status=PlanStatus.SUBMITTED)

    with pytest.raises(DomainError, match="corrected"):
        plan_item_return(plan_item_id=item.pk, actor=staff.verifier, comment="   ")

    item.refresh_from_db()
    assert item.status == PlanStatus.SUBMITTED and _audits(item) == []


def test_returned_item_can_be_resubmitted(staff):
    item = given_item(staff, status=PlanStatus.RETURNED)

    plan_item_submit(plan_item_id=item.pk, actor=staff.planner)

    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.SUBMITTED


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (PlanStatus.SUBMITTED, "submit"),
        (PlanStatus.VERIFIED, "submit"),
        (PlanStatus.APPROVED, "submit"),
        (PlanStatus.DRAFT, "verify"),
        (PlanStatus.VERIFIED, "verify"),
        (PlanStatus.DRAFT, "approve"),
        (PlanStatus.SUBMITTED, "approve"),
        (PlanStatus.APPROVED, "approve"),
        (PlanStatus.DRAFT, "return"),
        (PlanStatus.APPROVED, "return"),
        (PlanStatus.DRAFT, "revise"),
        (PlanStatus.VERIFIED, "revise"),
    ],
)
def test_a_transition_from_the_wrong_status_is_refused(staff, status, service):
    item = given_item(staff, status=status)
    calls = {
        "submit": lambda: plan_item_submit(plan_item_id=item.pk, actor=staff.planner),
        "verify": lambda: plan_item_verify(plan_item_id=item.pk, actor=staff.verifier),
        "approve": lambda: plan_item_approve(plan_item_id=item.pk, actor=staff.verifier),
        "return": lambda: plan_item_return(plan_item_id=item.pk, actor=staff.verifier, comment="x"),
        "revise": lambda: plan_item_start_revision(plan_item_id=item.pk, actor=staff.planner, reason="x"),
    }

    with pytest.raises(DomainError):
        calls[service]()

    assert PlanItem.objects.get(pk=item.pk).status == status
    assert _audits(item) == []


def test_a_planner_cannot_verify_nor_approve(staff):
    item = given_item(staff, status=PlanStatus.SUBMITTED)

    with pytest.raises(DomainError, match="Bappeda"):
        plan_item_verify(plan_item_id=item.pk, actor=staff.planner)
    item.status = PlanStatus.VERIFIED
    item.save()
    with pytest.raises(DomainError, match="Bappeda"):
        plan_item_approve(plan_item_id=item.pk, actor=staff.planner)


def test_a_verifier_cannot_submit_nor_edit(staff):
    item = given_item(staff)

    with pytest.raises(DomainError, match="planner"):
        plan_item_submit(plan_item_id=item.pk, actor=staff.verifier)
    with pytest.raises(DomainError, match="planner"):
        plan_item_update(plan_item_id=item.pk, actor=staff.verifier, title="Bukan urusan Bappeda")


def test_a_planner_of_another_agency_cannot_submit(staff, make_member):
    from tests.factories import AgencyFactory

    item = given_item(staff)
    other = make_member(AgencyFactory(region=staff.agency.region), "planner")

    with pytest.raises(DomainError):
        plan_item_submit(plan_item_id=item.pk, actor=other)
    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.DRAFT


def test_bappeda_of_another_region_cannot_verify(staff, kota_kupang, make_member):
    from tests.factories import AgencyFactory

    item = given_item(staff, status=PlanStatus.SUBMITTED)
    kota_bappeda = make_member(AgencyFactory(region=kota_kupang), "plan_verifier")

    with pytest.raises(DomainError):
        plan_item_verify(plan_item_id=item.pk, actor=kota_bappeda)


def test_province_coordinator_reads_regency_items_but_cannot_verify(staff, province, make_member):
    from tests.factories import AgencyFactory

    item = given_item(staff, status=PlanStatus.SUBMITTED)
    coordinator = make_member(AgencyFactory(region=province), "plan_verifier", scope="province")

    assert PlanItem.objects.visible_to(coordinator).filter(pk=item.pk).exists()
    with pytest.raises(DomainError):
        plan_item_verify(plan_item_id=item.pk, actor=coordinator)


def test_submitting_needs_an_indicator(staff):
    from tests.eplanning.factories import PlanItemFactory

    item = PlanItemFactory(agency=staff.agency, fiscal_year=staff.year)

    with pytest.raises(DomainError, match="indicator"):
        plan_item_submit(plan_item_id=item.pk, actor=staff.planner)


# --- The agency ceiling ----------------------------------------------------------------


def test_submitting_exactly_up_to_the_ceiling_passes(kab_kupang, make_member):
    staff = given_region_staff(kab_kupang, make_member, ceiling=Decimal("300000000.00"))
    given_item(staff, status=PlanStatus.APPROVED, indicative_ceiling=Decimal("100000000.00"))
    given_item(staff, status=PlanStatus.SUBMITTED, indicative_ceiling=Decimal("100000000.00"))
    given_item(staff, status=PlanStatus.DRAFT, indicative_ceiling=Decimal("900000000.00"))  # drafts do not count
    item = given_item(staff, indicative_ceiling=Decimal("100000000.00"))

    plan_item_submit(plan_item_id=item.pk, actor=staff.planner)

    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.SUBMITTED


def test_one_rupiah_over_the_ceiling_is_refused(kab_kupang, make_member):
    staff = given_region_staff(kab_kupang, make_member, ceiling=Decimal("300000000.00"))
    given_item(staff, status=PlanStatus.VERIFIED, indicative_ceiling=Decimal("200000000.00"))
    item = given_item(staff, indicative_ceiling=Decimal("100000000.01"))

    with pytest.raises(DomainError, match="exceed the agency's ceiling"):
        plan_item_submit(plan_item_id=item.pk, actor=staff.planner)

    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.DRAFT


def test_without_a_ceiling_nothing_can_be_submitted(kab_kupang, make_member):
    staff = given_region_staff(kab_kupang, make_member, ceiling=None)
    item = given_item(staff)

    with pytest.raises(DomainError, match="not set"):
        plan_item_submit(plan_item_id=item.pk, actor=staff.planner)


# --- Locking and revisions -------------------------------------------------------------


def test_an_approved_item_is_locked(staff):
    item = given_item(staff, status=PlanStatus.APPROVED)

    with pytest.raises(DomainError, match="cannot be changed"):
        plan_item_update(plan_item_id=item.pk, actor=staff.planner, indicative_ceiling="1")

    assert PlanItem.objects.get(pk=item.pk).indicative_ceiling == item.indicative_ceiling


def test_revision_keeps_the_approved_version_readable(staff):
    item = given_item(staff, indicative_ceiling=Decimal("100000000.00"))
    plan_item_submit(plan_item_id=item.pk, actor=staff.planner)
    plan_item_verify(plan_item_id=item.pk, actor=staff.verifier)
    plan_item_approve(plan_item_id=item.pk, actor=staff.verifier)

    plan_item_start_revision(plan_item_id=item.pk, actor=staff.planner, reason="Pergeseran lokasi")
    plan_item_update(plan_item_id=item.pk, actor=staff.planner, indicative_ceiling="150000000", indicators=[])

    item.refresh_from_db()
    assert (item.status, item.revision, item.indicative_ceiling) == (PlanStatus.DRAFT, 1, Decimal("150000000.00"))
    version = item.versions.get()
    assert version.revision == 0 and version.approved_at is not None
    assert version.snapshot["indicative_ceiling"] == "100000000.00"
    assert version.snapshot["indicators"][0]["target_year"] == "40.0000"
    assert ("approved", "draft") in _audits(item)


def test_revision_needs_a_reason(staff):
    item = given_item(staff, status=PlanStatus.APPROVED)

    with pytest.raises(DomainError, match="why"):
        plan_item_start_revision(plan_item_id=item.pk, actor=staff.planner, reason="")

    assert not item.versions.exists()
