"""The bid pages: a vendor seals a price and documents and submits with the form's key;
receipts and "my bids"; the deadline on a page POST; the pokja's opening page."""

import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eprocurement.models import Bid, BidReceipt, OpeningRecord
from eprocurement.services.bids import new_submit_token
from eprocurement.services.opening import opening_confirm
from tests.eprocurement.factories_bids import (  # noqa: F401
    CANARY_PRICE,
    CANARY_TEXT,
    another_package,
    bid_media,
    draft_bid,
    sealing_key,
    submitted_bid,
    upload,
)
from tests.eprocurement.factories_packages import schedule_around, set_schedule, tender_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sealing_key", "bid_media")]


@pytest.fixture
def world(kab_kupang):
    return tender_world(kab_kupang, phase="bidding")


def _page(world):
    return reverse("eprocurement:bid_page", args=[world.package.pk])


def test_a_vendor_bids_through_the_page(client, world):
    vendor = world.vendors[0]
    client.force_login(vendor.owner)
    assert 'data-test="deadline"' in client.get(_page(world)).content.decode()
    client.post(_page(world), {"action": "price", "vendor": vendor.pk, "price": CANARY_PRICE, "validity_days": 60})
    assert 'name="token"' in client.get(_page(world)).content.decode()
    bid = Bid.objects.get(vendor=vendor)
    client.post(_page(world), {"action": "document", "vendor": vendor.pk, "kind": "technical", "file": upload()})
    token = new_submit_token()
    answer = client.post(_page(world), {"action": "submit", "vendor": vendor.pk, "token": token})
    assert answer.status_code == 302 and answer.url == reverse("eprocurement:bid_receipt", args=[bid.pk])
    bid.refresh_from_db()
    assert bid.status == "submitted" and bid.documents.count() == 1
    receipt_page = client.get(answer.url).content.decode()
    assert bid.receipt_sha256 in receipt_page and CANARY_PRICE not in receipt_page


def test_a_double_submit_from_the_page_gives_one_receipt(client, world):
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    client.force_login(vendor.owner)
    token = new_submit_token()
    for _ in range(2):
        client.post(_page(world), {"action": "submit", "vendor": vendor.pk, "token": token})
    assert BidReceipt.objects.filter(bid=bid).count() == 1


def test_the_page_refuses_a_submit_after_the_deadline(client, english, world):
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    client.force_login(vendor.owner)
    answer = client.post(_page(world), {"action": "submit", "vendor": vendor.pk, "token": new_submit_token()})
    assert answer.status_code == 200 and "deadline has passed" in answer.content.decode()
    bid.refresh_from_db()
    assert bid.status == "draft" and not bid.receipts.exists()
    assert 'data-test="closed"' in client.get(_page(world)).content.decode()


def test_a_bad_price_shows_an_error_and_changes_nothing(client, world):
    vendor = world.vendors[0]
    client.force_login(vendor.owner)
    answer = client.post(_page(world), {"action": "price", "vendor": vendor.pk, "price": "-1", "validity_days": 60})
    assert answer.status_code == 200 and 'class="errorlist' in answer.content.decode()
    assert not Bid.objects.exists()


def test_a_vendor_downloads_its_own_document_unsealed(client, world):
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    client.force_login(vendor.owner)
    answer = client.get(reverse("eprocurement:bid_document", args=[bid.documents.get().pk]))
    assert answer.content == b"%PDF-1.4\n" + CANARY_TEXT
    assert 'filename="penawaran-teknis.pdf"' in answer["Content-Disposition"]
    assert answer["Cache-Control"] == "private, no-store"


def test_another_vendor_cannot_see_or_change_a_bid(client, world):
    bid, _ = submitted_bid(world.package, world.vendors[0])
    document = bid.documents.get()
    client.force_login(world.vendors[1].owner)
    for url in (
        reverse("eprocurement:bid_receipt", args=[bid.pk]),
        reverse("eprocurement:bid_receipt_json", args=[bid.pk]),
        reverse("eprocurement:bid_document", args=[document.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("eprocurement:bid_withdraw", args=[bid.pk])).status_code == 404
    assert client.post(reverse("eprocurement:bid_document_remove", args=[document.pk])).status_code == 404
    bid.refresh_from_db()
    assert bid.status == "submitted" and bid.documents.count() == 1


def test_the_receipt_json_is_the_hashed_text(client, world):
    bid, receipt = submitted_bid(world.package, world.vendors[0])
    client.force_login(world.vendors[0].owner)
    answer = client.get(reverse("eprocurement:bid_receipt_json", args=[bid.pk]))
    assert hashlib.sha256(answer.content).hexdigest() == receipt.sha256 == bid.receipt_sha256
    assert json.loads(answer.content)["bid"] == bid.pk


def test_a_replaced_bid_lists_the_old_receipt_as_superseded(client, world):
    vendor = world.vendors[0]
    bid, first = submitted_bid(world.package, vendor)
    client.force_login(vendor.owner)
    client.post(_page(world), {"action": "price", "vendor": vendor.pk, "price": "5000", "validity_days": 30})
    client.post(_page(world), {"action": "submit", "vendor": vendor.pk, "token": new_submit_token()})
    page = client.get(reverse("eprocurement:bid_receipt", args=[bid.pk])).content.decode()
    assert 'data-test="receipt-superseded"' in page and first.sha256 in page
    assert 'data-test="receipt-current"' in page


def test_withdraw_from_the_page(client, world):
    bid, _ = submitted_bid(world.package, world.vendors[0])
    client.force_login(world.vendors[0].owner)
    client.post(reverse("eprocurement:bid_withdraw", args=[bid.pk]))
    bid.refresh_from_db()
    assert bid.status == "withdrawn"


def test_my_bids_runs_a_constant_number_of_queries(client, kab_kupang, django_assert_num_queries):
    world = tender_world(kab_kupang, phase="bidding", vendors=1)
    vendor = world.vendors[0]
    submitted_bid(world.package, vendor)
    client.force_login(vendor.owner)
    url = reverse("eprocurement:bid_mine")
    client.get(url)
    # session, user, reach for the navigation, the bids (with package, vendor and the
    # document count), their receipts: the same for 1 bid as for 3.
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(2):
        submitted_bid(another_package(world), vendor)
    with django_assert_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert page.count("/tanda-terima/") == 3


@pytest.fixture
def opening_world(world):
    submitted_bid(world.package, world.vendors[0])
    submitted_bid(world.package, world.vendors[1], price="990000000", content=b"second")
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    return world


def test_the_pokja_opens_on_the_opening_page(client, opening_world, activate_totp):
    world = opening_world
    url = reverse("eprocurement:opening_page", args=[world.package.pk])
    confirm = reverse("eprocurement:opening_confirm", args=[world.package.pk])
    for member in world.pokja[:2]:
        activate_totp(member)
        client.force_login(member)
        before = client.get(url).content.decode()
        assert 'data-test="bid-count">2<' in before and CANARY_PRICE not in before
        client.post(confirm)
    page = client.get(url).content.decode()
    record = OpeningRecord.objects.get(package=world.package)
    assert record.sha256 in page and world.vendors[0].name in page
    download = client.get(reverse("eprocurement:opening_record", args=[world.package.pk]))
    assert download.content.decode() == record.content


def _opened(world, package, bids: int):
    for vendor in world.vendors[:bids]:
        submitted_bid(package, vendor, price="1000", content=b"doc %d" % vendor.pk)
    set_schedule(package, schedule_around(timezone.now(), "opening"))
    for member in world.pokja[:2]:
        opening_confirm(package=package, actor=member)


def test_the_opening_page_runs_a_constant_number_of_queries(client, world, activate_totp, django_assert_num_queries):
    activate_totp(world.pokja[0])
    client.force_login(world.pokja[0])
    counts = []
    for bids in (2, 3):
        package = another_package(world)
        _opened(world, package, bids)
        url = reverse("eprocurement:opening_page", args=[package.pk])
        client.get(url)
        # session, user, reach, TOTP, package (with stages), record, is-pokja, bids with
        # vendors, their documents, count, confirmations: none per bid.
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        assert page.count("<tr>") == bids + 1
        counts.append(len(captured))
    with django_assert_num_queries(counts[0]):
        client.get(url)


def test_the_opening_record_is_not_there_before_opening(client, opening_world, activate_totp):
    member = opening_world.pokja[0]
    activate_totp(member)
    client.force_login(member)
    assert client.get(reverse("eprocurement:opening_record", args=[opening_world.package.pk])).status_code == 404


def test_a_vendor_cannot_reach_the_opening_page(client, opening_world):
    client.force_login(opening_world.vendors[0].owner)
    url = reverse("eprocurement:opening_page", args=[opening_world.package.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("eprocurement:opening_confirm", args=[opening_world.package.pk])).status_code == 404


def test_a_large_upload_never_touches_a_temporary_file(client, world, settings, tmp_path):
    # Django would spool this 3 MB upload to FILE_UPLOAD_TEMP_DIR; that folder does not
    # exist, so the request would fail if the plaintext went anywhere but memory.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "missing")
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    client.force_login(vendor.owner)
    big = upload(b"x" * (3 * 1024 * 1024), name="besar.pdf")
    answer = client.post(_page(world), {"action": "document", "vendor": vendor.pk, "kind": "price", "file": big})
    assert answer.status_code == 302 and bid.documents.count() == 2


def test_a_file_over_the_limit_is_refused_while_it_streams_in(client, english, world, monkeypatch):
    monkeypatch.setattr("eprocurement.forms.bids.MAX_DOCUMENT_BYTES", 1000)
    vendor = world.vendors[0]
    bid = draft_bid(world.package, vendor)
    client.force_login(vendor.owner)
    big = upload(b"x" * 5000, name="besar.pdf")
    answer = client.post(_page(world), {"action": "document", "vendor": vendor.pk, "kind": "price", "file": big})
    assert answer.status_code == 200 and "larger than 20 MB" in answer.content.decode()
    assert bid.documents.count() == 1


def test_the_bid_form_is_protected_against_cross_site_posts(world):
    from django.test import Client

    vendor = world.vendors[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor.owner)
    answer = client.post(_page(world), {"action": "price", "vendor": vendor.pk, "price": "5", "validity_days": 5})
    assert answer.status_code == 403 and not Bid.objects.exists()


def test_the_page_says_why_a_vendor_cannot_bid(client, world):
    from tests.eprocurement.factories_vendors import VendorFactory

    large = VendorFactory(status="verified", is_small_business=False)
    client.force_login(large.owner)
    page = client.get(_page(world)).content.decode()
    assert 'data-test="refusal"' in page
