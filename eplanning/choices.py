from django.db import models
from django.utils.translation import gettext_lazy as _


class NomenclatureLevel(models.TextChoices):
    URUSAN = "urusan", _("Government affair (urusan)")
    BIDANG_URUSAN = "bidang_urusan", _("Affair field (bidang urusan)")
    PROGRAM = "program", _("Program")
    KEGIATAN = "kegiatan", _("Activity (kegiatan)")
    SUB_KEGIATAN = "sub_kegiatan", _("Sub-activity (sub kegiatan)")


# The depth of each level in a code U.BB.PP.L.KK.SSSS (number of dot-separated parts).
NOMENCLATURE_DEPTH = {
    NomenclatureLevel.URUSAN: 1,
    NomenclatureLevel.BIDANG_URUSAN: 2,
    NomenclatureLevel.PROGRAM: 3,
    NomenclatureLevel.KEGIATAN: 5,
    NomenclatureLevel.SUB_KEGIATAN: 6,
}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    VERIFIED = "verified", _("Verified by Bappeda")
    APPROVED = "approved", _("Approved")


# A planner may change the item only in these; approved items change through a revision.
PLAN_EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ProposalCategory(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    ECONOMY = "economy", _("Economy and livelihoods")
    SOCIAL = "social", _("Social and culture")
    ENVIRONMENT = "environment", _("Environment and disasters")
    GOVERNANCE = "governance", _("Governance and public services")


class ProposalStage(models.TextChoices):
    """Musrenbang rounds, from the village up. The last is the region's own round."""

    VILLAGE = "village", _("Village (desa/kelurahan)")
    DISTRICT = "district", _("District (kecamatan)")
    REGION = "region", _("Regency/city or province")


PROPOSAL_STAGE_ORDER = [ProposalStage.VILLAGE, ProposalStage.DISTRICT, ProposalStage.REGION]


class ProposalStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted into the plan")
    REJECTED = "rejected", _("Rejected")


class ReviewDecision(models.TextChoices):
    """What a Musrenbang round decided on a proposal (ProposalReview.decision)."""

    FORWARDED = "forwarded", _("Forwarded to the next round")
    ACCEPTED = "accepted", _("Accepted into the plan")
    REJECTED = "rejected", _("Rejected")
