"""Vendors: self-registration, LPSE verification, resubmission and blacklisting."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import User
from portal.scoping import reach_of
from portal.services import DomainError, notify

from ..choices import VendorStatus
from ..models import Blacklisting, BusinessField, Vendor, VendorDocument, VendorPerson
from ..selectors.vendors import is_lpse_admin

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Magic bytes of the file types a vendor may upload, and the content types that go with them.
FILE_SIGNATURES = {
    b"%PDF-": {"application/pdf"},
    b"\xff\xd8\xff": {"image/jpeg", "image/jpg", "image/pjpeg"},
    b"\x89PNG\r\n\x1a\n": {"image/png"},
}
VENDOR_FIELDS = ("name", "kind", "nib", "npwp", "address", "region", "phone", "email", "is_small_business")
PERSON_FIELDS = ("name", "position", "nik", "phone", "email")
DOCUMENT_FIELDS = ("kind", "number", "issued_on", "valid_until")


def normalise_npwp(value: str) -> str:
    """An NPWP as digits only: "01.234.567.8-901.000" → "012345678901000"."""
    return re.sub(r"[\s.\-]", "", value or "")


def lpse_admins():
    return User.objects.filter(is_active=True, memberships__role=Role.LPSE_ADMIN).distinct()


def check_document_file(upload) -> str:
    """The SHA-256 of an uploaded PDF/JPEG/PNG of at most 10 MB; DomainError otherwise."""
    if upload is None:
        raise DomainError(_("Choose a file for each document."))
    if upload.size > MAX_DOCUMENT_BYTES:
        raise DomainError(_("%(name)s is larger than 10 MB.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    types = next((ct for magic, ct in FILE_SIGNATURES.items() if head.startswith(magic)), None)
    content_type = (getattr(upload, "content_type", "") or "").lower()
    if types is None or (content_type and content_type not in types):
        raise DomainError(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": upload.name})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _business_fields(codes) -> list[BusinessField]:
    codes = sorted({str(c).strip() for c in codes or [] if str(c).strip()})
    found = list(BusinessField.objects.filter(code__in=codes, is_active=True))
    unknown = set(codes) - {f.code for f in found}
    if unknown:
        raise DomainError(
            {"business_fields": [_("Unknown KBLI codes: %(codes)s") % {"codes": ", ".join(sorted(unknown))}]}
        )
    return found


def _check_unique(vendor: Vendor) -> None:
    others = Vendor.objects.exclude(pk=vendor.pk)
    errors = {}
    if others.filter(nib=vendor.nib).exists():
        errors["nib"] = [_("A vendor with this NIB is already registered.")]
    if others.filter(npwp=vendor.npwp).exists():
        errors["npwp"] = [_("A vendor with this NPWP is already registered.")]
    if errors:
        raise DomainError(errors)


def _full_clean(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        raise DomainError(exc.message_dict) from None


def _add_documents(vendor: Vendor, documents) -> list[VendorDocument]:
    rows = []
    for doc in documents or []:
        upload = doc.get("file")
        sha256 = check_document_file(upload)
        # A random stored name: the file's address reveals nothing and cannot be guessed.
        upload.name = f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:5]}"
        row = VendorDocument(vendor=vendor, sha256=sha256, file=upload, **{k: doc.get(k) for k in DOCUMENT_FIELDS})
        _full_clean(row, exclude=["vendor", "file"])
        if row.issued_on and row.valid_until and row.valid_until < row.issued_on:
            raise DomainError(_("A document cannot be valid until a date before it was issued."))
        rows.append(row)
    for row in rows:
        row.save()
    return rows


def vendor_register(*, actor: User, data: dict, business_field_codes, people, documents=()) -> Vendor:
    """Register the actor's company; it waits for an LPSE admin's verification.

    All or nothing: any bad field, person or file raises DomainError and saves nothing.
    """
    if not getattr(actor, "is_authenticated", False):
        raise DomainError(_("Log in to register a company."))
    fields = {k: data.get(k) for k in VENDOR_FIELDS if k in data}
    fields["npwp"] = normalise_npwp(fields.get("npwp", ""))
    fields["nib"] = (fields.get("nib") or "").strip()
    people = [p for p in people or [] if any((p.get(k) or "").strip() for k in ("name", "position"))]
    if not people:
        raise DomainError({"people": [_("Name at least one person in charge.")]})
    with transaction.atomic():
        vendor = Vendor(owner=actor, status=VendorStatus.PENDING, **fields)
        _full_clean(vendor, exclude=["owner", "business_fields"])
        _check_unique(vendor)
        fields_kbli = _business_fields(business_field_codes)
        persons = [VendorPerson(vendor=vendor, **{k: (p.get(k) or "").strip() for k in PERSON_FIELDS}) for p in people]
        for person in persons:
            _full_clean(person, exclude=["vendor"])
        try:
            with transaction.atomic():
                vendor.save(force_insert=True)
        except IntegrityError:  # a concurrent registration with the same NIB/NPWP won
            raise DomainError(_("A vendor with this NIB or NPWP is already registered.")) from None
        vendor.business_fields.set(fields_kbli)
        for person in persons:
            person.vendor = vendor
        VendorPerson.objects.bulk_create(persons)
        _add_documents(vendor, documents)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=vendor,
            new_status=vendor.status,
            changes={"name": vendor.name, "nib": vendor.nib, "npwp": vendor.npwp},
        )
        _notify_admins_pending(vendor)
    return vendor


def _notify_admins_pending(vendor: Vendor) -> None:
    notify(
        recipients=lpse_admins(),
        kind="eprocurement.vendor_pending",
        title=_("A vendor waits for verification: %(name)s") % {"name": vendor.name},
        url=reverse("eprocurement:vendor_detail", args=[vendor.pk]),
        subject=vendor,
    )


def _locked_vendor(vendor_id: int) -> Vendor:
    try:
        return Vendor.objects.select_for_update().get(pk=vendor_id)
    except Vendor.DoesNotExist:
        raise DomainError(_("This vendor does not exist.")) from None


def _require_lpse_admin(actor) -> None:
    if not is_lpse_admin(actor):
        raise DomainError(_("Only an LPSE administrator may do this."))


def vendor_verify(*, vendor_id: int, actor: User) -> Vendor:
    """An LPSE admin confirms a pending vendor's data; the vendor may bid from now on."""
    _require_lpse_admin(actor)
    with transaction.atomic():
        vendor = _locked_vendor(vendor_id)
        if vendor.status != VendorStatus.PENDING:
            raise DomainError(_("Only a vendor waiting for verification can be verified."))
        old = vendor.status
        vendor.status, vendor.verified_by, vendor.verified_at = VendorStatus.VERIFIED, actor, timezone.now()
        vendor.rejection_reason = ""
        vendor.save(update_fields=["status", "verified_by", "verified_at", "rejection_reason"])
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=vendor, old_status=old, new_status=vendor.status)
        notify(
            recipients=[vendor.owner],
            kind="eprocurement.vendor_verified",
            title=_("Your company %(name)s is verified") % {"name": vendor.name},
            url=reverse("eprocurement:vendor_detail", args=[vendor.pk]),
            subject=vendor,
        )
    return vendor


def vendor_reject(*, vendor_id: int, actor: User, reason: str) -> Vendor:
    """An LPSE admin sends a pending vendor back with a reason it can act on."""
    _require_lpse_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Give the reason for rejecting.")]})
    with transaction.atomic():
        vendor = _locked_vendor(vendor_id)
        if vendor.status != VendorStatus.PENDING:
            raise DomainError(_("Only a vendor waiting for verification can be rejected."))
        old = vendor.status
        vendor.status, vendor.rejection_reason = VendorStatus.REJECTED, reason
        vendor.save(update_fields=["status", "rejection_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=vendor,
            old_status=old,
            new_status=vendor.status,
            reason=reason,
        )
        notify(
            recipients=[vendor.owner],
            kind="eprocurement.vendor_rejected",
            title=_("Your company %(name)s was not verified") % {"name": vendor.name},
            body=reason,
            url=reverse("eprocurement:vendor_detail", args=[vendor.pk]),
            subject=vendor,
        )
    return vendor


RESUBMIT_FIELDS = ("name", "kind", "nib", "npwp", "address", "region", "phone", "email", "is_small_business")


def vendor_resubmit(
    *, vendor_id: int, actor: User, data: dict | None = None, business_field_codes=None, documents=()
) -> Vendor:
    """The owner of a rejected vendor corrects its data and asks for verification again."""
    data = dict(data or {})
    unknown = set(data) - set(RESUBMIT_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "npwp" in data:
        data["npwp"] = normalise_npwp(data["npwp"])
    with transaction.atomic():
        vendor = _locked_vendor(vendor_id)
        if vendor.owner_id != getattr(actor, "pk", None):
            raise DomainError(_("Only the vendor's own account may resubmit it."))
        if vendor.status != VendorStatus.REJECTED:
            raise DomainError(_("Only a rejected vendor can be resubmitted."))
        changes = {k: [str(getattr(vendor, k)), str(v)] for k, v in data.items() if getattr(vendor, k) != v}
        for name, value in data.items():
            setattr(vendor, name, value)
        _full_clean(vendor, exclude=["owner", "business_fields", "verified_by"])
        _check_unique(vendor)
        if business_field_codes is not None:
            vendor.business_fields.set(_business_fields(business_field_codes))
        _add_documents(vendor, documents)
        old = vendor.status
        vendor.status = VendorStatus.PENDING
        vendor.save(update_fields=["status", *data])
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=vendor,
            old_status=old,
            new_status=vendor.status,
            changes=changes,
        )
        _notify_admins_pending(vendor)
    return vendor


def _admin_region_id(actor, region_id: int | None) -> int:
    """The region an LPSE admin decides for: their own (the one given, if they have several)."""
    regions = reach_of(actor, [Role.LPSE_ADMIN]).member_region_ids
    if region_id is None and len(regions) == 1:
        return next(iter(regions))
    if region_id is not None and (region_id in regions or actor.is_superuser):
        return region_id
    raise DomainError({"region": [_("Choose a region in which you are an LPSE administrator.")]})


def blacklisting_record(
    *,
    vendor_id: int,
    actor: User,
    decree_number: str,
    starts_on: date,
    ends_on: date,
    reason: str,
    region_id: int | None = None,
) -> Blacklisting:
    """An LPSE admin blacklists a vendor for a period, by decree of the admin's region."""
    _require_lpse_admin(actor)
    region_id = _admin_region_id(actor, region_id)
    if not starts_on or not ends_on or ends_on < starts_on:
        raise DomainError({"ends_on": [_("The period must end on or after its first day.")]})
    if not (reason or "").strip() or not (decree_number or "").strip():
        raise DomainError(_("Give the decree number and the reason."))
    with transaction.atomic():
        vendor = _locked_vendor(vendor_id)
        row = Blacklisting(
            vendor=vendor,
            region_id=region_id,
            decree_number=decree_number.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason.strip(),
            decided_by=actor,
        )
        _full_clean(row, exclude=["vendor", "region", "decided_by"])
        row.save(force_insert=True)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=row,
            reason=row.reason,
            changes={"vendor": vendor.pk, "from": starts_on, "until": ends_on, "decree": row.decree_number},
        )
        notify(
            recipients=[vendor.owner],
            kind="eprocurement.vendor_blacklisted",
            title=_("Your company %(name)s is blacklisted") % {"name": vendor.name},
            body=row.reason,
            url=reverse("eprocurement:vendor_detail", args=[vendor.pk]),
            subject=vendor,
        )
    return row


def blacklisting_lift(*, blacklisting_id: int, actor: User, reason: str) -> Blacklisting:
    """Lift a blacklisting before its end, with a reason; only its region's LPSE admins may."""
    _require_lpse_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Give the reason for lifting the blacklisting.")]})
    with transaction.atomic():
        locked = Blacklisting.objects.select_for_update(of=("self",)).select_related("vendor__owner")
        row = locked.filter(pk=blacklisting_id).first()
        if row is None:
            raise DomainError(_("This blacklisting does not exist."))
        _admin_region_id(actor, row.region_id)
        if row.lifted_at is not None:
            raise DomainError(_("This blacklisting is already lifted."))
        if row.ends_on < timezone.localdate():
            raise DomainError(_("This blacklisting has already ended."))
        row.lifted_at, row.lift_reason = timezone.now(), reason
        row.save(update_fields=["lifted_at", "lift_reason"])
        audit_record(
            actor=actor, action=AuditAction.TRANSITION, obj=row, old_status="active", new_status="lifted", reason=reason
        )
        notify(
            recipients=[row.vendor.owner],
            kind="eprocurement.vendor_blacklist_lifted",
            title=_("The blacklisting of %(name)s is lifted") % {"name": row.vendor.name},
            body=reason,
            url=reverse("eprocurement:vendor_detail", args=[row.vendor_id]),
            subject=row.vendor,
        )
    return row
