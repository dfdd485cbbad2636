"""What sealed bidding leaves on record: the receipts a vendor got for each submission,
the pokja members' confirmations of an opening, and the opening record itself.

Receipts and the opening record are stored as the exact canonical JSON text that was
hashed, so anyone can recompute their SHA-256 from what is shown or downloaded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import BidReceiptStatus


class BidReceipt(models.Model):
    """The receipt of one accepted submission of a bid. A bid submitted, changed and
    submitted again keeps its earlier receipts, marked superseded (or withdrawn)."""

    bid = models.ForeignKey("eprocurement.Bid", on_delete=models.PROTECT, related_name="receipts")
    token = models.CharField(_("submission key"), max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=BidReceiptStatus.choices, default=BidReceiptStatus.CURRENT
    )
    submitted_at = models.DateTimeField(_("received (server time)"))
    # The canonical receipt JSON (bid id, server time, SHA-256 of every file and of the
    # price record) and the SHA-256 of exactly that text.
    content = models.TextField(_("receipt"))
    sha256 = models.CharField(_("SHA-256 of the receipt"), max_length=64)
    ended_at = models.DateTimeField(_("superseded or withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["bid", "-submitted_at", "-id"]
        verbose_name = _("bid receipt")
        verbose_name_plural = _("bid receipts")
        constraints = [
            models.UniqueConstraint(fields=["bid", "token"], name="bid_receipt_token_once"),
            models.UniqueConstraint(
                fields=["bid"], condition=models.Q(status="current"), name="bid_one_current_receipt"
            ),
        ]

    def __str__(self):
        return f"receipt {self.sha256[:12]} of bid {self.bid_id}"


class OpeningConfirmation(models.Model):
    """A pokja member's confirmation that a package's bids may be opened (two open them)."""

    package = models.ForeignKey("eprocurement.Package", on_delete=models.CASCADE, related_name="opening_confirmations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now_add=True)

    class Meta:
        ordering = ["package", "confirmed_at", "id"]
        verbose_name = _("opening confirmation")
        verbose_name_plural = _("opening confirmations")
        constraints = [models.UniqueConstraint(fields=["package", "member"], name="opening_confirmed_once")]

    def __str__(self):
        return f"{self.package_id}: {self.member}"


class OpeningRecord(models.Model):
    """The record of an opening (berita acara pembukaan): every opened bid with its vendor,
    time, price and hashes, as canonical JSON with its own SHA-256."""

    package = models.OneToOneField("eprocurement.Package", on_delete=models.PROTECT, related_name="opening_record")
    opened_at = models.DateTimeField(_("opened"))
    bid_count = models.PositiveIntegerField(_("bids opened"))
    content = models.TextField(_("opening record"))
    sha256 = models.CharField(_("SHA-256 of the record"), max_length=64)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("opening record")
        verbose_name_plural = _("opening records")

    def __str__(self):
        return f"opening of package {self.package_id}"
