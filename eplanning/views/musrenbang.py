"""Musrenbang pages: the public outcome list and detail, and the staff's review lists,
record/edit form and proposal page with its review actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..choices import PROPOSAL_STAGE_ORDER, ProposalCategory, ProposalStage, ProposalStatus
from ..selectors import musrenbang as selectors
from ..services import musrenbang as services
from .musrenbang_forms import AcceptForm, ForwardForm, ProposalForm, RejectForm

PUBLIC_PAGE_SIZE = 20
STAFF_PAGE_SIZE = 50
PUBLIC_FILTERS = ("region", "district", "category", "status", "year", "q")


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Public --------------------------------------------------------------------------


@require_GET
def public_list(request):
    filters = {name: request.GET.get(name, "").strip() for name in PUBLIC_FILTERS}
    page = Paginator(selectors.public_proposals(**filters), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_outcomes(page.object_list)
    context = {
        "page": page,
        "filters": filters,
        "query": _query_without_page(request),
        "categories": ProposalCategory.choices,
        "statuses": ProposalStatus.choices,
        **selectors.public_filter_choices(),
    }
    return render(request, "eplanning/musrenbang_public_list.html", context)


@require_GET
def public_detail(request, pk):
    proposal = selectors.get_public_proposal(pk)
    return render(request, "eplanning/musrenbang_public_detail.html", {"proposal": proposal})


# --- Staff ---------------------------------------------------------------------------


@login_required
@require_GET
def review_list(request):
    stage = request.GET.get("round") or ProposalStage.VILLAGE
    if stage not in ProposalStage.values:
        stage = ProposalStage.VILLAGE
    status = request.GET.get("status", ProposalStatus.IN_REVIEW)
    status = status if status in ProposalStatus.values else ""
    year = request.GET.get("year", "")
    proposals = selectors.ranked_for_review(
        request.user, stage=stage, status=status, fiscal_year=year if year.isdigit() else None
    )
    page = Paginator(proposals, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    reviewer_regions = selectors.reviewer_region_ids(request.user)
    for proposal in page.object_list:
        proposal.can_review = reviewer_regions is None or proposal.region_id in reviewer_regions
    context = {
        "page": page,
        "stage": stage,
        "status": status,
        "query": _query_without_page(request),
        "stages": [(s.value, s.label) for s in PROPOSAL_STAGE_ORDER],
        "statuses": ProposalStatus.choices,
        "is_region_round": stage == ProposalStage.REGION,
        "can_record": selectors.recorder_region_ids(request.user) != frozenset(),
    }
    return render(request, "eplanning/musrenbang_list.html", context)


@login_required
def proposal_detail(request, pk):
    proposal = selectors.get_proposal_for(request.user, pk)
    return render(request, "eplanning/musrenbang_detail.html", _detail_context(request, proposal))


def _detail_context(request, proposal, **forms) -> dict:
    user = request.user
    can_review = proposal.status == ProposalStatus.IN_REVIEW and selectors.can_review(user, proposal.region_id)
    is_last_round = proposal.stage == ProposalStage.REGION
    context = {
        "proposal": proposal,
        "history": selectors.proposal_history(proposal),
        "can_review": can_review,
        "is_last_round": is_last_round,
        "can_edit": proposal.status == ProposalStatus.IN_REVIEW
        and proposal.stage == ProposalStage.VILLAGE
        and selectors.can_record(user, proposal.region_id),
    }
    if can_review:
        context["reject_form"] = forms.get("reject_form") or RejectForm()
        if is_last_round:
            context["accept_form"] = forms.get("accept_form") or AcceptForm(user=user, proposal=proposal)
        else:
            context["forward_form"] = forms.get("forward_form") or ForwardForm()
    return context


@login_required
def proposal_create(request):
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_record(
                actor=request.user, region=data["region"], fiscal_year=data["fiscal_year"], **form.service_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The proposal was recorded."))
            return redirect("eplanning:musrenbang_detail", pk=proposal.pk)
    return render(request, "eplanning/musrenbang_form.html", {"form": form})


@login_required
def proposal_edit(request, pk):
    proposal = selectors.get_proposal_for(request.user, pk, write=True)
    form = ProposalForm(request.POST or None, instance=proposal, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(proposal_id=proposal.pk, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect("eplanning:musrenbang_detail", pk=proposal.pk)
    return render(request, "eplanning/musrenbang_form.html", {"form": form, "proposal": proposal})


def _after_action(request, proposal, message: str):
    messages.success(request, message)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("eplanning:musrenbang_detail", pk=proposal.pk)


def _refused(request, proposal, form_name: str, form):
    context = _detail_context(request, proposal, **{form_name: form})
    return render(request, "eplanning/musrenbang_detail.html", context, status=400)


def _decide(request, pk, *, form_name: str, make_form, service, done_message):
    """One review decision: the reviewer's form, the service, and the page again."""
    proposal = selectors.get_proposal_for(request.user, pk, review=True)
    form = make_form(request, proposal)
    if form.is_valid():
        try:
            service(proposal_id=proposal.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _after_action(request, proposal, done_message)
    return _refused(request, proposal, form_name, form)


@login_required
@require_POST
def proposal_forward(request, pk):
    return _decide(
        request,
        pk,
        form_name="forward_form",
        make_form=lambda request, proposal: ForwardForm(request.POST),
        service=services.proposal_forward,
        done_message=_("The proposal was forwarded to the next round."),
    )


@login_required
@require_POST
def proposal_reject(request, pk):
    return _decide(
        request,
        pk,
        form_name="reject_form",
        make_form=lambda request, proposal: RejectForm(request.POST),
        service=services.proposal_reject,
        done_message=_("The proposal was rejected."),
    )


@login_required
@require_POST
def proposal_accept(request, pk):
    return _decide(
        request,
        pk,
        form_name="accept_form",
        make_form=lambda request, proposal: AcceptForm(request.POST, user=request.user, proposal=proposal),
        service=services.proposal_accept,
        done_message=_("The proposal was accepted into the plan."),
    )
