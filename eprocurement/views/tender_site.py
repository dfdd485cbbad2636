"""Pages of the public tender site: the list, a tender's page (no login to read), asking
and answering questions, a vendor's own tenders and a person's subscriptions.

Pages are plain HTML without JavaScript and small, for a slow mobile connection.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..choices import PackageStatus, TenderStage
from ..forms.tender_site import AnswerForm, QuestionForm, SubscriptionForm
from ..models.tender_site import ANSWER_MAX_LENGTH
from ..ocds.builder import ocid_for
from ..selectors import tender_site as selectors
from ..selectors.awards import tender_result
from ..selectors.schedule import stage_is_open
from ..services import tender_site as services

PAGE_SIZE = 25
MY_PAGE_SIZE = 50


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def tender_list(request):
    """Public packages: search, filters, 25 a page; a bad filter is named and ignored."""
    filters = selectors.parse_filters(request.GET)
    page = Paginator(selectors.tender_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": selectors.label_stages(page),
        "filters": filters,
        "query": _query_without_page(request),
        "years": selectors.fiscal_years(),
        "now": timezone.now(),
        **selectors.filter_choices(filters),
    }
    return render(request, "eprocurement/tender_list.html", context)


def tender_detail(request, pk):
    package = selectors.get_public_tender(pk)
    vendors = selectors.askable_vendors(request.user, package)
    context = {
        "package": package,
        "now": timezone.now(),
        "schedule": selectors.schedule_rows(package),
        "bids_public": selectors.bids_are_public(package),
        "opened_bids": selectors.opened_bids(package),
        "question_form": QuestionForm(vendors=vendors) if vendors else None,
        "is_pokja": selectors.is_pokja_member(request.user, package.pk),
        # The award, winner, evaluation and objections (None before the announcement).
        "result": tender_result(package),
        "ocid": ocid_for(package),
        # Links only; the bid and objection pages decide on the server clock themselves.
        "bidding_open": package.status == PackageStatus.ANNOUNCED
        and stage_is_open(package, TenderStage.BID_SUBMISSION),
        "objection_open": stage_is_open(package, TenderStage.OBJECTION),
    }
    return render(request, "eprocurement/tender_detail.html", context)


def _service_error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def tender_ask(request, pk):
    package = selectors.get_public_tender(pk)
    vendors = selectors.askable_vendors(request.user, package)
    form = QuestionForm(request.POST, vendors=vendors)
    target = reverse("eprocurement:tender_detail", args=[package.pk]) + "#questions"
    if not vendors:
        messages.error(request, _("Only a verified vendor asks questions, while the explanation stage is open."))
        return redirect(target)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target)
    try:
        services.question_ask(
            package=package, vendor=form.cleaned_data["vendor"], actor=request.user, text=form.cleaned_data["text"]
        )
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Your question was sent to the pokja. The answer will appear on this page."))
    return redirect(target)


@login_required
def tender_questions(request, pk):
    """The pokja's page: every question of the package, who asked it, and the answer forms."""
    package = selectors.get_pokja_tender_for(request.user, pk)
    context = {"package": package, "questions": selectors.pokja_questions(package), "form": AnswerForm()}
    return render(request, "eprocurement/tender_questions.html", context)


@login_required
@require_POST
def tender_answer(request, pk):
    question = selectors.get_question_for_pokja(request.user, pk)
    form = AnswerForm(request.POST)
    target = reverse("eprocurement:tender_questions", args=[question.package_id])
    if not form.is_valid():
        messages.error(request, _("Write the answer (at most %(limit)s characters).") % {"limit": ANSWER_MAX_LENGTH})
        return redirect(target)
    try:
        services.question_answer(question=question, actor=request.user, answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("The answer is published on the tender page."))
    return redirect(target)


@login_required
def tender_mine(request):
    """A vendor's own tenders: those its companies asked about or bid on."""
    page = Paginator(selectors.my_tenders(request.user), MY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": selectors.label_stages(page), "query": ""}
    return render(request, "eprocurement/tender_mine.html", context)


@login_required
def tender_subscriptions(request):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.subscription_create(
                user=request.user,
                kinds=form.cleaned_data["kinds"] or [""],
                regions=list(form.cleaned_data["regions"]) or [None],
            )
        except ValidationError as exc:
            _service_error(request, exc)
        else:
            if created:
                messages.success(request, _("Subscribed. New tenders that match will reach you by e-mail."))
            else:
                messages.info(request, _("You already had these subscriptions."))
            return redirect("eprocurement:tender_subscriptions")
    context = {"form": form, "subscriptions": selectors.subscriptions_of(request.user)}
    return render(request, "eprocurement/tender_subscriptions.html", context)


@login_required
@require_POST
def tender_subscription_delete(request, pk):
    subscription = selectors.get_subscription_for(request.user, pk)
    services.subscription_delete(subscription=subscription, actor=request.user)
    messages.success(request, _("Unsubscribed."))
    return redirect("eprocurement:tender_subscriptions")
