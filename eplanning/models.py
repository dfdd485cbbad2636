from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet

from .choices import NomenclatureLevel, PlanStatus, Priority, ProposalCategory, ProposalStage, ProposalStatus

MONEY = {"max_digits": 18, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class NomenclatureQuerySet(models.QuerySet):
    def sub_activities(self):
        return self.filter(level=NomenclatureLevel.SUB_KEGIATAN)

    def for_region(self, region):
        """The variant a region uses: the province list (L = 1) or the regency list (L = 2)."""
        if region.level == 1:
            return self.filter(for_province=True)
        return self.filter(for_regency=True)

    def successors_of(self, code: str):
        """Codes of a newer list that say they replace ``code``."""
        return self.filter(previous_code=code)


class Nomenclature(models.Model):
    """One node of the planning nomenclature (Permendagri 90/2019 as updated):
    urusan → bidang urusan → program → kegiatan → sub kegiatan, code U.BB.PP.L.KK.SSSS.

    Rows are never deleted once used: an import that no longer lists a code marks it
    inactive, and plan items keep the code they were made with.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=NomenclatureLevel.choices)
    name = models.CharField(_("name"), max_length=500)
    name_province = models.CharField(
        _("name in the province list"), max_length=500, blank=True, help_text=_("Only where it differs.")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    for_province = models.BooleanField(_("in the province list"), default=True)
    for_regency = models.BooleanField(_("in the regency/city list"), default=True)
    previous_code = models.CharField(_("replaces code"), max_length=32, blank=True, db_index=True)
    previous_name = models.CharField(_("replaces name"), max_length=500, blank=True)
    edition = models.CharField(_("edition"), max_length=40, blank=True, help_text=_("The list it last came from."))
    is_active = models.BooleanField(_("in the current list"), default=True)

    objects = NomenclatureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("nomenclature code")
        verbose_name_plural = _("planning nomenclature")
        indexes = [models.Index(fields=["level", "code"], name="nomenclature_level_code_idx")]

    def __str__(self):
        return f"{self.code} {self.name}"


class RegionScopedQuerySet(ScopedQuerySet):
    """Region-level records (RPJMD): read by all who work in the region, changed by
    region-wide roles."""

    agency_path = None
    region_path = "region_id"


class RpjmdGoal(models.Model):
    """A goal (tujuan) of a region's five-year development plan."""

    region = models.ForeignKey("portal.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    code = models.CharField(_("number"), max_length=20)
    statement = models.TextField(_("goal"))

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "period_start", "code"]
        verbose_name = _("RPJMD goal")
        verbose_name_plural = _("RPJMD goals")
        constraints = [
            models.UniqueConstraint(fields=["region", "period_start", "code"], name="rpjmd_goal_code_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end=models.F("period_start") + 4), name="rpjmd_period_is_five_years"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.statement[:80]}"


class RpjmdObjectiveQuerySet(ScopedQuerySet):
    agency_path = None
    region_path = "goal__region_id"


class RpjmdObjective(models.Model):
    """An objective (sasaran) under an RPJMD goal; plan items say which one they serve."""

    goal = models.ForeignKey(RpjmdGoal, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("goal"))
    code = models.CharField(_("number"), max_length=20)
    statement = models.TextField(_("objective"))

    objects = RpjmdObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["goal__code", "code"]
        verbose_name = _("RPJMD objective")
        verbose_name_plural = _("RPJMD objectives")
        constraints = [models.UniqueConstraint(fields=["goal", "code"], name="rpjmd_objective_code_unique")]

    def __str__(self):
        return f"{self.code} {self.statement[:80]}"


class RpjmdIndicator(models.Model):
    """How an objective's achievement is measured, with a target for each of the five years."""

    objective = models.ForeignKey(
        RpjmdObjective, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("objective")
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["objective", "id"]
        verbose_name = _("RPJMD indicator")
        verbose_name_plural = _("RPJMD indicators")

    def __str__(self):
        return self.name


class RpjmdTarget(models.Model):
    indicator = models.ForeignKey(RpjmdIndicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("RPJMD target")
        verbose_name_plural = _("RPJMD targets")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="rpjmd_target_one_per_year")]

    def __str__(self):
        return f"{self.year}: {self.value}"


class AgencyCeilingQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "agency__region_id"


class AgencyCeiling(models.Model):
    """The indicative ceiling (pagu indikatif) Bappeda sets for an agency's year."""

    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    fiscal_year = models.ForeignKey("portal.FiscalYear", on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    amount = models.DecimalField(_("ceiling"), validators=NON_NEGATIVE, **MONEY)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgencyCeilingQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "agency__name"]
        verbose_name = _("agency ceiling")
        verbose_name_plural = _("agency ceilings")
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="agency_ceiling_one_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="agency_ceiling_not_negative"),
        ]

    def __str__(self):
        return f"{self.agency} {self.fiscal_year}: {self.amount}"


class PlanItemQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "region_id"

    def approved(self):
        return self.filter(status=PlanStatus.APPROVED)


class PlanItem(models.Model):
    """A Renja/RKPD item: what an agency will do in a year on one sub-activity.

    Its identity is stable: budget lines and Musrenbang proposals point at it. Once
    approved it is locked; a revision snapshots the approved state (PlanItemVersion),
    reopens the item as a draft and goes through the workflow again.
    """

    region = models.ForeignKey("portal.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    fiscal_year = models.ForeignKey("portal.FiscalYear", on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    sub_activity = models.ForeignKey(
        Nomenclature, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("sub-activity")
    )
    objective = models.ForeignKey(
        RpjmdObjective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("RPJMD objective"),
    )
    title = models.CharField(_("title"), max_length=300, blank=True, help_text=_("Defaults to the sub-activity."))
    description = models.TextField(_("description"), blank=True)
    district = models.CharField(_("district (kecamatan)"), max_length=120, blank=True)
    village = models.CharField(_("village (desa/kelurahan)"), max_length=120, blank=True)
    indicative_ceiling = models.DecimalField(_("indicative ceiling"), validators=NON_NEGATIVE, **MONEY)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    verifier_note = models.TextField(_("Bappeda's comments"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "agency", "sub_activity__code", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        indexes = [models.Index(fields=["region", "fiscal_year", "status"], name="planitem_region_year_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(indicative_ceiling__gte=0), name="planitem_ceiling_not_negative")
        ]

    def __str__(self):
        return f"{self.sub_activity.code} {self.title or self.sub_activity.name}"


class PlanIndicator(models.Model):
    """A performance indicator of a plan item with its target for the year and each quarter."""

    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40)
    target_year = models.DecimalField(_("target for the year"), max_digits=18, decimal_places=4)
    target_q1 = models.DecimalField(_("target Q1"), max_digits=18, decimal_places=4, default=0)
    target_q2 = models.DecimalField(_("target Q2"), max_digits=18, decimal_places=4, default=0)
    target_q3 = models.DecimalField(_("target Q3"), max_digits=18, decimal_places=4, default=0)
    target_q4 = models.DecimalField(_("target Q4"), max_digits=18, decimal_places=4, default=0)

    class Meta:
        ordering = ["plan_item", "id"]
        verbose_name = _("plan indicator")
        verbose_name_plural = _("plan indicators")

    def __str__(self):
        return f"{self.name} ({self.target_year} {self.unit})"


class PlanItemVersion(models.Model):
    """The approved state of a plan item before a revision reopened it: readable forever."""

    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    snapshot = models.JSONField(_("approved content"))
    approved_at = models.DateTimeField(_("approved"), null=True)
    created = models.DateTimeField(_("revision started"), auto_now_add=True)

    class Meta:
        ordering = ["plan_item", "-revision"]
        verbose_name = _("approved plan item version")
        verbose_name_plural = _("approved plan item versions")
        constraints = [models.UniqueConstraint(fields=["plan_item", "revision"], name="planitem_version_unique")]

    def __str__(self):
        return f"{self.plan_item_id} rev. {self.revision}"


class CommunityProposalQuerySet(ScopedQuerySet):
    """Proposals belong to a region; the agency is the one asked to carry them out."""

    agency_path = None
    region_path = "region_id"


class CommunityProposal(models.Model):
    """A Musrenbang proposal from a village or district, reviewed round by round."""

    region = models.ForeignKey("portal.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    fiscal_year = models.ForeignKey("portal.FiscalYear", on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    category = models.CharField(_("category"), max_length=20, choices=ProposalCategory.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    district = models.CharField(_("district (kecamatan)"), max_length=120)
    village = models.CharField(_("village (desa/kelurahan)"), max_length=120, blank=True)
    estimated_cost = models.DecimalField(_("estimated cost"), validators=NON_NEGATIVE, **MONEY)
    proposer = models.CharField(_("proposed by"), max_length=200)
    proposer_contact = models.CharField(_("proposer's contact"), max_length=200, blank=True)
    target_agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency asked to carry it out"),
    )
    stage = models.CharField(_("round"), max_length=10, choices=ProposalStage.choices, default=ProposalStage.VILLAGE)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.IN_REVIEW
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    plan_item = models.ForeignKey(
        PlanItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("plan item it became"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created = models.DateTimeField(_("received"), auto_now_add=True)

    objects = CommunityProposalQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "-score", "id"]
        verbose_name = _("Musrenbang proposal")
        verbose_name_plural = _("Musrenbang proposals")
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_cost__gte=0), name="proposal_cost_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(status=ProposalStatus.ACCEPTED) | models.Q(plan_item__isnull=False),
                name="accepted_proposal_has_plan_item",
            ),
        ]

    def __str__(self):
        return self.title


class ProposalReview(models.Model):
    """One round's decision on a proposal: forwarded with a score, accepted or rejected."""

    proposal = models.ForeignKey(CommunityProposal, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("round"), max_length=10, choices=ProposalStage.choices)
    decision = models.CharField(_("decision"), max_length=10)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created"]
        verbose_name = _("proposal review")
        verbose_name_plural = _("proposal reviews")

    def __str__(self):
        return f"{self.proposal_id} {self.stage}: {self.decision}"
