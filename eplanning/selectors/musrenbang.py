"""Reads for Musrenbang: who may record and review, the ranked review lists, and the
public outcome pages.

Who does what (the services enforce the same through :func:`can_record` and
:func:`can_review`, so every surface behaves alike):

- everyone who works in a region reads its proposals (region-level records);
- proposals are recorded and edited by the region's Bappeda (``plan_verifier``, whose
  membership reaches the whole region) and by any ``planner`` working in that region,
  whatever their agency: the forums' minutes reach Bappeda through the agencies too;
- only ``plan_verifier`` of the region reviews (forwards, rejects, accepts).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Window
from django.db.models.functions import Rank
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.choices import Role
from portal.models import Agency, FiscalYear, Region
from portal.navigation import WorkItem
from portal.scoping import get_scoped_or_404, reach_of
from portal.search import text_search

from ..choices import ProposalStatus, ReviewDecision
from ..models import CommunityProposal, PlanItem, ProposalReview
from ..outcomes import outcomes_for

RECORDER_ROLES = (Role.PLANNER, Role.PLAN_VERIFIER)
REVIEWER_ROLES = (Role.PLAN_VERIFIER,)
PUBLIC_HIDDEN_FIELDS = ("proposer", "proposer_contact", "created_by")
PUBLIC_SEARCH_FIELDS = ("title", "description", "village", "district")


def recorder_region_ids(user) -> frozenset | None:
    """Regions where ``user`` records proposals; None when they reach every region."""
    reach = reach_of(user)
    if reach.everything:
        return None
    verifiers = reach.with_roles(Role.PLAN_VERIFIER).region_ids
    planners = reach.with_roles(Role.PLANNER).member_region_ids
    return frozenset(verifiers | planners)


def reviewer_region_ids(user) -> frozenset | None:
    reach = reach_of(user)
    if reach.everything:
        return None
    return frozenset(reach.with_roles(REVIEWER_ROLES).region_ids)


def _within(region_ids: frozenset | None, region_id) -> bool:
    return region_ids is None or region_id in region_ids


def can_record(user, region_id) -> bool:
    return _within(recorder_region_ids(user), region_id)


def can_review(user, region_id) -> bool:
    return _within(reviewer_region_ids(user), region_id)


def _in_regions(qs, region_ids: frozenset | None):
    return qs if region_ids is None else qs.filter(region_id__in=region_ids)


def proposals_visible(user):
    return CommunityProposal.objects.visible_to(user)


def proposals_recordable(user):
    return _in_regions(CommunityProposal.objects.all(), recorder_region_ids(user))


def proposals_reviewable(user):
    return _in_regions(CommunityProposal.objects.all(), reviewer_region_ids(user))


def get_proposal_for(user, pk, *, write: bool = False, review: bool = False) -> CommunityProposal:
    """A proposal ``user`` may read (404 otherwise); with ``write`` one they may edit,
    with ``review`` one they may review (PermissionDenied when they only read it)."""
    qs = CommunityProposal.objects.select_related(
        "region", "fiscal_year", "target_agency", "plan_item__agency", "plan_item__sub_activity", "created_by"
    )
    proposal = get_scoped_or_404(qs, user, pk)
    if write and not can_record(user, proposal.region_id):
        raise PermissionDenied
    if review and not can_review(user, proposal.region_id):
        raise PermissionDenied
    return proposal


def regions_for_recording(user):
    region_ids = recorder_region_ids(user)
    qs = Region.objects.all() if region_ids is None else Region.objects.filter(pk__in=region_ids)
    return qs.order_by("code")


def agencies_for_region_ids(region_ids: frozenset | None):
    qs = Agency.objects.filter(is_active=True).select_related("region")
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    return qs.order_by("region__code", "name")


def open_fiscal_years():
    return FiscalYear.objects.filter(is_open=True).order_by("-year")


def ranked_for_review(user, *, stage: str, status: str = ProposalStatus.IN_REVIEW, fiscal_year=None, region=None):
    """The proposals of one round the person reads, ranked by score within each
    region, fiscal year and round (rank 1 = highest score; ties share a rank).

    The rank is a window function over the rows selected here (round and status and,
    when given, year and region), so narrowing by year or region leaves it unchanged.
    """
    qs = proposals_visible(user).filter(stage=stage)
    if status:
        qs = qs.filter(status=status)
    if fiscal_year:
        qs = qs.filter(fiscal_year_id=fiscal_year)
    if region:
        qs = qs.filter(region_id=region)
    rank = Window(
        Rank(),
        partition_by=[F("region_id"), F("fiscal_year_id"), F("stage")],
        order_by=[F("score").desc(nulls_last=True)],
    )
    return (
        qs.select_related("region", "fiscal_year", "target_agency")
        .annotate(rank=rank)
        .order_by("region__code", "-fiscal_year__year", "rank", "id")
    )


def proposal_history(proposal) -> list[ProposalReview]:
    reviews = ProposalReview.objects.filter(proposal=proposal).select_related("reviewer").order_by("created", "id")
    return _with_decision_labels(reviews)


def _with_decision_labels(reviews) -> list[ProposalReview]:
    reviews = list(reviews)
    labels = dict(ReviewDecision.choices)
    for review in reviews:
        review.decision_label = labels.get(review.decision, review.decision)
    return reviews


def plan_item_choices(user, proposal):
    """Plan items a reviewer may accept the proposal into: same region and year, and
    visible to them."""
    return (
        PlanItem.objects.visible_to(user)
        .filter(region_id=proposal.region_id, fiscal_year_id=proposal.fiscal_year_id)
        .select_related("agency", "sub_activity")
        .order_by("agency__name", "sub_activity__code", "id")
    )


# --- The public page -------------------------------------------------------------------


def public_proposals(*, region: str = "", district: str = "", category: str = "", status: str = "", year="", q=""):
    """Every region's proposals, for anybody: never the proposer's name or contact."""
    qs = CommunityProposal.objects.defer(*PUBLIC_HIDDEN_FIELDS).select_related(
        "region", "fiscal_year", "target_agency", "plan_item__agency", "plan_item__sub_activity"
    )
    if region:
        qs = qs.filter(region__code=region)
    if district:
        qs = qs.filter(district__icontains=district)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if str(year).isdigit():
        qs = qs.filter(fiscal_year__year=int(year))
    qs = text_search(qs, PUBLIC_SEARCH_FIELDS, q)
    return qs.order_by("-fiscal_year__year", "region__code", "-created", "-id")


def attach_outcomes(proposals) -> list:
    """The page's proposals, each with ``outcomes`` (facts of the plan item it became,
    from every registered provider: one call per provider for the whole page)."""
    proposals = list(proposals)
    facts = outcomes_for(p.plan_item_id for p in proposals if p.plan_item_id)
    for p in proposals:
        p.outcomes = facts.get(p.plan_item_id, []) if p.plan_item_id else []
    return proposals


def get_public_proposal(pk) -> CommunityProposal:
    reviews = ProposalReview.objects.only("id", "proposal_id", "stage", "decision", "score", "note", "created")
    try:
        proposal = (
            public_proposals()
            .prefetch_related(Prefetch("reviews", queryset=reviews.order_by("created", "id")))
            .get(pk=pk)
        )
    except (CommunityProposal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    proposal.history = _with_decision_labels(proposal.reviews.all())
    return attach_outcomes([proposal])[0]


def public_filter_choices() -> dict:
    return {
        "regions": list(Region.objects.order_by("code").values_list("code", "name")),
        "years": list(FiscalYear.objects.order_by("-year").values_list("year", flat=True)),
    }


def review_waiting_count(user) -> int:
    """In-review proposals the person may decide on (the home page's work list)."""
    return proposals_reviewable(user).filter(status=ProposalStatus.IN_REVIEW).count()


def review_work(user) -> list:
    """The home page's line for Bappeda: proposals waiting for their decision."""
    if reviewer_region_ids(user) == frozenset():
        return []
    count = review_waiting_count(user)
    if not count:
        return []
    return [WorkItem(label=_("Musrenbang proposals to review"), count=count, url=reverse("eplanning:musrenbang_list"))]
