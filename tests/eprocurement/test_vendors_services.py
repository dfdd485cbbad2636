"""Vendor registration, verification and blacklisting through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from eprocurement.models import Blacklisting, BusinessField, Vendor, VendorDocument, VendorPerson
from eprocurement.selectors.vendors import vendor_bid_refusal, vendor_can_bid
from eprocurement.services.vendors import (
    blacklisting_lift,
    blacklisting_record,
    vendor_register,
    vendor_reject,
    vendor_resubmit,
    vendor_verify,
)
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.eprocurement.factories_vendors import (
    PNG_BYTES,
    BlacklistingFactory,
    VendorFactory,
    kbli_codes,
    media_root,  # noqa: F401
    pdf_upload,
)
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def lpse_admin(kab_kupang, make_member):
    return make_member(AgencyFactory(region=kab_kupang, code="UKPBJ"), role="lpse_admin")


@pytest.fixture
def vendor_user(db):
    return UserFactory(email="direktur@flobamora.co.id")


def _data(**overrides):
    data = {
        "name": "CV Flobamora Jaya",
        "kind": "cv",
        "nib": "9120001234567",
        "npwp": "01.234.567.8-901.000",
        "address": "Jl. El Tari No. 1, Kupang",
        "phone": "0380 123456",
        "email": "kantor@flobamora.co.id",
        "is_small_business": True,
    }
    return {**data, **overrides}


def _register(user, *, data=None, people=None, documents=None, codes=None):
    return vendor_register(
        actor=user,
        data=data or _data(),
        business_field_codes=kbli_codes() if codes is None else codes,
        people=[{"name": "Yohanes Bria", "position": "Direktur", "nik": "5371010101800001"}]
        if people is None
        else people,
        documents=[{"kind": "akta", "number": "AKTA-1", "file": pdf_upload()}] if documents is None else documents,
    )


def _nothing_saved():
    assert not Vendor.objects.exists()
    assert not VendorPerson.objects.exists()
    assert not VendorDocument.objects.exists()


def test_registration_saves_a_pending_vendor_with_normalised_npwp_and_tells_lpse_admins(vendor_user, lpse_admin):
    # given a logged-in person and an LPSE admin
    # when they register their company
    vendor = _register(vendor_user)
    # then it waits for verification, with its NPWP as digits, people, fields and a hashed document
    vendor.refresh_from_db()
    assert vendor.status == "pending"
    assert vendor.npwp == "012345678901000"
    assert vendor.people.get().nik == "5371010101800001"
    assert sorted(vendor.business_fields.values_list("code", flat=True)) == kbli_codes()
    document = vendor.documents.get()
    assert len(document.sha256) == 64 and document.sha256 != "0" * 64
    assert Notification.objects.filter(recipient=lpse_admin, kind="eprocurement.vendor_pending").exists()
    assert AuditEntry.objects.filter(new_status="pending", action="create").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nib": "912000123456"}, "nib", "An NIB has 13 digits."),
        ({"npwp": "01.234.567.8-901.00"}, "npwp", "An NPWP has 15 or 16 digits"),
    ],
)
def test_registration_refuses_bad_numbers_and_saves_nothing(vendor_user, overrides, field, message):
    with pytest.raises(DomainError) as error:
        _register(vendor_user, data=_data(**overrides))
    assert message in " ".join(error.value.message_dict[field])
    _nothing_saved()


def test_registration_refuses_a_duplicate_nib(vendor_user):
    VendorFactory(nib="9120001234567")
    with pytest.raises(DomainError) as error:
        _register(vendor_user)
    assert error.value.message_dict["nib"] == ["A vendor with this NIB is already registered."]
    assert Vendor.objects.count() == 1


def test_registration_refuses_a_duplicate_npwp_typed_with_dots(vendor_user):
    VendorFactory(npwp="012345678901000")
    with pytest.raises(DomainError) as error:
        _register(vendor_user)
    assert "npwp" in error.value.message_dict


def test_registration_needs_a_person_in_charge(vendor_user):
    with pytest.raises(DomainError) as error:
        _register(vendor_user, people=[])
    assert error.value.message_dict["people"] == ["Name at least one person in charge."]
    _nothing_saved()


def test_registration_refuses_a_nik_that_is_not_16_digits(vendor_user):
    with pytest.raises(DomainError):
        _register(vendor_user, people=[{"name": "A", "position": "Direktur", "nik": "123"}])
    _nothing_saved()


def test_registration_refuses_unknown_kbli_codes(vendor_user):
    with pytest.raises(DomainError) as error:
        _register(vendor_user, codes=["99999"])
    assert "99999" in error.value.message_dict["business_fields"][0]
    _nothing_saved()


@pytest.mark.parametrize(
    "upload",
    [
        pdf_upload(name="evil.exe", content=b"MZ\x90\x00" + b"\x00" * 20, content_type="application/pdf"),
        pdf_upload(name="fake.pdf", content=b"<html>not a pdf</html>", content_type="application/pdf"),
        pdf_upload(name="png-as-pdf.pdf", content=PNG_BYTES, content_type="application/pdf"),
    ],
    ids=["exe", "html-named-pdf", "content-type-mismatch"],
)
def test_registration_refuses_files_that_are_not_pdf_jpeg_or_png(vendor_user, upload):
    upload.seek(0)
    with pytest.raises(DomainError, match="is not a PDF, JPEG or PNG file"):
        _register(vendor_user, documents=[{"kind": "akta", "number": "1", "file": upload}])
    _nothing_saved()


def test_registration_refuses_a_file_over_10_mb(vendor_user):
    big = pdf_upload(content=b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="larger than 10 MB"):
        _register(vendor_user, documents=[{"kind": "akta", "number": "1", "file": big}])
    _nothing_saved()


def test_registration_accepts_a_png(vendor_user):
    png = pdf_upload(name="npwp.png", content=PNG_BYTES, content_type="image/png")
    vendor = _register(vendor_user, documents=[{"kind": "npwp", "number": "1", "file": png}])
    assert vendor.documents.get().kind == "npwp"


def test_lpse_admin_verifies_a_pending_vendor_and_the_owner_is_told(lpse_admin):
    vendor = VendorFactory()
    vendor_verify(vendor_id=vendor.pk, actor=lpse_admin)
    vendor.refresh_from_db()
    assert (vendor.status, vendor.verified_by) == ("verified", lpse_admin)
    assert vendor.verified_at is not None
    assert Notification.objects.filter(recipient=vendor.owner, kind="eprocurement.vendor_verified").exists()
    assert AuditEntry.objects.filter(old_status="pending", new_status="verified").exists()


def test_only_lpse_admins_verify(kab_kupang, make_member):
    vendor = VendorFactory()
    planner = make_member(AgencyFactory(region=kab_kupang), role="planner")
    for actor in (planner, vendor.owner):
        with pytest.raises(DomainError, match="Only an LPSE administrator"):
            vendor_verify(vendor_id=vendor.pk, actor=actor)
    vendor.refresh_from_db()
    assert vendor.status == "pending"


def test_a_verified_vendor_cannot_be_verified_or_rejected_again(lpse_admin):
    vendor = VendorFactory(status="verified")
    with pytest.raises(DomainError):
        vendor_verify(vendor_id=vendor.pk, actor=lpse_admin)
    with pytest.raises(DomainError):
        vendor_reject(vendor_id=vendor.pk, actor=lpse_admin, reason="x")


def test_rejecting_needs_a_reason(lpse_admin):
    vendor = VendorFactory()
    with pytest.raises(DomainError) as error:
        vendor_reject(vendor_id=vendor.pk, actor=lpse_admin, reason="  ")
    assert error.value.message_dict["reason"] == ["Give the reason for rejecting."]
    vendor.refresh_from_db()
    assert vendor.status == "pending"


def test_a_rejected_vendor_corrects_its_data_and_resubmits(lpse_admin):
    # given a rejected vendor
    vendor = VendorFactory()
    vendor_reject(vendor_id=vendor.pk, actor=lpse_admin, reason="Akta tidak terbaca")
    vendor.refresh_from_db()
    assert (vendor.status, vendor.rejection_reason) == ("rejected", "Akta tidak terbaca")
    assert Notification.objects.filter(recipient=vendor.owner, kind="eprocurement.vendor_rejected").exists()
    # when its owner corrects the address and resubmits with a new document
    vendor_resubmit(
        vendor_id=vendor.pk,
        actor=vendor.owner,
        data={"address": "Jl. Timor Raya 5"},
        documents=[{"kind": "akta", "number": "AKTA-2", "file": pdf_upload()}],
    )
    # then it waits for verification again
    vendor.refresh_from_db()
    assert (vendor.status, vendor.address) == ("pending", "Jl. Timor Raya 5")
    assert vendor.documents.count() == 1
    vendor_verify(vendor_id=vendor.pk, actor=lpse_admin)


def test_only_the_owner_resubmits_and_only_when_rejected(lpse_admin):
    vendor = VendorFactory()
    with pytest.raises(DomainError, match="Only a rejected vendor"):
        vendor_resubmit(vendor_id=vendor.pk, actor=vendor.owner)
    vendor_reject(vendor_id=vendor.pk, actor=lpse_admin, reason="x")
    with pytest.raises(DomainError, match="own account"):
        vendor_resubmit(vendor_id=vendor.pk, actor=UserFactory())
    with pytest.raises(DomainError, match="cannot be changed here"):
        vendor_resubmit(vendor_id=vendor.pk, actor=vendor.owner, data={"status": "verified"})


def test_only_verified_vendors_may_bid():
    today = dt.date(2026, 6, 1)
    assert vendor_bid_refusal(VendorFactory(status="pending"), today) == "The vendor is not verified by the LPSE."
    assert not vendor_can_bid(VendorFactory(status="rejected"), today)
    assert vendor_can_bid(VendorFactory(status="verified"), today)


def test_a_blacklisting_blocks_bidding_during_its_period_only(lpse_admin, kab_kupang):
    # given a verified vendor blacklisted for March 2026 by Kab. Kupang's LPSE
    vendor = VendorFactory(status="verified")
    row = blacklisting_record(
        vendor_id=vendor.pk,
        actor=lpse_admin,
        decree_number="SK-1/UKPBJ/2026",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
        reason="Wanprestasi",
    )
    # then it may bid before and after, not during (everywhere: the check has no region)
    assert row.region == kab_kupang
    assert vendor_can_bid(vendor, dt.date(2026, 2, 28))
    assert not vendor_can_bid(vendor, dt.date(2026, 3, 1))
    assert "SK-1/UKPBJ/2026" in vendor_bid_refusal(vendor, dt.date(2026, 3, 31))
    assert vendor_can_bid(vendor, dt.date(2026, 4, 1))


def test_lifting_a_blacklisting_early_needs_a_reason_and_unblocks_from_that_day(lpse_admin, kab_kupang):
    today = timezone.localdate()
    vendor = VendorFactory(status="verified")
    row = BlacklistingFactory(
        vendor=vendor, region=kab_kupang, starts_on=today - dt.timedelta(days=5), ends_on=today + dt.timedelta(days=30)
    )
    with pytest.raises(DomainError):
        blacklisting_lift(blacklisting_id=row.pk, actor=lpse_admin, reason="")
    assert not vendor_can_bid(vendor, today)
    blacklisting_lift(blacklisting_id=row.pk, actor=lpse_admin, reason="Putusan PTUN")
    row.refresh_from_db()
    assert row.lift_reason == "Putusan PTUN"
    assert vendor_can_bid(vendor, today)
    assert not vendor_can_bid(vendor, today - dt.timedelta(days=1))  # the past stays as it was
    with pytest.raises(DomainError, match="already lifted"):
        blacklisting_lift(blacklisting_id=row.pk, actor=lpse_admin, reason="again")


def test_an_lpse_admin_lifts_only_their_own_regions_blacklistings(lpse_admin, kota_kupang):
    row = BlacklistingFactory(region=kota_kupang, ends_on=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(DomainError, match="region"):
        blacklisting_lift(blacklisting_id=row.pk, actor=lpse_admin, reason="x")
    row.refresh_from_db()
    assert row.lifted_at is None


def test_an_lpse_admin_cannot_blacklist_for_another_region(lpse_admin, kota_kupang):
    vendor = VendorFactory(status="verified")
    with pytest.raises(DomainError):
        blacklisting_record(
            vendor_id=vendor.pk,
            actor=lpse_admin,
            region_id=kota_kupang.pk,
            decree_number="SK",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 1, 2),
            reason="x",
        )
    assert not Blacklisting.objects.exists()


def test_a_blacklisting_period_must_be_in_order(lpse_admin):
    vendor = VendorFactory(status="verified")
    with pytest.raises(DomainError):
        blacklisting_record(
            vendor_id=vendor.pk,
            actor=lpse_admin,
            decree_number="SK",
            starts_on=dt.date(2026, 2, 1),
            ends_on=dt.date(2026, 1, 1),
            reason="x",
        )
    assert not Blacklisting.objects.exists()


def test_the_kbli_loader_loads_the_382_shipped_codes(db):
    from importlib import import_module

    from django.apps import apps

    BusinessField.objects.all().delete()
    import_module("eprocurement.migrations.0002_load_kbli").load_shipped_kbli(apps)
    assert BusinessField.objects.count() == 382
    assert BusinessField.objects.get(code="41011").name == "Konstruksi Gedung Hunian"
