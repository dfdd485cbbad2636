"""E-Monev's records: planned curves, monthly progress reports with their evidence, and
the critical status of contracts with its escalation steps.

A curve or a report is about either a contract or a plan item: two nullable foreign keys
with a check that exactly one is set. Each row also keeps the agency its subject belongs
to (set by the services from the subject), so every list is scoped on one path.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet

from .choices import CriticalBasis, EscalationStep, EvidenceKind, ReportStatus

MONEY = {"max_digits": 18, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}
ONE_SUBJECT = Q(contract__isnull=False, plan_item__isnull=True) | Q(contract__isnull=True, plan_item__isnull=False)


class AgencyScopedQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "agency__region_id"


class SubjectMixin(models.Model):
    """A contract or a plan item, and the agency it belongs to."""

    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    contract = models.ForeignKey(
        "eprocurement.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contract"),
    )
    plan_item = models.ForeignKey(
        "eplanning.PlanItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan item"),
    )

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.contract if self.contract_id else self.plan_item


class PlannedCurve(SubjectMixin):
    """The planned cumulative physical % and financial amount, month by month: the
    contract's months, or the twelve months of a plan item's fiscal year."""

    total = models.DecimalField(_("total (contract value or budget)"), **MONEY)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "id"]
        verbose_name = _("planned curve")
        verbose_name_plural = _("planned curves")
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="planned_curve_one_subject"),
            models.UniqueConstraint(
                fields=["contract"], condition=Q(contract__isnull=False), name="planned_curve_one_per_contract"
            ),
            models.UniqueConstraint(
                fields=["plan_item"], condition=Q(plan_item__isnull=False), name="planned_curve_one_per_plan_item"
            ),
        ]

    def __str__(self):
        return f"curve of {'contract' if self.contract_id else 'plan item'} {self.contract_id or self.plan_item_id}"


class PlannedPoint(models.Model):
    """One month of a curve: cumulative values at the month's end."""

    curve = models.ForeignKey(PlannedCurve, on_delete=models.CASCADE, related_name="points")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    physical_pct = models.DecimalField(_("planned physical progress (%)"), **PERCENT)
    financial = models.DecimalField(_("planned financial (Rp)"), **MONEY)

    class Meta:
        ordering = ["curve", "year", "month"]
        verbose_name = _("planned month")
        verbose_name_plural = _("planned months")
        constraints = [
            models.UniqueConstraint(fields=["curve", "year", "month"], name="planned_point_once_per_month"),
            models.CheckConstraint(
                condition=Q(physical_pct__gte=0, physical_pct__lte=100), name="planned_point_physical_range"
            ),
            models.CheckConstraint(condition=Q(financial__gte=0), name="planned_point_financial_not_negative"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}: {self.physical_pct}% / {self.financial}"


class ProgressReport(SubjectMixin):
    """A month's progress of a contract or a plan item (laporan realisasi fisik dan keuangan).

    ``physical_pct`` is cumulative, typed by the monev officer. ``financial_realized`` is
    never typed: it is the sum of the realizations (SP2D) recorded up to the month's end,
    computed when the report is submitted and kept as it was then; so are the planned
    values of that month, so a report reads the same after the plan changes.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    physical_pct = models.DecimalField(_("physical progress (%)"), **PERCENT)
    financial_realized = models.DecimalField(_("financial realized (Rp)"), null=True, blank=True, **MONEY)
    financial_total = models.DecimalField(_("contract value or budget (Rp)"), null=True, blank=True, **MONEY)
    planned_physical_pct = models.DecimalField(_("planned physical (%)"), null=True, blank=True, **PERCENT)
    planned_financial = models.DecimalField(_("planned financial (Rp)"), null=True, blank=True, **MONEY)
    problems = models.TextField(_("problems (kendala)"), blank=True)
    follow_up = models.TextField(_("follow-up (tindak lanjut)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    due_on = models.DateField(_("due"))
    is_late = models.BooleanField(_("submitted late"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verifier_comment = models.TextField(_("verifier's comments"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [models.Index(fields=["status", "submitted_at"], name="progress_report_queue")]
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="progress_report_one_subject"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="progress_report_month_range"),
            models.CheckConstraint(
                condition=Q(physical_pct__gte=0, physical_pct__lte=100), name="progress_report_physical_range"
            ),
            models.UniqueConstraint(
                fields=["contract", "year", "month"],
                condition=Q(contract__isnull=False),
                name="progress_report_once_per_contract_month",
            ),
            models.UniqueConstraint(
                fields=["plan_item", "year", "month"],
                condition=Q(plan_item__isnull=False),
                name="progress_report_once_per_plan_item_month",
            ),
        ]

    def __str__(self):
        subject = f"contract {self.contract_id}" if self.contract_id else f"plan item {self.plan_item_id}"
        return f"progress {self.year}-{self.month:02d} of {subject}"

    @property
    def physical_deviation(self):
        if self.planned_physical_pct is None:
            return None
        return self.physical_pct - self.planned_physical_pct

    @property
    def financial_deviation(self):
        if self.planned_financial is None or self.financial_realized is None:
            return None
        return self.financial_realized - self.planned_financial


class ProgressEvidence(models.Model):
    """A photo (JPEG/PNG) or a PDF attached to a report, checked by its content; the date
    and place a JPEG carries in its EXIF are kept when present."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="monev/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("progress evidence")
        verbose_name_plural = _("progress evidence")

    def __str__(self):
        return self.original_name


class CriticalStatus(models.Model):
    """Whether a contract is critical (kontrak kritis) by the DESIGN.md rule, as last
    evaluated; ``since`` starts the current critical episode, whose escalation steps follow."""

    contract = models.OneToOneField("eprocurement.Contract", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    is_critical = models.BooleanField(_("critical"), default=False)
    since = models.DateTimeField(_("critical since"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    month = models.PositiveSmallIntegerField(_("month evaluated"))
    planned_pct = models.DecimalField(_("planned physical (%)"), **PERCENT)
    actual_pct = models.DecimalField(_("actual physical (%)"), **PERCENT)
    basis = models.CharField(_("based on"), max_length=10, choices=CriticalBasis.choices)
    evaluated_at = models.DateTimeField(_("evaluated"))

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_critical", "-since", "id"]
        verbose_name = _("critical contract status")
        verbose_name_plural = _("critical contract statuses")

    def __str__(self):
        return f"contract {self.contract_id}: {'critical' if self.is_critical else 'not critical'}"

    @property
    def lag(self):
        return self.planned_pct - self.actual_pct


class Escalation(models.Model):
    """A step taken on a critical contract by its PPK: a show-cause meeting or a warning."""

    status = models.ForeignKey(CriticalStatus, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(_("step"), max_length=4, choices=EscalationStep.choices)
    held_on = models.DateField(_("date"))
    reference = models.CharField(_("letter or minutes number"), max_length=100)
    note = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["status", "recorded_at", "id"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self):
        return f"{self.get_step_display()} {self.reference}"


from .models_reports import (  # noqa: E402, F401  (the reports part's records)
    AchievementStatus,
    IndicatorAchievement,
    MonthlyReport,
    ReminderKind,
    ReminderSent,
)
