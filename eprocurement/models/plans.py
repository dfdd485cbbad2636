from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet

from ..choices import PlanItemStatus, ProcurementKind, ProcurementMethod
from .vendors import MONEY


class ProcurementPlanQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "agency__region_id"


class ProcurementPlanItem(models.Model):
    """A RUP item (rencana umum pengadaan): what an agency will procure, how, and from
    which budget lines. Announcing it commits its funds in the budget ledger."""

    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    fiscal_year = models.ForeignKey("portal.FiscalYear", on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    rup_code = models.CharField(_("RUP code"), max_length=20, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProcurementKind.choices)
    method = models.CharField(_("method"), max_length=20, choices=ProcurementMethod.choices)
    value = models.DecimalField(_("value"), default=Decimal("0"), **MONEY)
    selection_start = models.DateField(_("selection from"))
    selection_end = models.DateField(_("selection until"))
    contract_start = models.DateField(_("contract from"))
    contract_end = models.DateField(_("contract until"))
    use_start = models.DateField(_("use from"))
    small_business_reserved = models.BooleanField(_("reserved for small businesses"), default=False)
    # Penunjukan langsung has its own legal grounds (Perpres 16/2018 art. 38(5)): they are written down.
    method_justification = models.TextField(_("grounds for the method"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanItemStatus.choices, default=PlanItemStatus.DRAFT)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProcurementPlanQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "agency", "id"]
        verbose_name = _("procurement plan item (RUP)")
        verbose_name_plural = _("procurement plan (RUP)")
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="rup_value_not_negative"),
            models.CheckConstraint(
                condition=models.Q(selection_end__gte=models.F("selection_start"))
                & models.Q(contract_end__gte=models.F("contract_start")),
                name="rup_periods_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.rup_code or '—'} {self.name}"


class ProcurementFunding(models.Model):
    """How much of one budget line a RUP item draws on."""

    plan_item = models.ForeignKey(ProcurementPlanItem, on_delete=models.CASCADE, related_name="fundings")
    budget_line = models.ForeignKey(
        "ebudgeting.BudgetLine", on_delete=models.PROTECT, related_name="+", verbose_name=_("budget line")
    )
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)

    class Meta:
        ordering = ["plan_item", "id"]
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [
            models.UniqueConstraint(fields=["plan_item", "budget_line"], name="rup_funding_once_per_line"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="rup_funding_positive"),
        ]

    def __str__(self):
        return f"{self.plan_item_id} ← {self.budget_line_id}: {self.amount}"
