"""Sealed bids: a vendor's draft (price and documents, sealed the moment they arrive),
its submission with a receipt, replacement and withdrawal — all only while the bid
submission stage is open on the server's clock.

What is stored, and why nobody can read it before opening (DESIGN.md, "Sealed bids"):

- the price record is JSON (price as a string, currency, the validity the vendor
  declares, and a random salt) sealed with the package's key in the context
  ``package:{pk}/bid:{pk}/price``; ``price_sha256`` is the SHA-256 of that exact text.
  The salt matters: without it a hash of a price record could be matched by trying
  prices, and the hash is on the receipt;
- each document is sealed segment by segment straight from the upload into the storage
  (``sealing.seal_file``), so only ciphertext is ever written to the media folder, under
  a random name; the vendor's file name is sealed too;
- the package key is created once, the first time a bid on the package is sealed, and
  is stored only wrapped by the master key, which lives outside the database.

A change to a submitted bid (new price, a document added or removed) takes the bid back
to draft: what the receipt attests no longer exists, so the receipt is marked superseded
and the vendor must submit again before the deadline for the bid to count.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
import tempfile
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.services import DomainError, notify

from .. import sealing
from ..choices import BidDocumentKind, BidReceiptStatus, BidStatus, PackageStatus, TenderStage
from ..models import Bid, BidDocument, BidReceipt, Package, PackageKey, Vendor
from ..selectors import schedule
from ..selectors.vendors import vendor_bid_refusal
from ..signals import send_package_changed

CENT = Decimal("0.01")
MAX_PRICE = Decimal("9999999999999999.99")  # what DecimalField(18, 2) holds
CURRENCY = "IDR"
MAX_VALIDITY_DAYS = 365
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCUMENTS = 20
MAX_NAME_LENGTH = 200
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_submit_token() -> str:
    """A submission key for a form or an API client: random, URL-safe, 32 characters."""
    return secrets.token_urlsafe(24)


def canonical_json(value) -> str:
    """The one text a receipt or record hashes to: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def price_context(bid: Bid) -> str:
    return f"package:{bid.package_id}/bid:{bid.pk}/price"


def document_context(document: BidDocument) -> str:
    return f"package:{document.bid.package_id}/bid:{document.bid_id}/doc:{document.pk}"


def name_context(document: BidDocument) -> str:
    return document_context(document) + "/name"


# --- Rules shared by every change ---------------------------------------------------------


def _require_owner(vendor: Vendor, actor) -> None:
    if not getattr(actor, "is_authenticated", False) or vendor.owner_id != actor.pk:
        raise PermissionDenied


def _require_bidding_open(package: Package, now) -> None:
    """The package is announced and ``now`` lies in its bid submission stage (rows read
    fresh, in the caller's transaction)."""
    if package.status != PackageStatus.ANNOUNCED:
        raise DomainError(_("This tender is not taking bids."))
    window = schedule.stage_window(package, TenderStage.BID_SUBMISSION)
    if window is None:
        raise DomainError(_("This tender has no bid submission stage in its schedule."))
    if now < window[0]:
        raise DomainError(_("Bid submission has not started yet."))
    if now >= window[1]:
        raise DomainError(_("The bid deadline has passed; the bid can no longer be changed."))


def _require_eligible(package: Package, vendor: Vendor) -> None:
    refusal = vendor_bid_refusal(vendor, timezone.localdate())
    if refusal:
        raise DomainError(refusal)
    if package.small_business_reserved and not vendor.is_small_business:
        raise DomainError(_("This tender is reserved for small businesses."))


def _locked_package(package_id: int) -> Package:
    """The package, row-locked against an opening (FOR NO KEY UPDATE: bids on the same
    package queue behind an opening, and an opening waits for them)."""
    return Package.objects.select_for_update(no_key=True).get(pk=package_id)


def _locked_bid(bid_id: int) -> Bid:
    return Bid.objects.select_for_update().select_related("vendor").get(pk=bid_id)


def package_key(package: Package) -> str:
    """The package's wrapped key, made once the first time a bid on it is sealed (the
    caller holds the package row lock, so two first bids agree on one key)."""
    existing = PackageKey.objects.filter(package_id=package.pk).values_list("wrapped_key", flat=True).first()
    if existing:
        return existing
    try:
        wrapped = str(sealing.new_package_key())
    except ImproperlyConfigured:
        raise DomainError(
            _("Bidding is unavailable: the portal has no sealing key configured. Please tell the LPSE.")
        ) from None
    return PackageKey.objects.get_or_create(package_id=package.pk, defaults={"wrapped_key": wrapped})[0].wrapped_key


def _changed_bid_is_draft(bid: Bid, now) -> list[str]:
    """A bid that changes is a draft again: a submitted one is no longer what its receipt
    attests (the receipt is superseded), a withdrawn one is being prepared anew."""
    if bid.status == BidStatus.WITHDRAWN:
        bid.status = BidStatus.DRAFT
        return ["status"]
    if bid.status != BidStatus.SUBMITTED:
        return []
    BidReceipt.objects.filter(bid=bid, status=BidReceiptStatus.CURRENT).update(
        status=BidReceiptStatus.SUPERSEDED, ended_at=now
    )
    bid.status, bid.submitted_at, bid.submit_token, bid.receipt_sha256 = BidStatus.DRAFT, None, "", ""
    send_package_changed(bid.package_id, "tenderUpdate")  # one bid fewer counts
    return ["status", "submitted_at", "submit_token", "receipt_sha256"]


# --- Price ----------------------------------------------------------------------------------


def _clean_price(price) -> Decimal:
    try:
        value = Decimal(str(price).strip().replace(" ", ""))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({"price": _("Enter the price as a number of rupiah.")}) from None
    if not value.is_finite() or value <= 0:
        raise DomainError({"price": _("The price must be more than zero.")})
    if value > MAX_PRICE or value != value.quantize(CENT):
        raise DomainError({"price": _("Enter rupiah with at most two decimals and at most 16 digits.")})
    return value.quantize(CENT)


def _clean_validity(validity_days) -> int:
    try:
        days = int(validity_days)
    except (ValueError, TypeError):
        raise DomainError({"validity_days": _("Enter how many days the bid is valid.")}) from None
    if not 1 <= days <= MAX_VALIDITY_DAYS:
        raise DomainError({"validity_days": _("A bid is valid for 1 to %(days)s days.") % {"days": MAX_VALIDITY_DAYS}})
    return days


def price_record(bid: Bid, price: Decimal, validity_days: int) -> bytes:
    record = {
        "bid": bid.pk,
        "package": bid.package_id,
        "vendor": bid.vendor_id,
        "price": str(price),
        "currency": CURRENCY,
        "validity_days": validity_days,
        "salt": secrets.token_hex(16),
    }
    return canonical_json(record).encode("utf-8")


def bid_save_price(*, package: Package, vendor: Vendor, actor, price, validity_days) -> Bid:
    """Seal ``price`` as the vendor's price on ``package`` (making the bid the first time)."""
    _require_owner(vendor, actor)
    price, validity_days = _clean_price(price), _clean_validity(validity_days)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_package(package.pk)
        _require_bidding_open(locked, now)
        _require_eligible(locked, vendor)
        wrapped = package_key(locked)
        bid, created = Bid.objects.get_or_create(package=locked, vendor=vendor)
        bid = _locked_bid(bid.pk)
        record = price_record(bid, price, validity_days)
        bid.sealed_price = sealing.seal(wrapped, record, context=price_context(bid))
        bid.price_sha256 = sealing.sha256_hex(record)
        bid.save(update_fields=["sealed_price", "price_sha256", "modified", *_changed_bid_is_draft(bid, now)])
        # The audit entry says that a price was sealed and its hash, never the price.
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=bid,
            new_status=bid.status,
            reason="price sealed",
            changes={"price_sha256": bid.price_sha256},
            agency_id=locked.agency_id,
        )
    return bid


# --- Documents --------------------------------------------------------------------------------


def _clean_upload(uploaded_file, kind: str) -> str:
    if kind not in BidDocumentKind.values:
        raise DomainError({"kind": _("Choose what kind of document this is.")})
    if uploaded_file is None:
        raise DomainError({"file": _("Choose a file.")})
    name = (uploaded_file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise DomainError({"file": _("A file name has 1 to %(count)s characters.") % {"count": MAX_NAME_LENGTH}})
    if uploaded_file.size > MAX_DOCUMENT_BYTES:
        raise DomainError({"file": _("%(name)s is larger than 20 MB.") % {"name": name}})
    return name


def _seal_into_storage(document: BidDocument, wrapped: str, uploaded_file) -> None:
    """Seal the upload segment by segment into an anonymous spool (ciphertext only) and
    hand that to the storage, under a random name that says nothing about the file."""
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as sealed:
        uploaded_file.seek(0)
        document.sha256 = sealing.seal_file(wrapped, uploaded_file, sealed, context=document_context(document))
        sealed.seek(0)
        document.file.save(f"{uuid.uuid4().hex}.sealed", File(sealed), save=False)


def bid_add_document(*, bid: Bid, actor, kind: str, uploaded_file) -> BidDocument:
    """Seal ``uploaded_file`` as a document of ``bid``."""
    _require_owner(bid.vendor, actor)
    name = _clean_upload(uploaded_file, kind)
    now = timezone.now()
    with transaction.atomic():
        package = _locked_package(bid.package_id)
        bid = _locked_bid(bid.pk)
        _require_bidding_open(package, now)
        _require_eligible(package, bid.vendor)
        if bid.documents.count() >= MAX_DOCUMENTS:
            raise DomainError({"file": _("A bid has at most %(count)s documents.") % {"count": MAX_DOCUMENTS}})
        wrapped = package_key(package)
        document = BidDocument.objects.create(bid=bid, kind=kind, sealed_name="", size=uploaded_file.size, sha256="")
        document.bid = bid
        document.sealed_name = sealing.seal(wrapped, name.encode("utf-8"), context=name_context(document))
        _seal_into_storage(document, wrapped, uploaded_file)
        stored = document.file.name
        try:
            document.save(update_fields=["sealed_name", "file", "sha256"])
            _after_change(bid, now, actor, package, reason="document added", changes={"document": document.pk})
        except Exception:
            document.file.storage.delete(stored)
            raise
    return document


def bid_remove_document(*, document: BidDocument, actor) -> None:
    """Remove a document from a bid (its sealed file is deleted once the removal commits)."""
    _require_owner(document.bid.vendor, actor)
    now = timezone.now()
    with transaction.atomic():
        package = _locked_package(document.bid.package_id)
        bid = _locked_bid(document.bid_id)
        _require_bidding_open(package, now)
        document = BidDocument.objects.select_for_update().get(pk=document.pk, bid=bid)
        stored, storage = document.file.name, document.file.storage
        document.delete()
        _after_change(bid, now, actor, package, reason="document removed", changes={"document": document.pk})
        transaction.on_commit(lambda: storage.delete(stored))


def _after_change(bid: Bid, now, actor, package: Package, *, reason: str, changes: dict) -> None:
    bid.save(update_fields=["modified", *_changed_bid_is_draft(bid, now)])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=bid,
        new_status=bid.status,
        reason=reason,
        changes=changes,
        agency_id=package.agency_id,
    )


# --- Submit and withdraw --------------------------------------------------------------------


def _receipt_content(bid: Bid, submitted_at, documents: list[BidDocument]) -> str:
    return canonical_json(
        {
            "bid": bid.pk,
            "package": bid.package_id,
            "package_code": bid.package.code or "",
            "vendor": bid.vendor_id,
            "submitted_at": submitted_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "price_record_sha256": bid.price_sha256,
            "documents": [{"id": d.pk, "kind": d.kind, "size": d.size, "sha256": d.sha256} for d in documents],
        }
    )


def _content_fingerprint(receipt: BidReceipt) -> tuple:
    data = json.loads(receipt.content)
    return data["price_record_sha256"], [(d["id"], d["sha256"]) for d in data["documents"]]


def _retried(bid: Bid, token: str) -> BidReceipt | None:
    """The receipt a retried submit gets back: same key, bid unchanged since it was issued."""
    receipt = BidReceipt.objects.filter(bid=bid, token=token).first()
    if receipt is None:
        return None
    current = (bid.price_sha256, [(d.pk, d.sha256) for d in bid.documents.order_by("pk")])
    if receipt.status != BidReceiptStatus.CURRENT or _content_fingerprint(receipt) != current:
        raise DomainError(
            _(
                "This submission key was already used for an earlier version of the bid. "
                "Reload the page and submit again."
            )
        )
    return receipt


def bid_submit(*, bid: Bid, actor, token: str) -> BidReceipt:
    """Submit ``bid`` as it stands; decided on the server's clock when the request arrives.

    Idempotent on ``token``: a retry with the same key and an unchanged bid returns the
    receipt already issued and changes nothing (also after the deadline: it changes
    nothing). A submit of a changed bid issues a new receipt."""
    now = timezone.now()
    _require_owner(bid.vendor, actor)
    token = (token or "").strip()
    if not TOKEN_PATTERN.match(token):
        raise DomainError(_("The submission key is missing or malformed. Reload the page and submit again."))
    with transaction.atomic():
        package = _locked_package(bid.package_id)
        bid = _locked_bid(bid.pk)
        bid.package = package
        retried = _retried(bid, token)
        if retried is not None:
            return retried
        _require_bidding_open(package, now)
        _require_eligible(package, bid.vendor)
        return _issue_receipt(bid, package, now, actor, token)


def _issue_receipt(bid: Bid, package: Package, now, actor, token: str) -> BidReceipt:
    documents = list(bid.documents.order_by("pk"))
    if not bid.sealed_price:
        raise DomainError(_("Enter a price before submitting."))
    if not documents:
        raise DomainError(_("Upload at least one document before submitting."))
    old_status = bid.status
    BidReceipt.objects.filter(bid=bid, status=BidReceiptStatus.CURRENT).update(
        status=BidReceiptStatus.SUPERSEDED, ended_at=now
    )
    content = _receipt_content(bid, now, documents)
    receipt = BidReceipt.objects.create(
        bid=bid, token=token, submitted_at=now, content=content, sha256=sealing.sha256_hex(content.encode("utf-8"))
    )
    bid.status, bid.submitted_at, bid.submit_token, bid.receipt_sha256 = BidStatus.SUBMITTED, now, token, receipt.sha256
    bid.save(update_fields=["status", "submitted_at", "submit_token", "receipt_sha256", "modified"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=bid,
        old_status=old_status,
        new_status=bid.status,
        changes={"receipt_sha256": receipt.sha256},
        agency_id=package.agency_id,
    )
    notify(
        recipients=[bid.vendor.owner],
        kind="eprocurement.bid_receipt",
        title=_("Bid received for %(package)s") % {"package": package.name},
        body=_("Receipt %(hash)s, received %(time)s (server time).")
        % {"hash": receipt.sha256, "time": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S %Z")},
        url=reverse("eprocurement:bid_receipt", args=[bid.pk]),
        subject=bid,
    )
    send_package_changed(package.pk, "tenderUpdate")
    return receipt


def bid_withdraw(*, bid: Bid, actor, reason: str = "") -> Bid:
    """Withdraw a submitted bid before the deadline; it no longer counts."""
    now = timezone.now()
    _require_owner(bid.vendor, actor)
    with transaction.atomic():
        package = _locked_package(bid.package_id)
        bid = _locked_bid(bid.pk)
        _require_bidding_open(package, now)
        if bid.status != BidStatus.SUBMITTED:
            raise DomainError(_("Only a submitted bid can be withdrawn."))
        BidReceipt.objects.filter(bid=bid, status=BidReceiptStatus.CURRENT).update(
            status=BidReceiptStatus.WITHDRAWN, ended_at=now
        )
        bid.status, bid.submitted_at, bid.submit_token, bid.receipt_sha256 = BidStatus.WITHDRAWN, None, "", ""
        bid.save(update_fields=["status", "submitted_at", "submit_token", "receipt_sha256", "modified"])
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=bid,
            old_status=BidStatus.SUBMITTED,
            new_status=bid.status,
            reason=(reason or "").strip()[:500],
            agency_id=package.agency_id,
        )
        send_package_changed(package.pk, "tenderUpdate")
    return bid
