"""Plan items (Renja/RKPD): drafting, the workflow draft → submitted → verified →
approved (or returned with comments), and revisions of approved items.

Views, the API and the admin all call these; status is never written anywhere else.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import Agency, AuditEntry, FiscalYear, Membership, User
from portal.services import DomainError, notify

from ..choices import PLAN_EDITABLE, PlanStatus, Priority
from ..models import AgencyCeiling, Nomenclature, PlanIndicator, PlanItem, RpjmdObjective

SUB_ACTIVITY_CODE = re.compile(r"^\d\.\d{2}\.\d{2}\.[12]\.\d{2}\.\d{4}$")
# Items whose indicative ceilings count against the agency's ceiling.
COUNTED_STATUSES = (PlanStatus.SUBMITTED, PlanStatus.VERIFIED, PlanStatus.APPROVED)
CONTENT_FIELDS = ("title", "description", "district", "village", "indicative_ceiling", "priority")
TARGET_FIELDS = ("target_year", "target_q1", "target_q2", "target_q3", "target_q4")


def _format(message, **params):
    """A lazy message with its parameters filled in, so each recipient reads it in their language."""
    return lazy(lambda: str(message) % params, str)()


# --- Validation ----------------------------------------------------------------------


def resolve_sub_activity(*, region, code: str) -> Nomenclature:
    """The active sub-activity ``code`` of the region's variant of the nomenclature."""
    code = (code or "").strip()
    if not SUB_ACTIVITY_CODE.match(code):
        raise DomainError(
            {"sub_activity": _("“%(code)s” is not a sub-activity code (U.BB.PP.L.KK.SSSS).") % {"code": code}}
        )
    node = Nomenclature.objects.sub_activities().filter(code=code).first()
    if node is None:
        raise DomainError({"sub_activity": _("No sub-activity has the code %(code)s.") % {"code": code}})
    if not Nomenclature.objects.for_region(region).filter(pk=node.pk).exists():
        raise DomainError(
            {
                "sub_activity": _("%(code)s is not in the nomenclature list of %(region)s (province or regency list).")
                % {"code": code, "region": region}
            }
        )
    if not node.is_active:
        raise DomainError({"sub_activity": _("%(code)s is no longer in the current list.") % {"code": code}})
    return node


def clean_money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError({field: _("Enter an amount in rupiah.")}) from None
    if amount < 0:
        raise DomainError({field: _("The amount cannot be negative.")})
    if amount >= Decimal("1e16"):
        raise DomainError({field: _("The amount is too large.")})
    return amount


def clean_indicators(rows) -> list[dict]:
    """Each indicator has a name, a unit and cumulative targets: none negative, none
    lower than the quarter before, and the fourth quarter's equals the year's."""
    cleaned, errors = [], []
    for number, row in enumerate(rows or [], start=1):
        try:
            cleaned.append(_clean_indicator(row))
        except DomainError as exc:
            errors.extend(_("Indicator %(n)s: %(error)s") % {"n": number, "error": m} for m in exc.messages)
    if errors:
        raise DomainError({"indicators": errors})
    return cleaned


def _clean_indicator(row: dict) -> dict:
    name, unit = str(row.get("name") or "").strip(), str(row.get("unit") or "").strip()
    if not name or not unit:
        raise DomainError(_("give the indicator's name and unit."))
    targets = {}
    for field in TARGET_FIELDS:
        try:
            targets[field] = Decimal(str(row.get(field) if row.get(field) not in (None, "") else "0"))
        except (InvalidOperation, TypeError, ValueError):
            raise DomainError(_("targets are numbers.")) from None
        if not targets[field].is_finite() or targets[field] < 0 or targets[field] >= Decimal("1e14"):
            raise DomainError(_("targets are numbers, not negative."))
    quarters = [targets[f"target_q{q}"] for q in range(1, 5)]
    if any(later < earlier for earlier, later in zip(quarters, quarters[1:], strict=False)):
        raise DomainError(_("quarter targets are cumulative and cannot fall from one quarter to the next."))
    if quarters[-1] != targets["target_year"]:
        raise DomainError(_("the fourth quarter's target must equal the year's target."))
    return {"name": name[:300], "unit": unit[:40], **targets}


def _clean_content(*, region, fields: dict) -> dict:
    data = {k: v for k, v in fields.items() if k in CONTENT_FIELDS}
    for key in ("title", "description", "district", "village"):
        if key in data:
            data[key] = str(data[key] or "").strip()
    if "indicative_ceiling" in data:
        data["indicative_ceiling"] = clean_money(data["indicative_ceiling"], "indicative_ceiling")
    if "priority" in data and data["priority"] not in Priority.values:
        raise DomainError({"priority": _("Choose a priority.")})
    if "sub_activity_code" in fields:
        data["sub_activity"] = resolve_sub_activity(region=region, code=fields["sub_activity_code"])
    if "objective" in fields:
        data["objective"] = _clean_objective(region=region, objective=fields["objective"])
    return data


def _clean_objective(*, region, objective):
    if objective in (None, ""):
        return None
    if not isinstance(objective, RpjmdObjective):
        objective = RpjmdObjective.objects.filter(pk=objective).select_related("goal").first()
    if objective is None or objective.goal.region_id != region.pk:
        raise DomainError({"objective": _("Choose an RPJMD objective of %(region)s.") % {"region": region}})
    return objective


def _replace_indicators(item: PlanItem, indicators: list[dict]) -> None:
    item.indicators.all().delete()
    PlanIndicator.objects.bulk_create(PlanIndicator(plan_item=item, **row) for row in indicators)


def _indicator_rows(item: PlanItem) -> list[dict]:
    return [
        {"name": i.name, "unit": i.unit, **{f: str(getattr(i, f)) for f in TARGET_FIELDS}}
        for i in item.indicators.order_by("id")
    ]


# --- Permissions ---------------------------------------------------------------------


def _require_planner(actor: User, agency_id: int) -> None:
    if not Agency.objects.editable_by(actor, [Role.PLANNER]).filter(pk=agency_id).exists():
        raise DomainError(_("Only a planner of this agency may change its plan items."))


def _require_verifier(actor: User, item: PlanItem) -> None:
    if not PlanItem.objects.editable_by(actor, [Role.PLAN_VERIFIER]).filter(pk=item.pk).exists():
        raise DomainError(_("Only Bappeda (plan verifier) of this region may do this."))


def _locked(plan_item_id: int) -> PlanItem:
    # Lock the item only: without ``of`` PostgreSQL would also lock the joined region,
    # agency and year rows and queue every plan change of the region behind one another.
    # Submissions of one agency queue on its ceiling row instead (_check_ceiling).
    qs = PlanItem.objects.select_for_update(of=("self",)).select_related("region", "agency", "fiscal_year")
    return qs.get(pk=plan_item_id)


def _require_status(item: PlanItem, allowed, message) -> None:
    if item.status not in allowed:
        raise DomainError(message % {"status": item.get_status_display()})


# --- Drafting ------------------------------------------------------------------------


def plan_item_create(
    *, actor: User, agency: Agency, fiscal_year: FiscalYear, sub_activity_code: str, indicators=(), **fields
) -> PlanItem:
    """A planner drafts a plan item for their agency in an open year."""
    _require_planner(actor, agency.pk)
    if not fiscal_year.is_open:
        raise DomainError({"fiscal_year": _("The year %(year)s is closed for planning.") % {"year": fiscal_year}})
    fields.setdefault("indicative_ceiling", Decimal("0"))
    data = _clean_content(region=agency.region, fields={**fields, "sub_activity_code": sub_activity_code})
    rows = clean_indicators(indicators)
    with transaction.atomic():
        item = PlanItem(region=agency.region, agency=agency, fiscal_year=fiscal_year, created_by=actor, **data)
        item.save(force_insert=True)
        _replace_indicators(item, rows)
        changes = {"sub_activity": item.sub_activity.code, "indicative_ceiling": item.indicative_ceiling}
        audit_record(actor=actor, action=AuditAction.CREATE, obj=item, new_status=item.status, changes=changes)
    return item


def plan_item_update(*, plan_item_id: int, actor: User, indicators=None, **fields) -> PlanItem:
    """A planner changes a draft or returned item; ``indicators`` (when given) replace
    the item's indicators as a whole."""
    with transaction.atomic():
        item = _locked(plan_item_id)
        _require_planner(actor, item.agency_id)
        _require_status(item, PLAN_EDITABLE, _("A plan item that is “%(status)s” cannot be changed."))
        data = _clean_content(region=item.region, fields=fields)
        changes = {k: [str(getattr(item, k)), str(v)] for k, v in data.items() if getattr(item, k) != v}
        for key, value in data.items():
            setattr(item, key, value)
        if changes:
            item.save(update_fields=[*data, "updated"])
        if indicators is not None:
            rows = clean_indicators(indicators)
            before = _indicator_rows(item)
            _replace_indicators(item, rows)
            after = _indicator_rows(item)
            if before != after:
                changes["indicators"] = [before, after]
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes=changes)
    return item


# --- Workflow ------------------------------------------------------------------------


def _transition(item: PlanItem, *, actor: User, new_status: str, reason: str = "", extra=()) -> None:
    old_status = item.status
    item.status = new_status
    item.save(update_fields=["status", "updated", *extra])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=item,
        old_status=old_status,
        new_status=new_status,
        reason=reason,
    )


def agency_ceiling_use(*, agency_id: int, fiscal_year_id: int, exclude_pk=None) -> Decimal:
    """The indicative ceilings of the agency's items that count against its ceiling."""
    qs = PlanItem.objects.filter(agency_id=agency_id, fiscal_year_id=fiscal_year_id, status__in=COUNTED_STATUSES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("indicative_ceiling"))["total"] or Decimal("0")


def _check_ceiling(item: PlanItem) -> None:
    # Locking the ceiling row makes two submissions of one agency's year queue, so
    # together they can never pass a ceiling each would pass alone.
    ceiling = (
        AgencyCeiling.objects.select_for_update()
        .filter(agency_id=item.agency_id, fiscal_year_id=item.fiscal_year_id)
        .first()
    )
    if ceiling is None:
        raise DomainError(
            _("Bappeda has not set %(agency)s's ceiling for %(year)s yet; the item cannot be submitted.")
            % {"agency": item.agency, "year": item.fiscal_year}
        )
    used = agency_ceiling_use(agency_id=item.agency_id, fiscal_year_id=item.fiscal_year_id, exclude_pk=item.pk)
    if used + item.indicative_ceiling > ceiling.amount:
        raise DomainError(
            _(
                "Submitting this item would exceed the agency's ceiling: Rp%(ceiling)s set, Rp%(used)s already "
                "submitted, this item Rp%(item)s."
            )
            % {"ceiling": ceiling.amount, "used": used, "item": item.indicative_ceiling}
        )


def plan_item_submit(*, plan_item_id: int, actor: User) -> PlanItem:
    with transaction.atomic():
        item = _locked(plan_item_id)
        _require_planner(actor, item.agency_id)
        _require_status(item, PLAN_EDITABLE, _("A plan item that is “%(status)s” cannot be submitted."))
        if not item.fiscal_year.is_open:
            raise DomainError(_("The year %(year)s is closed for planning.") % {"year": item.fiscal_year})
        if not item.indicators.exists():
            raise DomainError(_("Add at least one performance indicator before submitting."))
        _check_ceiling(item)
        _transition(item, actor=actor, new_status=PlanStatus.SUBMITTED)
        _notify_verifiers(item)
    return item


def plan_item_verify(*, plan_item_id: int, actor: User, note: str = "") -> PlanItem:
    with transaction.atomic():
        item = _locked(plan_item_id)
        _require_verifier(actor, item)
        _require_status(
            item, {PlanStatus.SUBMITTED}, _("Only a submitted item can be verified; this one is “%(status)s”.")
        )
        item.verifier_note = note.strip()
        _transition(
            item, actor=actor, new_status=PlanStatus.VERIFIED, reason=item.verifier_note, extra=["verifier_note"]
        )
        _notify_planners(item, kind="plan.verified", title=_("Plan item verified: %(item)s"))
    return item


def plan_item_return(*, plan_item_id: int, actor: User, comment: str) -> PlanItem:
    comment = (comment or "").strip()
    if not comment:
        raise DomainError({"comment": _("Say what must be corrected before returning the item.")})
    with transaction.atomic():
        item = _locked(plan_item_id)
        _require_verifier(actor, item)
        allowed = {PlanStatus.SUBMITTED, PlanStatus.VERIFIED}
        _require_status(
            item, allowed, _("Only a submitted or verified item can be returned; this one is “%(status)s”.")
        )
        item.verifier_note = comment
        _transition(item, actor=actor, new_status=PlanStatus.RETURNED, reason=comment, extra=["verifier_note"])
        _notify_planners(
            item, kind="plan.returned", title=_("Plan item returned for correction: %(item)s"), body=comment
        )
    return item


def plan_item_approve(*, plan_item_id: int, actor: User) -> PlanItem:
    with transaction.atomic():
        item = _locked(plan_item_id)
        _require_verifier(actor, item)
        _require_status(
            item, {PlanStatus.VERIFIED}, _("Only a verified item can be approved; this one is “%(status)s”.")
        )
        _transition(item, actor=actor, new_status=PlanStatus.APPROVED)
        _notify_planners(item, kind="plan.approved", title=_("Plan item approved: %(item)s"))
    return item


def plan_item_start_revision(*, plan_item_id: int, actor: User, reason: str) -> PlanItem:
    """Reopen an approved item as a draft, keeping its approved content as a version."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Say why the approved item is revised.")})
    with transaction.atomic():
        item = _locked(plan_item_id)
        _require_planner(actor, item.agency_id)
        _require_status(item, {PlanStatus.APPROVED}, _("Only an approved item is revised; this one is “%(status)s”."))
        item.versions.create(revision=item.revision, snapshot=plan_item_snapshot(item), approved_at=_approved_at(item))
        item.revision += 1
        item.verifier_note = ""
        _transition(item, actor=actor, new_status=PlanStatus.DRAFT, reason=reason, extra=["revision", "verifier_note"])
    return item


def plan_item_snapshot(item: PlanItem) -> dict:
    """The item's content as it stands, in plain JSON (kept in PlanItemVersion)."""
    return {
        "sub_activity": {"code": item.sub_activity.code, "name": item.sub_activity.name},
        "objective": str(item.objective) if item.objective_id else "",
        **{k: str(getattr(item, k)) for k in CONTENT_FIELDS},
        "indicators": _indicator_rows(item),
    }


def _approved_at(item: PlanItem):
    return (
        AuditEntry.objects.filter(object_type="eplanning.planitem", object_id=str(item.pk), new_status="approved")
        .order_by("-seq")
        .values_list("created", flat=True)
        .first()
    ) or timezone.now()


# --- Notifications -------------------------------------------------------------------


def _item_url(item: PlanItem) -> str:
    return reverse("eplanning:plan_detail", args=[item.pk])


def _notify_verifiers(item: PlanItem) -> None:
    users = User.objects.filter(
        is_active=True,
        memberships__role=Role.PLAN_VERIFIER,
        memberships__agency__region_id=item.region_id,
    ).distinct()
    notify(
        recipients=users,
        kind="plan.submitted",
        title=_format(_("Plan item submitted for verification: %(item)s"), item=str(item)),
        url=_item_url(item),
        subject=item,
    )


def _notify_planners(item: PlanItem, *, kind: str, title, body="") -> None:
    planner_ids = Membership.objects.filter(agency_id=item.agency_id, role=Role.PLANNER).values("user_id")
    users = User.objects.filter(is_active=True, pk__in=planner_ids)
    notify(
        recipients=list(users),
        kind=kind,
        title=_format(title, item=str(item)),
        body=body,
        url=_item_url(item),
        subject=item,
    )
