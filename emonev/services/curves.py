"""Planned curves: the cumulative physical % and financial amount planned for each month.

A contract's curve is set by its agency's PPK over the contract's months; a plan item's by
its agency's planner or monev officer over the twelve months of its fiscal year. Both are
cumulative: never decreasing, the physical curve ending at 100 %, the financial one at the
contract's value or the plan item's budget. Setting a curve replaces the previous one as a
whole; reports already submitted keep the plan they were judged against.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from eprocurement.choices import ContractStatus, ProcurementKind
from eprocurement.models import Contract
from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import User
from portal.services import DomainError

from ..financial import subject_total
from ..models import PlannedCurve, PlannedPoint
from ..rules import financial_from_physical, linear_curve, s_curve
from ..selectors.curves import curve_months, curve_of, curve_points
from .common import (
    CONTRACT_CURVE_ROLES,
    PLAN_CURVE_ROLES,
    lock_subject,
    money,
    one_subject,
    percent,
    require_role_in_agency,
    subject_agency_id,
    subject_fields,
)

CURVE_CONTRACT_STATUSES = frozenset({ContractStatus.DRAFT, ContractStatus.SIGNED})


def require_curve_editor(actor: User, subject) -> None:
    if isinstance(subject, Contract):
        roles, message = CONTRACT_CURVE_ROLES, _("Only the agency's PPK sets a contract's planned curve.")
    else:
        roles, message = PLAN_CURVE_ROLES, _("Only the agency's planner or monev officer sets a plan item's curve.")
    require_role_in_agency(actor, subject_agency_id(subject), roles, message)


def propose_curve(subject) -> tuple[list[Decimal], list[Decimal]]:
    """A curve to start from: the S-curve (rules.s_curve) for works contracts, an even
    one otherwise; money follows the physical curve."""
    months = len(curve_months(subject))
    is_works = isinstance(subject, Contract) and subject.package.kind == ProcurementKind.WORKS
    physical = s_curve(months) if is_works else linear_curve(months)
    return physical, financial_from_physical(physical, subject_total(subject))


def _check_cumulative(values: list[Decimal], field: str, *, end: Decimal, end_message) -> None:
    for index in range(1, len(values)):
        if values[index] < values[index - 1]:
            raise DomainError(
                {
                    field: _("The curve is cumulative: month %(month)s is lower than the month before.")
                    % {"month": index + 1}
                }
            )
    if values[-1] != end:
        raise DomainError({field: end_message})


def clean_curve(subject, physical, financial) -> tuple[list[Decimal], list[Decimal], Decimal]:
    """The two curves as decimals, checked: one value per month, cumulative, ending at
    100 % and at the total. DomainError with the field and month otherwise."""
    months = len(curve_months(subject))
    physical, financial = list(physical or []), list(financial or [])
    if len(physical) != months or len(financial) != months:
        raise DomainError(_("Give a value for each of the %(count)s months.") % {"count": months})
    total = subject_total(subject)
    if total <= 0:
        raise DomainError(_("The plan item has no budget in an approved DPA to plan against."))
    physical = [percent(value, "physical") for value in physical]
    financial = [money(value, "financial") for value in financial]
    _check_cumulative(physical, "physical", end=Decimal("100.00"), end_message=_("The last month must reach 100%."))
    _check_cumulative(
        financial,
        "financial",
        end=total,
        end_message=_("The last month must reach the total of Rp%(total)s.") % {"total": f"{total:,.2f}"},
    )
    return physical, financial, total


def planned_curve_set(
    *, contract: Contract | None = None, plan_item=None, physical: list, financial: list, actor: User
) -> PlannedCurve:
    """Set (or replace) the planned curve of a contract or a plan item."""
    subject = one_subject(contract, plan_item)
    require_curve_editor(actor, subject)
    with transaction.atomic():
        subject = lock_subject(subject)
        if isinstance(subject, Contract) and subject.status not in CURVE_CONTRACT_STATUSES:
            raise DomainError(
                _("The curve of a %(status)s contract can no longer change.") % {"status": subject.get_status_display()}
            )
        physical, financial, total = clean_curve(subject, physical, financial)
        curve = curve_of(subject)
        old = [(str(p.physical_pct), str(p.financial)) for p in curve_points(curve)]
        if curve is None:
            curve = PlannedCurve.objects.create(total=total, set_by=actor, **subject_fields(subject))
        else:
            curve.total, curve.set_by = total, actor
            curve.save(update_fields=["total", "set_by", "updated"])
            curve.points.all().delete()
        PlannedPoint.objects.bulk_create(
            PlannedPoint(curve=curve, year=year, month=month, physical_pct=pct, financial=amount)
            for (year, month), pct, amount in zip(curve_months(subject), physical, financial, strict=True)
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE if old else AuditAction.CREATE,
            obj=curve,
            changes={"before": old, "after": [(str(p), str(f)) for p, f in zip(physical, financial, strict=True)]},
        )
    return curve
