"""Records of the monthly monev report, of the reminders sent, and of indicator achievement.

- ``MonthlyReport``: the stored PDF and XLSX of one month for one agency (``agency`` set)
  or for a whole region (``agency`` empty). The row is unique per scope and month, so
  the first to create it claims the work: beat builds each month's reports once.
- ``ReminderSent``: one row per (kind, subject, month) of a reminder or alert sent, so a
  sweep run twice (or a report accepted twice) tells nobody twice.
- ``IndicatorAchievement``: the cumulative actual of a plan item's indicator at the end
  of a quarter, recorded by the agency's monev officer and verified by Bappeda.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet


class MonthlyReportQuerySet(ScopedQuerySet):
    # An agency's report is read in the agency and by those reaching its region; a
    # region's report (no agency) only by those reaching the region.
    agency_path = "agency_id"
    region_path = "region_id"


class MonthlyReport(models.Model):
    region = models.ForeignKey("portal.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    pdf = models.FileField(_("PDF"), upload_to="monev/reports/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to="monev/reports/%Y/", blank=True)
    xlsx_sha256 = models.CharField(_("XLSX SHA-256"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("contracts and plan items"), default=0)
    claimed_at = models.DateTimeField(_("claimed"))
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "region", "agency", "id"]
        verbose_name = _("monthly monev report")
        verbose_name_plural = _("monthly monev reports")
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthly_report_month_range"),
            models.UniqueConstraint(
                fields=["agency", "year", "month"],
                condition=Q(agency__isnull=False),
                name="monthly_report_once_per_agency_month",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "month"],
                condition=Q(agency__isnull=True),
                name="monthly_report_once_per_region_month",
            ),
        ]

    def __str__(self):
        scope = f"agency {self.agency_id}" if self.agency_id else f"region {self.region_id}"
        return f"monev {self.year}-{self.month:02d} {scope}"

    @property
    def is_ready(self) -> bool:
        return self.generated_at is not None and bool(self.pdf)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Report due soon")
    LATE = "late", _("Report late")
    DEVIATION = "deviation", _("Deviation alert")


class ReminderQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "agency__region_id"


class ReminderSent(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    subject_key = models.CharField(_("subject"), max_length=40, help_text=_('"contract:<id>" or "plan_item:<id>"'))
    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_key", "year", "month"], name="reminder_once_per_month"),
        ]

    def __str__(self):
        return f"{self.kind} {self.subject_key} {self.year}-{self.month:02d}"


class AchievementStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    VERIFIED = "verified", _("Verified")


class AchievementQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "agency__region_id"


class IndicatorAchievement(models.Model):
    indicator = models.ForeignKey(
        "eplanning.PlanIndicator", on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    plan_item = models.ForeignKey(
        "eplanning.PlanItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan item")
    )
    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    actual = models.DecimalField(_("actual (cumulative)"), max_digits=18, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AchievementStatus.choices, default=AchievementStatus.RECORDED
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    objects = AchievementQuerySet.as_manager()

    class Meta:
        ordering = ["plan_item", "indicator", "quarter"]
        verbose_name = _("indicator achievement")
        verbose_name_plural = _("indicator achievements")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter"], name="achievement_once_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="achievement_quarter_range"),
            models.CheckConstraint(condition=Q(actual__gte=0), name="achievement_actual_not_negative"),
        ]

    def __str__(self):
        return f"indicator {self.indicator_id} Q{self.quarter}: {self.actual}"
