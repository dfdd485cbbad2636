from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountLevel(models.TextChoices):
    AKUN = "akun", _("Account (akun)")
    KELOMPOK = "kelompok", _("Group (kelompok)")
    JENIS = "jenis", _("Type (jenis)")
    OBJEK = "objek", _("Object (objek)")
    RINCIAN_OBJEK = "rincian_objek", _("Object detail (rincian objek)")
    SUB_RINCIAN_OBJEK = "sub_rincian_objek", _("Object sub-detail (sub rincian objek)")


ACCOUNT_DEPTH = {
    AccountLevel.AKUN: 1,
    AccountLevel.KELOMPOK: 2,
    AccountLevel.JENIS: 3,
    AccountLevel.OBJEK: 4,
    AccountLevel.RINCIAN_OBJEK: 5,
    AccountLevel.SUB_RINCIAN_OBJEK: 6,
}


class DocumentStatus(models.TextChoices):
    """RKA while being prepared; DPA once approved."""

    DRAFT = "draft", _("Draft (RKA)")
    SUBMITTED = "submitted", _("Submitted to TAPD")
    RETURNED = "returned", _("Returned for correction")
    VERIFIED = "verified", _("Verified by TAPD/BPKAD")
    APPROVED = "approved", _("Approved (DPA)")
    SUPERSEDED = "superseded", _("Replaced by a revision")


DOCUMENT_EDITABLE = frozenset({DocumentStatus.DRAFT, DocumentStatus.RETURNED})


class RevisionKind(models.TextChoices):
    ORIGINAL = "original", _("Original budget (APBD)")
    SHIFT = "shift", _("Budget shift (pergeseran)")
    AMENDMENT = "amendment", _("Amended budget (APBD-P)")


class LedgerEntryKind(models.TextChoices):
    COMMIT = "commit", _("Committed")
    RELEASE = "release", _("Released")
    REALIZE = "realize", _("Realized (SP2D)")
