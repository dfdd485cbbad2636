"""The monitoring dashboards (staff, scoped to what the person may see) and the public
progress page of a region (no login, public facts only)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ebudgeting.views.ledger import month_chart
from portal.models import Region

from . import charts, dashboards
from .choices import ReportStatus
from .selectors import pages as selectors

CONTRACTS_PER_PAGE = 25
PUBLIC_CONTRACTS_PER_PAGE = 50
# Browsers and proxies may keep the public page a few minutes: its figures move monthly.
PUBLIC_MAX_AGE = 300


def _page_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _drill_links(board) -> None:
    """Each row links to the next level down (a program row is the last level)."""
    base = {"year": board.year}
    for row in board.rows:
        if row.key is None:
            continue
        if board.level == "region":
            params = {**base, "region": row.code}
        elif board.level == "agency":
            params = {**base, "region": board.region.code, "agency": row.key}
        elif board.program is None:
            params = {**base, "region": board.region.code, "agency": board.agency.pk, "program": row.code}
        else:
            continue
        row.link = "?" + urlencode(params)


def _contracts_page(request, rows, size):
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    for row in page.object_list:
        dashboards.with_contract_deviation(row)
    return page


@login_required
@require_GET
def dashboard(request):
    """Province → regency/city → agency → program, by ``?region=&agency=&program=&year=``."""
    agencies = dashboards.staff_agencies(request.user)
    region, agency, program = dashboards.resolve(
        agencies,
        region=request.GET.get("region", "").strip(),
        agency=request.GET.get("agency", "").strip(),
        program=request.GET.get("program", "").strip(),
    )
    year = dashboards.fiscal_year(request.GET.get("year"))
    board = dashboards.build(agencies, region=region, agency=agency, program=program, year=year)
    _drill_links(board)
    context = {
        "page_query": _page_query(request),
        "board": board,
        "progress_chart": charts.progress_bars(board.rows),
        "curve_chart": charts.s_curve(charts.month_points(board.curve)),
        "chart": month_chart(board.months),
        "contracts": _contracts_page(
            request, dashboards.contracts(agencies.filter(pk=agency.pk), year=year, program=program), CONTRACTS_PER_PAGE
        )
        if agency is not None
        else None,
    }
    return render(request, "emonev/dashboard_page.html", context)


@login_required
@require_GET
def subject_curve(request, kind, pk):
    """The S-curve of one contract or plan item: its planned months against its accepted reports."""
    subject = (
        selectors.get_contract_for(request.user, pk)
        if kind == "contract"
        else selectors.get_plan_item_for(request.user, pk)
    )
    planned = {(p.year, p.month): p.physical_pct for p in selectors.subject_points(subject)}
    actual = {
        (r.year, r.month): r.physical_pct
        for r in selectors.subject_reports(subject).filter(status=ReportStatus.ACCEPTED)
    }
    points = [
        {"label": f"{month:02d}/{year}", "planned": planned.get((year, month)), "actual": actual.get((year, month))}
        for year, month in sorted(set(planned) | set(actual))
    ]
    context = {"subject": subject, "kind": kind, "curve_chart": charts.s_curve(points)}
    return render(request, "emonev/dashboard_subject.html", context)


@require_GET
def public_index(request):
    """The regions whose progress can be read, the province first (one query)."""
    regions = Region.objects.order_by("code").only("code", "name", "kind")
    response = render(request, "emonev/public_index.html", {"regions": regions})
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@require_GET
def public_progress(request, code):
    """A region's progress as a citizen would look for it: per agency and per program,
    budget, realized, physical progress, the contracts with their status, the critical ones.
    Only accepted reports count; no comments, no drafts, no late-report figures."""
    region = get_object_or_404(Region, code=code)
    agencies = dashboards.public_agencies(region)
    year = dashboards.fiscal_year(request.GET.get("year"))
    by_agency = dashboards.build(agencies, region=region, year=year, public=True)
    by_program = dashboards.build(agencies, region=region, year=year, public=True, group="program", charts=False)
    rows = dashboards.contracts(agencies, year=year)
    context = {
        "region": region,
        "year": year,
        "page_query": _page_query(request),
        "by_agency": by_agency,
        "by_program": by_program,
        "progress_chart": charts.progress_bars(by_agency.rows),
        "curve_chart": charts.s_curve(charts.month_points(by_agency.curve)),
        "contracts": _contracts_page(request, rows, PUBLIC_CONTRACTS_PER_PAGE),
        "critical": list(rows.filter(is_critical=True)[:PUBLIC_CONTRACTS_PER_PAGE]),
    }
    response = render(request, "emonev/public_progress.html", context)
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response
