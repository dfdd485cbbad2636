"""Staff pages of packages (paket): the list, the detail with everything the package
holds, the forms of a draft (fields, team, schedule, documents), and the transitions
(announce, extend, addendum, cancel, fail, re-tender) as POST forms calling the services.
Documents are downloaded here, after the access check, never from /media/."""

from __future__ import annotations

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..choices import PackageStatus, TenderStage
from ..forms.packages import (
    AddendumForm,
    DocumentForm,
    ExtendForm,
    PackageCreateForm,
    PackageFieldsForm,
    ScheduleForm,
    TeamForm,
    schedule_initial,
)
from ..forms.plans import apply_domain_error
from ..selectors import packages as selectors
from ..selectors.plans import open_fiscal_years
from ..services import package_schedule
from ..services import package_tender as tender
from ..services import packages as services

LIST_PAGE_SIZE = 25


@login_required
def package_list(request):
    filters = {"status": request.GET.get("status", "").strip(), "year": request.GET.get("year", "").strip()}
    page = Paginator(selectors.packages_visible(request.user, **filters), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "statuses": PackageStatus.choices,
        "years": open_fiscal_years(),
        "can_create": selectors.package_agencies(request.user).exists(),
    }
    return render(request, "eprocurement/package_list.html", context)


@login_required
def package_detail(request, pk):
    package = selectors.get_package_for(request.user, pk)
    user = request.user
    is_pokja = services.is_pokja_member(user, package)
    editor = is_pokja or services.is_owner(user, package)
    context = {
        "package": package,
        "current_stages": selectors.current_stage_labels(package),
        "history": selectors.history(package),
        "can_edit": package.status == PackageStatus.DRAFT and editor,
        "can_cancel": package.status in services.CANCELLABLE_STATES and editor,
        "is_pokja": is_pokja and package.status in services.RUNNING_STATES,
        "can_fail": is_pokja and package.status in {PackageStatus.ANNOUNCED, *services.FAILABLE_STATES},
        "can_retender": package.status == PackageStatus.FAILED and editor,
        "extend_form": ExtendForm(),
        "addendum_form": AddendumForm(documents=package.documents.all()),
        "document_form": DocumentForm(),
    }
    return render(request, "eprocurement/package_detail.html", context)


def _agency(request):
    agencies = list(selectors.package_agencies(request.user))
    if not agencies:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    chosen = next((a for a in agencies if str(a.pk) == source.get("agency")), None)
    return agencies, chosen or (agencies[0] if len(agencies) == 1 else None)


@login_required
def package_create(request):
    agencies, agency = _agency(request)
    if agency is None:
        return render(request, "eprocurement/package_choose.html", {"agencies": agencies})
    post = request.POST if request.method == "POST" else None
    form = PackageCreateForm(post, plan_items=selectors.free_plan_items(agency))
    if post is not None and form.is_valid():
        data = form.cleaned_data
        try:
            package = services.package_create(
                actor=request.user,
                agency=agency,
                plan_item_ids=[item.pk for item in data["plan_items"]],
                name=data["name"],
                description=data["description"],
                evaluation_method=data["evaluation_method"],
                owner_estimate=data["owner_estimate"],
                qualification_requirements=data["qualification_requirements"],
            )
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The package was drafted; name its team and schedule next."))
            return redirect("eprocurement:package_detail", pk=package.pk)
    return render(request, "eprocurement/package_form.html", {"form": form, "agency": agency, "package": None})


class NotADraft(Exception):
    """The page edits a draft, and the package is no longer one."""

    def __init__(self, package):
        self.package = package


def _draft_for(request, pk):
    package = selectors.get_package_for(request.user, pk)
    if not services.can_edit(request.user, package):
        raise PermissionDenied
    if package.status != PackageStatus.DRAFT:
        raise NotADraft(package)
    return package


def draft_page(view):
    """Pages that edit a draft send back to the package, with a message, once it is announced."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotADraft as not_draft:
            messages.error(request, _("Only a draft package is changed here."))
            return redirect("eprocurement:package_detail", pk=not_draft.package.pk)

    return wrapper


def _done(request, package, message):
    messages.success(request, message)
    return redirect("eprocurement:package_detail", pk=package.pk)


@login_required
@draft_page
def package_edit(request, pk):
    package = _draft_for(request, pk)
    fields = ("name", "description", "evaluation_method", "owner_estimate", "qualification_requirements")
    initial = {name: getattr(package, name) for name in fields}
    form = PackageFieldsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.package_update(package=package, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            return _done(request, package, _("The package was saved."))
    return render(request, "eprocurement/package_form.html", {"form": form, "package": package})


@login_required
@draft_page
def package_team(request, pk):
    package = _draft_for(request, pk)
    members = [m.user for m in package.pokja_members.all()]
    initial = {
        "ppk": package.ppk_id,
        **dict(zip(("chair", "member_2", "member_3"), [m.pk for m in members], strict=False)),
    }
    form = TeamForm(
        request.POST or None,
        initial=initial,
        ppk_candidates=selectors.ppk_candidates(package),
        pokja_candidates=selectors.pokja_candidates(package),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.package_set_team(
                package=package, actor=request.user, ppk=form.cleaned_data["ppk"], pokja=form.pokja()
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_domain_error(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            return _done(request, package, _("The team was saved."))
    return render(request, "eprocurement/package_team.html", {"form": form, "package": package})


def _proposed_start() -> datetime.datetime:
    """Tomorrow at 08:00 local time: what the schedule form proposes for a new schedule."""
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    return tomorrow.replace(hour=8, minute=0, second=0, microsecond=0)


@login_required
@draft_page
def package_schedule_edit(request, pk):
    package = _draft_for(request, pk)
    rows = {row.stage: (row.starts_at, row.ends_at) for row in package.stages.all()}
    rows = rows or package_schedule.default_schedule(_proposed_start(), package.kind, package.method)
    form = ScheduleForm(request.POST or None, kind=package.kind, initial=schedule_initial(rows))
    if request.method == "POST" and form.is_valid():
        try:
            services.package_set_schedule(package=package, actor=request.user, rows=form.rows())
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            return _done(request, package, _("The schedule was saved."))
    return render(request, "eprocurement/package_schedule.html", {"form": form, "package": package})


def _errors(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
@draft_page
def package_document_add(request, pk):
    package = _draft_for(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        _errors(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return redirect("eprocurement:package_detail", pk=package.pk)
    try:
        services.package_document_add(package=package, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("eprocurement:package_detail", pk=package.pk)
    return _done(request, package, _("The document was attached."))


@login_required
@require_POST
@draft_page
def package_document_remove(request, pk, document_pk):
    package = _draft_for(request, pk)
    document = next((d for d in package.documents.all() if d.pk == document_pk), None)
    if document is None:
        raise Http404
    try:
        services.package_document_remove(document=document, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("eprocurement:package_detail", pk=package.pk)
    return _done(request, package, _("The document was removed."))


@require_GET
def package_document_download(request, document_pk):
    """Public once the package is announced; a draft's documents only for its staff."""
    document = selectors.get_document_for(request.user, document_pk)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if document.package.status == PackageStatus.DRAFT else "public"
    return response


_TRANSITIONS = {
    "announce": lambda package, user, reason: services.package_announce(package=package, actor=user),
    "cancel": lambda package, user, reason: tender.package_cancel(package=package, actor=user, reason=reason),
    "fail": lambda package, user, reason: tender.package_fail(package=package, actor=user, reason=reason),
    "retender": lambda package, user, reason: tender.package_retender(package=package, actor=user, reason=reason),
}


@login_required
@require_POST
def package_transition(request, pk, action):
    if action not in _TRANSITIONS:
        raise Http404
    package = selectors.get_package_for(request.user, pk)
    try:
        result = _TRANSITIONS[action](package, request.user, request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("eprocurement:package_detail", pk=package.pk)
    if result.pk != package.pk:
        return _done(request, result, _("A new draft was made for the re-tender."))
    return _done(request, result, _("Done: the package is now “%(status)s”.") % {"status": result.get_status_display()})


@login_required
@require_POST
def package_extend(request, pk):
    package = selectors.get_package_for(request.user, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        _errors(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return redirect("eprocurement:package_detail", pk=package.pk)
    try:
        tender.package_extend_schedule(package=package, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("eprocurement:package_detail", pk=package.pk)
    stage = TenderStage(form.cleaned_data["stage"]).label
    return _done(request, package, _("“%(stage)s” was extended; the bidders are told.") % {"stage": stage})


@login_required
@require_POST
def package_addendum(request, pk):
    package = selectors.get_package_for(request.user, pk)
    form = AddendumForm(request.POST, request.FILES, documents=package.documents.all())
    if not form.is_valid():
        _errors(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return redirect("eprocurement:package_detail", pk=package.pk)
    try:
        tender.package_addendum_add(package=package, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("eprocurement:package_detail", pk=package.pk)
    return _done(request, package, _("The addendum was issued; the bidders are told."))
