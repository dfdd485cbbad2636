"""Pages of the procurement plan (RUP): the agency's list, the form, the detail, and the
public list of announced items (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import AuditEntry

from ..choices import PlanItemStatus, ProcurementKind, ProcurementMethod
from ..forms.plans import (
    EMPTY_FUNDING,
    PlanItemForm,
    apply_domain_error,
    funding_inputs,
    funding_rows_from,
    funding_rows_of,
    initial_of,
)
from ..selectors import plans as selectors
from ..services import plans as services

LIST_PAGE_SIZE = 25
PUBLIC_PAGE_SIZE = 50


def _filters(request, *, with_status: bool = True) -> dict:
    get = request.GET
    filters = {
        "year": get.get("year", "").strip(),
        "kind": get.get("kind", "").strip(),
        "method": get.get("method", "").strip(),
    }
    if with_status:
        filters["status"] = get.get("status", "").strip()
    return filters


def _list_context(request, items, filters, size) -> dict:
    page = Paginator(items, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "kinds": ProcurementKind.choices,
        "methods": ProcurementMethod.choices,
        "years": selectors.open_fiscal_years(),
    }


@login_required
def rup_list(request):
    filters = _filters(request)
    context = _list_context(request, selectors.plan_items_visible(request.user, **filters), filters, LIST_PAGE_SIZE)
    context["statuses"] = PlanItemStatus.choices
    context["can_create"] = selectors.plan_agencies(request.user).exists()
    return render(request, "eprocurement/plan_list.html", context)


def rup_public_list(request):
    """Announced items for everyone: light, paginated, no login."""
    filters = _filters(request, with_status=False)
    context = _list_context(request, selectors.public_plan_items(**filters), filters, PUBLIC_PAGE_SIZE)
    return render(request, "eprocurement/plan_public_list.html", context)


@login_required
def rup_detail(request, pk):
    item = selectors.get_plan_item_for(request.user, pk)
    history = AuditEntry.objects.filter(object_type="eprocurement.procurementplanitem", object_id=str(item.pk))
    context = {
        "item": item,
        "fundings": selectors.item_fundings(item),
        "can_change": item.status != PlanItemStatus.CANCELLED and selectors.can_change(request.user, item),
        "history": history.order_by("seq").only(
            "created", "actor_label", "action", "old_status", "new_status", "reason"
        ),
    }
    return render(request, "eprocurement/plan_detail.html", context)


def _funding_rows(request, item=None) -> list[dict]:
    rows = funding_rows_from(request.POST) if request.method == "POST" else []
    if request.method != "POST" and item is not None:
        rows = funding_rows_of(item)
    action = request.POST.get("funding_action", "")
    if action.startswith("remove-") and action[7:].isdigit() and int(action[7:]) < len(rows):
        del rows[int(action[7:])]
    if action == "add" or not rows:
        rows.append(dict(EMPTY_FUNDING))
    return rows


def _target(request):
    """The agency and year a new item is for, chosen on the page (or the only ones there are)."""
    source = request.POST if request.method == "POST" else request.GET
    agencies, years = list(selectors.plan_agencies(request.user)), list(selectors.open_fiscal_years())
    if not agencies:
        raise PermissionDenied
    agency = next(
        (a for a in agencies if str(a.pk) == source.get("agency")), agencies[0] if len(agencies) == 1 else None
    )
    year = next((y for y in years if str(y.pk) == source.get("fiscal_year")), years[-1] if len(years) == 1 else None)
    return agencies, years, agency, year


def _form_page(request, *, item, agency, fiscal_year, extra=None):
    """Create or edit; an HTMX request that adds or removes a funding row gets only the
    rows fragment, the same request without JavaScript the whole page."""
    rows = _funding_rows(request, item)
    lines = list(selectors.fundable_lines(agency.pk, fiscal_year.pk))
    if request.htmx and request.POST.get("funding_action"):
        return render(request, "eprocurement/plan_form_fundings.html", {"rows": rows, "lines": lines})
    form = PlanItemForm(request.POST if request.method == "POST" else None, initial=initial_of(item) if item else None)
    if request.method == "POST" and not request.POST.get("funding_action") and form.is_valid():
        try:
            item = _save(request, form, item, agency, fiscal_year, rows)
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The RUP item was saved."))
            return redirect("eprocurement:rup_detail", pk=item.pk)
    context = {"form": form, "item": item, "rows": rows, "lines": lines, "agency": agency, "fiscal_year": fiscal_year}
    return render(request, "eprocurement/plan_form.html", {**context, **(extra or {})})


def _save(request, form, item, agency, fiscal_year, rows):
    common = {
        "data": form.service_data(),
        "fundings": funding_inputs(rows),
        "actor": request.user,
        "small_business_reserved": form.small_business(),
    }
    if item is None:
        return services.plan_item_create(agency=agency, fiscal_year=fiscal_year, **common)
    return services.plan_item_update(item=item, **common)


@login_required
def rup_create(request):
    agencies, years, agency, year = _target(request)
    if agency is None or year is None:
        return render(request, "eprocurement/plan_choose.html", {"agencies": agencies, "years": years})
    return _form_page(request, item=None, agency=agency, fiscal_year=year)


@login_required
def rup_edit(request, pk):
    item = selectors.get_plan_item_for(request.user, pk, write=True)
    if item.status != PlanItemStatus.DRAFT:
        messages.error(request, _("Only a draft item can be edited."))
        return redirect("eprocurement:rup_detail", pk=item.pk)
    return _form_page(request, item=item, agency=item.agency, fiscal_year=item.fiscal_year)


_TRANSITIONS = {
    "announce": lambda item, user, text: services.plan_item_announce(item=item, actor=user),
    "cancel": lambda item, user, text: services.plan_item_cancel(item=item, reason=text, actor=user),
}


@login_required
@require_POST
def rup_transition(request, pk, action):
    if action not in _TRANSITIONS:
        raise Http404
    item = selectors.get_plan_item_for(request.user, pk, write=True)
    try:
        item = _TRANSITIONS[action](item, request.user, request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done: the RUP item is now “%(status)s”.") % {"status": item.get_status_display()})
    return redirect("eprocurement:rup_detail", pk=item.pk)
