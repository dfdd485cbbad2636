"""Packages (paket): what a tender buys, from which RUP items, by whom, on what schedule."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet

from ..choices import (
    PACKAGE_PUBLIC_STATES,
    EvaluationMethod,
    PackageDocumentKind,
    PackageStatus,
    ProcurementKind,
    ProcurementMethod,
    TenderStage,
)
from .vendors import MONEY


class PackageQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "agency__region_id"

    def public(self):
        """Packages the public tender site shows: everything announced, never a draft."""
        return self.filter(status__in=PACKAGE_PUBLIC_STATES)


class Package(models.Model):
    """A procurement package (paket) run by a pokja for a PPK, drawn from RUP items.

    ``value`` is the sum of its RUP items' values (the ceiling, pagu); the owner's
    estimate (HPS) may not exceed it. The code (kode tender) is assigned on announcement.
    """

    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    fiscal_year = models.ForeignKey("portal.FiscalYear", on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    code = models.CharField(_("tender code"), max_length=24, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProcurementKind.choices)
    method = models.CharField(_("method"), max_length=20, choices=ProcurementMethod.choices)
    evaluation_method = models.CharField(_("evaluation method"), max_length=16, choices=EvaluationMethod.choices)
    plan_items = models.ManyToManyField(
        "eprocurement.ProcurementPlanItem",
        through="PackagePlanItem",
        related_name="packages",
        verbose_name=_("procurement plan items (RUP)"),
    )
    value = models.DecimalField(_("ceiling (pagu)"), default=Decimal("0"), **MONEY)
    owner_estimate = models.DecimalField(_("owner's estimate (HPS)"), default=Decimal("0"), **MONEY)
    qualification_requirements = models.TextField(_("qualification requirements"), blank=True)
    small_business_reserved = models.BooleanField(_("reserved for small businesses"), default=False)
    ppk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commitment officer (PPK)"),
    )
    pokja = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PokjaMember", related_name="+", verbose_name=_("pokja")
    )
    status = models.CharField(_("status"), max_length=12, choices=PackageStatus.choices, default=PackageStatus.DRAFT)
    status_reason = models.TextField(_("reason"), blank=True)
    retender_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retenders",
        verbose_name=_("re-tender of"),
    )
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = PackageQuerySet.as_manager()

    class Meta:
        ordering = ["-announced_at", "-id"]
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        indexes = [
            models.Index(fields=["status", "-announced_at"], name="package_status_announced"),
            # The public list: newest first over every public status, read in index order.
            models.Index(fields=["-announced_at", "-id"], name="package_announced_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(owner_estimate__gte=0), name="package_hps_not_negative"),
            models.CheckConstraint(
                condition=models.Q(owner_estimate__lte=models.F("value")), name="package_hps_within_ceiling"
            ),
        ]

    def __str__(self):
        return f"{self.code or '—'} {self.name}"


class PackagePlanItem(models.Model):
    """A RUP item a package procures (one package may bundle several)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="plan_item_links")
    plan_item = models.ForeignKey(
        "eprocurement.ProcurementPlanItem", on_delete=models.PROTECT, related_name="package_links"
    )

    class Meta:
        ordering = ["package", "id"]
        verbose_name = _("package's RUP item")
        verbose_name_plural = _("package's RUP items")
        constraints = [models.UniqueConstraint(fields=["package", "plan_item"], name="package_plan_item_once")]

    def __str__(self):
        return f"{self.package_id} ← {self.plan_item_id}"


class PokjaMember(models.Model):
    """One of the three members of the working group (pokja) that runs a package."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="pokja_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pokja_seats")
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        ordering = ["package", "-is_chair", "id"]
        verbose_name = _("pokja member")
        verbose_name_plural = _("pokja members")
        constraints = [models.UniqueConstraint(fields=["package", "user"], name="pokja_member_once")]

    def __str__(self):
        return f"{self.package_id}: {self.user}"


class PackageStage(models.Model):
    """One stage of a package's schedule, a (stage, start, end) row so it can be extended."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=24, choices=TenderStage.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["package", "starts_at", "id"]
        verbose_name = _("schedule stage")
        verbose_name_plural = _("schedule")
        constraints = [
            models.UniqueConstraint(fields=["package", "stage"], name="package_stage_once"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="stage_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.package_id} {self.stage} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class ScheduleChange(models.Model):
    """A change of one stage's dates after announcement (an extension), with its reason."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="schedule_changes")
    stage = models.CharField(_("stage"), max_length=24, choices=TenderStage.choices)
    old_starts_at = models.DateTimeField(_("previous start"))
    old_ends_at = models.DateTimeField(_("previous end"))
    new_starts_at = models.DateTimeField(_("new start"))
    new_ends_at = models.DateTimeField(_("new end"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        ordering = ["package", "changed_at", "id"]
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")

    def __str__(self):
        return f"{self.package_id} {self.stage} → {self.new_ends_at:%Y-%m-%d %H:%M}"


class PackageDocument(models.Model):
    """A public document of a package (selection document, HPS breakdown, addendum ...).

    Files are served by a view, never from /media/; a draft package's documents are
    internal until announcement.
    """

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=PackageDocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="packages/%Y/")
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("replaces")
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["package", "uploaded", "id"]
        verbose_name = _("package document")
        verbose_name_plural = _("package documents")

    def __str__(self):
        return self.title
