"""Agency ceilings (pagu indikatif): Bappeda sets each agency's ceiling for a year."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import Agency, FiscalYear, User
from portal.services import DomainError

from ..models import AgencyCeiling
from .plans import agency_ceiling_use, clean_money


def agency_ceiling_set(*, actor: User, agency: Agency, fiscal_year: FiscalYear, amount) -> AgencyCeiling:
    """Set (or change) an agency's ceiling; never below what its submitted items already use."""
    if not Agency.objects.editable_by(actor, [Role.PLAN_VERIFIER]).filter(pk=agency.pk).exists():
        raise DomainError(_("Only Bappeda (plan verifier) of the agency's region sets its ceiling."))
    if not fiscal_year.is_open:
        raise DomainError({"fiscal_year": _("The year %(year)s is closed for planning.") % {"year": fiscal_year}})
    amount = clean_money(amount, "amount")
    with transaction.atomic():
        ceiling, created = AgencyCeiling.objects.select_for_update().get_or_create(
            agency=agency, fiscal_year=fiscal_year, defaults={"amount": amount}
        )
        used = agency_ceiling_use(agency_id=agency.pk, fiscal_year_id=fiscal_year.pk)
        if amount < used:
            raise DomainError(
                {
                    "amount": _("The agency's submitted items already use Rp%(used)s; the ceiling cannot be lower.")
                    % {"used": used}
                }
            )
        old = None if created else ceiling.amount
        if not created and old == amount:
            return ceiling
        ceiling.amount = amount
        ceiling.save(update_fields=["amount", "updated"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=ceiling,
            region_id=agency.region_id,
            changes={"amount": [str(old) if old is not None else None, str(amount)]},
        )
    return ceiling
