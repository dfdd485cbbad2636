"""Pages for plan items, the plan tree, ceilings and the RPJMD."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import AuditEntry

from ..choices import PlanStatus
from ..forms import (
    EMPTY_INDICATOR,
    CeilingForm,
    PlanItemForm,
    RpjmdGoalForm,
    RpjmdIndicatorForm,
    RpjmdObjectiveForm,
    apply_domain_error,
    indicator_rows_from,
    indicator_rows_of,
)
from ..selectors import plans as selectors
from ..services import ceilings as ceiling_services
from ..services import plans as services
from ..services import rpjmd as rpjmd_services

LIST_PAGE_SIZE = 25


def _filters(request) -> dict:
    get = request.GET
    filters = {
        "year": get.get("year", "").strip(),
        "agency": get.get("agency", "").strip(),
        "status": get.get("status", "").strip(),
        "search": get.get("q", "").strip(),
    }
    for key in ("year", "agency"):
        if not filters[key].isdigit():
            filters[key] = ""
    if filters["status"] not in PlanStatus.values:
        filters["status"] = ""
    return filters


@login_required
def plan_list(request):
    filters = _filters(request)
    page = Paginator(selectors.plan_items_visible(request.user, **filters), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "statuses": PlanStatus.choices,
        "years": selectors.open_fiscal_years(),
        "agencies": selectors.plan_list_agencies(request.user),
        "can_create": selectors.can_create_plan_items(request.user),
    }
    return render(request, "eplanning/plan_list.html", context)


@login_required
def plan_export(request):
    """The filtered list as an XLSX file, for whatever the person may read."""
    from openpyxl import Workbook

    items = selectors.plan_items_visible(request.user, **_filters(request))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Plan items"))
    sheet.append(
        [_("Year"), _("Region"), _("Agency"), _("Sub-activity code"), _("Sub-activity"), _("Title")]
        + [_("District"), _("Village"), _("Indicative ceiling"), _("Priority"), _("Status"), _("Revision")]
    )
    for item in items.iterator(chunk_size=500):
        sheet.append(
            [item.fiscal_year.year, item.region.name, item.agency.name, item.sub_activity.code]
            + [item.sub_activity.name, item.title, item.district, item.village, item.indicative_ceiling]
            + [item.get_priority_display(), item.get_status_display(), item.revision]
        )
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="rencana-kerja.xlsx")


@login_required
def plan_detail(request, pk):
    item = selectors.get_plan_item_for(request.user, pk)
    history = AuditEntry.objects.filter(object_type="eplanning.planitem", object_id=str(item.pk)).order_by("seq")
    context = {
        "item": item,
        "actions": selectors.plan_item_actions(request.user, item),
        "history": history.only("created", "actor_label", "action", "old_status", "new_status", "reason"),
        **selectors.plan_item_detail(item),
    }
    return render(request, "eplanning/plan_detail.html", context)


def _indicator_rows(request, item=None) -> list[dict]:
    rows = indicator_rows_from(request.POST) if request.method == "POST" else []
    if request.method != "POST" and item is not None:
        rows = indicator_rows_of(item)
    action = request.POST.get("indicator_action", "")
    if action.startswith("remove-") and action[7:].isdigit() and int(action[7:]) < len(rows):
        del rows[int(action[7:])]
    if action == "add" or not rows:
        rows.append(dict(EMPTY_INDICATOR))
    return rows


def _plan_form(request, item=None):
    """Create or edit a plan item; an HTMX request that adds or removes an indicator row
    gets only the indicators fragment, the same request without JavaScript the whole page."""
    rows = _indicator_rows(request, item)
    if request.htmx and request.POST.get("indicator_action"):
        return render(request, "eplanning/plan_form_indicators.html", {"rows": rows})
    initial = None
    if item is not None:
        initial = {f: getattr(item, f) for f in services.CONTENT_FIELDS}
        initial |= {"sub_activity_code": item.sub_activity.code, "objective": item.objective_id}
    form = PlanItemForm(request.POST or None, user=request.user, item=item, initial=initial)
    if request.method == "POST" and not request.POST.get("indicator_action") and form.is_valid():
        try:
            item = _save(request, form, item, rows)
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The plan item was saved."))
            return redirect("eplanning:plan_detail", pk=item.pk)
    return render(request, "eplanning/plan_form.html", {"form": form, "item": item, "rows": rows})


def _save(request, form, item, rows):
    rows = [r for r in rows if any(str(v).strip() for v in r.values())]
    if item is None:
        return services.plan_item_create(
            actor=request.user,
            agency=form.cleaned_data["agency"],
            fiscal_year=form.cleaned_data["fiscal_year"],
            indicators=rows,
            **form.service_fields(),
        )
    return services.plan_item_update(plan_item_id=item.pk, actor=request.user, indicators=rows, **form.service_fields())


@login_required
def plan_create(request):
    if not selectors.can_create_plan_items(request.user):
        raise PermissionDenied
    return _plan_form(request)


@login_required
def plan_edit(request, pk):
    item = selectors.get_plan_item_for(request.user, pk, write=True)
    if item.status not in services.PLAN_EDITABLE:
        messages.error(request, _("An approved or submitted plan item cannot be changed."))
        return redirect("eplanning:plan_detail", pk=item.pk)
    return _plan_form(request, item)


_TRANSITIONS = {
    "submit": lambda item, user, text: services.plan_item_submit(plan_item_id=item.pk, actor=user),
    "verify": lambda item, user, text: services.plan_item_verify(plan_item_id=item.pk, actor=user, note=text),
    "return": lambda item, user, text: services.plan_item_return(plan_item_id=item.pk, actor=user, comment=text),
    "approve": lambda item, user, text: services.plan_item_approve(plan_item_id=item.pk, actor=user),
    "revise": lambda item, user, text: services.plan_item_start_revision(plan_item_id=item.pk, actor=user, reason=text),
}


@login_required
@require_POST
def plan_transition(request, pk, action):
    if action not in _TRANSITIONS:
        raise Http404
    item = selectors.get_plan_item_for(request.user, pk)
    try:
        item = _TRANSITIONS[action](item, request.user, request.POST.get("comment", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done: the plan item is now “%(status)s”.") % {"status": item.get_status_display()})
    return redirect("eplanning:plan_detail", pk=item.pk)


@login_required
def plan_tree(request):
    regions = list(selectors.regions_for_planning(request.user))
    years = list(selectors.open_fiscal_years())
    region = _pick(regions, request.GET.get("region"), default=_home_region(request.user, regions))
    year = _pick([y.year for y in years], request.GET.get("year"), default=years[0].year if years else None)
    tree = selectors.plan_tree(request.user, region_id=region.pk, year=year) if region and year else None
    context = {"regions": regions, "years": years, "region": region, "year": year, "tree": tree}
    return render(request, "eplanning/plan_tree.html", context)


def _pick(options, wanted, *, default):
    for option in options:
        if str(getattr(option, "pk", option)) == str(wanted):
            return option
    return default


def _home_region(user, regions):
    from portal.scoping import reach_of

    own = reach_of(user).member_region_ids
    return next((r for r in regions if r.pk in own), regions[0] if regions else None)


@login_required
def ceiling_list(request):
    agencies = selectors.ceiling_agencies(request.user)
    can_set = selectors.can_set_ceilings(request.user)
    form = CeilingForm(request.POST or None, agencies=agencies) if can_set else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                ceiling_services.agency_ceiling_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The ceiling was saved."))
                return redirect(request.get_full_path())
    year = request.GET.get("year", "")
    ceilings = selectors.ceilings_visible(request.user, year=int(year) if year.isdigit() else None)
    context = {"ceilings": ceilings, "form": form, "years": selectors.open_fiscal_years(), "year": year}
    return render(request, "eplanning/ceiling_list.html", context)


@login_required
def rpjmd_page(request):
    regions = list(selectors.regions_for_planning(request.user))
    region = _pick(regions, request.GET.get("region"), default=_home_region(request.user, regions))
    if region is None:
        raise Http404
    can_edit = selectors.can_keep_rpjmd(request.user, region)
    forms = {"goal": RpjmdGoalForm(prefix="goal"), "objective": RpjmdObjectiveForm(prefix="objective")}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        done, form = _rpjmd_post(request, region)
        if done:
            messages.success(request, _("The RPJMD was updated."))
            return redirect(f"{request.path}?region={region.pk}")
        forms[form.prefix.split("-")[0]] = form
    goals = list(selectors.rpjmd_for_region(request.user, region_id=region.pk))
    if can_edit:
        _attach_indicator_forms(goals, forms.get("indicator"))
    context = {
        "regions": regions,
        "region": region,
        "goals": goals,
        "can_edit": can_edit,
        "goal_form": forms["goal"],
        "objective_form": forms["objective"],
    }
    return render(request, "eplanning/rpjmd_page.html", context)


def _attach_indicator_forms(goals, bound) -> None:
    """Each objective carries its own indicator form; the one just posted keeps its input and errors."""
    for goal in goals:
        for objective in goal.objectives.all():
            objective.goal = goal  # the form labels its targets with the goal's years
            if bound is not None and bound.objective.pk == objective.pk:
                objective.indicator_form = bound
            else:
                objective.indicator_form = RpjmdIndicatorForm(objective=objective)


def _rpjmd_post(request, region):
    """Create what was posted through its service; (done, the bound form)."""
    if "goal-code" in request.POST:
        form = RpjmdGoalForm(request.POST, prefix="goal")
        create = lambda d: rpjmd_services.rpjmd_goal_create(actor=request.user, region=region, **d)  # noqa: E731
    elif "indicator" in request.POST:
        objective = selectors.get_rpjmd_objective_for(request.user, request.POST["indicator"], write=True)
        if objective.goal.region_id != region.pk:
            raise Http404
        form = RpjmdIndicatorForm(request.POST, objective=objective)
        create = lambda d: rpjmd_services.rpjmd_indicator_create(  # noqa: E731
            actor=request.user, objective=objective, **form.service_fields()
        )
    else:
        form = RpjmdObjectiveForm(request.POST, prefix="objective")
        create = lambda d: rpjmd_services.rpjmd_objective_create(  # noqa: E731
            actor=request.user, goal=selectors.get_rpjmd_goal_for(request.user, d.pop("goal"), write=True), **d
        )
    if form.is_valid():
        try:
            create(dict(form.cleaned_data))
            return True, form
        except ValidationError as exc:
            apply_domain_error(form, exc)
    return False, form
