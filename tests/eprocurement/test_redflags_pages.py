"""The red-flag list for auditors: who may read it, its scope, filters, CSV, fragment, and
a constant number of queries."""

import csv
import io

import pytest
from django.urls import reverse

from tests.eprocurement.factories_ocds import award, evaluate, open_bids, sibling_package
from tests.eprocurement.factories_packages import tender_world

pytestmark = pytest.mark.django_db
LIST = "/pengadaan/red-flags/"


def single_bid_world(region):
    world = tender_world(region, phase="evaluation")
    world.bids = open_bids(world, ["900000000"])
    return world


def near_hps_world(region):
    world = tender_world(region, phase="evaluation")
    bids = open_bids(world, ["945000000", "948000000"])
    for bid in bids:
        evaluate(bid)
    award(world, bids[0])
    return world


def codes(response) -> list[str]:
    return [package.code for package in response.context["page"]]


def test_the_url_is_stable():
    assert reverse("eprocurement:redflag_list") == LIST


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(LIST)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["planner", "ppk", "budget_officer"])
def test_other_roles_may_not_read_it(client, kab_kupang, make_member, role):
    world = single_bid_world(kab_kupang)
    client.force_login(make_member(world.agency, role))

    assert client.get(LIST).status_code == 403
    assert client.get(reverse("eprocurement:redflag_export")).status_code == 403


def test_an_auditor_sees_the_flagged_packages_of_the_region_only(client, kab_kupang, kota_kupang, make_member):
    here, there = single_bid_world(kab_kupang), single_bid_world(kota_kupang)
    clean = sibling_package(here, ["850000000", "900000000"])
    client.force_login(make_member(here.agency, "auditor"))

    response = client.get(LIST)

    assert response.status_code == 200
    assert codes(response) == [here.package.code]
    assert there.package.code not in response.content.decode()
    assert clean.code not in response.content.decode()


def test_an_lpse_admin_reads_it_too(client, kab_kupang, make_member):
    world = single_bid_world(kab_kupang)
    client.force_login(make_member(world.agency, "lpse_admin"))

    assert codes(client.get(LIST)) == [world.package.code]


def test_a_province_auditor_reads_the_regencies(client, province, kab_kupang, kota_kupang, make_member):
    from tests.factories import AgencyFactory

    inspectorate = AgencyFactory(region=province, code="INSPEKTORAT", name="Inspektorat Provinsi")
    first, second = single_bid_world(kab_kupang), single_bid_world(kota_kupang)
    client.force_login(make_member(inspectorate, "auditor", scope="province"))

    assert sorted(codes(client.get(LIST))) == sorted([first.package.code, second.package.code])
    assert codes(client.get(LIST, {"region": kota_kupang.pk})) == [second.package.code]


def test_each_flag_is_shown_with_its_explanation(client, english, kab_kupang, make_member):
    world = near_hps_world(kab_kupang)
    client.force_login(make_member(world.agency, "auditor"))

    body = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'data-flag="price_near_hps"' in body
    assert "The winning price is above 99% of the owner&#x27;s estimate (HPS)." in body


def test_filter_by_flag(client, kab_kupang, kota_kupang, make_member):
    from tests.factories import AgencyFactory

    single, near = single_bid_world(kab_kupang), near_hps_world(kota_kupang)
    admin_agency = AgencyFactory(region=kab_kupang.parent, code="UKPBJ", name="Biro Pengadaan")
    client.force_login(make_member(admin_agency, "auditor", scope="province"))

    assert codes(client.get(LIST, {"flag": "price_near_hps"})) == [near.package.code]
    assert codes(client.get(LIST, {"flag": "single_bid"})) == [single.package.code]
    assert sorted(codes(client.get(LIST, {"flag": "unknown"}))) == sorted([single.package.code, near.package.code])


def test_csv_export(client, english, kab_kupang, make_member):
    world = near_hps_world(kab_kupang)
    world.package.name = "=HYPERLINK(1)"
    world.package.save(update_fields=["name"])
    client.force_login(make_member(world.agency, "auditor"))

    response = client.get(reverse("eprocurement:redflag_export"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Tender code"
    assert rows[1][0] == world.package.code and rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][-1] == "Winning price close to the HPS" and rows[1][-2] == "945000000.00"


def test_the_package_fragment(client, kab_kupang, kota_kupang, make_member):
    world = single_bid_world(kab_kupang)
    auditor = make_member(world.agency, "auditor")
    client.force_login(auditor)

    response = client.get(reverse("eprocurement:redflag_package", args=[world.package.pk]))

    assert response.status_code == 200 and 'data-flag="single_bid"' in response.content.decode()
    elsewhere = single_bid_world(kota_kupang)
    assert client.get(reverse("eprocurement:redflag_package", args=[elsewhere.package.pk])).status_code == 404


def test_the_list_runs_a_constant_number_of_queries(client, kab_kupang, make_member, django_assert_num_queries):
    world = single_bid_world(kab_kupang)
    sibling_package(world, ["900000000", "900000000"])
    client.force_login(make_member(world.agency, "auditor"))
    client.get(LIST)  # warm the session

    # user, memberships (reach), count, the page of annotated packages, the base page's
    # unread notifications and memberships, the regions of the filter
    with django_assert_num_queries(7):
        assert len(client.get(LIST).context["page"]) == 2
    for _ in range(3):
        sibling_package(world, ["900000000"])
        sibling_package(world, ["800000000", "800000000", "850000000"])
    with django_assert_num_queries(7):
        assert len(client.get(LIST).context["page"]) == 8
