"""Pages of the evaluation, award, objections, SPPBJ and contract, for the pokja and the
PPK; and the participants' objection page. Every change goes through a service; the
access check is ``get_award_package_for`` (agency scope; another region's staff get 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..choices import CONSULTANCY_EVALUATION, EvaluationMethod, PackageStatus, TenderStage
from ..forms.awards import ContractForm, PaymentForm, apply_domain_error
from ..models import Bid, Package, Vendor
from ..selectors import awards as selectors
from ..selectors.schedule import stage_is_open, stage_window
from ..services import awards as award_services
from ..services import contracts as contract_services
from ..services import evaluation as evaluation_services


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _flag(value: str):
    """A select of pass / fail / not yet decided, as the service takes it."""
    return {"1": True, "0": False}.get((value or "").strip())


# --- Evaluation ---------------------------------------------------------------------------


@login_required
def evaluation_page(request, pk):
    """The evaluation table: one row (and, for the pokja while OPENED, one form) per bid.

    Queries (constant in the number of bids): session and user (2), the user's reach (1),
    the package with agency and PPK (1), its stages (1), the pokja seat (1), the treasurer
    check (1), the bids with vendors and evaluations (1).
    """
    package = selectors.get_award_package_for(request.user, pk)
    roles = selectors.roles_on(request.user, package)
    method = package.evaluation_method
    rows = [{"bid": bid, "evaluation": selectors.evaluation_of(bid)} for bid in selectors.opened_bids(package)]
    context = {
        "package": package,
        "rows": rows,
        "roles": roles,
        "can_evaluate": roles["pokja"] and package.status == PackageStatus.OPENED,
        "scored": method in evaluation_services.SCORED_METHODS,
        "life_cycle": method == EvaluationMethod.LIFE_CYCLE_COST,
        "consultancy": method in CONSULTANCY_EVALUATION,
        "clarification_limit": evaluation_services.clarification_limit(package),
        "passing_grade": evaluation_services.passing_grade(),
        "proof_candidates": evaluation_services.PROOF_CANDIDATES,
    }
    return render(request, "eprocurement/evaluation_page.html", context)


def _bid_of(package: Package, bid_pk) -> Bid:
    return get_object_or_404(Bid, pk=bid_pk, package=package)


@login_required
@require_POST
def evaluation_record(request, pk, bid_pk):
    package = selectors.get_award_package_for(request.user, pk)
    bid = _bid_of(package, bid_pk)
    post = request.POST
    try:
        evaluation_services.evaluation_record(
            bid=bid,
            actor=request.user,
            administrative_pass=_flag(post.get("administrative_pass")),
            qualification_pass=_flag(post.get("qualification_pass")),
            technical_pass=_flag(post.get("technical_pass")),
            technical_score=post.get("technical_score", "").strip() or None,
            price_pass=_flag(post.get("price_pass")),
            life_cycle_cost=post.get("life_cycle_cost", "").strip() or None,
            clarification_note=post.get("clarification_note", ""),
            notes=post.get("notes", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The evaluation of %(vendor)s was saved.") % {"vendor": bid.vendor.name})
    return redirect("eprocurement:evaluation_page", pk=package.pk)


@login_required
@require_POST
def evaluation_rank(request, pk):
    package = selectors.get_award_package_for(request.user, pk)
    try:
        evaluation_services.evaluation_rank(package=package, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The bids were ranked."))
    return redirect("eprocurement:evaluation_page", pk=package.pk)


@login_required
@require_POST
def evaluation_proof(request, pk, bid_pk):
    package = selectors.get_award_package_for(request.user, pk)
    bid = _bid_of(package, bid_pk)
    try:
        evaluation_services.qualification_proof_record(
            bid=bid, actor=request.user, proven=_flag(request.POST.get("proven")), notes=request.POST.get("notes", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The proof of qualification was recorded."))
    return redirect("eprocurement:evaluation_page", pk=package.pk)


# --- Award, objections, SPPBJ --------------------------------------------------------------


@login_required
def award_page(request, pk):
    package = selectors.get_award_package_for(request.user, pk)
    roles = selectors.roles_on(request.user, package)
    award = package.award if hasattr(package, "award") else None
    ranked = [bid for bid in selectors.opened_bids(package) if selectors.evaluation_of(bid) and bid.evaluation.rank]
    context = {
        "package": package,
        "roles": roles,
        "award": award,
        "ranked": ranked,
        "objections": list(selectors.package_objections(package)),
        "objection_window": stage_window(package, TenderStage.OBJECTION),
        "appeal_window": stage_window(package, TenderStage.APPEAL),
    }
    return render(request, "eprocurement/award_page.html", context)


def _decide(request, package):
    bid = _bid_of(package, request.POST.get("bid") if str(request.POST.get("bid", "")).isdigit() else 0)
    return award_services.award_decide(
        package=package, actor=request.user, bid=bid, reason=request.POST.get("reason", "")
    )


_AWARD_ACTIONS = {
    "tetapkan": (_decide, gettext_lazy("The winner was decided.")),
    "umumkan": (
        lambda request, package: award_services.award_announce(package=package, actor=request.user),
        gettext_lazy("The winner was announced."),
    ),
    "sppbj": (
        lambda request, package: award_services.award_appoint(
            package=package, actor=request.user, number=request.POST.get("number", "")
        ),
        gettext_lazy("The SPPBJ was issued."),
    ),
}


@login_required
@require_POST
def award_transition(request, pk, action):
    if action not in _AWARD_ACTIONS:
        raise Http404
    package = selectors.get_award_package_for(request.user, pk)
    call, done = _AWARD_ACTIONS[action]
    try:
        call(request, package)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("eprocurement:award_page", pk=package.pk)


@login_required
@require_POST
def objection_answer(request, pk):
    objection = selectors.get_objection_for(request.user, pk)
    upheld = _flag(request.POST.get("upheld"))
    try:
        award_services.objection_answer(
            objection=objection, actor=request.user, upheld=upheld, answer=request.POST.get("answer", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The answer was recorded."))
    return redirect("eprocurement:award_page", pk=objection.package_id)


@login_required
def objection_submit(request, pk):
    """A participant's page: the result, their objections, and the objection or appeal form."""
    package = get_object_or_404(Package.objects.public().prefetch_related("stages"), pk=pk)
    vendors = list(Vendor.objects.filter(owner=request.user, bids__package=package, bids__status="submitted"))
    if not vendors:
        raise PermissionDenied(_("Only vendors who submitted a bid on this tender may object."))
    vendor = vendors[0]
    if request.method == "POST":
        _lodge(request, package, vendor)
        return redirect("eprocurement:objection_submit", pk=package.pk)
    own = list(selectors.vendor_objections(package, [vendor.pk]))
    context = {
        "package": package,
        "vendor": vendor,
        "result": selectors.tender_result(package),
        "own_objections": own,
        "appealable": selectors.rejected_without_appeal(own) if package.kind == "works" else [],
        "objection_open": stage_is_open(package, TenderStage.OBJECTION),
        "appeal_open": stage_is_open(package, TenderStage.APPEAL),
        "objection_window": stage_window(package, TenderStage.OBJECTION),
    }
    return render(request, "eprocurement/award_objection.html", context)


def _lodge(request, package, vendor) -> None:
    text = request.POST.get("text", "")
    appeal_of = request.POST.get("appeal_of", "")
    try:
        if appeal_of.isdigit():
            objection = get_object_or_404(package.objections, pk=int(appeal_of), vendor=vendor)
            award_services.objection_appeal(objection=objection, actor=request.user, text=text)
        else:
            award_services.objection_submit(package=package, vendor=vendor, actor=request.user, text=text)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your objection was received."))


# --- Contract -----------------------------------------------------------------------------


@login_required
def contract_page(request, pk):
    """The contract form (PPK, once appointed), the contract, its payments and the payment form."""
    package = selectors.get_award_package_for(request.user, pk)
    roles = selectors.roles_on(request.user, package)
    contract = selectors.package_contract(package)
    form = None
    if contract is None and roles["ppk"] and package.status == PackageStatus.APPOINTED:
        form = ContractForm(request.POST or None, initial={"value": package.award.value})
        if request.method == "POST" and form.is_valid():
            try:
                contract_services.contract_create(package=package, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The contract was drafted."))
                return redirect("eprocurement:contract_page", pk=package.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "package": package,
        "roles": roles,
        "contract": contract,
        "form": form,
        "payments": list(selectors.contract_payments(contract)) if contract else [],
        "payment_form": PaymentForm() if contract and contract.status == "signed" else None,
    }
    return render(request, "eprocurement/contract_page.html", context)


@login_required
@require_POST
def contract_sign(request, pk):
    contract = selectors.get_contract_for(request.user, pk)
    try:
        contract_services.contract_sign(contract=contract, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The contract was signed; its value is committed on the budget lines."))
    return redirect("eprocurement:contract_page", pk=contract.package_id)


@login_required
@require_POST
def contract_pay(request, pk):
    contract = selectors.get_contract_for(request.user, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("eprocurement:contract_page", pk=contract.package_id)
    try:
        contract_services.contract_pay(contract=contract, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The payment was recorded on the budget lines."))
    return redirect("eprocurement:contract_page", pk=contract.package_id)
