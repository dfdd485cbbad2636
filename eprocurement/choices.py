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
