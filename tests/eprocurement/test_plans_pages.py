"""RUP pages: the agency's list, the form with funding rows, the detail with its actions,
and the public list; each scoped."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ebudgeting.models import BudgetLine
from eprocurement.choices import PlanItemStatus
from eprocurement.models import ProcurementPlanItem
from eprocurement.services.plans import plan_item_announce, plan_item_create
from tests.eprocurement.factories_plans import PlanItemFactory, fundings, item_data, rup_world


@pytest.fixture
def world(kab_kupang):
    return rup_world(kab_kupang)


@pytest.fixture
def other(kota_kupang):
    return rup_world(kota_kupang)


def drafted(world, amount="150000000", **data):
    return plan_item_create(
        agency=world.agency,
        fiscal_year=world.year,
        data=item_data(**data),
        fundings=fundings((world.lines[0], amount)),
        actor=world.ppk,
    )


def form_post(world, **overrides):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in item_data().items()}
    data |= {"agency": world.agency.pk, "fiscal_year": world.year.pk}
    data |= {"fund_line": [world.lines[0].pk, world.lines[1].pk], "fund_amount": ["100000000", "50000000"]}
    data.update(overrides)
    return data


def test_the_list_shows_only_the_agencys_items(client, world, other):
    mine, theirs = drafted(world, name="Laptop Kab"), drafted(other, name="Laptop Kota")
    client.force_login(world.ppk)
    body = client.get(reverse("eprocurement:rup_list")).content.decode()
    assert mine.name in body and theirs.name not in body


def test_the_list_filters_by_status_kind_method_and_year(client, world):
    announced = plan_item_announce(item=drafted(world, name="Sudah diumumkan"), actor=world.ppk)
    drafted(world, name="Masih konsep")
    client.force_login(world.ppk)
    body = client.get(reverse("eprocurement:rup_list"), {"status": "announced", "year": "2026"}).content.decode()
    assert announced.name in body and "Masih konsep" not in body
    body = client.get(reverse("eprocurement:rup_list"), {"kind": "works"}).content.decode()
    assert announced.name not in body
    body = client.get(reverse("eprocurement:rup_list"), {"method": "pengadaan_langsung"}).content.decode()
    assert announced.name in body


def _rows(world, count):
    for _ in range(count):
        PlanItemFactory(agency=world.agency, fiscal_year=world.year, funded_by=[(world.lines[0], "100")])


def test_the_list_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    # Queries (9): user; memberships and the agency's units (reach); the page's count;
    # "may create" (own agencies); the unread notifications and the memberships for the
    # menu (base.html); the open fiscal years for the filter; the page's rows (agency,
    # region and year joined, fundings counted in the same query) -- no query per row.
    client.force_login(world.ppk)
    client.get(reverse("eprocurement:rup_list"))  # the session is saved once after log-in
    _rows(world, 4)
    with django_assert_num_queries(9):
        client.get(reverse("eprocurement:rup_list"))
    _rows(world, 1)
    with django_assert_num_queries(9):
        assert client.get(reverse("eprocurement:rup_list")).content.decode().count('data-test="rup-row"') == 5


def test_kota_kupang_cannot_read_or_change_a_kab_kupang_item(client, world, other):
    item = drafted(world)
    client.force_login(other.ppk)
    assert client.get(reverse("eprocurement:rup_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("eprocurement:rup_edit", args=[item.pk])).status_code == 404
    response = client.post(reverse("eprocurement:rup_transition", args=[item.pk, "announce"]))
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DRAFT


def test_create_through_the_form(client, world):
    client.force_login(world.ppk)
    response = client.post(reverse("eprocurement:rup_create"), form_post(world))
    item = ProcurementPlanItem.objects.get()
    assert response.status_code == 302 and response.url == reverse("eprocurement:rup_detail", args=[item.pk])
    assert item.value == Decimal("150000000.00") and item.fundings.count() == 2


def test_a_bad_amount_shows_the_error_and_saves_nothing(client, world, settings):
    client.force_login(world.ppk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages speak Bahasa Indonesia first
    response = client.post(
        reverse("eprocurement:rup_create"),
        form_post(world, fund_amount=["100000000", "600000000"]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "is available on" in response.content.decode()
    assert not ProcurementPlanItem.objects.exists()


def test_the_form_offers_only_the_agencys_approved_lines(client, world, other):
    client.force_login(world.ppk)
    body = client.get(reverse("eprocurement:rup_create")).content.decode()
    assert world.lines[0].description in body and other.lines[0].description not in body


def test_htmx_adds_a_funding_row(client, world):
    client.force_login(world.ppk)
    response = client.post(
        reverse("eprocurement:rup_create"), form_post(world, funding_action="add"), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.startswith('<div id="fundings">') and body.count('data-test="funding-row"') == 3
    assert not ProcurementPlanItem.objects.exists()


def test_htmx_removes_a_funding_row(client, world):
    client.force_login(world.ppk)
    response = client.post(
        reverse("eprocurement:rup_create"), form_post(world, funding_action="remove-0"), HTTP_HX_REQUEST="true"
    )
    assert response.content.decode().count('data-test="funding-row"') == 1


def test_a_planner_may_not_open_the_form(client, world, make_member):
    client.force_login(make_member(world.agency, "planner"))
    assert client.get(reverse("eprocurement:rup_create")).status_code == 403


def test_announce_and_cancel_through_the_detail_page(client, world):
    item = drafted(world)
    client.force_login(world.ppk)
    client.post(reverse("eprocurement:rup_transition", args=[item.pk, "announce"]))
    item.refresh_from_db()
    assert item.status == PlanItemStatus.ANNOUNCED
    assert BudgetLine.objects.get(pk=world.lines[0].pk).committed == Decimal("150000000.00")
    body = client.get(reverse("eprocurement:rup_detail", args=[item.pk])).content.decode()
    assert item.rup_code in body and 'data-test="announce"' not in body
    client.post(reverse("eprocurement:rup_transition", args=[item.pk, "cancel"]), {"reason": "Tidak jadi"})
    item.refresh_from_db()
    assert item.status == PlanItemStatus.CANCELLED
    assert BudgetLine.objects.get(pk=world.lines[0].pk).committed == 0


def test_editing_an_announced_item_is_refused(client, world):
    item = plan_item_announce(item=drafted(world), actor=world.ppk)
    client.force_login(world.ppk)
    response = client.post(reverse("eprocurement:rup_edit", args=[item.pk]), form_post(world, name="Diubah"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name != "Diubah"


def test_editing_a_draft(client, world):
    item = drafted(world)
    client.force_login(world.officer)
    assert world.lines[0].description in client.get(reverse("eprocurement:rup_edit", args=[item.pk])).content.decode()
    client.post(reverse("eprocurement:rup_edit", args=[item.pk]), form_post(world, name="Laptop baru"))
    item.refresh_from_db()
    assert item.name == "Laptop baru" and item.value == Decimal("150000000.00")


def test_the_public_list_shows_only_announced_items_without_login(client, world, other):
    announced = plan_item_announce(item=drafted(other, name="Diumumkan Kota"), actor=other.ppk)
    drafted(world, name="Konsep Kab")
    body = client.get(reverse("eprocurement:rup_public_list")).content.decode()
    assert announced.name in body and announced.rup_code in body
    assert "Konsep Kab" not in body


def test_the_public_list_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    # Queries: the page's count, its rows (agency, region and year joined), the open years.
    for n in range(3):
        plan_item_announce(item=drafted(world, amount="1000", name=f"Paket {n}"), actor=world.ppk)
    with django_assert_num_queries(3):
        client.get(reverse("eprocurement:rup_public_list"))
    plan_item_announce(item=drafted(world, amount="1000"), actor=world.ppk)
    with django_assert_num_queries(3):
        assert client.get(reverse("eprocurement:rup_public_list")).content.decode().count("public-rup-row") == 4
