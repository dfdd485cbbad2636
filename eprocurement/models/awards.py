"""After opening: evaluation of each bid, the award, objections, appointment and contract."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet

from ..choices import ContractStatus, ObjectionKind, ObjectionStatus
from .vendors import MONEY


class BidEvaluation(models.Model):
    """The pokja's evaluation of one opened bid: pass/fail per part, scores where the
    method uses them, a price clarification for bids under 80% of HPS, and the rank."""

    bid = models.OneToOneField("eprocurement.Bid", on_delete=models.CASCADE, related_name="evaluation")
    administrative_pass = models.BooleanField(_("administration passed"), null=True)
    qualification_pass = models.BooleanField(_("qualification passed"), null=True)
    technical_pass = models.BooleanField(_("technical passed"), null=True)
    technical_score = models.DecimalField(_("technical score"), max_digits=6, decimal_places=2, null=True, blank=True)
    price_pass = models.BooleanField(_("price passed"), null=True)
    price_score = models.DecimalField(_("price score"), max_digits=6, decimal_places=2, null=True, blank=True)
    total_score = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, null=True, blank=True)
    # Biaya selama umur ekonomis: price + operation + maintenance − residual value over the
    # economic life, as the pokja computed it from the bid (migration 0005_awards_life_cycle_cost).
    life_cycle_cost = models.DecimalField(_("life-cycle cost"), null=True, blank=True, **MONEY)
    clarification_required = models.BooleanField(_("price clarification required"), default=False)
    clarification_note = models.TextField(_("price clarification"), blank=True)
    qualification_proven = models.BooleanField(_("qualification proven"), null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    notes = models.TextField(_("reasons"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["bid"]
        verbose_name = _("bid evaluation")
        verbose_name_plural = _("bid evaluations")

    def __str__(self):
        return f"evaluation of bid {self.bid_id}"


class Award(models.Model):
    """The pokja's decision on the winner (penetapan pemenang) and its announcement."""

    package = models.OneToOneField("eprocurement.Package", on_delete=models.PROTECT, related_name="award")
    bid = models.ForeignKey("eprocurement.Bid", on_delete=models.PROTECT, related_name="+")
    vendor = models.ForeignKey("eprocurement.Vendor", on_delete=models.PROTECT, related_name="awards")
    value = models.DecimalField(_("award value"), **MONEY)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    appointment_number = models.CharField(_("SPPBJ number"), max_length=100, blank=True)
    appointed_at = models.DateTimeField(_("SPPBJ issued"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self):
        return f"award of package {self.package_id}"


class Objection(models.Model):
    """A participant's objection (sanggah) to the result, or an appeal (sanggah banding,
    works only) against the pokja's answer."""

    package = models.ForeignKey("eprocurement.Package", on_delete=models.PROTECT, related_name="objections")
    vendor = models.ForeignKey("eprocurement.Vendor", on_delete=models.PROTECT, related_name="objections")
    kind = models.CharField(_("kind"), max_length=8, choices=ObjectionKind.choices, default=ObjectionKind.OBJECTION)
    appeal_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="appeals", verbose_name=_("appeal of")
    )
    text = models.TextField(_("objection"))
    submitted_at = models.DateTimeField(_("submitted"))
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.SUBMITTED
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["package", "submitted_at", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk} on package {self.package_id}"


class ContractQuerySet(ScopedQuerySet):
    agency_path = "package__agency_id"
    region_path = "package__agency__region_id"


class Contract(models.Model):
    """The contract (kontrak / SPK) the PPK signs with the winner. Signing commits its value
    in the budget ledger; payments under it are realizations on its budget lines."""

    package = models.OneToOneField("eprocurement.Package", on_delete=models.PROTECT, related_name="contract")
    vendor = models.ForeignKey("eprocurement.Vendor", on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(_("contract number"), max_length=100, unique=True)
    value = models.DecimalField(_("contract value"), **MONEY)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    payment_terms = models.TextField(_("payment terms"))
    status = models.CharField(_("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gt=0), name="contract_value_positive"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_dates_order"),
        ]

    def __str__(self):
        return self.number


class ContractPayment(models.Model):
    """A payment under a contract: the SP2D realizations it made on the budget lines."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    number = models.CharField(_("SP2D number"), max_length=100)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    description = models.CharField(_("pays for"), max_length=300)
    realizations = models.ManyToManyField("ebudgeting.Realization", related_name="+", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["contract", "date", "id"]
        verbose_name = _("contract payment")
        verbose_name_plural = _("contract payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="contract_payment_positive"),
            models.UniqueConstraint(fields=["contract", "number"], name="contract_payment_number_once"),
        ]

    def __str__(self):
        return f"{self.contract} SP2D {self.number}"
