"""RKA → submitted → verified (or returned) → approved DPA, and revisions."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from ebudgeting.choices import DocumentStatus, RevisionKind
from ebudgeting.models import BudgetDocument, BudgetLine
from ebudgeting.selectors.documents import document_diff
from ebudgeting.services import documents as services
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, budget_world, even_cash_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(kab_kupang):
    world = budget_world(kab_kupang)
    world.document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    world.line = BudgetLineFactory(document=world.document, plan_item=world.plan_item)
    return world


def status_of(document):
    return BudgetDocument.objects.get(pk=document.pk).status


def approve(world):
    services.document_submit(document_id=world.document.pk, actor=world.officer)
    services.document_verify(document_id=world.document.pk, actor=world.verifier)
    return services.document_approve(document_id=world.document.pk, actor=world.verifier)


def test_submit_notifies_verifiers_and_is_audited(world):
    services.document_submit(document_id=world.document.pk, actor=world.officer)
    assert status_of(world.document) == DocumentStatus.SUBMITTED
    assert Notification.objects.filter(recipient=world.verifier, kind="budget_submitted").exists()
    entry = AuditEntry.objects.filter(object_id=str(world.document.pk)).latest("seq")
    assert (entry.old_status, entry.new_status) == ("draft", "submitted")


def test_full_workflow_makes_the_dpa(world):
    document = approve(world)
    assert document.status == DocumentStatus.APPROVED
    assert document.number == f"DPA/{world.agency.code}/2026/1"
    assert document.approved_at is not None
    assert Notification.objects.filter(recipient=world.officer, kind="budget_approved").exists()


def test_return_needs_a_reason_and_reopens_the_lines(world):
    services.document_submit(document_id=world.document.pk, actor=world.officer)
    with pytest.raises(DomainError, match="corrected"):
        services.document_return(document_id=world.document.pk, actor=world.verifier, reason="  ")
    assert status_of(world.document) == DocumentStatus.SUBMITTED
    services.document_return(document_id=world.document.pk, actor=world.verifier, reason="Harga satuan terlalu tinggi")
    document = BudgetDocument.objects.get(pk=world.document.pk)
    assert (document.status, document.verifier_note) == (DocumentStatus.RETURNED, "Harga satuan terlalu tinggi")
    assert Notification.objects.filter(recipient=world.officer, kind="budget_returned").exists()
    services.document_submit(document_id=world.document.pk, actor=world.officer)
    assert status_of(world.document) == DocumentStatus.SUBMITTED


def test_a_verified_document_can_still_be_returned(world):
    services.document_submit(document_id=world.document.pk, actor=world.officer)
    services.document_verify(document_id=world.document.pk, actor=world.verifier)
    services.document_return(document_id=world.document.pk, actor=world.verifier, reason="Salah kode rekening")
    assert status_of(world.document) == DocumentStatus.RETURNED


@pytest.mark.parametrize(
    ("status", "action", "who"),
    [
        (DocumentStatus.SUBMITTED, "document_submit", "officer"),
        (DocumentStatus.VERIFIED, "document_submit", "officer"),
        (DocumentStatus.APPROVED, "document_submit", "officer"),
        (DocumentStatus.DRAFT, "document_verify", "verifier"),
        (DocumentStatus.VERIFIED, "document_verify", "verifier"),
        (DocumentStatus.DRAFT, "document_approve", "verifier"),
        (DocumentStatus.SUBMITTED, "document_approve", "verifier"),
        (DocumentStatus.APPROVED, "document_approve", "verifier"),
        (DocumentStatus.SUPERSEDED, "document_approve", "verifier"),
    ],
)
def test_refused_transitions_change_nothing(world, status, action, who):
    BudgetDocument.objects.filter(pk=world.document.pk).update(status=status)
    with pytest.raises(DomainError, match="cannot be done"):
        getattr(services, action)(document_id=world.document.pk, actor=getattr(world, who))
    assert status_of(world.document) == status


def test_return_refused_from_draft(world):
    with pytest.raises(DomainError, match="cannot be done"):
        services.document_return(document_id=world.document.pk, actor=world.verifier, reason="x")


def test_roles_are_enforced(world):
    with pytest.raises(PermissionDenied):
        services.document_submit(document_id=world.document.pk, actor=world.verifier)
    services.document_submit(document_id=world.document.pk, actor=world.officer)
    with pytest.raises(PermissionDenied):
        services.document_verify(document_id=world.document.pk, actor=world.officer)


def test_verifier_of_another_region_cannot_verify(world, kota_kupang):
    services.document_submit(document_id=world.document.pk, actor=world.officer)
    with pytest.raises(PermissionDenied):
        services.document_verify(document_id=world.document.pk, actor=budget_world(kota_kupang).verifier)


def test_empty_document_cannot_be_submitted(world):
    services.line_delete(line_id=world.line.pk, actor=world.officer)
    with pytest.raises(DomainError, match="without lines"):
        services.document_submit(document_id=world.document.pk, actor=world.officer)


def test_revision_copies_lines_cash_plan_and_ledger(world):
    approve(world)
    BudgetLine.objects.filter(pk=world.line.pk).update(committed=Decimal("2000000"), realized=Decimal("1000000"))
    revision = services.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)
    (copy,) = revision.lines.all()
    assert (revision.version, revision.previous_id, revision.status) == (2, world.document.pk, DocumentStatus.DRAFT)
    assert revision.is_current and not BudgetDocument.objects.get(pk=world.document.pk).is_current
    assert copy.origin_id == world.line.pk
    assert (copy.amount, copy.committed, copy.realized) == (world.line.amount, Decimal("2000000"), Decimal("1000000"))
    assert list(copy.cash_plan.values_list("amount", flat=True)) == list(
        world.line.cash_plan.values_list("amount", flat=True)
    )
    # the old version stays approved (readable, in force) until the revision is approved
    assert status_of(world.document) == DocumentStatus.APPROVED


def test_approving_a_revision_supersedes_the_old_version(world):
    approve(world)
    revision = services.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)
    services.document_submit(document_id=revision.pk, actor=world.officer)
    services.document_verify(document_id=revision.pk, actor=world.verifier)
    approved = services.document_approve(document_id=revision.pk, actor=world.verifier)
    assert approved.number == f"DPPA/{world.agency.code}/2026/2"
    assert status_of(world.document) == DocumentStatus.SUPERSEDED


def test_amendment_only_once_a_year_shifts_any_time(world):
    approve(world)
    first = services.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.AMENDMENT)
    BudgetDocument.objects.filter(pk=first.pk).update(status=DocumentStatus.APPROVED)
    with pytest.raises(DomainError, match="APBD-P"):
        services.document_revise(document_id=first.pk, actor=world.officer, kind=RevisionKind.AMENDMENT)
    shift = services.document_revise(document_id=first.pk, actor=world.officer, kind=RevisionKind.SHIFT)
    assert shift.version == 3


def test_only_the_current_approved_document_is_revised(world):
    with pytest.raises(DomainError, match="current approved"):
        services.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)
    approve(world)
    services.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)
    with pytest.raises(DomainError, match="current approved"):
        services.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)


def test_revision_cannot_go_below_committed_and_realized(world):
    approve(world)
    BudgetLine.objects.filter(pk=world.line.pk).update(committed=Decimal("5000000"), realized=Decimal("1000000"))
    revision = services.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)
    copy = revision.lines.get()
    with pytest.raises(DomainError, match="already committed"):
        services.line_update(
            line_id=copy.pk, actor=world.officer, volume=Decimal("5"), cash_plan=even_cash_plan(Decimal("5000000"))
        )
    six = services.line_update(
        line_id=copy.pk, actor=world.officer, volume=Decimal("6"), cash_plan=even_cash_plan(Decimal("6000000"))
    )
    assert six.amount == Decimal("6000000.00")
    with pytest.raises(DomainError, match="commitments or realizations"):
        services.line_delete(line_id=copy.pk, actor=world.officer)


def test_diff_shows_added_removed_and_changed_lines(world):
    kept = BudgetLineFactory(document=world.document, plan_item=world.plan_item, description="Tetap")
    approve(world)
    revision = services.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)
    copies = {line.origin_id: line for line in revision.lines.all()}
    services.line_update(
        line_id=copies[world.line.pk].pk,
        actor=world.officer,
        volume=Decimal("6"),
        cash_plan=even_cash_plan(Decimal("6000000")),
    )
    services.line_delete(line_id=copies[kept.pk].pk, actor=world.officer)
    added = services.line_add(
        document_id=revision.pk,
        actor=world.officer,
        cash_plan=even_cash_plan(Decimal("100.00")),
        plan_item=world.plan_item,
        account=world.account,
        funding_source=world.funding,
        description="Baru",
        volume=Decimal("1"),
        unit="paket",
        unit_price=Decimal("100"),
    )
    changes = {
        (change.kind, (change.new or change.old).pk): change for change in document_diff(world.document, revision)
    }
    assert set(changes) == {("changed", copies[world.line.pk].pk), ("removed", kept.pk), ("added", added.pk)}
    assert changes[("changed", copies[world.line.pk].pk)].difference == Decimal("-6000000.00")
