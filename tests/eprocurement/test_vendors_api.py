"""Vendors over the API: own record only, LPSE decisions as actions, the public blacklist."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.eprocurement.factories_vendors import (
    BlacklistingFactory,
    VendorDocumentFactory,
    VendorFactory,
    kbli_codes,
    media_root,  # noqa: F401
)
from tests.factories import AgencyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def lpse_admin(kab_kupang, make_member):
    return make_member(AgencyFactory(region=kab_kupang, code="UKPBJ"), role="lpse_admin")


def test_a_vendor_lists_and_reads_only_its_own_record(api_client):
    mine, other = VendorDocumentFactory().vendor, VendorDocumentFactory().vendor
    api_client.force_authenticate(mine.owner)
    listed = api_client.get("/api/eprocurement/vendors/").json()["results"]
    assert [v["id"] for v in listed] == [mine.pk]
    assert listed[0]["documents"][0]["sha256"]
    assert "file" not in listed[0]["documents"][0]
    assert api_client.get(f"/api/eprocurement/vendors/{other.pk}/").status_code == 404


def test_a_vendor_cannot_verify_itself(api_client):
    vendor = VendorFactory()
    api_client.force_authenticate(vendor.owner)
    assert api_client.post(f"/api/eprocurement/vendors/{vendor.pk}/verify/").status_code == 403
    vendor.refresh_from_db()
    assert vendor.status == "pending"


def test_an_lpse_admin_sees_all_vendors_and_verifies(api_client, lpse_admin):
    vendors = [VendorFactory(), VendorFactory()]
    api_client.force_authenticate(lpse_admin)
    assert api_client.get("/api/eprocurement/vendors/?status=pending").json()["count"] == 2
    response = api_client.post(f"/api/eprocurement/vendors/{vendors[0].pk}/verify/")
    assert response.status_code == 200 and response.json()["status"] == "verified"
    again = api_client.post(f"/api/eprocurement/vendors/{vendors[0].pk}/verify/")
    assert again.status_code == 400


def test_rejecting_over_the_api_needs_a_reason(api_client, lpse_admin):
    vendor = VendorFactory()
    api_client.force_authenticate(lpse_admin)
    assert api_client.post(f"/api/eprocurement/vendors/{vendor.pk}/reject/", {"reason": ""}).status_code == 400
    response = api_client.post(f"/api/eprocurement/vendors/{vendor.pk}/reject/", {"reason": "NPWP tidak cocok"})
    assert response.json()["status"] == "rejected"
    assert response.json()["rejection_reason"] == "NPWP tidak cocok"


def test_the_status_cannot_be_written_through_the_api(api_client):
    vendor = VendorFactory()
    api_client.force_authenticate(vendor.owner)
    assert api_client.patch(f"/api/eprocurement/vendors/{vendor.pk}/", {"status": "verified"}).status_code == 405
    vendor.refresh_from_db()
    assert vendor.status == "pending"


def test_business_fields_are_read_by_code(api_client):
    code = kbli_codes(1)[0]
    api_client.force_authenticate(VendorFactory().owner)
    assert api_client.get(f"/api/eprocurement/business-fields/{code}/").json()["code"] == code
    assert api_client.get("/api/eprocurement/business-fields/?q=41011").json()["results"][0]["code"] == "41011"


def test_the_public_blacklist_is_open_and_shows_no_internal_fields(api_client, kab_kupang):
    today = timezone.localdate()
    row = BlacklistingFactory(
        vendor=VendorFactory(npwp="012345678901234"),
        region=kab_kupang,
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
    )
    response = api_client.get("/api/public/blacklist/")
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item == {
        "id": row.pk,
        "vendor": row.vendor.name,
        "npwp": "***********1234",
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "region_code": "53.01",
        "region_name": kab_kupang.name,
        "reason": row.reason,
    }


def test_anonymous_callers_cannot_read_vendors(api_client):
    VendorFactory()
    assert api_client.get("/api/eprocurement/vendors/").status_code in (401, 403)
