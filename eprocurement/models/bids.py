"""Sealed bids. A price and every document exist only sealed (``eprocurement.sealing``)
until opening; opening writes the price in clear into ``opened_price``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import BidDocumentKind, BidStatus
from .vendors import MONEY


class PackageKey(models.Model):
    """A package's data key, stored only wrapped by the master key (never in clear)."""

    package = models.OneToOneField("eprocurement.Package", on_delete=models.CASCADE, related_name="sealing_key")
    wrapped_key = models.TextField(_("wrapped key"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("package key")
        verbose_name_plural = _("package keys")

    def __str__(self):
        return f"key of package {self.package_id}"


class Bid(models.Model):
    """A vendor's bid on a package; one per vendor and package, replaced until the deadline."""

    package = models.ForeignKey("eprocurement.Package", on_delete=models.PROTECT, related_name="bids")
    vendor = models.ForeignKey("eprocurement.Vendor", on_delete=models.PROTECT, related_name="bids")
    status = models.CharField(_("status"), max_length=10, choices=BidStatus.choices, default=BidStatus.DRAFT)
    # The price record (price and what the vendor declares with it), sealed; see sealing.seal.
    sealed_price = models.TextField(_("sealed price"), blank=True)
    price_sha256 = models.CharField(_("SHA-256 of the price record"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The client's key of the last accepted submit: a retried request finds it and creates nothing.
    submit_token = models.CharField(_("submission key"), max_length=64, blank=True)
    receipt_sha256 = models.CharField(_("receipt hash"), max_length=64, blank=True)
    opened_price = models.DecimalField(_("price"), null=True, blank=True, **MONEY)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["package", "id"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [models.UniqueConstraint(fields=["package", "vendor"], name="bid_once_per_vendor")]
        indexes = [models.Index(fields=["package", "status"], name="bid_package_status")]

    def __str__(self):
        return f"bid {self.pk} on package {self.package_id}"


class BidDocument(models.Model):
    """A document of a bid, stored sealed in the media folder (``file`` holds ciphertext)."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=BidDocumentKind.choices)
    # The vendor's file name is part of the bid too: it is sealed with the content.
    sealed_name = models.TextField(_("sealed file name"))
    file = models.FileField(_("sealed file"), upload_to="bids/%Y/")
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["bid", "id"]
        verbose_name = _("bid document")
        verbose_name_plural = _("bid documents")

    def __str__(self):
        return f"document {self.pk} of bid {self.bid_id}"
