from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency")
    CITY = "city", _("City")


class Role(models.TextChoices):
    KOMINFO_ADMIN = "kominfo_admin", _("Kominfo administrator")
    PLANNER = "planner", _("Planner")
    PLAN_VERIFIER = "plan_verifier", _("Plan verifier (Bappeda)")
    BUDGET_OFFICER = "budget_officer", _("Budget officer")
    BUDGET_VERIFIER = "budget_verifier", _("Budget verifier (TAPD/BPKAD)")
    TREASURER = "treasurer", _("Treasurer")
    PPK = "ppk", _("Commitment officer (PPK)")
    POKJA = "pokja", _("Selection working group (Pokja)")
    LPSE_ADMIN = "lpse_admin", _("LPSE administrator")
    MONEV_OFFICER = "monev_officer", _("Monitoring officer")
    MONEV_VERIFIER = "monev_verifier", _("Monitoring verifier")
    LETTER_SECRETARY = "letter_secretary", _("Letter secretary")
    SIGNATORY = "signatory", _("Signatory")
    AGENDA_MANAGER = "agenda_manager", _("Agenda manager")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")


class Scope(models.TextChoices):
    """How far a membership reaches beyond its own agency."""

    AGENCY = "agency", _("Own agency")
    REGION = "region", _("Whole region")
    PROVINCE = "province", _("Province and its regencies (read only below)")


# Roles that serve every agency of their region (Bappeda verifies all plans, UKPBJ
# runs every tender, ...): their membership reaches the whole region by default.
REGION_WIDE_ROLES = frozenset(
    {
        Role.KOMINFO_ADMIN,
        Role.PLAN_VERIFIER,
        Role.BUDGET_VERIFIER,
        Role.POKJA,
        Role.LPSE_ADMIN,
        Role.MONEV_VERIFIER,
        Role.LEADER,
        Role.AUDITOR,
    }
)


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Status changed")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Log-in failed")
    GRANT = "grant", _("Role granted")
    REVOKE = "revoke", _("Role revoked")
    DEACTIVATE = "deactivate", _("Account deactivated")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent by e-mail")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


JOB_FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})
