"""Evidence of progress: photos (JPEG, PNG) and documents (PDF) attached to a report.

A file is judged by its content, never its name: its first bytes must be a PDF, JPEG or
PNG signature, and an image must open as one. The size limit is MONEV_EVIDENCE_MAX_BYTES.
From a JPEG's EXIF the time it was taken (DateTimeOriginal, read as local time in the
portal's zone unless the camera wrote its offset) and the GPS position are kept when the
file carries them. Files are served only through a view that checks who asks.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import User
from portal.services import DomainError

from ..choices import EDITABLE, EvidenceKind
from ..models import ProgressEvidence, ProgressReport
from .common import OFFICER_ROLES, require_role_in_agency

SIGNATURES = (
    (b"%PDF-", "application/pdf", EvidenceKind.DOCUMENT),
    (b"\xff\xd8\xff", "image/jpeg", EvidenceKind.PHOTO),
    (b"\x89PNG\r\n\x1a\n", "image/png", EvidenceKind.PHOTO),
)
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 36867, 36881
MAX_CAPTION = 300


def _too_large_message(upload):
    limit_mb = settings.MONEV_EVIDENCE_MAX_BYTES / (1024 * 1024)
    return _("%(name)s is larger than the limit of %(limit)s MB.") % {"name": upload.name, "limit": f"{limit_mb:g}"}


def _sniff(upload) -> tuple[str, str]:
    upload.seek(0)
    head = upload.read(16)
    for magic, content_type, kind in SIGNATURES:
        if head.startswith(magic):
            return content_type, kind
    raise DomainError({"file": _("%(name)s is not a JPEG or PNG photo or a PDF document.") % {"name": upload.name}})


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _degrees(values, ref) -> Decimal | None:
    try:
        degrees, minutes, seconds = (Decimal(str(float(v))) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref).upper() in {"S", "W"}:
        value = -value
    return value.quantize(Decimal("0.000001"))


def _taken_at(exif_ifd) -> datetime.datetime | None:
    raw = exif_ifd.get(DATETIME_ORIGINAL)
    try:
        taken = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    offset = str(exif_ifd.get(OFFSET_TIME_ORIGINAL) or "").strip("\x00 ")
    try:
        return datetime.datetime.strptime(f"{taken:%Y-%m-%d %H:%M:%S}{offset}", "%Y-%m-%d %H:%M:%S%z")
    except ValueError:
        return timezone.make_aware(taken)


def read_image(upload, content_type: str) -> dict:
    """Open the image (a broken one is refused) and read a JPEG's EXIF date and place."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in {"JPEG", "PNG"}:
                raise UnidentifiedImageError
            exif = image.getexif() if content_type == "image/jpeg" else None
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError({"file": _("%(name)s is damaged or not a real image.") % {"name": upload.name}}) from None
    facts = {"taken_at": None, "latitude": None, "longitude": None}
    if exif:
        facts["taken_at"] = _taken_at(exif.get_ifd(EXIF_IFD))
        gps = exif.get_ifd(GPS_IFD)
        if gps.get(2) and gps.get(4):
            facts["latitude"], facts["longitude"] = _degrees(gps[2], gps.get(1)), _degrees(gps[4], gps.get(3))
            if facts["latitude"] is None or facts["longitude"] is None or abs(facts["latitude"]) > 90:
                facts["latitude"] = facts["longitude"] = None
    upload.seek(0)
    return facts


def inspect_upload(upload) -> dict:
    """What is stored about an uploaded file, or DomainError with a message for the person."""
    if upload is None:
        raise DomainError({"file": _("Choose a file.")})
    if upload.size > settings.MONEV_EVIDENCE_MAX_BYTES:
        raise DomainError({"file": _too_large_message(upload)})
    if upload.size == 0:
        raise DomainError({"file": _("%(name)s is empty.") % {"name": upload.name}})
    content_type, kind = _sniff(upload)
    facts = read_image(upload, content_type) if kind == EvidenceKind.PHOTO else {}
    return {"content_type": content_type, "kind": kind, "size": upload.size, "sha256": _sha256(upload), **facts}


def evidence_add(*, report: ProgressReport, upload, actor: User, caption: str = "") -> ProgressEvidence:
    """Attach a photo or a document to a draft or returned report."""
    require_role_in_agency(
        actor, report.agency_id, OFFICER_ROLES, _("Only the agency's monev officer attaches evidence.")
    )
    caption = (caption or "").strip()
    if len(caption) > MAX_CAPTION:
        raise DomainError({"caption": _("Write at most %(count)s characters.") % {"count": MAX_CAPTION}})
    facts = inspect_upload(upload)
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in EDITABLE:
            raise DomainError(_("Evidence is attached to a draft or returned report only."))
        evidence = ProgressEvidence.objects.create(
            report=report,
            file=upload,
            original_name=(upload.name or "")[-255:],
            caption=caption,
            uploaded_by=actor,
            **facts,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=report,
            changes={"evidence": evidence.pk, "file": evidence.original_name, "sha256": evidence.sha256},
        )
    return evidence


def evidence_remove(*, evidence: ProgressEvidence, actor: User) -> None:
    """Take a file off a draft or returned report (the stored file is deleted after commit)."""
    require_role_in_agency(
        actor, evidence.report.agency_id, OFFICER_ROLES, _("Only the agency's monev officer removes evidence.")
    )
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=evidence.report_id)
        if report.status not in EDITABLE:
            raise DomainError(_("Evidence of a submitted or accepted report cannot be removed."))
        evidence = ProgressEvidence.objects.get(pk=evidence.pk)
        storage, name = evidence.file.storage, evidence.file.name
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=report,
            changes={"evidence": evidence.pk, "file": evidence.original_name, "sha256": evidence.sha256},
        )
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name))
