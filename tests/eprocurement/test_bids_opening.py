"""Opening: the opening time passed on the server clock AND two of the three pokja
members confirming; the record lists every opened bid with its hashes."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from eprocurement import sealing
from eprocurement.models import Bid, OpeningConfirmation, OpeningRecord
from eprocurement.selectors.bids import openings_work
from eprocurement.services import bids as bid_services
from eprocurement.services.opening import opening_confirm, unsealed_document
from portal.models import AuditEntry, Notification
from portal.scoping import reach_of
from portal.services import DomainError
from tests.eprocurement.factories_bids import (  # noqa: F401
    CANARY_PRICE,
    CANARY_TEXT,
    bid_media,
    draft_bid,
    sealing_key,
    submitted_bid,
)
from tests.eprocurement.factories_packages import schedule_around, set_schedule, tender_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sealing_key", "bid_media")]


@pytest.fixture
def world(kab_kupang):
    """Two submitted bids and a draft, then the deadline and the opening time passed."""
    world = tender_world(kab_kupang, phase="bidding")
    world.first, _ = submitted_bid(world.package, world.vendors[0], price=CANARY_PRICE)
    world.second, _ = submitted_bid(world.package, world.vendors[1], price="990000000", content=b"second")
    world.draft = draft_bid(world.package, world.vendors[2], price="5")
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    return world


def test_one_confirmation_is_not_enough(world):
    result = opening_confirm(package=world.package, actor=world.pokja[0])
    assert (result.confirmations, result.opened) == (1, False)
    world.package.refresh_from_db()
    assert world.package.status == "announced"
    assert not Bid.objects.filter(opened_price__isnull=False).exists()


def test_the_same_member_twice_counts_once(world):
    opening_confirm(package=world.package, actor=world.pokja[0])
    again = opening_confirm(package=world.package, actor=world.pokja[0])
    assert (again.confirmations, again.opened, again.already_confirmed) == (1, False, True)
    assert OpeningConfirmation.objects.filter(package=world.package).count() == 1


def test_someone_outside_the_pokja_cannot_confirm(world):
    for outsider in (world.ppk, world.vendors[0].owner):
        with pytest.raises(PermissionDenied):
            opening_confirm(package=world.package, actor=outsider)
    assert not OpeningConfirmation.objects.exists()


def test_opening_waits_for_the_opening_time(kab_kupang):
    world = tender_world(kab_kupang, phase="bidding")
    submitted_bid(world.package, world.vendors[0])
    with pytest.raises(DomainError, match="can be opened from"):
        opening_confirm(package=world.package, actor=world.pokja[0])
    assert not OpeningConfirmation.objects.exists()


def test_a_package_without_submitted_bids_cannot_open(kab_kupang):
    world = tender_world(kab_kupang, phase="opening")
    with pytest.raises(DomainError, match="No bid was submitted"):
        opening_confirm(package=world.package, actor=world.pokja[0])


def test_two_distinct_members_open_every_submitted_bid(world):
    opening_confirm(package=world.package, actor=world.pokja[0])
    result = opening_confirm(package=world.package, actor=world.pokja[2])
    assert result.opened
    world.package.refresh_from_db()
    assert world.package.status == "opened"
    prices = dict(Bid.objects.filter(opened_at__isnull=False).values_list("pk", "opened_price"))
    assert prices == {world.first.pk: Decimal(CANARY_PRICE), world.second.pk: Decimal("990000000.00")}
    assert Bid.objects.get(pk=world.draft.pk).opened_price is None


def test_the_opening_record_lists_every_bid_with_its_hashes(world):
    opening_confirm(package=world.package, actor=world.pokja[0])
    opening_confirm(package=world.package, actor=world.pokja[1])
    record = OpeningRecord.objects.get(package=world.package)
    content = json.loads(record.content)
    assert record.sha256 == sealing.sha256_hex(record.content.encode()) and record.bid_count == 2
    by_bid = {row["bid"]: row for row in content["bids"]}
    first = by_bid[world.first.pk]
    assert first["price"] == CANARY_PRICE and first["vendor"]["name"] == world.vendors[0].name
    assert first["price_record_sha256"] == world.first.price_sha256
    assert [d["sha256"] for d in first["documents"]] == [world.first.documents.get().sha256]
    assert len(content["confirmed_by"]) == 2 and world.draft.pk not in by_bid


def test_opening_is_audited_and_the_bidders_told(world):
    opening_confirm(package=world.package, actor=world.pokja[0])
    opening_confirm(package=world.package, actor=world.pokja[1])
    entry = AuditEntry.objects.get(object_type="eprocurement.package", new_status="opened")
    assert entry.actor == world.pokja[1]
    told = set(Notification.objects.filter(kind="eprocurement.bids_opened").values_list("recipient", flat=True))
    assert told == {world.vendors[0].owner_id, world.vendors[1].owner_id}


def test_an_opened_package_does_not_open_again(world):
    opening_confirm(package=world.package, actor=world.pokja[0])
    opening_confirm(package=world.package, actor=world.pokja[1])
    with pytest.raises(DomainError, match="already open"):
        opening_confirm(package=world.package, actor=world.pokja[2])


def test_a_document_unseals_to_its_original_name_and_content(world):
    name, content = unsealed_document(world.first.documents.get())
    assert (name, content) == ("penawaran-teknis.pdf", b"%PDF-1.4\n" + CANARY_TEXT)


def test_a_tampered_price_stops_the_opening(world):
    Bid.objects.filter(pk=world.second.pk).update(sealed_price=world.first.sealed_price)
    opening_confirm(package=world.package, actor=world.pokja[0])
    with pytest.raises(sealing.SealBroken):
        opening_confirm(package=world.package, actor=world.pokja[1])
    assert not Bid.objects.filter(opened_price__isnull=False).exists()


def test_nothing_changes_a_bid_after_opening(world):
    opening_confirm(package=world.package, actor=world.pokja[0])
    opening_confirm(package=world.package, actor=world.pokja[1])
    vendor = world.vendors[0]
    with pytest.raises(DomainError):
        bid_services.bid_save_price(package=world.package, vendor=vendor, actor=vendor.owner, price=1, validity_days=9)


def test_pokja_members_see_openings_waiting_for_them(world, django_assert_num_queries):
    member = world.pokja[0]
    reach_of(member)  # read once per request for the menu too
    with django_assert_num_queries(1):
        items = openings_work(member)
    assert [item.url for item in items] == [reverse("eprocurement:opening_page", args=[world.package.pk])]
    assert openings_work(world.ppk) == [] and openings_work(world.vendors[0].owner) == []
    opening_confirm(package=world.package, actor=member)
    assert openings_work(member) == [] and len(openings_work(world.pokja[1])) == 1


def test_nothing_waits_before_the_deadline(kab_kupang):
    world = tender_world(kab_kupang, phase="bidding")
    submitted_bid(world.package, world.vendors[0])
    assert openings_work(world.pokja[0]) == []
