"""The plan list's agency filter is a choice among the agencies whose plan items the person
may read, never another region's."""

import pytest
from django.urls import reverse

from tests.eplanning.factories import PlanItemFactory
from tests.eplanning.plans_support import given_item, given_region_staff
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(kab_kupang, kota_kupang, make_member):
    # given two regions, each with a Kominfo item, and Kab. Kupang's PUPR with one too
    kab = given_region_staff(kab_kupang, make_member)
    kab.pupr = AgencyFactory(region=kab_kupang, code="PUPR", name="Dinas PUPR")
    kota = given_region_staff(kota_kupang, make_member, ceiling=None)
    kab.item, kota.item = given_item(kab), given_item(kota)
    kab.pupr_item = PlanItemFactory(agency=kab.pupr, fiscal_year=kab.year)
    return kab, kota


def _options(response) -> set[int]:
    return {agency.pk for agency in response.context["agencies"]}


def _option_html(agency) -> str:
    return f'<option value="{agency.pk}"'


def test_a_planner_chooses_among_own_agency_only(client, regions):
    kab, kota = regions
    client.force_login(kab.planner)
    response = client.get(reverse("eplanning:plan_list"))
    assert _options(response) == {kab.agency.pk}
    assert 'data-test="agency-filter"' in response.text
    assert _option_html(kota.agency) not in response.text


def test_bappeda_chooses_among_its_regions_agencies(client, regions):
    kab, kota = regions
    client.force_login(kab.verifier)
    response = client.get(reverse("eplanning:plan_list"))
    assert _options(response) == {kab.agency.pk, kab.pupr.pk}
    assert _option_html(kota.agency) not in response.text


def test_province_coordinator_sees_the_regencies_agencies_grouped(client, regions, province, make_member):
    kab, kota = regions
    coordinator = make_member(AgencyFactory(region=province), "plan_verifier", scope="province")
    client.force_login(coordinator)
    response = client.get(reverse("eplanning:plan_list"))
    assert _options(response) == {kab.agency.pk, kab.pupr.pk, kota.agency.pk}
    assert f'<optgroup label="{kab.agency.region.name}">' in response.text


def test_choosing_an_agency_filters_and_stays_selected(client, regions):
    kab, _ = regions
    client.force_login(kab.verifier)
    response = client.get(reverse("eplanning:plan_list"), {"agency": kab.pupr.pk})
    assert [item.pk for item in response.context["page"]] == [kab.pupr_item.pk]
    assert f"{_option_html(kab.pupr)} selected>" in response.text


def test_another_regions_agency_in_the_address_shows_nothing(client, regions):
    kab, kota = regions
    client.force_login(kab.verifier)
    response = client.get(reverse("eplanning:plan_list"), {"agency": kota.agency.pk})
    assert list(response.context["page"]) == []
