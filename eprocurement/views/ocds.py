"""Open data (OCDS 1.1) at stable public URLs, and the red-flag list for auditors."""

from __future__ import annotations

import csv
import datetime
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..models import OcdsRelease
from ..ocds.builder import absolute
from ..ocds.publish import record_package, release_package
from ..selectors import redflags

REDFLAG_PAGE_SIZE = 50
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _json(document: dict, *, status: int = 200, max_age: int = 300) -> JsonResponse:
    response = JsonResponse(document, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it, and a published release never changes.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _bad_request(message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=400)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def ocds_release(request, release_id):
    release = OcdsRelease.objects.filter(release_id=release_id).only("data").first()
    if release is None:
        raise Http404
    return _json(release.data, max_age=86400)


@require_GET
def ocds_record(request, ocid):
    releases = list(OcdsRelease.objects.filter(ocid=ocid).only("release_id", "data").order_by("date", "id"))
    if not releases:
        raise Http404
    return _json(record_package(ocid, releases))


class _BadParameter(ValueError):
    pass


def _day(request, name: str) -> datetime.date | None:
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise _BadParameter(
            _("“%(name)s” must be a date written YYYY-MM-DD, such as 2026-03-31; got “%(value)s”.")
            % {"name": name, "value": text[:40]}
        ) from None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period_filter(request) -> dict:
    start, end = _day(request, "from"), _day(request, "to")
    if start and end and start > end:
        raise _BadParameter(_("“from” must not be later than “to”."))
    after = request.GET.get("after", "").strip()
    if after and not after.isdigit():
        raise _BadParameter(_("“after” must be the number given in links.next."))
    lookups = {}
    if start:
        lookups["date__gte"] = _start_of(start)
    if end:
        lookups["date__lt"] = _start_of(end + datetime.timedelta(days=1))
    if after:
        lookups["pk__gt"] = int(after)
    return lookups


@require_GET
def ocds_releases(request):
    """Releases published in a period (``from``/``to`` inclusive, WITA days), as release
    packages of ``OCDS_BULK_PAGE_SIZE`` releases, each linking to the next."""
    try:
        lookups = _period_filter(request)
    except _BadParameter as error:
        return _bad_request(str(error))
    size = settings.OCDS_BULK_PAGE_SIZE
    rows = list(OcdsRelease.objects.filter(**lookups).only("data").order_by("pk")[: size + 1])
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        query = {key: request.GET[key] for key in ("from", "to") if request.GET.get(key)}
        next_url = absolute(reverse("eprocurement:ocds_releases") + "?" + urlencode({**query, "after": rows[-1].pk}))
    uri = absolute(request.get_full_path())
    return _json(release_package([row.data for row in rows], uri=uri, next_url=next_url))


def _redflag_filters(request) -> dict:
    return {"flag": request.GET.get("flag", "").strip(), "region": request.GET.get("region", "").strip()}


def _auditor(request):
    if not redflags.can_read_red_flags(request.user):
        raise PermissionDenied(_("Only auditors and LPSE administrators read the red flags."))


@login_required
@require_GET
def redflag_list(request):
    """Flagged packages in the auditor's reach, filtered by flag and region, paginated."""
    _auditor(request)
    filters = _redflag_filters(request)
    page = Paginator(redflags.flagged_packages(request.user, **filters), REDFLAG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for package in page:
        package.red_flags = redflags.flags_of(package)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "flags": redflags.FLAGS,
        "regions": redflags.reachable_regions(request.user),
    }
    return render(request, "eprocurement/redflag_list.html", context)


def _csv_cell(value) -> str:
    # A spreadsheet runs a cell that starts like a formula: keep names and texts inert.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def redflag_export(request):
    """The same list as CSV (every flagged package in reach, not one page)."""
    _auditor(request)
    filters = _redflag_filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="red-flags.csv"'
    writer = csv.writer(response)
    header = [_("Tender code"), _("Package"), _("Agency"), _("Region"), _("Status"), _("HPS"), _("Winner")]
    header += [_("Award value"), _("Red flags")]
    writer.writerow(header)
    for package in redflags.flagged_packages(request.user, **filters).iterator(chunk_size=500):
        award = getattr(package, "award", None)
        row = [package.code, package.name, package.agency.name, package.agency.region.name]
        row += [package.get_status_display(), package.owner_estimate, award.vendor.name if award else ""]
        row += [award.value if award else "", "; ".join(str(f.label) for f in redflags.flags_of(package))]
        writer.writerow([_csv_cell(cell) for cell in row])
    return response


@login_required
@require_GET
def redflag_package(request, pk):
    """The fragment listing one package's flags (for its staff detail page, by HTMX)."""
    _auditor(request)
    package = redflags.get_flaggable_package_for(request.user, pk)
    context = {"package": package, "red_flags": redflags.package_red_flags(package)}
    return render(request, "eprocurement/redflag_package.html", context)
