"""Budget document pages: the list, a document with its lines (edited in place with
HTMX), workflow buttons, versions and their differences, the XLSX export, summaries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from portal.choices import RegionKind, Role
from portal.models import FiscalYear
from portal.scoping import reach_of

from ..choices import DOCUMENT_EDITABLE, DocumentStatus
from ..forms import DocumentCreateForm, LineForm, ReturnForm, ReviseForm
from ..models import BudgetDocument
from ..selectors import documents as selectors
from ..services import documents as services
from .documents_export import document_workbook


@login_required
def document_list(request):
    form = DocumentCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The budget document was started."))
            return redirect("ebudgeting:document-detail", pk=document.pk)
    page = Paginator(selectors.documents_for(request.user), 50).get_page(request.GET.get("page"))
    can_create = form.fields["agency"].queryset.exists()
    return render(request, "ebudgeting/document_list.html", {"page": page, "form": form, "can_create": can_create})


def _permissions(user, document) -> dict:
    officer = BudgetDocument.objects.editable_by(user, [Role.BUDGET_OFFICER]).filter(pk=document.pk).exists()
    verifier = BudgetDocument.objects.editable_by(user, [Role.BUDGET_VERIFIER]).filter(pk=document.pk).exists()
    status = document.status
    return {
        "can_edit_lines": officer and status in DOCUMENT_EDITABLE,
        "can_submit": officer and status in DOCUMENT_EDITABLE,
        "can_verify": verifier and status == DocumentStatus.SUBMITTED,
        "can_return": verifier and status in (DocumentStatus.SUBMITTED, DocumentStatus.VERIFIED),
        "can_approve": verifier and status == DocumentStatus.VERIFIED,
        "can_revise": officer and status == DocumentStatus.APPROVED and document.is_current,
    }


LINES_PER_PAGE = 100


def _lines_context(user, document, page_number=None) -> dict:
    tree = selectors.document_tree(document, per_page=LINES_PER_PAGE, page_number=page_number)
    return {"document": document, "tree": tree, **_permissions(user, document)}


@login_required
def document_detail(request, pk):
    document = selectors.get_document_for(request.user, pk)
    context = _lines_context(request.user, document, request.GET.get("page"))
    context.update(
        versions=selectors.document_versions(document),
        return_form=ReturnForm(),
        revise_form=ReviseForm(),
    )
    return render(request, "ebudgeting/document_detail.html", context)


_ACTIONS = {
    "submit": services.document_submit,
    "verify": services.document_verify,
    "approve": services.document_approve,
}


@login_required
@require_POST
def document_action(request, pk, action):
    document = selectors.get_document_for(request.user, pk)
    try:
        if action in _ACTIONS:
            result = _ACTIONS[action](document_id=document.pk, actor=request.user)
        elif action == "return":
            result = services.document_return(
                document_id=document.pk, actor=request.user, reason=request.POST.get("reason", "")
            )
        elif action == "revise":
            result = services.document_revise(
                document_id=document.pk, actor=request.user, kind=request.POST.get("kind", "")
            )
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("ebudgeting:document-detail", pk=document.pk)
    messages.success(request, _("Done: %(status)s.") % {"status": result.get_status_display()})
    return redirect("ebudgeting:document-detail", pk=result.pk)


# --- The line editor: one view answers the full page and the HTMX fragment ------------------


def _lines_fragment(request, document):
    response = render(request, "ebudgeting/line_table.html", _lines_context(request.user, document))
    return reswap(retarget(response, "#lines"), "outerHTML")


def _line_editor(request, document, line=None):
    form = LineForm(request.POST or None, document=document, line=line)
    if request.method == "POST" and form.is_valid():
        try:
            if line is None:
                services.line_add(
                    document_id=document.pk, actor=request.user, cash_plan=form.cash_plan(), **form.line_fields()
                )
            else:
                services.line_update(
                    line_id=line.pk, actor=request.user, cash_plan=form.cash_plan(), **form.line_fields()
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if request.htmx:
                return _lines_fragment(request, document)
            messages.success(request, _("The line was saved."))
            return redirect("ebudgeting:document-detail", pk=document.pk)
    context = {"document": document, "line": line, "form": form}
    template = "ebudgeting/line_form_fragment.html" if request.htmx else "ebudgeting/line_form.html"
    return render(request, template, context)


@login_required
def line_add(request, pk):
    document = selectors.get_document_for(request.user, pk, write=True, roles=[Role.BUDGET_OFFICER])
    return _line_editor(request, document)


@login_required
def line_edit(request, pk):
    line = selectors.get_line_for(request.user, pk, write=True, roles=[Role.BUDGET_OFFICER])
    return _line_editor(request, line.document, line)


@login_required
@require_POST
def line_delete(request, pk):
    line = selectors.get_line_for(request.user, pk, write=True, roles=[Role.BUDGET_OFFICER])
    document = line.document
    try:
        services.line_delete(line_id=line.pk, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if request.htmx:
            response = HttpResponse(" ".join(exc.messages), status=422)
            return response
    if request.htmx:
        return _lines_fragment(request, document)
    return redirect("ebudgeting:document-detail", pk=document.pk)


# --- Versions ---------------------------------------------------------------------------


@login_required
def document_diff(request, pk, other_pk):
    new = selectors.get_document_for(request.user, pk)
    old = selectors.get_document_for(request.user, other_pk)
    if (old.agency_id, old.fiscal_year_id) != (new.agency_id, new.fiscal_year_id):
        raise Http404
    if old.version > new.version:
        old, new = new, old
    changes = selectors.document_diff(old, new)
    return render(request, "ebudgeting/document_diff.html", {"old": old, "new": new, "changes": changes})


@login_required
def document_export(request, pk):
    document = selectors.get_document_for(request.user, pk)
    content = document_workbook(document, selectors.document_tree(document))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"{'DPA' if document.status == DocumentStatus.APPROVED else 'RKA'}-{document.agency.code}-"
    filename += f"{document.fiscal_year.year}-v{document.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Summaries --------------------------------------------------------------------------


@login_required
def summary(request):
    regions = list(selectors.summary_regions_for(request.user))
    if not regions:
        raise Http404
    region = _chosen(regions, request.GET.get("region"))
    years = list(FiscalYear.objects.order_by("-year"))
    year = _chosen(years, request.GET.get("year"))
    if year is None:
        raise Http404
    coordinator = region.kind == RegionKind.PROVINCE and (
        reach_of(request.user).everything or bool(reach_of(request.user).child_region_ids)
    )
    if coordinator and request.GET.get("by") != "agency":
        rows = selectors.province_summary(request.user, region, year)
        template = "ebudgeting/summary_province.html"
    else:
        rows = selectors.region_summary(request.user, region, year)
        template = "ebudgeting/summary_region.html"
    context = {"regions": regions, "region": region, "years": years, "year": year, "rows": rows}
    context["totals"] = selectors.summary_totals(rows)
    context["coordinator"] = coordinator
    return render(request, template, context)


def _chosen(options, raw):
    """The option whose pk is ``raw``, or the first; unknown values are not found."""
    if not options:
        return None
    if raw in (None, ""):
        return options[0]
    for option in options:
        if str(option.pk) == raw:
            return option
    raise Http404
