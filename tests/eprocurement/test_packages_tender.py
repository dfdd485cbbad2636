"""A running tender through its services: extensions, addenda, and the end states."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ebudgeting.services.ledger import ledger_commit
from eprocurement.choices import BidStatus, PackageStatus, PlanItemStatus, TenderStage
from eprocurement.models import Bid, Package, ScheduleChange
from eprocurement.selectors.schedule import bid_deadline, stage_window
from eprocurement.services import package_tender as tender
from eprocurement.services import packages as services
from eprocurement.signals import package_changed
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.eprocurement.factories_packages import tender_world
from tests.eprocurement.packages_helpers import create, drafting_world, pdf, ready_draft

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def bid(world, vendor, status=BidStatus.SUBMITTED):
    return Bid.objects.create(package=world.package, vendor=vendor, status=status)


def fresh(package):
    return Package.objects.prefetch_related("stages").get(pk=package.pk)


def notified(kind="eprocurement.package") -> set:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


class Signals:
    def __init__(self):
        self.received = []

    def __call__(self, **kwargs):
        self.received.append(kwargs["tag"])


@pytest.fixture
def signals():
    listener = Signals()
    package_changed.connect(listener)
    yield listener
    package_changed.disconnect(listener)


# --- Extending the schedule ---------------------------------------------------------------------


def test_extending_the_bid_stage_moves_the_deadline_and_everything_after_it(
    kab_kupang, signals, django_capture_on_commit_callbacks
):
    world = tender_world(kab_kupang, phase="bidding")
    draft_bidder, submitted_bidder = world.vendors[0], world.vendors[1]
    bid(world, draft_bidder, BidStatus.DRAFT)
    bid(world, submitted_bidder)
    package = world.package
    old_deadline = bid_deadline(fresh(package))
    old_objection = stage_window(fresh(package), TenderStage.OBJECTION)
    new_end = old_deadline + DAY

    with django_capture_on_commit_callbacks(execute=True):
        tender.package_extend_schedule(
            package=package,
            actor=world.pokja[0],
            stage=TenderStage.BID_SUBMISSION,
            new_end=new_end,
            reason="Server LPSE mati 3 jam pada hari terakhir",
        )

    package = fresh(package)
    assert bid_deadline(package) == new_end
    assert stage_window(package, TenderStage.OBJECTION) == (old_objection[0] + DAY, old_objection[1] + DAY)
    assert stage_window(package, TenderStage.DOCUMENT_DOWNLOAD)[1] == new_end  # download runs to the deadline
    changes = {c.stage: c for c in ScheduleChange.objects.filter(package=package)}
    assert changes[TenderStage.BID_SUBMISSION].old_ends_at == old_deadline
    assert changes[TenderStage.BID_SUBMISSION].reason == "Server LPSE mati 3 jam pada hari terakhir"
    assert TenderStage.EXPLANATION not in changes  # an earlier stage that ended before stays
    assert notified() >= {draft_bidder.owner_id, submitted_bidder.owner_id, world.ppk.pk, world.pokja[1].pk}
    assert world.pokja[0].pk not in notified()
    # vendors are sent to the public tender page, the team to the staff page
    vendor_notice = Notification.objects.get(recipient=submitted_bidder.owner)
    assert vendor_notice.url == f"/pengadaan/tender/{package.pk}/"
    assert Notification.objects.get(recipient=world.ppk).url == f"/pengadaan/paket/{package.pk}/"
    assert signals.received == ["tenderUpdate"]
    assert AuditEntry.objects.filter(object_type="eprocurement.package", reason__startswith="Server").count() == 1


def test_an_extension_never_shortens_needs_a_reason_and_a_pokja_member(kab_kupang):
    world = tender_world(kab_kupang, phase="bidding")
    deadline = bid_deadline(fresh(world.package))
    arguments = {"package": world.package, "stage": TenderStage.BID_SUBMISSION}
    with pytest.raises(DomainError) as excinfo:
        tender.package_extend_schedule(**arguments, actor=world.pokja[0], new_end=deadline - HOUR, reason="x")
    assert "never earlier" in " ".join(excinfo.value.messages)
    with pytest.raises(DomainError):
        tender.package_extend_schedule(**arguments, actor=world.pokja[0], new_end=deadline + HOUR, reason=" ")
    with pytest.raises(PermissionDenied):
        tender.package_extend_schedule(**arguments, actor=world.ppk, new_end=deadline + HOUR, reason="x")
    assert bid_deadline(fresh(world.package)) == deadline
    assert not ScheduleChange.objects.exists()


def test_a_stage_already_over_is_not_extended(kab_kupang):
    world = tender_world(kab_kupang, phase="opening")
    with pytest.raises(DomainError) as excinfo:
        tender.package_extend_schedule(
            package=world.package,
            actor=world.pokja[0],
            stage=TenderStage.BID_SUBMISSION,
            new_end=timezone.now() + DAY,
            reason="Terlambat",
        )
    assert "already over" in " ".join(excinfo.value.messages)


def test_a_draft_schedule_is_not_extended_but_set(kab_kupang):
    world = tender_world(kab_kupang, phase="draft")
    with pytest.raises(DomainError):
        tender.package_extend_schedule(
            package=world.package,
            actor=world.pokja[0],
            stage=TenderStage.BID_SUBMISSION,
            new_end=timezone.now() + 30 * DAY,
            reason="x",
        )


# --- Addenda ---------------------------------------------------------------------------------


def test_an_addendum_well_before_the_deadline_leaves_the_schedule(
    kab_kupang, signals, django_capture_on_commit_callbacks
):
    world = tender_world(kab_kupang, phase="explanation")
    bid(world, world.vendors[0], BidStatus.DRAFT)
    deadline = bid_deadline(fresh(world.package))

    with django_capture_on_commit_callbacks(execute=True):
        document = tender.package_addendum_add(
            package=world.package, actor=world.pokja[1], title="Adendum 1", file=pdf(), reason="Ubah spesifikasi"
        )

    assert document.kind == "addendum" and document.sha256
    assert bid_deadline(fresh(world.package)) == deadline
    assert not ScheduleChange.objects.exists()
    assert world.vendors[0].owner_id in notified()
    assert signals.received == ["tenderAmendment"]


def test_an_addendum_close_to_the_deadline_extends_it_to_leave_two_days(kab_kupang):
    world = tender_world(kab_kupang, phase="bidding")  # bids due in two hours
    old_deadline = bid_deadline(fresh(world.package))
    before = timezone.now()

    tender.package_addendum_add(
        package=world.package, actor=world.pokja[0], title="Adendum 2", file=pdf(), reason="Gambar diperbaiki"
    )

    package = fresh(world.package)
    assert bid_deadline(package) >= before + 2 * DAY
    shift = bid_deadline(package) - old_deadline
    opening = stage_window(package, TenderStage.OPENING)
    assert opening[0] >= bid_deadline(package)
    change = ScheduleChange.objects.get(package=package, stage=TenderStage.BID_SUBMISSION)
    assert "Adendum 2" in change.reason and "Gambar diperbaiki" in change.reason
    assert (
        ScheduleChange.objects.get(package=package, stage=TenderStage.CONTRACT_SIGNING).new_ends_at
        - (ScheduleChange.objects.get(package=package, stage=TenderStage.CONTRACT_SIGNING).old_ends_at)
        == shift
    )


def test_an_addendum_replaces_a_document_of_the_same_package_only(kab_kupang, kota_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    other = tender_world(kota_kupang, phase="explanation")
    foreign = services.store_document(other.package, other.pokja[0], kind="selection", title="x", file=pdf())
    with pytest.raises(DomainError):
        tender.package_addendum_add(
            package=world.package, actor=world.pokja[0], title="A", file=pdf(), reason="r", replaces=foreign
        )


def test_no_addendum_after_the_deadline(kab_kupang):
    world = tender_world(kab_kupang, phase="opening")
    with pytest.raises(DomainError) as excinfo:
        tender.package_addendum_add(package=world.package, actor=world.pokja[0], title="A", file=pdf(), reason="r")
    assert "deadline has passed" in " ".join(excinfo.value.messages)
    assert not world.package.documents.exists()


# --- End states ---------------------------------------------------------------------------------


def test_cancelling_keeps_the_rup_and_its_commitment_and_frees_the_items(
    kab_kupang, signals, django_capture_on_commit_callbacks
):
    world = tender_world(kab_kupang, phase="explanation")
    ledger_commit(
        line_id=world.lines[0].pk, amount=world.plan_item.value, reference=f"rup:{world.plan_item.pk}", actor=None
    )
    bid(world, world.vendors[0], BidStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        package = tender.package_cancel(package=world.package, actor=world.ppk, reason="Anggaran direfocusing")

    assert package.status == PackageStatus.CANCELLED and package.status_reason == "Anggaran direfocusing"
    world.plan_item.refresh_from_db()
    world.lines[0].refresh_from_db()
    assert world.plan_item.status == PlanItemStatus.ANNOUNCED
    assert world.lines[0].committed == world.plan_item.value
    assert world.vendors[0].owner_id in notified()
    assert signals.received == ["tenderCancellation"]
    with pytest.raises(DomainError):
        tender.package_cancel(package=package, actor=world.ppk, reason="lagi")


def test_a_running_tender_before_its_deadline_does_not_fail(kab_kupang):
    running = tender_world(kab_kupang, phase="explanation")
    with pytest.raises(DomainError):
        tender.package_fail(package=running.package, actor=running.pokja[0], reason="x")


def test_a_tender_with_a_bid_does_not_fail_before_its_opening(kab_kupang):
    with_bids = tender_world(kab_kupang, phase="opening")
    bid(with_bids, with_bids.vendors[0])
    with pytest.raises(DomainError) as excinfo:
        tender.package_fail(package=with_bids.package, actor=with_bids.pokja[0], reason="x")
    assert "without a single bid" in " ".join(excinfo.value.messages)


def test_a_tender_without_bids_fails_after_its_deadline(kab_kupang):
    empty = tender_world(kab_kupang, phase="opening")
    bid(empty, empty.vendors[0], BidStatus.DRAFT)  # a draft never submitted is no bid
    package = tender.package_fail(package=empty.package, actor=empty.pokja[0], reason="Tidak ada penawaran")
    assert package.status == PackageStatus.FAILED


def test_an_opened_tender_is_declared_failed_by_its_pokja(kab_kupang):
    opened = tender_world(kab_kupang, phase="evaluation")
    with pytest.raises(PermissionDenied):
        tender.package_fail(package=opened.package, actor=opened.ppk, reason="x")
    package = tender.package_fail(package=opened.package, actor=opened.pokja[0], reason="Semua gugur")
    assert package.status == PackageStatus.FAILED
    assert AuditEntry.objects.filter(object_type="eprocurement.package", new_status="failed").count() == 1


def test_a_failed_tender_is_tendered_again_as_a_new_draft(kab_kupang):
    world = drafting_world(kab_kupang)
    old = services.package_announce(package=ready_draft(world), actor=world.pokja[0])
    Package.objects.filter(pk=old.pk).update(status=PackageStatus.OPENED)
    tender.package_fail(package=old, actor=world.pokja[0], reason="Semua penawaran gugur")

    new = tender.package_retender(package=old, actor=world.ppk, reason="Tender ulang")

    old.refresh_from_db()
    assert old.status == PackageStatus.RETENDERED
    assert new.status == PackageStatus.DRAFT and new.retender_of == old and new.code is None
    assert (new.value, new.owner_estimate, new.ppk) == (old.value, old.owner_estimate, old.ppk)
    assert set(new.plan_items.values_list("pk", flat=True)) == {i.pk for i in world.plan_items}
    assert list(new.pokja_members.values_list("user_id", "is_chair")) == list(
        old.pokja_members.values_list("user_id", "is_chair")
    )
    old_doc, new_doc = old.documents.get(), new.documents.get()
    assert (new_doc.file.name, new_doc.sha256) == (old_doc.file.name, old_doc.sha256)
    assert not new.stages.exists()
    with pytest.raises(DomainError):
        tender.package_retender(package=old, actor=world.ppk, reason="lagi")


def test_only_a_failed_tender_is_retendered(kab_kupang):
    world = drafting_world(kab_kupang)
    with pytest.raises(DomainError):
        tender.package_retender(package=create(world), actor=world.ppk, reason="x")


def test_a_retender_keeps_the_items_taken(kab_kupang):
    world = drafting_world(kab_kupang)
    old = services.package_announce(package=ready_draft(world), actor=world.pokja[0])
    Package.objects.filter(pk=old.pk).update(status=PackageStatus.FAILED)
    tender.package_retender(package=old, actor=world.ppk, reason="Tender ulang")
    with pytest.raises(DomainError) as excinfo:
        create(world, name="Paket lain")
    assert "already in another package" in " ".join(excinfo.value.messages)
    assert Decimal(old.value) == Decimal("1000000000.00")


def test_a_failed_tenders_items_taken_by_a_new_package_are_not_retendered_too(kab_kupang):
    world = drafting_world(kab_kupang)
    old = services.package_announce(package=ready_draft(world), actor=world.pokja[0])
    Package.objects.filter(pk=old.pk).update(status=PackageStatus.FAILED)
    create(world, name="Paket baru dari RUP yang sama")

    with pytest.raises(DomainError) as excinfo:
        tender.package_retender(package=old, actor=world.ppk, reason="Tender ulang")

    assert "already in another package" in " ".join(excinfo.value.messages)
    old.refresh_from_db()
    assert old.status == PackageStatus.FAILED and not old.retenders.exists()


def test_a_failed_tender_whose_rup_was_cancelled_is_not_retendered(kab_kupang):
    world = drafting_world(kab_kupang)
    old = services.package_announce(package=ready_draft(world), actor=world.pokja[0])
    Package.objects.filter(pk=old.pk).update(status=PackageStatus.FAILED)
    world.plan_items[0].status = PlanItemStatus.CANCELLED
    world.plan_items[0].save(update_fields=["status"])
    with pytest.raises(DomainError) as excinfo:
        tender.package_retender(package=old, actor=world.ppk, reason="Tender ulang")
    assert "no longer announced" in " ".join(excinfo.value.messages)


@pytest.mark.parametrize("status", [PackageStatus.DRAFT, PackageStatus.ANNOUNCED, PackageStatus.CONTRACTED])
def test_a_rup_item_under_a_live_package_cannot_be_cancelled(kab_kupang, status):
    # Given a RUP item whose funds a package (draft, running or contracted) relies on
    from eprocurement.services.plans import plan_item_cancel

    world = tender_world(kab_kupang, phase="bidding")
    Package.objects.filter(pk=world.package.pk).update(status=status)
    # When the PPK cancels the RUP item, then it is refused and the commitment stays
    with pytest.raises(DomainError, match="cancel or close the package first"):
        plan_item_cancel(item=world.plan_item, reason="Anggaran dialihkan", actor=world.ppk)
    world.plan_item.refresh_from_db()
    assert world.plan_item.status == PlanItemStatus.ANNOUNCED


def test_a_rup_item_can_be_cancelled_once_its_package_is_closed(kab_kupang):
    from eprocurement.services.plans import plan_item_cancel

    world = tender_world(kab_kupang, phase="bidding")
    line = world.lines[0]
    # (the commitment the RUP item's announcement made)
    ledger_commit(line_id=line.pk, amount=world.plan_item.value, reference=f"rup:{world.plan_item.pk}", actor=world.ppk)
    Package.objects.filter(pk=world.package.pk).update(status=PackageStatus.CANCELLED)
    item = plan_item_cancel(item=world.plan_item, reason="Anggaran dialihkan", actor=world.ppk)
    assert item.status == PlanItemStatus.CANCELLED
    line.refresh_from_db()
    assert line.committed == Decimal("0")
