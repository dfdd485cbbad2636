"""The RPJMD (five-year regional development plan): goals, objectives, indicators and
their yearly targets. Bappeda (plan verifier) of the region keeps them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import Region, User
from portal.scoping import reach_of
from portal.services import DomainError

from ..models import RpjmdGoal, RpjmdIndicator, RpjmdObjective, RpjmdTarget


def _require_region_verifier(actor: User, region_id: int) -> None:
    reach = reach_of(actor, [Role.PLAN_VERIFIER])
    if not (reach.everything or region_id in reach.region_ids):
        raise DomainError(_("Only Bappeda (plan verifier) of this region keeps its RPJMD."))


def _text(value, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise DomainError({field: _("This field is required.")})
    return value


def rpjmd_goal_create(*, actor: User, region: Region, period_start: int, code: str, statement: str) -> RpjmdGoal:
    _require_region_verifier(actor, region.pk)
    try:
        period_start = int(period_start)
    except (TypeError, ValueError):
        raise DomainError({"period_start": _("Enter the first year of the period.")}) from None
    if not 2000 <= period_start <= 2100:
        raise DomainError({"period_start": _("Enter the first year of the period.")})
    goal = RpjmdGoal(
        region=region,
        period_start=period_start,
        period_end=period_start + 4,
        code=_text(code, "code"),
        statement=_text(statement, "statement"),
    )
    try:
        with transaction.atomic():
            goal.save(force_insert=True)
            audit_record(actor=actor, action=AuditAction.CREATE, obj=goal, changes={"code": goal.code})
    except IntegrityError:
        raise DomainError({"code": _("This period already has a goal with that number.")}) from None
    return goal


def rpjmd_objective_create(*, actor: User, goal: RpjmdGoal, code: str, statement: str) -> RpjmdObjective:
    _require_region_verifier(actor, goal.region_id)
    objective = RpjmdObjective(goal=goal, code=_text(code, "code"), statement=_text(statement, "statement"))
    try:
        with transaction.atomic():
            objective.save(force_insert=True)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=objective,
                region_id=goal.region_id,
                changes={"goal": goal.code, "code": objective.code},
            )
    except IntegrityError:
        raise DomainError({"code": _("This goal already has an objective with that number.")}) from None
    return objective


def rpjmd_indicator_create(
    *, actor: User, objective: RpjmdObjective, name: str, unit: str, baseline=None, targets: dict
) -> RpjmdIndicator:
    """An indicator with a target for each of the period's five years."""
    goal = objective.goal
    _require_region_verifier(actor, goal.region_id)
    years = range(goal.period_start, goal.period_end + 1)
    values = _clean_targets(targets, years)
    with transaction.atomic():
        indicator = RpjmdIndicator.objects.create(
            objective=objective,
            name=_text(name, "name"),
            unit=_text(unit, "unit"),
            baseline=_number(baseline, "baseline") if baseline not in (None, "") else None,
        )
        RpjmdTarget.objects.bulk_create(RpjmdTarget(indicator=indicator, year=y, value=v) for y, v in values.items())
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=indicator,
            region_id=goal.region_id,
            changes={"targets": {str(y): str(v) for y, v in values.items()}},
        )
    return indicator


def _number(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError({field: _("Enter a number.")}) from None
    if not number.is_finite() or number < 0:
        raise DomainError({field: _("Enter a number, not negative.")})
    return number


def _clean_targets(targets: dict, years) -> dict:
    targets = {int(k): v for k, v in (targets or {}).items()}
    missing = [y for y in years if targets.get(y) in (None, "")]
    if missing or set(targets) - set(years):
        raise DomainError(
            {
                "targets": _("Give one target for each year from %(first)s to %(last)s.")
                % {"first": years[0], "last": years[-1]}
            }
        )
    return {y: _number(targets[y], "targets") for y in years}
