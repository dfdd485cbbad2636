"""The bids API: a vendor's own bids, each change an action calling the services; submit
idempotent on its key; the deadline refused; another vendor's bid is missing; before
opening no answer carries a price."""

import pytest
from django.utils import timezone

from eprocurement.models import Bid, BidReceipt
from eprocurement.services.bids import new_submit_token
from eprocurement.services.opening import opening_confirm
from portal.models import AuditEntry
from tests.eprocurement.factories_bids import (  # noqa: F401
    CANARY_PRICE,
    bid_media,
    draft_bid,
    sealing_key,
    submitted_bid,
    upload,
)
from tests.eprocurement.factories_packages import schedule_around, set_schedule, tender_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sealing_key", "bid_media")]
BIDS = "/api/eprocurement/bids/"


@pytest.fixture
def world(kab_kupang):
    return tender_world(kab_kupang, phase="bidding")


def test_a_vendor_bids_through_the_api(api_client, world):
    vendor = world.vendors[0]
    api_client.force_authenticate(vendor.owner)
    created = api_client.post(
        BIDS, {"package": world.package.pk, "vendor": vendor.pk, "price": CANARY_PRICE, "validity_days": 60}
    )
    assert created.status_code == 201 and created.data["status"] == "draft"
    assert CANARY_PRICE not in created.content.decode() and created.data["opened_price"] is None
    bid_url = f"{BIDS}{created.data['id']}/"
    uploaded = api_client.post(f"{bid_url}documents/", {"kind": "technical", "file": upload()}, format="multipart")
    assert uploaded.status_code == 201 and len(uploaded.data["documents"]) == 1
    token = new_submit_token()
    receipt = api_client.post(f"{bid_url}submit/", HTTP_IDEMPOTENCY_KEY=token)
    assert receipt.status_code == 200 and receipt.data["receipt"]["bid"] == created.data["id"]
    assert api_client.get(bid_url).data["receipt_sha256"] == receipt.data["sha256"]


def test_submit_through_the_api_is_idempotent(api_client, world):
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    api_client.force_authenticate(vendor.owner)
    token = new_submit_token()
    first = api_client.post(f"{BIDS}{bid.pk}/submit/", HTTP_IDEMPOTENCY_KEY=token)
    second = api_client.post(f"{BIDS}{bid.pk}/submit/", {"token": token}, format="json")
    assert first.data["sha256"] == second.data["sha256"] and BidReceipt.objects.filter(bid=bid).count() == 1
    submits = AuditEntry.objects.filter(object_type="eprocurement.bid", object_id=str(bid.pk), new_status="submitted")
    assert submits.count() == 1


def test_submit_without_a_key_is_refused(api_client, english_api, world):
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    api_client.force_authenticate(vendor.owner)
    answer = api_client.post(f"{BIDS}{bid.pk}/submit/")
    assert answer.status_code == 400 and "submission key" in answer.content.decode()
    assert not BidReceipt.objects.exists()


def test_the_api_refuses_every_change_after_the_deadline(api_client, english_api, world):
    vendor = world.vendors[0]
    bid, receipt = submitted_bid(world.package, vendor)
    document = bid.documents.get()
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    api_client.force_authenticate(vendor.owner)
    answers = [
        api_client.post(f"{BIDS}{bid.pk}/price/", {"price": "1", "validity_days": 5}),
        api_client.post(f"{BIDS}{bid.pk}/documents/", {"kind": "other", "file": upload(b"x")}, format="multipart"),
        api_client.delete(f"{BIDS}{bid.pk}/documents/{document.pk}/"),
        api_client.post(f"{BIDS}{bid.pk}/submit/", HTTP_IDEMPOTENCY_KEY=new_submit_token()),
        api_client.post(f"{BIDS}{bid.pk}/withdraw/"),
    ]
    assert [a.status_code for a in answers] == [400] * 5
    assert all("deadline has passed" in a.content.decode() for a in answers)
    after = Bid.objects.get(pk=bid.pk)
    assert (after.status, after.sealed_price, after.receipt_sha256) == ("submitted", bid.sealed_price, receipt.sha256)


def test_another_vendor_neither_sees_nor_changes_a_bid(api_client, world):
    bid, _ = submitted_bid(world.package, world.vendors[0])
    api_client.force_authenticate(world.vendors[1].owner)
    assert bid.pk not in [row["id"] for row in _rows(api_client.get(BIDS).data)]
    for answer in (
        api_client.get(f"{BIDS}{bid.pk}/"),
        api_client.get(f"{BIDS}{bid.pk}/receipts/"),
        api_client.post(f"{BIDS}{bid.pk}/withdraw/"),
        api_client.post(f"{BIDS}{bid.pk}/price/", {"price": "1", "validity_days": 5}),
        api_client.post(f"{BIDS}{bid.pk}/submit/", HTTP_IDEMPOTENCY_KEY=new_submit_token()),
    ):
        assert answer.status_code == 404
    taken = api_client.post(
        BIDS, {"package": world.package.pk, "vendor": world.vendors[0].pk, "price": "1", "validity_days": 5}
    )
    assert taken.status_code == 400
    assert Bid.objects.get(pk=bid.pk).status == "submitted"


def _rows(data):
    return data["results"] if isinstance(data, dict) and "results" in data else data


def test_anonymous_callers_get_nothing(api_client, world):
    submitted_bid(world.package, world.vendors[0])
    assert api_client.get(BIDS).status_code in (401, 403)
    assert api_client.get(f"/api/eprocurement/openings/{world.package.pk}/").status_code in (401, 403)


def test_the_pokja_opens_through_the_api(api_client, world):
    submitted_bid(world.package, world.vendors[0])
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    url = f"/api/eprocurement/openings/{world.package.pk}/"
    api_client.force_authenticate(world.pokja[0])
    before = api_client.post(f"{url}confirm/")
    assert before.status_code == 200 and before.data["opened"] is False and before.data["bids"] == []
    assert before.data["bid_count"] == 1 and CANARY_PRICE not in before.content.decode()
    api_client.force_authenticate(world.pokja[1])
    after = api_client.post(f"{url}confirm/")
    assert after.data["opened"] is True and after.data["bids"][0]["opened_price"] == CANARY_PRICE


def test_a_vendor_cannot_confirm_an_opening(api_client, world):
    submitted_bid(world.package, world.vendors[0])
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    api_client.force_authenticate(world.vendors[0].owner)
    assert api_client.post(f"/api/eprocurement/openings/{world.package.pk}/confirm/").status_code == 404


def test_the_ppk_sees_the_count_but_cannot_confirm(api_client, world):
    submitted_bid(world.package, world.vendors[0])
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    api_client.force_authenticate(world.ppk)
    url = f"/api/eprocurement/openings/{world.package.pk}/"
    assert api_client.get(url).data["bid_count"] == 1
    assert api_client.post(f"{url}confirm/").status_code == 403
    opening_confirm(package=world.package, actor=world.pokja[0])
    assert api_client.get(url).data["opened"] is False
