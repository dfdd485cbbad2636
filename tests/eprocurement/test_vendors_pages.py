"""Vendor pages: registration, my company, the LPSE queue, downloads and the public blacklist."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eprocurement.models import Vendor
from tests.eprocurement.factories_vendors import (
    BlacklistingFactory,
    VendorDocumentFactory,
    VendorFactory,
    VendorPersonFactory,
    kbli_codes,
    media_root,  # noqa: F401
    pdf_upload,
)
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def lpse_admin(kab_kupang, make_member):
    return make_member(AgencyFactory(region=kab_kupang, code="UKPBJ"), role="lpse_admin")


def _formset(prefix, rows, total):
    data = {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def _post_data(upload, **overrides):
    data = {
        "name": "CV Flobamora Jaya",
        "kind": "cv",
        "nib": "9120001234567",
        "npwp": "01.234.567.8-901.000",
        "business_fields": ", ".join(kbli_codes()),
        "address": "Jl. El Tari 1",
        "phone": "0380 1",
        "email": "kantor@flobamora.co.id",
        **_formset("people", [{"name": "Yohanes", "position": "Direktur"}], 3),
        **_formset("documents", [{"kind": "akta", "number": "A-1", "file": upload}], 4),
    }
    return {**data, **overrides}


def test_a_logged_in_person_registers_a_company_on_the_page(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("eprocurement:vendor_register"), _post_data(pdf_upload()))
    vendor = Vendor.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("eprocurement:vendor_detail", args=[vendor.pk])
    assert (vendor.owner, vendor.npwp, vendor.status) == (user, "012345678901000", "pending")


def test_the_public_registration_page_sends_visitors_to_sign_up_first(client):
    response = client.get(reverse("eprocurement:vendor_register"))
    assert response.status_code == 200
    assert reverse("account_signup") in response.content.decode()
    assert "form" not in response.context


def test_anonymous_posts_register_nothing(client):
    client.post(reverse("eprocurement:vendor_register"), _post_data(pdf_upload()))
    assert not Vendor.objects.exists()


def test_stored_document_names_are_random(client):
    client.force_login(UserFactory())
    client.post(reverse("eprocurement:vendor_register"), _post_data(pdf_upload(name="akta-pt-rahasia.pdf")))
    name = Vendor.objects.get().documents.get().file.name
    assert "rahasia" not in name and name.endswith(".pdf")


@pytest.mark.parametrize(
    ("overrides", "upload", "field"),
    [
        ({"nib": "912000123456"}, None, "nib"),
        ({"npwp": "12345678901234"}, None, "npwp"),
        ({"people-0-name": "", "people-0-position": ""}, None, "__all__"),
        ({}, pdf_upload(name="x.pdf", content=b"GIF89a....", content_type="application/pdf"), "__all__"),
    ],
    ids=["nib-12-digits", "npwp-14-digits", "no-person", "bad-file"],
)
def test_bad_registrations_show_the_error_and_save_nothing(client, overrides, upload, field):
    client.force_login(UserFactory())
    response = client.post(
        reverse("eprocurement:vendor_register"),
        _post_data(upload or pdf_upload(), **overrides),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors, field
    assert not Vendor.objects.exists()


def test_the_owner_sees_their_company_and_downloads_its_document(client):
    document = VendorDocumentFactory(file=pdf_upload(content=b"%PDF-1.4 canary-akta"))
    client.force_login(document.vendor.owner)
    page = client.get(reverse("eprocurement:vendor_detail", args=[document.vendor.pk]))
    assert page.status_code == 200 and document.vendor.name in page.content.decode()
    download = client.get(reverse("eprocurement:vendor_document", args=[document.pk]))
    assert download.status_code == 200
    assert b"canary-akta" in b"".join(download.streaming_content)


def test_another_vendor_cannot_see_a_company_or_its_documents(client):
    document = VendorDocumentFactory()
    client.force_login(VendorFactory().owner)
    assert client.get(reverse("eprocurement:vendor_detail", args=[document.vendor.pk])).status_code == 404
    assert client.get(reverse("eprocurement:vendor_document", args=[document.pk])).status_code == 404
    assert client.get(reverse("eprocurement:vendor_resubmit", args=[document.vendor.pk])).status_code == 404


def test_anonymous_visitors_cannot_download_documents(client):
    document = VendorDocumentFactory()
    response = client.get(reverse("eprocurement:vendor_document", args=[document.pk]))
    assert response.status_code == 302


def test_a_vendor_cannot_use_the_lpse_queue_or_decide(client):
    vendor = VendorFactory()
    client.force_login(vendor.owner)
    assert client.get(reverse("eprocurement:vendor_queue")).status_code == 403
    assert client.post(reverse("eprocurement:vendor_verify", args=[vendor.pk])).status_code == 403
    vendor.refresh_from_db()
    assert vendor.status == "pending"


def test_the_lpse_admin_verifies_from_the_queue(client, lpse_admin):
    vendor = VendorFactory()
    client.force_login(lpse_admin)
    queue = client.get(reverse("eprocurement:vendor_queue"))
    assert vendor.name in queue.content.decode()
    client.post(reverse("eprocurement:vendor_verify", args=[vendor.pk]))
    vendor.refresh_from_db()
    assert vendor.status == "verified"


def test_the_lpse_admin_rejects_with_a_reason_and_the_owner_resubmits(client, lpse_admin):
    vendor = VendorFactory()
    VendorPersonFactory(vendor=vendor)
    client.force_login(lpse_admin)
    client.post(reverse("eprocurement:vendor_reject", args=[vendor.pk]), {"reason": ""})
    vendor.refresh_from_db()
    assert vendor.status == "pending"  # no reason, no rejection
    client.post(reverse("eprocurement:vendor_reject", args=[vendor.pk]), {"reason": "NIB salah"})
    vendor.refresh_from_db()
    assert vendor.status == "rejected"
    client.force_login(vendor.owner)
    data = _post_data(pdf_upload(), nib="9120009999999", npwp=vendor.npwp, name=vendor.name)
    response = client.post(reverse("eprocurement:vendor_resubmit", args=[vendor.pk]), data)
    assert response.status_code == 302
    vendor.refresh_from_db()
    assert (vendor.status, vendor.nib) == ("pending", "9120009999999")


def test_the_lpse_admin_blacklists_from_the_vendor_page(client, lpse_admin, kab_kupang):
    vendor = VendorFactory(status="verified")
    client.force_login(lpse_admin)
    client.post(
        reverse("eprocurement:vendor_blacklisting_record", args=[vendor.pk]),
        {"decree_number": "SK-9", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "reason": "Wanprestasi"},
    )
    assert vendor.blacklistings.get().region == kab_kupang


def test_the_public_blacklist_shows_current_rows_without_internal_fields(client, kab_kupang):
    today = timezone.localdate()
    current = BlacklistingFactory(
        vendor=VendorFactory(npwp="012345678901234", nib="9120000000077"),
        region=kab_kupang,
        decree_number="SK-RAHASIA-1",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
    )
    ended = BlacklistingFactory(starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=2))
    html = client.get(reverse("eprocurement:vendor_blacklist")).content.decode()
    assert current.vendor.name in html and "***********1234" in html and kab_kupang.name in html
    assert ended.vendor.name not in html
    for internal in ("012345678901234", "9120000000077", current.vendor.owner.email, current.vendor.email):
        assert internal not in html


def _blacklisted(n, region):
    today = timezone.localdate()
    for _ in range(n):
        BlacklistingFactory(region=region, starts_on=today, ends_on=today)


def test_the_public_blacklist_reads_in_constant_queries(client, kab_kupang, django_assert_num_queries):
    # Queries: the session-less page's count for the paginator, and the rows with their
    # vendor and region joined (2); the same for 2 and for 3 rows.
    _blacklisted(2, kab_kupang)
    url = reverse("eprocurement:vendor_blacklist")
    client.get(url)
    with django_assert_num_queries(2):
        client.get(url)
    _blacklisted(1, kab_kupang)
    with django_assert_num_queries(2):
        client.get(url)


def test_the_queue_reads_in_constant_queries(client, lpse_admin, django_assert_num_queries):
    for _ in range(2):
        VendorDocumentFactory(vendor=VendorPersonFactory().vendor)
    client.force_login(lpse_admin)
    url = reverse("eprocurement:vendor_queue")
    client.get(url)
    # Queries: the user, their reach, the nav's memberships and unread notifications (4);
    # the paginator's count, the pending vendors with region and owner, and one prefetch
    # each for KBLI fields, people and documents (5): 9, for 2 vendors and for 3.
    with django_assert_num_queries(9):
        client.get(url)
    VendorDocumentFactory(vendor=VendorPersonFactory().vendor)
    with django_assert_num_queries(9):
        client.get(url)


def test_lpse_admins_find_the_waiting_vendors_on_their_home_page(lpse_admin):
    from eprocurement.selectors.vendors import vendors_work

    vendor = VendorFactory()
    assert [(w.count, w.url) for w in vendors_work(lpse_admin)] == [(1, reverse("eprocurement:vendor_queue"))]
    assert vendors_work(vendor.owner) == []


def test_the_lpse_admin_lifts_a_blacklisting_early_on_the_vendor_page(client, lpse_admin, kab_kupang):
    today = timezone.localdate()
    row = BlacklistingFactory(region=kab_kupang, starts_on=today, ends_on=today + dt.timedelta(days=9))
    client.force_login(lpse_admin)
    url = reverse("eprocurement:vendor_blacklisting_lift", args=[row.pk])
    client.post(url, {"reason": ""})
    row.refresh_from_db()
    assert row.lifted_at is None
    response = client.post(url, {"reason": "Putusan PTUN"})
    assert response["Location"] == reverse("eprocurement:vendor_detail", args=[row.vendor_id])
    row.refresh_from_db()
    assert row.lift_reason == "Putusan PTUN"


def test_the_vendor_page_reads_in_constant_queries(client, django_assert_num_queries):
    # Queries: the user, their reach, the nav's memberships and unread notifications (4);
    # the access check, the vendor with region and verifier, and one prefetch each for
    # KBLI fields, people, documents and blacklistings with their region (6): 10 for one
    # document and for three. (A pending vendor's refusal needs no query.)
    vendor = VendorDocumentFactory(vendor=VendorPersonFactory().vendor).vendor
    client.force_login(vendor.owner)
    url = reverse("eprocurement:vendor_detail", args=[vendor.pk])
    client.get(url)
    with django_assert_num_queries(10):
        client.get(url)
    VendorDocumentFactory(vendor=vendor)
    VendorDocumentFactory(vendor=vendor)
    with django_assert_num_queries(10):
        client.get(url)
