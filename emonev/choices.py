from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


# A report the agency's monev officer may still change (and attach evidence to).
EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class DeviationLevel(models.TextChoices):
    """The colour of a deviation, always shown with its label (readable without colour)."""

    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind plan")
    FAR_BEHIND = "far_behind", _("Far behind plan")
    NO_PLAN = "no_plan", _("No planned curve")


class EscalationStep(models.TextChoices):
    """The handling of a critical contract, in the order it is done: a show-cause meeting
    (SCM) and, when the vendor still fails, a warning letter (SP), three rounds."""

    SCM1 = "scm1", _("Show-cause meeting 1")
    SP1 = "sp1", _("Warning letter 1 (SP1)")
    SCM2 = "scm2", _("Show-cause meeting 2")
    SP2 = "sp2", _("Warning letter 2 (SP2)")
    SCM3 = "scm3", _("Show-cause meeting 3")
    SP3 = "sp3", _("Warning letter 3 (SP3)")


ESCALATION_ORDER = tuple(EscalationStep.values)


class CriticalBasis(models.TextChoices):
    """What a critical-status evaluation was based on."""

    ACCEPTED_REPORT = "report", _("the accepted report of the month")
    MISSING_REPORT = "missing", _("no accepted report by the due day: the latest accepted progress")
