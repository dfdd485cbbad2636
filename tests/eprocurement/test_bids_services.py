"""Sealed bids through the services: drafting, submitting (idempotent, replaceable,
only before the deadline on the server clock), withdrawing, and who may do it."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from eprocurement import sealing
from eprocurement.models import Bid, BidReceipt, PackageKey
from eprocurement.services import bids as services
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.eprocurement.factories_bids import (  # noqa: F401
    CANARY_PRICE,
    CANARY_TEXT,
    bid_media,
    draft_bid,
    sealing_key,
    submitted_bid,
    upload,
)
from tests.eprocurement.factories_packages import HOUR, schedule_around, set_schedule, tender_world
from tests.eprocurement.factories_vendors import VendorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sealing_key", "bid_media")]


@pytest.fixture
def world(kab_kupang):
    return tender_world(kab_kupang, phase="bidding")


def _audits(bid):
    return AuditEntry.objects.filter(object_type="eprocurement.bid", object_id=str(bid.pk))


def test_a_price_is_stored_only_sealed_with_a_salted_hash(world):
    vendor = world.vendors[0]
    bid = services.bid_save_price(
        package=world.package, vendor=vendor, actor=vendor.owner, price="1250000000", validity_days=90
    )
    assert CANARY_PRICE not in bid.sealed_price and "1250000000" not in bid.sealed_price
    key = PackageKey.objects.get(package=world.package).wrapped_key
    record = sealing.open_sealed(key, bid.sealed_price, context=f"package:{world.package.pk}/bid:{bid.pk}/price")
    assert json.loads(record)["price"] == "1250000000.00" and len(json.loads(record)["salt"]) == 32
    assert bid.price_sha256 == sealing.sha256_hex(record) and bid.opened_price is None
    assert "1250000000" not in json.dumps(list(_audits(bid).values("reason", "changes")))


def test_the_package_key_is_made_once(world):
    draft_bid(world.package, world.vendors[0])
    draft_bid(world.package, world.vendors[1])
    assert PackageKey.objects.filter(package=world.package).count() == 1


def test_a_document_reaches_the_storage_only_sealed(world, settings):
    bid = draft_bid(world.package, world.vendors[0])
    document = bid.documents.get()
    stored = (settings.MEDIA_ROOT / document.file.name).read_bytes()
    assert CANARY_TEXT not in stored and b"penawaran-teknis" not in stored
    assert "penawaran" not in document.file.name and "penawaran" not in document.sealed_name
    assert document.sha256 == sealing.sha256_hex(b"%PDF-1.4\n" + CANARY_TEXT)


@pytest.mark.parametrize("price", ["0", "-5", "abc", "1.234", "99999999999999999"])
def test_a_bad_price_is_refused_and_nothing_is_made(world, price):
    vendor = world.vendors[0]
    with pytest.raises(DomainError):
        services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=price, validity_days=60)
    assert not Bid.objects.exists()


def test_only_a_verified_vendor_bids_and_a_reserved_package_takes_small_businesses(world):
    pending = VendorFactory(status="pending", is_small_business=True)
    large = VendorFactory(status="verified", is_small_business=False)
    for vendor, message in ((pending, "not verified"), (large, "small businesses")):
        with pytest.raises(DomainError, match=message):
            services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=1, validity_days=9)
    assert not Bid.objects.exists()


def test_someone_else_cannot_act_for_a_vendor(world):
    vendor, other = world.vendors[0], world.vendors[1]
    with pytest.raises(PermissionDenied):
        services.bid_save_price(package=world.package, vendor=vendor, actor=other.owner, price=1, validity_days=9)
    bid = draft_bid(world.package, vendor)
    with pytest.raises(PermissionDenied):
        services.bid_submit(bid=bid, actor=other.owner, token=services.new_submit_token())


def test_submit_needs_a_price_and_a_document(world):
    vendor = world.vendors[0]
    bid = services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=5, validity_days=9)
    with pytest.raises(DomainError, match="at least one document"):
        services.bid_submit(bid=bid, actor=vendor.owner, token=services.new_submit_token())


def test_submit_issues_a_receipt_with_every_hash_and_notifies_the_vendor(world):
    bid, receipt = submitted_bid(world.package, world.vendors[0])
    content = json.loads(receipt.content)
    document = bid.documents.get()
    assert bid.status == "submitted" and bid.receipt_sha256 == receipt.sha256
    assert content["bid"] == bid.pk and content["price_record_sha256"] == bid.price_sha256
    assert content["documents"] == [
        {"id": document.pk, "kind": "technical", "size": document.size, "sha256": document.sha256}
    ]
    assert receipt.sha256 == sealing.sha256_hex(receipt.content.encode())
    assert bid.submitted_at < world.package.stages.get(stage="bid_submission").ends_at
    assert Notification.objects.filter(recipient=world.vendors[0].owner, kind="eprocurement.bid_receipt").exists()


def test_submit_is_idempotent_on_its_key(world):
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    token = services.new_submit_token()
    first = services.bid_submit(bid=bid, actor=vendor.owner, token=token)
    audits = _audits(bid).count()
    again = services.bid_submit(bid=bid, actor=vendor.owner, token=token)
    assert again.pk == first.pk and BidReceipt.objects.filter(bid=bid).count() == 1
    assert _audits(bid).count() == audits
    assert Notification.objects.filter(kind="eprocurement.bid_receipt").count() == 1


def test_a_key_used_for_an_earlier_version_is_refused(world):
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    token = services.new_submit_token()
    services.bid_submit(bid=bid, actor=vendor.owner, token=token)
    services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=7, validity_days=9)
    with pytest.raises(DomainError, match="earlier version"):
        services.bid_submit(bid=bid, actor=vendor.owner, token=token)


def test_a_replaced_bid_gets_a_new_receipt_and_keeps_the_old_one_superseded(world):
    vendor = world.vendors[0]
    bid, first = submitted_bid(world.package, vendor)
    services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=11, validity_days=9)
    bid.refresh_from_db()
    assert bid.status == "draft"
    second = services.bid_submit(bid=bid, actor=vendor.owner, token=services.new_submit_token())
    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "current") and first.sha256 != second.sha256


def test_withdraw_before_the_deadline(world):
    vendor = world.vendors[0]
    bid, receipt = submitted_bid(world.package, vendor)
    services.bid_withdraw(bid=bid, actor=vendor.owner)
    bid.refresh_from_db()
    receipt.refresh_from_db()
    assert (bid.status, receipt.status) == ("withdrawn", "withdrawn")


def _past_deadline(package):
    set_schedule(package, schedule_around(timezone.now(), "opening"))


def test_after_the_deadline_nothing_about_a_bid_changes(world):
    vendor = world.vendors[0]
    bid, receipt = submitted_bid(world.package, vendor)
    document = bid.documents.get()
    _past_deadline(world.package)
    attempts = [
        lambda: services.bid_save_price(
            package=world.package, vendor=vendor, actor=vendor.owner, price=1, validity_days=9
        ),
        lambda: services.bid_add_document(bid=bid, actor=vendor.owner, kind="other", uploaded_file=upload(b"x")),
        lambda: services.bid_remove_document(document=document, actor=vendor.owner),
        lambda: services.bid_submit(bid=bid, actor=vendor.owner, token=services.new_submit_token()),
        lambda: services.bid_withdraw(bid=bid, actor=vendor.owner),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError, match="deadline has passed"):
            attempt()
    after = Bid.objects.get(pk=bid.pk)
    assert (after.status, after.sealed_price, after.receipt_sha256) == ("submitted", bid.sealed_price, receipt.sha256)
    assert after.documents.count() == 1


def test_a_retried_submit_after_the_deadline_returns_its_receipt_and_changes_nothing(world):
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    token = services.new_submit_token()
    receipt = services.bid_submit(bid=bid, actor=vendor.owner, token=token)
    _past_deadline(world.package)
    assert services.bid_submit(bid=bid, actor=vendor.owner, token=token).pk == receipt.pk


def test_bidding_has_not_started_in_the_explanation_phase(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    vendor = world.vendors[0]
    world.package.stages.filter(stage="bid_submission").update(starts_at=timezone.now() + HOUR)
    with pytest.raises(DomainError, match="not started"):
        services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=1, validity_days=9)


def test_a_missing_master_key_refuses_bidding_clearly(world, settings):
    settings.PORTAL_SEALING_MASTER_KEY = ""
    settings.DEBUG = False
    vendor = world.vendors[0]
    with pytest.raises(DomainError, match="no sealing key"):
        services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=1, validity_days=9)
    assert not Bid.objects.exists()


def test_a_withdrawn_bid_can_be_prepared_and_submitted_again(world):
    vendor = world.vendors[0]
    bid, _ = submitted_bid(world.package, vendor)
    services.bid_withdraw(bid=bid, actor=vendor.owner)
    services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=12, validity_days=9)
    bid.refresh_from_db()
    assert bid.status == "draft"
    receipt = services.bid_submit(bid=bid, actor=vendor.owner, token=services.new_submit_token())
    statuses = sorted(BidReceipt.objects.filter(bid=bid).values_list("status", flat=True))
    assert receipt.status == "current" and statuses == ["current", "withdrawn"]
