"""Page bugs found by the tender's browser test (tests/e2e/test_tender.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from eprocurement.services.opening import opening_confirm
from tests.eprocurement.factories_awards import awarded, opened_world
from tests.eprocurement.factories_bids import bid_media, sealing_key, submitted_bid  # noqa: F401
from tests.eprocurement.factories_packages import schedule_around, set_schedule, tender_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages speak Bahasa Indonesia first
    return client


def test_a_decided_winner_is_not_called_announced_before_the_announcement(english, kab_kupang):
    """Between the pokja's decision and its announcement the package is AWARDED: the
    public page called that "Winner announced" while it showed no winner."""
    # given a tender whose winner the pokja decided but did not announce yet
    world = opened_world(kab_kupang)
    awarded(world, announce=False)
    # when anyone opens the public tender page
    body = english.get(reverse("eprocurement:tender_detail", args=[world.package.pk])).content.decode()
    # then its status says the winner is decided, not announced, and no result is shown
    assert 'data-test="status">Winner decided<' in body
    assert "Winner announced" not in body
    assert 'data-test="tender-result"' not in body


@pytest.mark.usefixtures("sealing_key", "bid_media")
def test_the_opening_record_shows_prices_with_thousands_separators(english, kab_kupang, activate_totp):
    """The opening page printed the opened prices raw (990000000.00), unlike every other page."""
    world = tender_world(kab_kupang, phase="bidding")
    for vendor, price in zip(world.vendors[:2], ("990000000", "1234567.5"), strict=True):
        submitted_bid(world.package, vendor, price=price, content=vendor.name.encode())
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    for member in world.pokja[:2]:
        opening_confirm(package=world.package, actor=member)
    activate_totp(world.pokja[0])
    english.force_login(world.pokja[0])
    page = english.get(reverse("eprocurement:opening_page", args=[world.package.pk])).content.decode()
    assert "990,000,000.00" in page and "1,234,567.50" in page
