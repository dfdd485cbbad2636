"""Pages of the monthly monev reports (stored, listed, asked for with progress) and of
the performance evaluation (quarterly achievement, semester and year)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import jobs
from portal.models import Agency, Job, Region
from portal.scoping import reach_of

from .models import MonthlyReport
from .selectors import monthly as monthly_selectors
from .selectors import performance as performance_selectors
from .services import monthly as monthly_services
from .services import performance as performance_services
from .services.common import OFFICER_ROLES, VERIFIER_ROLES
from .tasks import build_monthly_report_job

PAGE_SIZE = 25
PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Monthly reports ---------------------------------------------------------------------------


def _scopes(user) -> list[tuple[str, str]]:
    """The agencies and regions ``user`` may ask a report of, as form choices."""
    reach = reach_of(user, monthly_services.REQUEST_ROLES)
    regions = Region.objects.all() if reach.everything else Region.objects.filter(pk__in=reach.region_ids)
    agencies = Agency.objects.filter(is_active=True)
    if not reach.everything:
        agencies = agencies.filter(pk__in=reach.agency_ids) | agencies.filter(region_id__in=reach.region_ids)
    choices = [(f"region:{r.pk}", _("Region: %(name)s") % {"name": r.name}) for r in regions.order_by("name")]
    choices += [(f"agency:{a.pk}", a.name) for a in agencies.order_by("name")[:500]]
    return choices


@login_required
@require_GET
def monthly_list(request):
    year = request.GET.get("year", "").strip()
    page = Paginator(monthly_selectors.visible_monthly_reports(request.user, year=year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "year": year, "scopes": _scopes(request.user), "max_period": _last_ended_period()}
    return render(request, "emonev/monthly_list.html", context)


def _last_ended_period() -> str:
    today = timezone.localdate()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{year}-{month:02d}"


def _parse_scope(value: str):
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None, None
    if kind == "region":
        region = Region.objects.filter(pk=pk).first()
        return region, None
    if kind == "agency":
        agency = Agency.objects.select_related("region").filter(pk=pk).first()
        return (agency.region, agency) if agency else (None, None)
    return None, None


@login_required
@require_POST
def monthly_request(request):
    """Ask for a month's report now; its page shows the build's progress."""
    region, agency = _parse_scope(request.POST.get("scope", ""))
    match = PERIOD.match(request.POST.get("period", "").strip())
    if region is None:
        messages.error(request, _("Choose the agency or region of the report."))
        return redirect("emonev:monthly_list")
    if match is None:
        messages.error(request, _("Choose a month."))
        return redirect("emonev:monthly_list")
    try:
        report, job = monthly_services.monthly_report_request(
            region=region, agency=agency, year=int(match[1]), month=int(match[2]), actor=request.user
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("emonev:monthly_list")
    transaction.on_commit(lambda: build_monthly_report_job.delay(job.pk))
    return redirect("emonev:monthly_detail", pk=report.pk)


@login_required
@require_GET
def monthly_detail(request, pk):
    report = monthly_selectors.get_monthly_report_for(request.user, pk)
    job = jobs.latest_job_for(report, monthly_services.JOB_KIND)
    context = {
        "report": report,
        "job": job,
        "can_request": monthly_services.can_request(request.user, region=report.region, agency=report.agency),
    }
    return render(request, "emonev/monthly_detail.html", context)


@login_required
@require_GET
def monthly_job(request, pk):
    """The progress fragment HTMX polls every 2 s until the build is finished."""
    job = Job.objects.filter(pk=pk, kind=monthly_services.JOB_KIND).first() if str(pk).isdigit() else None
    if job is None:
        raise Http404
    report = monthly_selectors.get_monthly_report_for(request.user, job.subject_id)
    return render(request, "emonev/monthly_job.html", {"job": job, "report": report})


@login_required
@require_GET
def monthly_download(request, pk, fmt):
    report: MonthlyReport = monthly_selectors.get_monthly_report_for(request.user, pk)
    stored = {"pdf": report.pdf, "xlsx": report.xlsx}.get(fmt)
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])


# --- Performance ---------------------------------------------------------------------------------


def _year(request) -> int:
    value = request.GET.get("year", "").strip()
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def performance(request):
    year = _year(request)
    agency = request.GET.get("agency", "").strip()
    groups = performance_selectors.performance_evaluation(
        request.user, year=year, agency_id=int(agency) if agency.isdigit() else None
    )
    reach_officer = reach_of(request.user, OFFICER_ROLES)
    reach_verifier = reach_of(request.user, VERIFIER_ROLES)
    for group in groups:
        group.can_record = reach_officer.everything or group.key in reach_officer.agency_ids
        group.can_verify = reach_verifier.everything or group.region_id in reach_verifier.region_ids
    context = {"groups": groups, "year": year, "agency": agency, "quarters": (1, 2, 3, 4)}
    return render(request, "emonev/performance_evaluation.html", context)


def _back(request, indicator) -> str:
    url = reverse("emonev:performance")
    return f"{url}?year={indicator.plan_item.fiscal_year.year}#indicator-{indicator.pk}"


@login_required
@require_POST
def achievement_record(request, pk):
    indicator = performance_selectors.get_indicator_for(request.user, pk)
    quarter = request.POST.get("quarter", "")
    try:
        performance_services.achievement_record(
            indicator=indicator,
            quarter=int(quarter) if quarter.isdigit() else 0,
            actual=request.POST.get("actual", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Achievement recorded."))
    return redirect(_back(request, indicator))


@login_required
@require_POST
def achievement_verify(request, pk):
    achievement = performance_selectors.get_achievement_for(request.user, pk)
    try:
        performance_services.achievement_verify(achievement=achievement, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Achievement verified."))
    return redirect(_back(request, achievement.indicator))
