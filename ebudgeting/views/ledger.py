"""Pages for realizations (SP2D), a line's ledger, and the RKA/DPA PDF.

Every page loads its record through a scoped selector; every change goes through
ebudgeting.services.ledger or portal.jobs.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from portal import jobs
from portal.models import Job
from portal.scoping import reach_of

from ..models import BudgetDocument, BudgetLine
from ..selectors import ledger as selectors
from ..selectors.documents import get_document_for, get_line_for
from ..services.ledger import ledger_realize
from ..tasks import PDF_JOB_KIND, build_document_pdf

PAGE_SIZE = 50


# --- Realizations ---------------------------------------------------------------------


@login_required
def realization_list(request):
    """Approved budgets the person may read, with what is committed and paid on each."""
    page = Paginator(selectors.realization_documents(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ebudgeting/realization_list.html", {"page": page, "documents": page.object_list})


class RealizationForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    number = forms.CharField(label=_("SP2D number"), max_length=100)
    date = forms.DateField(label=_("SP2D date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount (Rp)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    purpose = forms.CharField(label=_("Pays for"), max_length=500)
    reference = forms.CharField(
        label=_("Commitment reference"),
        max_length=100,
        required=False,
        help_text=_("The contract or plan number it settles, if any."),
    )

    def __init__(self, *args, document: BudgetDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = selectors.spendable_lines(document)
        self.fields["line"].label_from_instance = _line_label


def _line_label(line) -> str:
    available = number_format(line.available_amount, 2, force_grouping=True)
    return f"{line.plan_item.sub_activity.code}.{line.account.code} {line.description} (Rp{available})"


def _can_record(user, document: BudgetDocument) -> bool:
    if reach_of(user).everything:
        return True
    roles = selectors.REALIZATION_ROLES
    return BudgetDocument.objects.editable_by(user, roles).filter(pk=document.pk).exists()


@login_required
@require_http_methods(["GET", "POST"])
def realization_document(request, pk):
    """A document's payments, month by month against its cash plan; treasurers record new ones."""
    document = get_document_for(request.user, pk)
    can_record = _can_record(request.user, document)
    form = RealizationForm(request.POST or None, document=document) if can_record else None
    if request.method == "POST":
        if not can_record:
            get_document_for(request.user, pk, write=True, roles=selectors.REALIZATION_ROLES)  # raises
        if form.is_valid() and _record(request, form):
            return redirect("ebudgeting:realization_document", pk=document.pk)
    months = selectors.cash_plan_vs_realization(document=document)
    context = {
        "document": document,
        "months": months,
        "chart": month_chart(months),
        "realizations": selectors.document_realizations(document),
        "form": form,
    }
    return render(request, "ebudgeting/realization_document.html", context)


def _record(request, form) -> bool:
    data = form.cleaned_data
    try:
        realization = ledger_realize(
            line_id=data["line"].pk,
            amount=data["amount"],
            number=data["number"],
            date=data["date"],
            purpose=data["purpose"],
            reference=data["reference"],
            actor=request.user,
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return False
    messages.success(request, _("SP2D %(number)s recorded.") % {"number": realization.number})
    return True


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def ledger_line(request, pk):
    """One line: its figures, its ledger, its payments and its own plan-versus-actual chart."""
    line = get_line_for(request.user, pk)
    months = selectors.cash_plan_vs_realization(line=line)
    context = {
        "line": line,
        "entries": selectors.ledger_entries(line),
        "realizations": selectors.line_realizations(line),
        "months": months,
        "chart": month_chart(months),
    }
    return render(request, "ebudgeting/ledger_line.html", context)


# --- The chart ------------------------------------------------------------------------

CHART = {"width": 720, "height": 260, "left": 112, "right": 8, "top": 12, "bottom": 28}


def month_chart(months) -> dict:
    """Geometry of the plan-versus-realization bar chart (the template draws it)."""
    top = max([m.planned for m in months] + [m.realized for m in months] + [Decimal("1")])
    plot_w = CHART["width"] - CHART["left"] - CHART["right"]
    plot_h = CHART["height"] - CHART["top"] - CHART["bottom"]
    base = CHART["top"] + plot_h
    slot = plot_w / 12
    bar = slot * 0.36

    def height(value):
        return float(value / top) * plot_h

    bars = []
    for m in months:
        x = CHART["left"] + slot * (m.month - 1) + slot * 0.12
        ph, rh = height(m.planned), height(m.realized)
        bars.append(
            {
                "month": m,
                "label": MONTHS_3[m.month],
                "label_x": round(x + bar, 1),
                "plan": {"x": round(x, 1), "y": round(base - ph, 1), "h": round(ph, 1)},
                "real": {"x": round(x + bar, 1), "y": round(base - rh, 1), "h": round(rh, 1)},
            }
        )
    ticks = [
        {"y": round(base - plot_h * i / 4, 1), "label": number_format(top * i / 4, 0, force_grouping=True)}
        for i in range(5)
    ]
    return {
        **CHART,
        "bars": bars,
        "bar_w": round(bar, 1),
        "ticks": ticks,
        "base": base,
        "plot_right": CHART["left"] + plot_w,
    }


# --- The RKA/DPA as PDF -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pdf_document(request, pk):
    """Ask for the document's PDF and follow its progress."""
    document = get_document_for(request.user, pk)
    if request.method == "POST":
        job = jobs.job_create(kind=PDF_JOB_KIND, actor=request.user, subject=document)
        transaction.on_commit(lambda: build_document_pdf.delay(job.pk))
        return redirect("ebudgeting:pdf_document", pk=document.pk)
    job = jobs.latest_job_for(document, PDF_JOB_KIND)
    context = {"document": document, "job": job, "job_download_url": _download_url(job) if job else ""}
    return render(request, "ebudgeting/pdf_document_page.html", context)


def _get_pdf_job_for(user, pk) -> Job:
    """A PDF job, for those who may read its document (anyone else: not found)."""
    document_type = ContentType.objects.get_for_model(BudgetDocument)
    job = Job.objects.filter(pk=pk, kind=PDF_JOB_KIND, subject_type=document_type).first()
    if job is None:
        raise Http404
    get_document_for(user, job.subject_id)
    return job


@login_required
def pdf_job(request, pk):
    """The progress fragment; HTMX polls it every 2 s until the job is finished."""
    job = _get_pdf_job_for(request.user, pk)
    return render(request, "partials/job_progress.html", {"job": job, "download_url": _download_url(job)})


def _download_url(job) -> str:
    return reverse("ebudgeting:pdf_download", args=[job.pk]) if job.file else ""


@login_required
def pdf_download(request, pk):
    job = _get_pdf_job_for(request.user, pk)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
