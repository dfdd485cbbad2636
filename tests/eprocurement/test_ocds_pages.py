"""The public open-data URLs: a release, a package's record, releases of a period."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from eprocurement.models import OcdsRelease
from eprocurement.ocds.publish import publish_release
from eprocurement.ocds.schema import errors
from tests.eprocurement.factories_ocds import add_document, award, contract, open_bids, payment
from tests.eprocurement.factories_packages import tender_world

pytestmark = pytest.mark.django_db


def publish_through_the_stages(world) -> list[OcdsRelease]:
    """tender → opened → award → contract → payment, one release each."""
    rows = [publish_release(package_id=world.package.pk, tag="tender")]
    bids = open_bids(world, ["900000000", "910000000"])
    rows.append(publish_release(package_id=world.package.pk, tag="tenderUpdate"))
    made = award(world, bids[0])
    rows.append(publish_release(package_id=world.package.pk, tag="award"))
    signed = contract(world, made)
    rows.append(publish_release(package_id=world.package.pk, tag="contract"))
    payment(world, signed)
    rows.append(publish_release(package_id=world.package.pk, tag="implementation"))
    return rows


def test_a_release_at_its_stable_url(client, kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    row = publish_release(package_id=world.package.pk, tag="tender")

    response = client.get(f"/pengadaan/ocds/releases/{row.release_id}.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == row.data


def test_an_unknown_release_is_404(client, db):
    assert client.get("/pengadaan/ocds/releases/ocds-ntt000-nope-tender-0.json").status_code == 404


def test_the_record_compiles_every_release_and_validates(client, kab_kupang):
    world = tender_world(kab_kupang, phase="evaluation")
    rows = publish_through_the_stages(world)
    ocid = rows[0].ocid

    response = client.get(reverse("eprocurement:ocds_record", args=[ocid]))

    assert response.status_code == 200
    document = response.json()
    assert errors(document, "record-package-schema.json") == []
    (record,) = document["records"]
    assert record["ocid"] == ocid
    assert [r["tag"] for r in record["releases"]] == [
        ["tender"],
        ["tenderUpdate"],
        ["award"],
        ["contract"],
        ["implementation"],
    ]
    assert record["releases"][0]["url"].endswith(f"/pengadaan/ocds/releases/{rows[0].release_id}.json")
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"]["numberOfTenderers"] == 2
    assert compiled["contracts"][0]["implementation"]["transactions"][0]["id"] == "SP2D-0001"
    assert errors(compiled, "release-schema.json") == []


def test_an_unknown_record_is_404(client, db):
    assert client.get(reverse("eprocurement:ocds_record", args=["ocds-ntt000-T0"])).status_code == 404


def test_the_record_of_a_draft_does_not_exist(client, kab_kupang):
    world = tender_world(kab_kupang, phase="draft")
    publish_release(package_id=world.package.pk, tag="tender")

    assert not OcdsRelease.objects.filter(package=world.package).exists()


def test_releases_of_a_period_validate_as_a_release_package(client, kab_kupang):
    world = tender_world(kab_kupang, phase="evaluation")
    publish_through_the_stages(world)
    today = datetime.date.today().isoformat()

    response = client.get(reverse("eprocurement:ocds_releases"), {"from": today, "to": today})

    assert response.status_code == 200
    document = response.json()
    assert errors(document, "release-package-schema.json") == []
    assert document["version"] == "1.1" and document["publisher"]["name"]
    assert len(document["releases"]) == 5 and "links" not in document


def test_a_period_without_releases_is_an_empty_package(client, kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    publish_release(package_id=world.package.pk, tag="tender")

    response = client.get(reverse("eprocurement:ocds_releases"), {"from": "2020-01-01", "to": "2020-12-31"})

    assert response.status_code == 200 and response.json()["releases"] == []


@override_settings(OCDS_BULK_PAGE_SIZE=2)
def test_the_bulk_package_pages_with_links_next(client, kab_kupang):
    world = tender_world(kab_kupang, phase="evaluation")
    add_document(world)
    published = publish_through_the_stages(world)

    seen, url, pages = [], reverse("eprocurement:ocds_releases"), 0
    while url:
        document = client.get(url).json()
        assert errors(document, "release-package-schema.json") == []
        seen += [release["id"] for release in document["releases"]]
        url = document.get("links", {}).get("next")
        pages += 1

    assert seen == [row.release_id for row in published] and pages == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-13-01"}, "“from” must be a date written YYYY-MM-DD"),
        ({"to": "31/03/2026"}, "“to” must be a date written YYYY-MM-DD"),
        ({"from": "2026-04-01", "to": "2026-03-01"}, "“from” must not be later than “to”."),
        ({"after": "abc"}, "“after” must be the number given in links.next."),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, english, db, query, message):
    response = client.get(reverse("eprocurement:ocds_releases"), query, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_the_bulk_list_runs_a_constant_number_of_queries(client, kab_kupang, kota_kupang, django_assert_num_queries):
    world = tender_world(kab_kupang, phase="evaluation")
    publish_through_the_stages(world)
    url = reverse("eprocurement:ocds_releases")

    # One query: the page of releases (no session, no user: the URL is public).
    with django_assert_num_queries(1):
        client.get(url)
    other = tender_world(kota_kupang, phase="evaluation")
    publish_through_the_stages(other)
    with django_assert_num_queries(1):
        assert len(client.get(url).json()["releases"]) == 10


def test_a_release_and_a_record_are_one_query_each(client, kab_kupang, django_assert_num_queries):
    world = tender_world(kab_kupang, phase="evaluation")
    rows = publish_through_the_stages(world)
    record_url = reverse("eprocurement:ocds_record", args=[rows[0].ocid])

    with django_assert_num_queries(1):
        client.get(reverse("eprocurement:ocds_release", args=[rows[-1].release_id]))
    with django_assert_num_queries(1):
        assert len(client.get(record_url).json()["records"][0]["releases"]) == 5
