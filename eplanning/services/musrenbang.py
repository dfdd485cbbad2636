"""State changes of Musrenbang proposals. Pages, API and admin all call these.

Who may do what is decided here as well as on every surface (see
``eplanning.selectors.musrenbang``): a proposal is recorded and edited by the region's
Bappeda (``plan_verifier``) or any ``planner`` working in that region, and reviewed
only by the region's ``plan_verifier``. Superusers may do both.

The rounds run village → district → region (PROPOSAL_STAGE_ORDER). In the village and
district rounds a proposal is forwarded with a score (0–100) or rejected with a
reason; in the region round it is accepted into a plan item of the same region and
fiscal year, or rejected. Each decision writes one ProposalReview row and one audit
entry, and tells the staff member who recorded the proposal.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import Agency, FiscalYear, Region
from portal.services import DomainError, notify

from ..choices import PROPOSAL_STAGE_ORDER, ProposalStage, ProposalStatus, ReviewDecision
from ..models import CommunityProposal, PlanItem, ProposalReview
from ..selectors.musrenbang import can_record, can_review

# What staff fill in; round, status, score, plan item and reason change only by review.
PROPOSAL_FIELDS = (
    "category",
    "title",
    "description",
    "district",
    "village",
    "estimated_cost",
    "proposer",
    "proposer_contact",
    "target_agency",
)
MIN_SCORE, MAX_SCORE = Decimal("0"), Decimal("100")


def proposal_record(*, actor, region: Region, fiscal_year: FiscalYear, **fields) -> CommunityProposal:
    """Record a proposal received from a village or district forum (village round)."""
    _check_fields(fields)
    if not can_record(actor, region.pk):
        raise PermissionDenied(_("You may not record proposals for this region."))
    if not fiscal_year.is_open:
        raise DomainError({"fiscal_year": _("This fiscal year is closed: it takes no new proposals.")})
    with transaction.atomic():
        proposal = CommunityProposal(region=region, fiscal_year=fiscal_year, created_by=_user_or_none(actor), **fields)
        _validate(proposal)
        proposal.save(force_insert=True)
        changes = {name: getattr(proposal, name) for name in PROPOSAL_FIELDS}
        changes["target_agency"] = proposal.target_agency_id
        audit_record(actor=actor, action=AuditAction.CREATE, obj=proposal, changes=changes)
    return proposal


def proposal_update(*, proposal_id: int, actor, **fields) -> CommunityProposal:
    """Correct a proposal's details: only while it is in the village round, under review."""
    _check_fields(fields)
    with transaction.atomic():
        proposal = CommunityProposal.objects.select_for_update().get(pk=proposal_id)
        if not can_record(actor, proposal.region_id):
            raise PermissionDenied(_("You may not change proposals of this region."))
        if proposal.status != ProposalStatus.IN_REVIEW or proposal.stage != ProposalStage.VILLAGE:
            raise DomainError(_("A proposal can be changed only in the village round, while under review."))
        changes = {}
        for name, value in fields.items():
            old = getattr(proposal, name)
            if old != value:
                changes[name] = [getattr(old, "pk", old), getattr(value, "pk", value)]
                setattr(proposal, name, value)
        if not changes:
            return proposal
        _validate(proposal)
        update_fields = [f"{n}_id" if n == "target_agency" else n for n in changes]
        proposal.save(update_fields=update_fields)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=proposal, changes=changes)
    return proposal


def proposal_forward(*, proposal_id: int, actor, score, note: str = "") -> CommunityProposal:
    """Pass a proposal on to the next round with this round's score (0–100)."""
    score = _parse_score(score)
    with transaction.atomic():
        proposal = _locked_for_review(proposal_id, actor)
        old_stage = proposal.stage
        position = PROPOSAL_STAGE_ORDER.index(old_stage)
        if position == len(PROPOSAL_STAGE_ORDER) - 1:
            raise DomainError(_("In the region round a proposal is accepted into a plan item or rejected."))
        proposal.stage = PROPOSAL_STAGE_ORDER[position + 1]
        proposal.score = score
        proposal.save(update_fields=["stage", "score"])
        _review(proposal, actor, old_stage, ReviewDecision.FORWARDED, score=score, note=note)
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=proposal,
            old_status=old_stage,
            new_status=proposal.stage,
            reason=note,
            changes={"score": str(score)},
        )
        _tell_recorder(proposal, actor, _("Musrenbang proposal forwarded to the next round: {title}"))
    return proposal


def proposal_reject(*, proposal_id: int, actor, reason: str) -> CommunityProposal:
    """Turn a proposal down in its current round; the reason is published."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Give the reason the proposal is rejected.")})
    with transaction.atomic():
        proposal = _locked_for_review(proposal_id, actor)
        proposal.status = ProposalStatus.REJECTED
        proposal.rejection_reason = reason
        proposal.save(update_fields=["status", "rejection_reason"])
        _review(proposal, actor, proposal.stage, ReviewDecision.REJECTED, note=reason)
        _transition_audit(proposal, actor, reason)
        _tell_recorder(proposal, actor, _("Musrenbang proposal rejected: {title}"))
    return proposal


def proposal_accept(*, proposal_id: int, actor, plan_item: PlanItem, note: str = "") -> CommunityProposal:
    """In the region round, take a proposal into a plan item of the same region and year."""
    if plan_item is None:
        raise DomainError({"plan_item": _("Choose the plan item the proposal becomes part of.")})
    with transaction.atomic():
        proposal = _locked_for_review(proposal_id, actor)
        if proposal.stage != ProposalStage.REGION:
            raise DomainError(_("A proposal is accepted only in the region round."))
        _check_plan_item(proposal, plan_item, actor)
        proposal.status = ProposalStatus.ACCEPTED
        proposal.plan_item = plan_item
        proposal.save(update_fields=["status", "plan_item"])
        _review(proposal, actor, proposal.stage, ReviewDecision.ACCEPTED, note=note)
        _transition_audit(proposal, actor, note, changes={"plan_item": plan_item.pk})
        _tell_recorder(proposal, actor, _("Musrenbang proposal accepted into the plan: {title}"))
    return proposal


# --- helpers ---------------------------------------------------------------------------


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _validate(proposal: CommunityProposal) -> None:
    cost = proposal.estimated_cost
    if cost is not None and not isinstance(cost, Decimal | int):
        raise DomainError({"estimated_cost": _("The estimated cost must be an amount in rupiah.")})
    if cost is not None and cost < 0:
        raise DomainError({"estimated_cost": _("The estimated cost cannot be negative.")})
    agency: Agency | None = proposal.target_agency
    if agency is not None and agency.region_id != proposal.region_id:
        raise DomainError({"target_agency": _("The agency asked to carry it out must be of the proposal's region.")})
    proposal.full_clean(exclude=["created_by", "plan_item"])


def _parse_score(score) -> Decimal:
    try:
        value = Decimal(str(score).strip()) if score is not None and str(score).strip() else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise DomainError({"score": _("Give a score from 0 to 100.")})
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise DomainError({"score": _("The score must be from 0 to 100.")})
    return value.quantize(Decimal("0.01"))


def _locked_for_review(proposal_id: int, actor) -> CommunityProposal:
    proposal = CommunityProposal.objects.select_for_update().get(pk=proposal_id)
    if not can_review(actor, proposal.region_id):
        raise PermissionDenied(_("Only Bappeda of the proposal's region reviews it."))
    if proposal.status != ProposalStatus.IN_REVIEW:
        raise DomainError(_("This proposal has already been decided: %(status)s.") % {"status": _status(proposal)})
    return proposal


def _status(proposal) -> str:
    return str(ProposalStatus(proposal.status).label)


def _check_plan_item(proposal: CommunityProposal, plan_item: PlanItem, actor) -> None:
    if plan_item.region_id != proposal.region_id:
        raise DomainError({"plan_item": _("The plan item must be of the proposal's region.")})
    if plan_item.fiscal_year_id != proposal.fiscal_year_id:
        raise DomainError({"plan_item": _("The plan item must be of the proposal's fiscal year.")})
    if not PlanItem.objects.visible_to(actor).filter(pk=plan_item.pk).exists():
        raise DomainError({"plan_item": _("You cannot see this plan item.")})


def _review(proposal, actor, stage: str, decision: str, *, score=None, note: str = "") -> ProposalReview:
    return ProposalReview.objects.create(
        proposal=proposal, stage=stage, decision=decision, score=score, note=note or "", reviewer=actor
    )


def _transition_audit(proposal, actor, reason: str, changes: dict | None = None) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=proposal,
        old_status=ProposalStatus.IN_REVIEW,
        new_status=proposal.status,
        reason=reason or "",
        changes={"stage": proposal.stage, **(changes or {})},
    )


def _tell_recorder(proposal: CommunityProposal, actor, title) -> None:
    if not proposal.created_by_id or proposal.created_by_id == getattr(actor, "pk", None):
        return
    notify(
        recipients=[proposal.created_by],
        kind="musrenbang_decision",
        title=format_lazy(title, title=proposal.title),
        body=proposal.rejection_reason,
        url=reverse("eplanning:musrenbang_detail", args=[proposal.pk]),
        subject=proposal,
    )


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
