"""Opening the sealed bids of a package (pembukaan dokumen penawaran).

Two of the three pokja members confirm after the opening time on the server's clock; the
second distinct confirmation opens the package in the same transaction, under the package
row lock that every bid change also takes, so no submit can slip in beside an opening.
Opening unseals each submitted bid's price record, checks it against the hash on its
receipt, writes the price in clear, and writes the opening record: every opened bid with
its vendor, time, price and hashes, as canonical JSON with its own SHA-256.

Documents are never written in clear: they are unsealed on the fly for a download, for
the pokja once the package is open and for the vendor who submitted them at any time.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.services import DomainError, notify

from .. import sealing
from ..choices import BidStatus, PackageStatus
from ..models import Bid, BidDocument, OpeningConfirmation, OpeningRecord, Package, PackageKey
from ..selectors import schedule
from ..selectors.team import is_pokja_member
from ..signals import send_package_changed
from .bids import canonical_json, document_context, name_context, price_context

CONFIRMATIONS_TO_OPEN = 2


@dataclass(frozen=True)
class OpeningResult:
    confirmations: int
    opened: bool
    already_confirmed: bool


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _require_may_open(package: Package, actor, now) -> None:
    if not is_pokja_member(actor, package):
        raise PermissionDenied
    if package.status == PackageStatus.OPENED or hasattr(package, "opening_record"):
        raise DomainError(_("The bids of this package are already open."))
    if package.status != PackageStatus.ANNOUNCED:
        raise DomainError(_("Only an announced tender can be opened."))
    opening = schedule.opening_time(package)
    if opening is None:
        raise DomainError(_("This tender has no opening stage in its schedule."))
    if now < opening:
        raise DomainError(
            _("The bids can be opened from %(time)s (WITA).")
            % {"time": timezone.localtime(opening).strftime("%Y-%m-%d %H:%M")}
        )
    if not Bid.objects.filter(package=package, status=BidStatus.SUBMITTED).exists():
        raise DomainError(
            _("No bid was submitted, so there is nothing to open; the pokja declares the tender failed instead.")
        )


def opening_confirm(*, package: Package, actor) -> OpeningResult:
    """Record ``actor``'s confirmation; the second distinct pokja member's opens the bids."""
    now = timezone.now()
    with transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package.pk)
        _require_may_open(package, actor, now)
        _, created = OpeningConfirmation.objects.get_or_create(package=package, member=actor)
        if created:
            audit_record(
                actor=actor, action=AuditAction.UPDATE, obj=package, reason="opening confirmed by a pokja member"
            )
        count = OpeningConfirmation.objects.filter(package=package).count()
        opened = count >= CONFIRMATIONS_TO_OPEN
        if opened:
            _open(package, actor, now)
    return OpeningResult(confirmations=count, opened=opened, already_confirmed=not created)


def _opened_price(wrapped: str, bid: Bid) -> Decimal:
    record = sealing.open_sealed(wrapped, bid.sealed_price, context=price_context(bid))
    if sealing.sha256_hex(record) != bid.price_sha256:
        raise sealing.SealBroken(f"price record of bid {bid.pk} does not match its hash")
    return Decimal(json.loads(record)["price"])


def _open(package: Package, actor, now) -> OpeningRecord:
    bids = list(
        Bid.objects.select_for_update(of=("self",))
        .filter(package=package, status=BidStatus.SUBMITTED)
        .select_related("vendor")
        .order_by("submitted_at", "pk")
    )
    wrapped = PackageKey.objects.get(package=package).wrapped_key
    documents = {}
    for document in BidDocument.objects.filter(bid__in=bids).order_by("pk"):
        documents.setdefault(document.bid_id, []).append(document)
    for bid in bids:
        bid.opened_price, bid.opened_at = _opened_price(wrapped, bid), now
    Bid.objects.bulk_update(bids, ["opened_price", "opened_at"])
    record = _write_record(package, bids, documents, now)
    old_status = package.status
    package.status = PackageStatus.OPENED
    package.save(update_fields=["status", "modified"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=package,
        old_status=old_status,
        new_status=package.status,
        reason="bids opened",
        changes={"opening_record_sha256": record.sha256, "bids": len(bids)},
    )
    notify(
        recipients=[bid.vendor.owner for bid in bids],
        kind="eprocurement.bids_opened",
        title=_("The bids of %(package)s were opened") % {"package": package.name},
        url=reverse("eprocurement:bid_mine"),
        subject=package,
    )
    send_package_changed(package.pk, "tender")
    return record


def _write_record(package: Package, bids: list[Bid], documents: dict, now) -> OpeningRecord:
    confirmed = OpeningConfirmation.objects.filter(package=package).select_related("member").order_by("confirmed_at")
    content = canonical_json(
        {
            "package": {"id": package.pk, "code": package.code or "", "name": package.name},
            "opened_at": _utc(now),
            "confirmed_by": [
                {"user": c.member_id, "name": str(c.member), "at": _utc(c.confirmed_at)} for c in confirmed
            ],
            "bids": [
                {
                    "bid": bid.pk,
                    "vendor": {"id": bid.vendor_id, "name": bid.vendor.name, "npwp": bid.vendor.npwp},
                    "submitted_at": _utc(bid.submitted_at),
                    "price": str(bid.opened_price),
                    "price_record_sha256": bid.price_sha256,
                    "receipt_sha256": bid.receipt_sha256,
                    "documents": [
                        {"id": d.pk, "kind": d.kind, "size": d.size, "sha256": d.sha256}
                        for d in documents.get(bid.pk, [])
                    ],
                }
                for bid in bids
            ],
        }
    )
    return OpeningRecord.objects.create(
        package=package,
        opened_at=now,
        bid_count=len(bids),
        content=content,
        sha256=sealing.sha256_hex(content.encode("utf-8")),
    )


# --- Reading a sealed document ----------------------------------------------------------------


def unsealed_document(document: BidDocument) -> tuple[str, bytes]:
    """The original file name and content of ``document``, unsealed in memory (the caller
    has decided the reader may see it: see selectors.bids.get_bid_document_for)."""
    wrapped = PackageKey.objects.get(package_id=document.bid.package_id).wrapped_key
    name = sealing.open_sealed(wrapped, document.sealed_name, context=name_context(document)).decode("utf-8")
    plain = io.BytesIO()
    with document.file.open("rb") as sealed:
        digest = sealing.open_sealed_file(wrapped, sealed, plain, context=document_context(document))
    if digest != document.sha256:
        raise sealing.SealBroken(f"document {document.pk} does not match its hash")
    return name, plain.getvalue()
