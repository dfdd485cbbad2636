"""A vendor's own tenders: only those its companies asked about or bid on, never another
vendor's; and the public nav item."""

import pytest
from django.urls import reverse

from eprocurement.choices import BidStatus
from eprocurement.models import Bid
from eprocurement.services.tender_site import question_ask
from tests.eprocurement.factories_packages import tender_world

MINE = reverse("eprocurement:tender_mine")


@pytest.fixture
def world(kab_kupang):
    return tender_world(kab_kupang, phase="explanation")


def test_my_tenders_lists_what_my_company_asked_about_or_bid_on(client, world, kota_kupang):
    mine = world.vendors[0]
    bidding = tender_world(kota_kupang, phase="bidding")
    Bid.objects.create(package=bidding.package, vendor=mine, status=BidStatus.SUBMITTED, sealed_price="x")
    question_ask(package=world.package, vendor=mine, actor=mine.owner, text="Pertanyaan saya")
    question_ask(package=world.package, vendor=world.vendors[1], actor=world.vendors[1].owner, text="Bukan saya")
    client.force_login(mine.owner)
    body = client.get(MINE).content.decode()
    assert body.count('data-test="my-tender-row"') == 2
    assert world.package.name in body and bidding.package.name in body
    assert reverse("portal:notifications") in body and reverse("eprocurement:tender_subscriptions") in body


def test_another_vendor_sees_nothing_of_mine(client, world):
    mine = world.vendors[0]
    Bid.objects.create(package=world.package, vendor=mine, status=BidStatus.DRAFT)
    client.force_login(world.vendors[1].owner)
    assert 'data-test="my-tender-row"' not in client.get(MINE).content.decode()


def test_my_tenders_reads_a_constant_number_of_queries(client, world, kota_kupang, django_assert_num_queries):
    # Queries (6): the session's user; the memberships (reach); the page's count; its rows
    # (own bid state, question count, stage now and deadline as subqueries); the unread
    # notifications and the memberships for the menu (base.html). None per row.
    mine = world.vendors[0]
    client.force_login(mine.owner)
    client.get(MINE)
    question_ask(package=world.package, vendor=mine, actor=mine.owner, text="Satu")
    with django_assert_num_queries(6):
        client.get(MINE)
    other = tender_world(kota_kupang, phase="bidding")
    Bid.objects.create(package=other.package, vendor=mine, status=BidStatus.DRAFT)
    with django_assert_num_queries(6):
        assert client.get(MINE).content.decode().count('data-test="my-tender-row"') == 2


def test_my_tenders_needs_a_login(client):
    assert client.get(MINE).status_code == 302


def test_tenders_are_in_the_public_menu(client, world):
    assert f'href="{reverse("eprocurement:tender_list")}"' in client.get(reverse("portal:home")).content.decode()
