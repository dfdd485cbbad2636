"""Reads for the public tender site: the list with its search and filters, the tender
page, a vendor's own tenders, the pokja's questions, a person's subscriptions.

Nothing here ever reads a bid's sealed price or documents: before opening the public
sees how many bids were submitted, and after opening the prices opening wrote in clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Agency, FiscalYear, Region
from portal.search import search_words, text_search

from ..choices import BidStatus, PackageStatus, ProcurementKind, ProcurementMethod, TenderStage
from ..models import (
    Bid,
    Package,
    PackagePlanItem,
    PackageStage,
    PokjaMember,
    Question,
    ScheduleChange,
    TenderSubscription,
    Vendor,
)
from ..models.vendors import MONEY
from .schedule import stage_is_open
from .team import is_pokja_member  # noqa: F401 (the tender page asks here)
from .vendors import vendor_can_bid

# A package's own words; the GIN index of migration 0005 is built on exactly these.
OWN_SEARCH_FIELDS = ("name", "description", "code")
AGENCY_SEARCH_FIELDS = ("name", "short_name")
# More words narrow nothing a person needs and only cost subqueries.
MAX_SEARCH_WORDS = 8
LIST_FIELDS = (
    "id",
    "code",
    "name",
    "kind",
    "method",
    "status",
    "value",
    "owner_estimate",
    "announced_at",
    "agency__name",
    "agency__region__name",
    "fiscal_year__year",
)
REGION_CODE = re.compile(r"\d{2}\.\d{2}")
THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
MAX_MONEY = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])
PUBLIC_STATUSES = [s for s in PackageStatus.choices if s[0] != PackageStatus.DRAFT]


@dataclass
class TenderFilters:
    """The list's filters as read from a query string; ``problems`` names what was ignored."""

    q: str = ""
    region: Region | None = None
    agency: Agency | None = None
    kind: str = ""
    method: str = ""
    status: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    year: int | None = None
    problems: list[str] = field(default_factory=list)


def _pk(raw: str, model, label: str, problems: list[str]):
    """A row by id, or a region by its Kemendagri code ("53.01")."""
    if not raw:
        return None
    row = None
    if raw.isdigit() and len(raw) < 10:
        row = model.objects.filter(pk=int(raw)).first()
    elif model is Region and REGION_CODE.fullmatch(raw):
        row = Region.objects.filter(code=raw).first()
    if row is None:
        problems.append(_("Unknown %(what)s “%(value)s” ignored.") % {"what": label, "value": raw[:40]})
    return row


def _choice(raw: str, values, label: str, problems: list[str]) -> str:
    if raw and raw not in values:
        problems.append(_("Unknown %(what)s “%(value)s” ignored.") % {"what": label, "value": raw[:40]})
        return ""
    return raw


def _money(raw: str, label: str, problems: list[str]) -> Decimal | None:
    if not raw:
        return None
    if THOUSANDS.fullmatch(raw):  # "1.500.000" as Indonesians write rupiah
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value >= MAX_MONEY:
        problems.append(
            _("%(what)s “%(value)s” is not an amount of rupiah; ignored.") % {"what": label, "value": raw[:40]}
        )
        return None
    return value


def _year(raw: str, problems: list[str]) -> int | None:
    if not raw:
        return None
    if raw.isdigit() and len(raw) == 4:
        return int(raw)
    problems.append(_("Fiscal year “%(value)s” ignored.") % {"value": raw[:40]})
    return None


def parse_filters(params) -> TenderFilters:
    """Read the filters from ``params`` (a QueryDict); a bad value is dropped and named in
    ``problems``, never an error."""
    get = {name: (params.get(name) or "").strip() for name in ("q", "region", "agency", "kind", "method", "status")}
    problems: list[str] = []
    filters = TenderFilters(
        q=get["q"][:200],
        region=_pk(get["region"], Region, _("region"), problems),
        agency=_pk(get["agency"], Agency, _("agency"), problems),
        kind=_choice(get["kind"], ProcurementKind.values, _("kind"), problems),
        method=_choice(get["method"], ProcurementMethod.values, _("method"), problems),
        status=_choice(get["status"], [s for s, _label in PUBLIC_STATUSES], _("status"), problems),
        min_value=_money((params.get("min_value") or "").strip(), _("Minimum HPS"), problems),
        max_value=_money((params.get("max_value") or "").strip(), _("Maximum HPS"), problems),
        year=_year((params.get("year") or "").strip(), problems),
        problems=problems,
    )
    if filters.min_value is not None and filters.max_value is not None and filters.min_value > filters.max_value:
        problems.append(_("The minimum HPS is above the maximum; both ignored."))
        filters.min_value = filters.max_value = None
    return filters


def _search(packages: QuerySet, query: str) -> QuerySet:
    """Every word must occur in the package's own text, its agency's name or one of its
    kode RUP (a prefix of it); each word's test uses an index."""
    for word in search_words(query)[:MAX_SEARCH_WORDS]:
        own = text_search(Package.objects.all(), OWN_SEARCH_FIELDS, word).values("pk")
        agencies = text_search(Agency.objects.all(), AGENCY_SEARCH_FIELDS, word).values("pk")
        rup = PackagePlanItem.objects.filter(plan_item__rup_code__startswith=word).values("package_id")
        packages = packages.filter(Q(pk__in=own) | Q(agency_id__in=agencies) | Q(pk__in=rup))
    return packages


def _stage_now(now):
    """The stage a package is in at ``now``: of the stages running (download, explanation
    and bid submission overlap), the latest started, and of those the one ending first."""
    return (
        PackageStage.objects.filter(package=OuterRef("pk"), starts_at__lte=now, ends_at__gt=now)
        .order_by("-starts_at", "ends_at", "id")
        .values("stage")[:1]
    )


def _bid_deadline():
    return PackageStage.objects.filter(package=OuterRef("pk"), stage=TenderStage.BID_SUBMISSION).values("ends_at")[:1]


def with_schedule_facts(packages: QuerySet, now=None) -> QuerySet:
    """Each row with ``current_stage`` and ``bid_deadline``, computed in the same query."""
    now = now or timezone.now()
    return packages.annotate(current_stage=Subquery(_stage_now(now)), bid_deadline=Subquery(_bid_deadline()))


def tender_list(filters: TenderFilters) -> QuerySet[Package]:
    """Public packages matching ``filters``, newest announcement first (one query for the
    rows; ``attach_schedule_facts`` adds the current stage and bid deadline to a page)."""
    packages = Package.objects.public()
    if filters.region is not None:
        packages = packages.filter(Q(agency__region=filters.region) | Q(agency__region__parent=filters.region))
    if filters.agency is not None:
        packages = packages.filter(agency=filters.agency)
    for name in ("kind", "method", "status"):
        if getattr(filters, name):
            packages = packages.filter(**{name: getattr(filters, name)})
    if filters.min_value is not None:
        packages = packages.filter(owner_estimate__gte=filters.min_value)
    if filters.max_value is not None:
        packages = packages.filter(owner_estimate__lte=filters.max_value)
    if filters.year is not None:
        packages = packages.filter(fiscal_year__year=filters.year)
    packages = _search(packages, filters.q)
    packages = packages.select_related("agency__region", "fiscal_year").only(*LIST_FIELDS)
    # The stage and deadline are attached to a page's rows afterwards (attach_schedule_facts):
    # annotated here, PostgreSQL would compute them for every row an OFFSET skips too.
    return packages.order_by("-announced_at", "-id")


def filter_choices(filters: TenderFilters) -> dict:
    """What the list's filter form offers. Agencies only of the chosen region (a region
    has dozens, the province hundreds: listing them all would weigh down every page)."""
    agencies = Agency.objects.none()
    if filters.region is not None:
        agencies = Agency.objects.filter(Q(region=filters.region) | Q(pk=getattr(filters.agency, "pk", None)))
    elif filters.agency is not None:
        agencies = Agency.objects.filter(pk=filters.agency.pk)
    return {
        "regions": Region.objects.only("id", "name", "code").order_by("code"),
        "agencies": agencies.filter(is_active=True).only("id", "name").order_by("name"),
        "kinds": ProcurementKind.choices,
        "methods": ProcurementMethod.choices,
        "statuses": PUBLIC_STATUSES,
    }


def fiscal_years():
    return FiscalYear.objects.only("id", "year").order_by("-year")


# --- The tender page -----------------------------------------------------------------------


def get_public_tender(pk) -> Package:
    """A public package with what its page shows, in a fixed number of queries; a draft
    (or a package that does not exist) is a 404."""
    try:
        return (
            Package.objects.public()
            .select_related("agency__region", "fiscal_year")
            .annotate(submitted_bids=Count("bids", filter=Q(bids__status=BidStatus.SUBMITTED)))
            .prefetch_related(
                "stages",
                Prefetch("plan_item_links", queryset=PackagePlanItem.objects.select_related("plan_item")),
                "documents",
                Prefetch("schedule_changes", queryset=ScheduleChange.objects.order_by("changed_at", "id")),
                Prefetch(
                    "questions",
                    queryset=Question.objects.only("id", "package_id", "text", "asked_at", "answer", "answered_at"),
                ),
            )
            .get(pk=pk)
        )
    except (Package.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def bids_are_public(package: Package) -> bool:
    """Prices become public once the package is opened; a package closed before opening never shows them."""
    return package.status not in (PackageStatus.DRAFT, PackageStatus.ANNOUNCED)


def opened_bids(package: Package) -> list[Bid]:
    """The opened bids, cheapest first, with the vendor's name: only after opening, and
    only bids opening revealed (the sealed columns are never loaded)."""
    if not bids_are_public(package):
        return []
    return list(
        Bid.objects.filter(package=package, status=BidStatus.SUBMITTED, opened_at__isnull=False)
        .select_related("vendor")
        .only("id", "package_id", "opened_price", "opened_at", "vendor__id", "vendor__name")
        .order_by("opened_price", "id")
    )


def schedule_rows(package: Package, now=None) -> list[dict]:
    """The schedule in stage order with the running stages marked."""
    now = now or timezone.now()
    rows = sorted(package.stages.all(), key=lambda row: (row.starts_at, row.id))
    return [{"row": row, "current": row.starts_at <= now < row.ends_at, "past": row.ends_at <= now} for row in rows]


def askable_vendors(user, package: Package) -> list[Vendor]:
    """The vendors of ``user`` that may ask on ``package`` now (empty when the stage is closed)."""
    if not getattr(user, "is_authenticated", False) or package.status != PackageStatus.ANNOUNCED:
        return []
    if not stage_is_open(package, TenderStage.EXPLANATION):
        return []
    today = timezone.localdate()
    return [v for v in Vendor.objects.filter(owner=user).order_by("name") if vendor_can_bid(v, today)]


def get_pokja_tender_for(user, pk) -> Package:
    """The package ``pk`` for a member of its pokja; anyone else gets a 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        return Package.objects.select_related("agency__region").get(pk=pk, pokja_members__user=user)
    except (Package.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pokja_questions(package: Package) -> QuerySet[Question]:
    """All questions of a package for its pokja, unanswered first (the pokja sees who asked)."""
    return (
        Question.objects.filter(package=package)
        .select_related("vendor", "answered_by")
        .order_by("answered_at", "asked_at", "id")
    )


def get_question_for_pokja(user, pk) -> Question:
    try:
        return Question.objects.select_related("package").get(pk=pk, package__pokja_members__user=user)
    except (Question.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def questions_visible_to(user) -> QuerySet[Question]:
    """For the API: questions on the packages the user sits in the pokja of, and the
    questions the user's vendors asked."""
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    pokja_packages = PokjaMember.objects.filter(user=user).values("package_id")
    return (
        Question.objects.filter(Q(package_id__in=pokja_packages) | Q(vendor__owner=user))
        .select_related("package", "vendor")
        .order_by("-asked_at", "-id")
    )


# --- A vendor's own tenders ------------------------------------------------------------------


def my_tenders(user, now=None) -> QuerySet[Package]:
    """Public packages the user's vendors asked about or bid on, with the current stage,
    the state of the vendor's own bid and how many questions they asked."""
    if not getattr(user, "is_authenticated", False):
        return Package.objects.none()
    own_bids = Bid.objects.filter(package=OuterRef("pk"), vendor__owner=user)
    own_questions = Question.objects.filter(package=OuterRef("pk"), vendor__owner=user)
    packages = (
        Package.objects.public()
        .filter(Q(Exists(own_bids)) | Q(Exists(own_questions)))
        .select_related("agency__region")
        .only("id", "code", "name", "status", "announced_at", "agency__name", "agency__region__name")
        .annotate(
            own_bid_status=Subquery(own_bids.order_by("id").values("status")[:1]),
            own_question_count=Subquery(
                own_questions.order_by().values("package").annotate(n=Count("id")).values("n")[:1]
            ),
        )
    )
    return with_schedule_facts(packages, now).order_by("-announced_at", "-id")


# --- Subscriptions ---------------------------------------------------------------------------


def subscriptions_of(user) -> QuerySet[TenderSubscription]:
    if not getattr(user, "is_authenticated", False):
        return TenderSubscription.objects.none()
    return TenderSubscription.objects.filter(user=user).select_related("region").order_by("kind", "region__code", "id")


def get_subscription_for(user, pk) -> TenderSubscription:
    try:
        return subscriptions_of(user).get(pk=pk)
    except (TenderSubscription.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def attach_schedule_facts(packages, now=None) -> list[Package]:
    """The rows of one page with ``current_stage`` and ``bid_deadline`` set, in one query
    over those rows only."""
    rows = list(packages)
    if rows:
        facts = with_schedule_facts(Package.objects.filter(pk__in=[row.pk for row in rows]), now)
        by_pk = {fact["pk"]: fact for fact in facts.order_by().values("pk", "current_stage", "bid_deadline")}
        for row in rows:
            row.current_stage = by_pk[row.pk]["current_stage"]
            row.bid_deadline = by_pk[row.pk]["bid_deadline"]
    return rows


def label_stages(packages) -> list[Package]:
    """The rows of a page with ``current_stage_label`` set from their current stage; rows
    without the stage yet get it from ``attach_schedule_facts`` (one query)."""
    labels = dict(TenderStage.choices)
    rows = list(packages)
    if rows and not hasattr(rows[0], "current_stage"):
        attach_schedule_facts(rows)
    for package in rows:
        package.current_stage_label = labels.get(package.current_stage, "")
    return rows
