"""Scope on the API: the same reach as the pages, for session and token clients."""

import pytest
from rest_framework.authtoken.models import Token

from portal.models import AuditEntry
from tests.factories import AgencyFactory, NotificationFactory

pytestmark = pytest.mark.django_db


def _agency_url(agency):
    return f"/api/agencies/{agency.pk}/"


def _unchanged(agency):
    before = agency.phone
    agency.refresh_from_db()
    entries = AuditEntry.objects.filter(object_type="portal.agency", object_id=str(agency.pk))
    return agency.phone == before and not entries.exists()


@pytest.fixture
def kab_admin(make_admin, kab_kupang_kominfo):
    return make_admin(kab_kupang_kominfo)


def test_list_excludes_another_regions_agencies(api_client, kab_admin, kab_kupang_kominfo, kota_kupang_kominfo):
    # Given Kab. Kupang's Kominfo admin
    api_client.force_authenticate(kab_admin)

    # When they list agencies
    ids = [row["id"] for row in api_client.get("/api/agencies/").json()["results"]]

    # Then only Kab. Kupang's are there
    assert ids == [kab_kupang_kominfo.pk]


def test_another_regions_agency_is_not_found_and_not_changed(api_client, kab_admin, kota_kupang_kominfo):
    # Given Kab. Kupang's Kominfo admin
    api_client.force_authenticate(kab_admin)

    # When they read and patch a Kota Kupang agency
    read = api_client.get(_agency_url(kota_kupang_kominfo))
    patched = api_client.patch(_agency_url(kota_kupang_kominfo), {"phone": "0380-999"}, format="json")

    # Then both answer 404 and nothing changed
    assert read.status_code == 404 and patched.status_code == 404
    assert _unchanged(kota_kupang_kominfo)


def test_token_client_has_the_same_reach(api_client, kab_admin, kab_kupang_kominfo, kota_kupang_kominfo):
    # Given a system account authenticating with its token, not a session
    token = Token.objects.create(user=kab_admin)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    # When it reads its own region's agency and another region's
    # Then it reaches only its own
    assert api_client.get(_agency_url(kab_kupang_kominfo)).status_code == 200
    assert api_client.get(_agency_url(kota_kupang_kominfo)).status_code == 404


def test_province_coordinator_reads_regency_agency_but_cannot_patch_it(
    api_client, make_admin, province, kab_kupang_kominfo
):
    # Given the province's Kominfo admin, reaching the regencies read-only
    diskominfo = AgencyFactory(region=province, code="DISKOMINFO", name="Dinas Kominfo Provinsi NTT")
    api_client.force_authenticate(make_admin(diskominfo, scope="province"))

    # When they read and patch a Kab. Kupang agency
    read = api_client.get(_agency_url(kab_kupang_kominfo))
    patched = api_client.patch(_agency_url(kab_kupang_kominfo), {"phone": "0380-999"}, format="json")

    # Then they read it, and the change is refused
    assert read.status_code == 200 and read.json()["code"] == "DISKOMINFO"
    assert patched.status_code == 403
    assert _unchanged(kab_kupang_kominfo)


def test_planner_cannot_patch_own_agency(api_client, make_member, kab_kupang_kominfo):
    # Given a planner, who reads their agency but does not keep its details
    api_client.force_authenticate(make_member(kab_kupang_kominfo, "planner"))

    # When they patch it
    response = api_client.patch(_agency_url(kab_kupang_kominfo), {"phone": "0380-999"}, format="json")

    # Then it is refused
    assert response.status_code == 403
    assert _unchanged(kab_kupang_kominfo)


@pytest.mark.parametrize("url", ["/api/agencies/", "/api/me/", "/api/notifications/"])
def test_anonymous_caller_is_refused(api_client, url):
    # Given no credentials
    # When an internal endpoint is called
    # Then it is refused
    assert api_client.get(url).status_code in {401, 403}


def test_anonymous_caller_cannot_patch(api_client, kab_kupang_kominfo):
    response = api_client.patch(_agency_url(kab_kupang_kominfo), {"phone": "0380-999"}, format="json")
    assert response.status_code in {401, 403}
    assert _unchanged(kab_kupang_kominfo)


def test_regions_are_public(api_client, kab_kupang, kota_kupang):
    # Given no credentials
    # When the regions are listed
    response = api_client.get("/api/regions/")

    # Then the province and both regencies are there, with their parent's code
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == {"53", "53.01", "53.71"}
    assert rows["53.01"]["parent_code"] == "53" and rows["53"]["parent_code"] is None


def test_notifications_are_the_callers_own(api_client, make_member, kab_kupang_kominfo):
    # Given two colleagues with a notification each
    me, colleague = make_member(kab_kupang_kominfo), make_member(kab_kupang_kominfo)
    mine, theirs = NotificationFactory(recipient=me), NotificationFactory(recipient=colleague)
    api_client.force_authenticate(me)

    # When one lists, reads and marks read (naming the other's too)
    listed = [row["id"] for row in api_client.get("/api/notifications/").json()["results"]]
    other = api_client.get(f"/api/notifications/{theirs.pk}/")
    marked = api_client.post("/api/notifications/mark-read/", {"ids": [mine.pk, theirs.pk]}, format="json")

    # Then only their own is listed and marked; the other's is not found
    assert listed == [mine.pk]
    assert other.status_code == 404
    assert marked.json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
