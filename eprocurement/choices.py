from django.db import models
from django.utils.translation import gettext_lazy as _


class VendorKind(models.TextChoices):
    PT = "pt", _("Limited company (PT)")
    CV = "cv", _("Limited partnership (CV)")
    FIRM = "firma", _("Firm (Fa)")
    COOPERATIVE = "koperasi", _("Cooperative (koperasi)")
    INDIVIDUAL = "perorangan", _("Individual (perorangan)")
    OTHER = "lainnya", _("Other business entity")


class VendorStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class VendorDocumentKind(models.TextChoices):
    DEED = "akta", _("Deed of establishment and amendments")
    NIB = "nib", _("Business identification number (NIB)")
    NPWP = "npwp", _("Tax number (NPWP)")
    LICENCE = "izin", _("Business licence")
    SBU = "sbu", _("Business entity certificate (SBU)")
    TAX_RETURN = "spt", _("Latest annual tax return (SPT)")
    OTHER = "lainnya", _("Other document")


class ProcurementKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Construction works")
    CONSULTANCY = "consultancy", _("Consultancy services")
    OTHER_SERVICES = "other_services", _("Other services")


class ProcurementMethod(models.TextChoices):
    TENDER = "tender", _("Tender")
    QUICK_TENDER = "tender_cepat", _("Quick tender (tender cepat)")
    SELECTION = "seleksi", _("Selection (consultancy)")
    DIRECT_PROCUREMENT = "pengadaan_langsung", _("Direct procurement (pengadaan langsung)")
    DIRECT_APPOINTMENT = "penunjukan_langsung", _("Direct appointment (penunjukan langsung)")
    E_PURCHASING = "e_purchasing", _("E-purchasing")


class PlanItemStatus(models.TextChoices):
    """A RUP item: drafted, announced (published, its funds committed), or cancelled."""

    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    CANCELLED = "cancelled", _("Cancelled")


class EvaluationMethod(models.TextChoices):
    """How bids are evaluated (Perpres 16/2018 art. 39-41)."""

    KNOCKOUT = "gugur", _("Pass/fail (sistem gugur)")
    MERIT_POINT = "nilai", _("Merit points (sistem nilai)")
    LOWEST_PRICE = "harga_terendah", _("Lowest price (harga terendah)")
    LIFE_CYCLE_COST = "umur_ekonomis", _("Life-cycle cost (biaya selama umur ekonomis)")
    QUALITY = "kualitas", _("Quality (kualitas)")
    QUALITY_COST = "kualitas_biaya", _("Quality and cost (kualitas dan biaya)")
    FIXED_BUDGET = "pagu_anggaran", _("Fixed budget (pagu anggaran)")
    LEAST_COST = "biaya_terendah", _("Least cost (biaya terendah)")


CONSULTANCY_EVALUATION = frozenset(
    {
        EvaluationMethod.QUALITY,
        EvaluationMethod.QUALITY_COST,
        EvaluationMethod.FIXED_BUDGET,
        EvaluationMethod.LEAST_COST,
    }
)


class PackageStatus(models.TextChoices):
    """Where a package (paket) stands. While announced, the stage it is in follows from its
    schedule rows and the server's clock; the four end states close it."""

    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    OPENED = "opened", _("Bids opened")
    AWARDED = "awarded", _("Winner decided")  # announced or not: Award.announced_at tells
    APPOINTED = "appointed", _("Provider appointed (SPPBJ)")
    CONTRACTED = "contracted", _("Contract signed")
    COMPLETED = "completed", _("Completed (selesai)")
    CANCELLED = "cancelled", _("Cancelled (batal)")
    FAILED = "failed", _("Failed (gagal)")
    RETENDERED = "retendered", _("Re-tendered (tender ulang)")


PACKAGE_END_STATES = frozenset(
    {PackageStatus.COMPLETED, PackageStatus.CANCELLED, PackageStatus.FAILED, PackageStatus.RETENDERED}
)
# Statuses the public tender site shows (a draft is internal).
PACKAGE_PUBLIC_STATES = frozenset(set(PackageStatus.values) - {PackageStatus.DRAFT})


class TenderStage(models.TextChoices):
    """The post-qualification tender stages, in order (DESIGN.md)."""

    ANNOUNCEMENT = "announcement", _("Announcement (pengumuman)")
    DOCUMENT_DOWNLOAD = "download", _("Download of the selection documents")
    EXPLANATION = "explanation", _("Explanation (pemberian penjelasan)")
    BID_SUBMISSION = "bid_submission", _("Bid submission (upload dokumen penawaran)")
    OPENING = "opening", _("Bid opening (pembukaan dokumen penawaran)")
    EVALUATION = "evaluation", _("Evaluation (administration, qualification, technical, price)")
    QUALIFICATION_PROOF = "qualification_proof", _("Proof of qualification (pembuktian kualifikasi)")
    WINNER_DECISION = "winner_decision", _("Decision on the winner (penetapan pemenang)")
    WINNER_ANNOUNCEMENT = "winner_announcement", _("Announcement of the winner")
    OBJECTION = "objection", _("Objection period (masa sanggah)")
    APPEAL = "appeal", _("Appeal period (sanggah banding)")
    APPOINTMENT = "appointment", _("Appointment of the provider (SPPBJ)")
    CONTRACT_SIGNING = "contract_signing", _("Contract signing")


STAGE_ORDER = list(TenderStage.values)
# Sanggah banding is for construction works only.
WORKS_ONLY_STAGES = frozenset({TenderStage.APPEAL})


class BidStatus(models.TextChoices):
    """A bid: a draft the vendor is still preparing, submitted (sealed, with a receipt),
    or withdrawn before the deadline. Opening reveals submitted bids."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PackageDocumentKind(models.TextChoices):
    SELECTION = "selection", _("Selection document (dokumen pemilihan)")
    HPS = "hps", _("Owner's estimate breakdown (rincian HPS)")
    SPECIFICATION = "specification", _("Technical specification / terms of reference")
    DRAWING = "drawing", _("Drawings")
    ADDENDUM = "addendum", _("Addendum")
    OTHER = "other", _("Other document")


class BidDocumentKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative document")
    QUALIFICATION = "qualification", _("Qualification document")
    TECHNICAL = "technical", _("Technical proposal")
    PRICE = "price", _("Price breakdown")
    OTHER = "other", _("Other document")


class ObjectionKind(models.TextChoices):
    OBJECTION = "sanggah", _("Objection (sanggah)")
    APPEAL = "banding", _("Appeal (sanggah banding)")


class ObjectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class BidReceiptStatus(models.TextChoices):
    """A receipt is current until the bid is changed (superseded) or withdrawn."""

    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
