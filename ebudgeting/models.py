from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet

from .choices import AccountLevel, DocumentStatus, LedgerEntryKind, RevisionKind

MONEY = {"max_digits": 18, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class AccountCode(models.Model):
    """A spending account (kode rekening belanja), six levels: 5.1.02.01.01.0024."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=AccountLevel.choices)
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    edition = models.CharField(_("edition"), max_length=40, blank=True)
    is_active = models.BooleanField(_("in the current list"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("account code")
        verbose_name_plural = _("account codes")

    def __str__(self):
        return f"{self.code} {self.name}"


class FundingSource(models.Model):
    """Where the money comes from: PAD, DAU, DAK Fisik, DAK Non Fisik, DBH, DID, ..."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self):
        return self.name


class BudgetDocumentQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "agency__region_id"

    def current(self):
        return self.filter(is_current=True)


class BudgetDocument(models.Model):
    """An agency's budget for a year: the RKA while prepared, the DPA once approved.

    A revision (pergeseran, or the APBD-P once a year) is a new version that copies
    the approved one; the earlier versions stay readable, marked superseded when the
    revision is approved.
    """

    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    fiscal_year = models.ForeignKey("portal.FiscalYear", on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    revision_kind = models.CharField(
        _("kind"), max_length=10, choices=RevisionKind.choices, default=RevisionKind.ORIGINAL
    )
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revises")
    )
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    is_current = models.BooleanField(_("current version"), default=True)
    number = models.CharField(_("DPA number"), max_length=100, blank=True)
    # Running totals of the lines, kept by ebudgeting.services in the same transaction
    # as every change of a line or its ledger, so summaries over a whole province read
    # one row per document instead of every line.
    total_amount = models.DecimalField(_("total"), default=Decimal("0"), **MONEY)
    total_committed = models.DecimalField(_("committed"), default=Decimal("0"), **MONEY)
    total_realized = models.DecimalField(_("realized"), default=Decimal("0"), **MONEY)
    verifier_note = models.TextField(_("TAPD's comments"), blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BudgetDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "agency", "-version"]
        verbose_name = _("budget document")
        verbose_name_plural = _("budget documents")
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year", "version"], name="budget_document_version_unique"),
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"],
                condition=models.Q(is_current=True),
                name="budget_document_one_current",
            ),
        ]

    def __str__(self):
        kind = "DPA" if self.status == DocumentStatus.APPROVED else "RKA"
        return f"{kind} {self.agency} {self.fiscal_year} v{self.version}"


class BudgetLineQuerySet(ScopedQuerySet):
    agency_path = "document__agency_id"
    region_path = "document__agency__region_id"


class BudgetLine(models.Model):
    """A budget line (rincian belanja): sub-activity (through its plan item) + account +
    funding source + volume × unit price, with its monthly cash plan and its ledger.

    ``origin`` is the line this one was copied from in an earlier version (itself when
    first made), so the versions of one line can be compared and its ledger carried.
    ``committed`` and ``realized`` are kept by ebudgeting.services only, under a row
    lock: available = amount − committed − realized never goes below zero.
    """

    document = models.ForeignKey(BudgetDocument, on_delete=models.CASCADE, related_name="lines")
    origin = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    plan_item = models.ForeignKey(
        "eplanning.PlanItem", on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("plan item")
    )
    account = models.ForeignKey(AccountCode, on_delete=models.PROTECT, related_name="+", verbose_name=_("account"))
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("funding source")
    )
    description = models.CharField(_("description"), max_length=500)
    volume = models.DecimalField(_("volume"), max_digits=18, decimal_places=2, validators=NON_NEGATIVE)
    unit = models.CharField(_("unit"), max_length=40)
    unit_price = models.DecimalField(_("unit price"), validators=NON_NEGATIVE, **MONEY)
    amount = models.DecimalField(_("amount"), validators=NON_NEGATIVE, **MONEY)
    committed = models.DecimalField(_("committed"), default=Decimal("0"), **MONEY)
    realized = models.DecimalField(_("realized"), default=Decimal("0"), **MONEY)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["document", "plan_item", "account__code", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        indexes = [
            # Summaries add up every line of the DPAs in force: on PostgreSQL they read
            # the figures from the index alone (a covering index).
            models.Index(
                fields=["document"], include=["amount", "committed", "realized"], name="budgetline_document_figures"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(committed__gte=0), name="budget_line_committed_not_negative"),
            models.CheckConstraint(condition=models.Q(realized__gte=0), name="budget_line_realized_not_negative"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=models.F("committed") + models.F("realized")),
                name="budget_line_available_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.plan_item.sub_activity.code}.{self.account.code} {self.description}"

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed - self.realized


class CashPlanMonth(models.Model):
    """The anggaran kas: how much of a line is planned to be spent in each month."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="cash_plan")
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    amount = models.DecimalField(_("amount"), validators=NON_NEGATIVE, **MONEY)

    class Meta:
        ordering = ["line", "month"]
        verbose_name = _("cash plan month")
        verbose_name_plural = _("cash plan")
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="cash_plan_one_per_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="cash_plan_month_range"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cash_plan_not_negative"),
        ]

    def __str__(self):
        return f"{self.line_id} {self.month:02d}: {self.amount}"


class LedgerEntryQuerySet(ScopedQuerySet):
    agency_path = "line__document__agency_id"
    region_path = "line__document__agency__region_id"


class LedgerEntry(models.Model):
    """One movement in a line's ledger; ``reference`` names what caused it (a
    procurement plan item, a contract, ...) so a release finds its commitment."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerEntryKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference"), max_length=100, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created = models.DateTimeField(_("time"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["line", "created", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.kind} {self.amount} ({self.reference})"


class RealizationQuerySet(ScopedQuerySet):
    agency_path = "line__document__agency_id"
    region_path = "line__document__agency__region_id"


class Realization(models.Model):
    """A disbursement (SP2D) against a budget line: what counts as spent."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="realizations")
    number = models.CharField(_("SP2D number"), max_length=100)
    date = models.DateField(_("SP2D date"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    purpose = models.CharField(_("pays for"), max_length=500)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    reference = models.CharField(_("commitment reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = RealizationQuerySet.as_manager()

    class Meta:
        ordering = ["line", "date", "id"]
        verbose_name = _("realization (SP2D)")
        verbose_name_plural = _("realizations (SP2D)")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="realization_amount_positive"),
            models.UniqueConstraint(fields=["line", "number"], name="realization_number_unique_per_line"),
        ]

    def __str__(self):
        return f"SP2D {self.number} {self.amount}"
