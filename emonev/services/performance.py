"""Indicator achievement: the agency's monev officer records, after a quarter has ended,
the cumulative actual of each indicator of an approved plan item; Bappeda's monev
verifier verifies it, which locks it. Until verified the officer may correct it. The
evaluation (emonev.performance, selectors in emonev.performance_pages) counts every
recorded figure and marks those not yet verified.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eplanning.choices import PlanStatus
from eplanning.models import PlanIndicator, PlanItem
from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import User
from portal.services import DomainError

from ..models import AchievementStatus, IndicatorAchievement
from .common import OFFICER_ROLES, VERIFIER_ROLES, require_role_in_agency

MAX_NOTE = 2000
LIMIT = Decimal("1e14")


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = quarter * 3
    return datetime.date(year, month, 30 if month in (6, 9) else 31)


def _actual(value) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({"actual": _("Enter the actual as a number, zero or more.")}) from None
    if not number.is_finite() or number < 0 or number >= LIMIT:
        raise DomainError({"actual": _("Enter the actual as a number, zero or more.")})
    if number != number.quantize(Decimal("0.0001")):
        raise DomainError({"actual": _("Enter the actual with at most four decimals.")})
    return number.quantize(Decimal("0.0001"))


def _require_cumulative(rows: dict, quarter: int, value: Decimal) -> None:
    """The actual never falls from one quarter to the next (targets are cumulative too)."""
    earlier = [a.actual for q, a in rows.items() if q < quarter]
    later = [a.actual for q, a in rows.items() if q > quarter]
    if earlier and value < max(earlier):
        message = _("The actual is cumulative: an earlier quarter already has %(value)s.")
        raise DomainError({"actual": message % {"value": max(earlier).normalize()}})
    if later and value > min(later):
        message = _("The actual is cumulative: a later quarter has only %(value)s.")
        raise DomainError({"actual": message % {"value": min(later).normalize()}})


def achievement_record(
    *, indicator: PlanIndicator, quarter: int, actual, note: str = "", actor: User
) -> IndicatorAchievement:
    """Record (or correct, until verified) the cumulative actual of ``indicator`` at the
    end of ``quarter``."""
    plan_item = indicator.plan_item
    require_role_in_agency(
        actor, plan_item.agency_id, OFFICER_ROLES, _("Only the agency's monev officer records achievements.")
    )
    if quarter not in (1, 2, 3, 4):
        raise DomainError({"quarter": _("Choose a quarter.")})
    value = _actual(actual)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError({"note": _("Write at most %(count)s characters.") % {"count": MAX_NOTE}})
    with transaction.atomic():
        plan_item = PlanItem.objects.select_for_update(of=("self",)).select_related("fiscal_year").get(pk=plan_item.pk)
        if plan_item.status != PlanStatus.APPROVED:
            raise DomainError(_("Achievements are recorded on approved plan items."))
        year = plan_item.fiscal_year.year
        if timezone.localdate() <= quarter_end(year, quarter):
            raise DomainError({"quarter": _("A quarter's achievement is recorded once the quarter has ended.")})
        rows = {a.quarter: a for a in IndicatorAchievement.objects.filter(indicator_id=indicator.pk)}
        _require_cumulative(rows, quarter, value)
        current = rows.get(quarter)
        if current is None:
            return _create(indicator, plan_item, quarter, value, note, actor)
        return _correct(current, value, note, actor)


def _create(indicator, plan_item, quarter: int, value: Decimal, note: str, actor: User) -> IndicatorAchievement:
    achievement = IndicatorAchievement.objects.create(
        indicator_id=indicator.pk,
        plan_item=plan_item,
        agency_id=plan_item.agency_id,
        quarter=quarter,
        actual=value,
        note=note,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=achievement,
        new_status=achievement.status,
        changes={"quarter": quarter, "actual": str(value), "note": note},
    )
    return achievement


def _correct(achievement: IndicatorAchievement, value: Decimal, note: str, actor: User) -> IndicatorAchievement:
    if achievement.status == AchievementStatus.VERIFIED:
        raise DomainError(_("This achievement is verified and can no longer be changed."))
    changes = {"actual": [str(achievement.actual), str(value)], "note": [achievement.note, note]}
    achievement.actual, achievement.note = value, note
    achievement.recorded_by, achievement.recorded_at = actor, timezone.now()
    achievement.save(update_fields=["actual", "note", "recorded_by", "recorded_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=achievement, changes=changes)
    return achievement


def achievement_verify(*, achievement: IndicatorAchievement, actor: User) -> IndicatorAchievement:
    """Verify a recorded achievement (a monev verifier reaching its region); locks it."""
    if not IndicatorAchievement.objects.editable_by(actor, VERIFIER_ROLES).filter(pk=achievement.pk).exists():
        raise PermissionDenied(_("Only a monev verifier of the region verifies achievements."))
    with transaction.atomic():
        achievement = IndicatorAchievement.objects.select_for_update().get(pk=achievement.pk)
        if achievement.status != AchievementStatus.RECORDED:
            raise DomainError(_("This achievement is already verified."))
        achievement.status, achievement.verified_by, achievement.verified_at = (
            AchievementStatus.VERIFIED,
            actor,
            timezone.now(),
        )
        achievement.save(update_fields=["status", "verified_by", "verified_at"])
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=achievement,
            old_status=AchievementStatus.RECORDED,
            new_status=AchievementStatus.VERIFIED,
        )
    return achievement
