"""The red flags through the API: same scope and filters as the page, read only."""

import pytest

from tests.eprocurement.factories_ocds import award, evaluate, open_bids, sibling_package
from tests.eprocurement.factories_packages import tender_world

pytestmark = pytest.mark.django_db
URL = "/api/eprocurement/red-flags/"


def near_hps_world(region):
    world = tender_world(region, phase="evaluation")
    bids = open_bids(world, ["945000000", "948000000"])
    for bid in bids:
        evaluate(bid)
    award(world, bids[0])
    return world


def test_an_auditor_lists_the_flagged_packages_of_the_region(api_client, kab_kupang, kota_kupang, make_member):
    world, elsewhere = near_hps_world(kab_kupang), near_hps_world(kota_kupang)
    sibling_package(world, ["850000000", "900000000"])  # no flag
    api_client.force_authenticate(make_member(world.agency, "auditor"))

    response = api_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["code"] == world.package.code and row["region"] == kab_kupang.name
    assert row["winner"] == world.vendors[0].name and row["award_value"] == "945000000.00"
    assert row["red_flags"] == [
        {
            "key": "price_near_hps",
            "label": "Winning price close to the HPS",
            "explanation": "The winning price is above 99% of the owner's estimate (HPS).",
        }
    ]
    assert elsewhere.package.code not in response.content.decode()


def test_filter_by_flag_and_one_package(api_client, kab_kupang, make_member):
    world = near_hps_world(kab_kupang)
    single = sibling_package(world, ["900000000"])
    clean = sibling_package(world, ["850000000", "900000000"])
    api_client.force_authenticate(make_member(world.agency, "lpse_admin"))

    listed = api_client.get(URL, {"flag": "single_bid"}).json()["results"]
    assert [row["code"] for row in listed] == [single.code]
    assert api_client.get(f"{URL}{clean.pk}/").json()["red_flags"] == []
    assert [f["key"] for f in api_client.get(f"{URL}{single.pk}/").json()["red_flags"]] == ["single_bid"]


def test_outside_the_reach_is_404_and_other_roles_403(api_client, kab_kupang, kota_kupang, make_member):
    world, elsewhere = near_hps_world(kab_kupang), near_hps_world(kota_kupang)
    api_client.force_authenticate(make_member(world.agency, "auditor"))
    assert api_client.get(f"{URL}{elsewhere.package.pk}/").status_code == 404

    api_client.force_authenticate(make_member(world.agency, "ppk"))
    assert api_client.get(URL).status_code == 403
    api_client.force_authenticate(None)
    assert api_client.get(URL).status_code in (401, 403)


def test_no_write_method(api_client, kab_kupang, make_member):
    world = near_hps_world(kab_kupang)
    api_client.force_authenticate(make_member(world.agency, "auditor"))

    assert api_client.post(URL, {}).status_code == 405
    assert api_client.delete(f"{URL}{world.package.pk}/").status_code == 405


def test_the_list_runs_a_constant_number_of_queries(api_client, kab_kupang, make_member, django_assert_num_queries):
    world = near_hps_world(kab_kupang)
    api_client.force_authenticate(make_member(world.agency, "auditor"))
    api_client.get(URL)

    # count, the page of annotated packages with award and winner (the reach is cached on
    # the authenticated user object the test client reuses)
    with django_assert_num_queries(2):
        assert api_client.get(URL).json()["count"] == 1
    for _ in range(4):
        sibling_package(world, ["900000000"])
    with django_assert_num_queries(2):
        assert api_client.get(URL).json()["count"] == 5


def test_the_endpoint_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()

    assert "/api/eprocurement/red-flags/" in schema and "red_flags" in schema
