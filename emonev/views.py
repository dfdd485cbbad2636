"""Pages of E-Monev: the agency's progress lists, a contract's or plan item's progress with
its planned curve, the report form with evidence, the verifier's queue, a report's detail,
and the critical contracts with their escalation steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eprocurement.models import Contract

from .choices import EDITABLE, ReportStatus
from .forms import CurveForm, DecisionForm, EscalationForm, EvidenceForm, NewReportForm, ReportForm, apply_domain_error
from .models import ProgressReport
from .rules import deviation_level
from .selectors import pages as selectors
from .selectors.curves import curve_months
from .services import critical as critical_services
from .services import curves as curve_services
from .services import evidence as evidence_services
from .services import reports as report_services

PAGE_SIZE = 25


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _show_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Lists --------------------------------------------------------------------------------


@login_required
@require_GET
def progress_list(request):
    """Contracts (or plan items) with their latest report, deviation and colour label."""
    tab = "plan_items" if request.GET.get("tab") == "plan_items" else "contracts"
    year = request.GET.get("year", "").strip()
    rows = (
        selectors.plan_items_progress(request.user, year=year)
        if tab == "plan_items"
        else selectors.contracts_progress(request.user, year=year)
    )
    page = _page(request, rows)
    for row in page.object_list:
        selectors.with_deviation(row)
    return render(request, "emonev/progress_list.html", {"page": page, "tab": tab, "year": year})


@login_required
@require_GET
def verifier_queue(request):
    page = _page(request, selectors.verifier_queue(request.user))
    return render(request, "emonev/verifier_queue.html", {"page": page})


@login_required
@require_GET
def critical_list(request):
    page = _page(request, selectors.critical_contracts(request.user))
    return render(request, "emonev/critical_list.html", {"page": page})


# --- A subject's progress and its curve ----------------------------------------------------------


def _subject(request, kind: str, pk):
    if kind == "contract":
        return selectors.get_contract_for(request.user, pk)
    if kind == "plan_item":
        return selectors.get_plan_item_for(request.user, pk)
    raise Http404


def _agency_id(subject) -> int:
    return subject.package.agency_id if isinstance(subject, Contract) else subject.agency_id


def _reportable_months(subject, taken) -> list[tuple[int, int]]:
    today = timezone.localdate()
    return [month for month in curve_months(subject) if month <= (today.year, today.month) and month not in taken]


@login_required
def subject_progress(request, kind, pk):
    """Plan against actual, month by month, and the reports; an officer starts a month's report here."""
    subject = _subject(request, kind, pk)
    reports = list(selectors.subject_reports(subject))
    points = {(p.year, p.month): p for p in selectors.subject_points(subject)}
    by_month = {(r.year, r.month): r for r in reports}
    can_report = selectors.can_report(request.user, _agency_id(subject))
    form = NewReportForm(request.POST or None, months=_reportable_months(subject, by_month)) if can_report else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            year, month = form.year_month()
            target = {"contract": subject} if kind == "contract" else {"plan_item": subject}
            try:
                report = report_services.progress_report_create(
                    **target, year=year, month=month, data={"physical_pct": "0"}, actor=request.user
                )
            except ValidationError as exc:
                apply_domain_error(form, exc)
            else:
                return redirect("emonev:report_edit", pk=report.pk)
    rows = []
    for month in sorted(set(points) | set(by_month)):
        point, report = points.get(month), by_month.get(month)
        # A submitted report is judged against the plan it was submitted under (its snapshot).
        planned = point.physical_pct if point else None
        if report is not None and report.planned_physical_pct is not None:
            planned = report.planned_physical_pct
        deviation = report.physical_pct - planned if report and planned is not None else None
        rows.append(
            {
                "month": month,
                "point": point,
                "report": report,
                "deviation": deviation,
                "level": deviation_level(deviation),
            }
        )
    context = {
        "subject": subject,
        "kind": kind,
        "rows": rows,
        "form": form,
        "can_set_curve": selectors.can_set_curve(request.user, subject),
    }
    return render(request, "emonev/subject_progress.html", context)


@login_required
def curve_edit(request, kind, pk):
    """Set the planned curve; "propose" fills the form with the S-curve (works) or an even curve."""
    subject = _subject(request, kind, pk)
    if not selectors.can_set_curve(request.user, subject):
        raise PermissionDenied
    months = curve_months(subject)
    points = list(selectors.subject_points(subject))
    if request.GET.get("propose") or not points:
        initial = CurveForm.initial_from(*curve_services.propose_curve(subject))
    else:
        initial = CurveForm.initial_from([p.physical_pct for p in points], [p.financial for p in points])
    form = CurveForm(request.POST or None, months=months, initial=initial)
    if request.method == "POST" and form.is_valid():
        physical, financial = form.curves()
        target = {"contract": subject} if kind == "contract" else {"plan_item": subject}
        try:
            curve_services.planned_curve_set(**target, physical=physical, financial=financial, actor=request.user)
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The planned curve was saved."))
            return redirect(f"emonev:{kind}_progress", pk=subject.pk)
    return render(request, "emonev/curve_form.html", {"subject": subject, "kind": kind, "form": form})


# --- A report --------------------------------------------------------------------------------------


@login_required
@require_GET
def report_detail(request, pk):
    report = selectors.get_report_for(request.user, pk)
    deviation = report.physical_deviation
    context = {
        "report": report,
        "evidence": selectors.report_evidence(report),
        "deviation": deviation,
        "level": deviation_level(deviation),
        "can_edit": report.status in EDITABLE and selectors.can_report(request.user, report.agency_id),
        "can_decide": report.status == ReportStatus.SUBMITTED and selectors.can_decide(request.user, report),
        "decision_form": DecisionForm(),
        "history": selectors.report_history(report),
    }
    return render(request, "emonev/report_detail.html", context)


def _editable_report(request, pk) -> ProgressReport:
    report = selectors.get_report_for(request.user, pk)
    if not selectors.can_report(request.user, report.agency_id):
        raise PermissionDenied
    return report


@login_required
def report_edit(request, pk):
    report = _editable_report(request, pk)
    if report.status not in EDITABLE:
        messages.error(request, _("Only a draft or returned report can be changed."))
        return redirect("emonev:report_detail", pk=report.pk)
    initial = {"physical_pct": report.physical_pct, "problems": report.problems, "follow_up": report.follow_up}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report_services.progress_report_update(report=report, data=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("emonev:report_edit", pk=report.pk)
    return _edit_page(request, report, form, EvidenceForm())


def _edit_page(request, report, form, evidence_form, status=200):
    context = {
        "report": report,
        "form": form,
        "evidence_form": evidence_form,
        "evidence": selectors.report_evidence(report),
    }
    return render(request, "emonev/report_form.html", context, status=status)


@login_required
@require_POST
def evidence_upload(request, pk):
    report = _editable_report(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_services.evidence_add(
                report=report,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("emonev:report_edit", pk=report.pk)
    initial = {"physical_pct": report.physical_pct, "problems": report.problems, "follow_up": report.follow_up}
    return _edit_page(request, report, ReportForm(initial=initial), form, status=400)


@login_required
@require_POST
def evidence_remove(request, pk):
    evidence = selectors.get_evidence_for(request.user, pk)
    try:
        evidence_services.evidence_remove(evidence=evidence, actor=request.user)
    except ValidationError as exc:
        _show_errors(request, exc)
    return redirect("emonev:report_edit", pk=evidence.report_id)


@login_required
@require_GET
def evidence_download(request, pk):
    """A file of a report, only to those who may see the report; never from /media/."""
    evidence = selectors.get_evidence_for(request.user, pk)
    # Photos open in the browser; a PDF is downloaded, so no viewer runs it on this origin.
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=evidence.content_type == "application/pdf",
        filename=evidence.original_name.rsplit("/")[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


_TRANSITIONS = {
    "submit": lambda report, user, text: report_services.progress_report_submit(report=report, actor=user),
    "accept": lambda report, user, text: report_services.progress_report_accept(
        report=report, actor=user, comment=text
    ),
    "return": lambda report, user, text: report_services.progress_report_return(
        report=report, actor=user, comment=text
    ),
}


@login_required
@require_POST
def report_transition(request, pk, action):
    if action not in _TRANSITIONS:
        raise Http404
    report = selectors.get_report_for(request.user, pk)
    try:
        report = _TRANSITIONS[action](report, request.user, request.POST.get("comment", ""))
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Done: the report is now “%(status)s”.") % {"status": report.get_status_display()})
    return redirect("emonev:report_detail", pk=report.pk)


# --- Critical contracts ------------------------------------------------------------------------------


@login_required
def critical_detail(request, pk):
    status = selectors.get_critical_for(request.user, pk)
    can_escalate = status.is_critical and selectors.can_set_curve(request.user, status.contract)
    form = EscalationForm(request.POST or None) if can_escalate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                critical_services.escalation_record(status=status, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The step was recorded."))
                return redirect("emonev:critical_detail", pk=status.pk)
    return render(request, "emonev/critical_detail.html", {"status": status, "form": form})
