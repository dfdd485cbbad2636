"""Each red flag raised when its pattern is there, and not when it is not."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from eprocurement.choices import BidStatus, PackageStatus
from eprocurement.models import Award, Bid, Package
from eprocurement.selectors.redflags import package_red_flags
from tests.eprocurement.factories_ocds import award, evaluate, open_bids
from tests.eprocurement.factories_packages import PackageFactory, tender_world
from tests.eprocurement.factories_vendors import VendorFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def flags(world) -> set[str]:
    return {flag.key for flag in package_red_flags(world.package)}


def opened_world(region, prices, *, failed=()):
    """An opened package with bids at ``prices``; the bids at the ``failed`` positions
    failed the evaluation."""
    world = tender_world(region, phase="evaluation")
    world.bids = open_bids(world, prices)
    for index, bid in enumerate(world.bids):
        evaluate(bid, passed=index not in failed)
    return world


def test_an_ordinary_tender_raises_no_flag(kab_kupang):
    world = opened_world(kab_kupang, ["850000000", "870000000", "900000000"])
    award(world, world.bids[0])

    assert flags(world) == set()


def test_short_bid_submission_window(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    stage = world.package.stages.get(stage="bid_submission")
    stage.starts_at = stage.ends_at - 2 * DAY
    stage.save(update_fields=["starts_at"])

    assert flags(world) == {"short_bid_period"}


def test_short_time_from_announcement_to_deadline(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    deadline = world.package.stages.get(stage="bid_submission").ends_at
    world.package.announced_at = deadline - 6 * DAY
    world.package.save(update_fields=["announced_at"])

    assert flags(world) == {"short_bid_period"}


@override_settings(PROCUREMENT_MIN_BID_DAYS=8)
def test_the_minimum_bid_period_is_a_setting(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")  # a window of 7 days

    assert flags(world) == {"short_bid_period"}


def test_single_bid(kab_kupang):
    world = opened_world(kab_kupang, ["900000000"])

    assert flags(world) == {"single_bid"}


def test_a_second_bid_submitted_but_not_opened_does_not_count(kab_kupang):
    world = opened_world(kab_kupang, ["900000000"])
    Bid.objects.create(package=world.package, vendor=world.vendors[1], status=BidStatus.WITHDRAWN)

    assert "single_bid" in flags(world)


def test_identical_bid_prices(kab_kupang):
    world = opened_world(kab_kupang, ["900000000.50", "910000000", "900000000.50"])

    assert flags(world) == {"identical_prices"}


def test_close_but_different_prices_are_not_identical(kab_kupang):
    world = opened_world(kab_kupang, ["900000000.50", "900000000.51"])

    assert "identical_prices" not in flags(world)


def test_lowest_bid_disqualified(kab_kupang):
    world = opened_world(kab_kupang, ["910000000", "850000000", "900000000"], failed={1})

    assert flags(world) == {"lowest_disqualified"}


def test_a_higher_bid_disqualified_is_no_flag(kab_kupang):
    world = opened_world(kab_kupang, ["850000000", "910000000", "900000000"], failed={1})

    assert "lowest_disqualified" not in flags(world)


def test_all_but_the_winner_disqualified(kab_kupang):
    world = opened_world(kab_kupang, ["850000000", "910000000", "900000000"], failed={0, 2})
    award(world, world.bids[1])

    assert flags(world) == {"lowest_disqualified", "all_but_winner_disqualified"}


def test_one_other_bid_passing_is_no_flag(kab_kupang):
    world = opened_world(kab_kupang, ["850000000", "910000000", "900000000"], failed={0})
    award(world, world.bids[2])

    assert "all_but_winner_disqualified" not in flags(world)


def test_winning_price_above_99_percent_of_hps(kab_kupang):
    world = opened_world(kab_kupang, ["945000000", "948000000"])  # HPS 950,000,000: 99.47 %
    award(world, world.bids[0])

    assert flags(world) == {"price_near_hps"}


def test_winning_price_of_exactly_99_percent_is_no_flag(kab_kupang):
    world = opened_world(kab_kupang, ["940500000", "948000000"])  # exactly 99 %
    award(world, world.bids[0])

    assert "price_near_hps" not in flags(world)


def won_packages(world, vendor, count):
    """``count`` more packages of the world's agency and year awarded to ``vendor``."""
    for _ in range(count):
        package = PackageFactory(
            agency=world.agency,
            fiscal_year=world.year,
            status=PackageStatus.AWARDED,
            code=f"X{Package.objects.count() + 1:08d}",
        )
        bid = Bid.objects.create(package=package, vendor=vendor, status=BidStatus.SUBMITTED, opened_price=Decimal("1"))
        Award.objects.create(
            package=package,
            bid=bid,
            vendor=vendor,
            value=Decimal("800000000"),
            decided_by=world.ppk,
            decided_at=world.now,
        )


def test_same_winner_many_times_in_one_agency_and_year(kab_kupang):
    world = opened_world(kab_kupang, ["850000000", "900000000"])
    award(world, world.bids[0])
    won_packages(world, world.vendors[0], 2)

    assert flags(world) == {"repeat_winner"}


def test_wins_elsewhere_or_by_others_do_not_count(kab_kupang, kota_kupang):
    world = opened_world(kab_kupang, ["850000000", "900000000"])
    award(world, world.bids[0])
    won_packages(world, world.vendors[0], 1)
    won_packages(world, VendorFactory(status="verified"), 3)
    elsewhere = tender_world(kota_kupang, phase="evaluation")
    won_packages(elsewhere, world.vendors[0], 3)

    assert "repeat_winner" not in flags(world)
