"""Red flags: integrity indicators per package, for auditors.

Each flag is an indicator to look into, not a finding (the red flags of the Open Contracting
Partnership's "Red Flags for Integrity" guide that the portal's data can compute). All are
computed in SQL as annotations of one query, so the list costs the same few queries for
ten packages or ten thousand. Thresholds are settings (``config/settings.py``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.choices import Role
from portal.models import Region
from portal.roles import has_role
from portal.scoping import get_scoped_or_404, reach_of

from ..choices import BidStatus, PackageStatus, TenderStage
from ..models import Award, Bid, BidEvaluation, Package, PackageStage

REDFLAG_ROLES = (Role.AUDITOR, Role.LPSE_ADMIN)


@dataclass(frozen=True)
class RedFlag:
    key: str
    label: object  # a lazy translation

    @property
    def field(self) -> str:
        return f"flag_{self.key}"

    @property
    def explanation(self) -> str:
        return _EXPLANATIONS[self.key]()


FLAGS = (
    RedFlag("short_bid_period", gettext_lazy("Short bid period")),
    RedFlag("single_bid", gettext_lazy("Single bid")),
    RedFlag("identical_prices", gettext_lazy("Identical bid prices")),
    RedFlag("lowest_disqualified", gettext_lazy("Lowest bid disqualified")),
    RedFlag("all_but_winner_disqualified", gettext_lazy("All but the winner disqualified")),
    RedFlag("price_near_hps", gettext_lazy("Winning price close to the HPS")),
    RedFlag("repeat_winner", gettext_lazy("Same winner many times in one agency")),
)
FLAGS_BY_KEY = {flag.key: flag for flag in FLAGS}

_EXPLANATIONS = {
    "short_bid_period": lambda: (
        _(
            "The bid submission window is shorter than %(bid_days)s days, or the bid deadline is less than "
            "%(notice_days)s days after the announcement: few vendors can prepare a bid in that time."
        )
        % {"bid_days": settings.PROCUREMENT_MIN_BID_DAYS, "notice_days": settings.REDFLAG_MIN_NOTICE_DAYS}
    ),
    "single_bid": lambda: _("Exactly one bid was submitted and opened: there was no competition."),
    "identical_prices": lambda: _(
        "Two or more opened bids have exactly the same price, which is unlikely without coordination."
    ),
    "lowest_disqualified": lambda: _(
        "The bid with the lowest price failed the evaluation: check that the reasons are sound."
    ),
    "all_but_winner_disqualified": lambda: _(
        "Every bid except the winner's failed the evaluation, so the winner faced no evaluated competitor."
    ),
    "price_near_hps": lambda: (
        _("The winning price is above %(percent)s%% of the owner's estimate (HPS).")
        % {"percent": (Decimal(settings.REDFLAG_HIGH_PRICE_RATIO) * 100).normalize()}
    ),
    "repeat_winner": lambda: (
        _("The winner has won %(count)s or more awards of this agency in the same fiscal year.")
        % {"count": settings.REDFLAG_REPEAT_WINNER_AWARDS}
    ),
}

# A bid failed the evaluation when any part of it failed.
_FAILED = (
    Q(administrative_pass=False)
    | Q(qualification_pass=False)
    | Q(technical_pass=False)
    | Q(price_pass=False)
    | Q(qualification_proven=False)
)


def _count(queryset: QuerySet, group: str) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]), 0)


def with_red_flags(packages: QuerySet) -> QuerySet:
    """``packages`` annotated with a boolean ``flag_<key>`` per flag (NULL counts as no)."""
    bid_stage = PackageStage.objects.filter(package=OuterRef("pk"), stage=TenderStage.BID_SUBMISSION)
    opened = Bid.objects.filter(package=OuterRef("pk"), status=BidStatus.SUBMITTED, opened_at__isnull=False)
    failed = BidEvaluation.objects.filter(_FAILED, bid=OuterRef("pk"))
    same_price = Bid.objects.filter(
        package=OuterRef("package"),
        status=BidStatus.SUBMITTED,
        opened_at__isnull=False,
        opened_price=OuterRef("opened_price"),
    ).exclude(pk=OuterRef("pk"))
    wins = Award.objects.filter(
        vendor=OuterRef("award__vendor_id"),
        package__agency=OuterRef("agency_id"),
        package__fiscal_year=OuterRef("fiscal_year_id"),
    )
    ratio = Decimal(settings.REDFLAG_HIGH_PRICE_RATIO)
    packages = packages.annotate(
        bid_start=Subquery(bid_stage.values("starts_at")[:1]),
        bid_end=Subquery(bid_stage.values("ends_at")[:1]),
        opened_count=_count(opened, "package"),
        lowest_price=Subquery(opened.order_by().values("package").annotate(m=Min("opened_price")).values("m")[:1]),
        winner_awards=_count(wins, "vendor"),
    ).annotate(
        bid_window=ExpressionWrapper(F("bid_end") - F("bid_start"), output_field=DurationField()),
        notice=ExpressionWrapper(F("bid_end") - Coalesce("announced_at", "bid_start"), output_field=DurationField()),
        price_ceiling=ExpressionWrapper(F("owner_estimate") * Value(ratio), output_field=DecimalField()),
    )
    min_bid, min_notice = (
        datetime.timedelta(days=settings.PROCUREMENT_MIN_BID_DAYS),
        datetime.timedelta(days=settings.REDFLAG_MIN_NOTICE_DAYS),
    )
    conditions = {
        "short_bid_period": Q(bid_window__lt=min_bid) | Q(notice__lt=min_notice),
        "single_bid": Q(opened_count=1),
        "identical_prices": Q(Exists(opened.filter(opened_price__isnull=False).filter(Exists(same_price)))),
        "lowest_disqualified": Q(Exists(opened.filter(opened_price=OuterRef("lowest_price")).filter(Exists(failed)))),
        "all_but_winner_disqualified": Q(award__isnull=False, opened_count__gte=2)
        & ~Q(Exists(opened.exclude(pk=OuterRef("award__bid_id")).exclude(Exists(failed)))),
        "price_near_hps": Q(award__value__gt=F("price_ceiling")),
        "repeat_winner": Q(award__isnull=False, winner_awards__gte=settings.REDFLAG_REPEAT_WINNER_AWARDS),
    }
    return packages.annotate(
        **{FLAGS_BY_KEY[key].field: ExpressionWrapper(q, output_field=BooleanField()) for key, q in conditions.items()}
    )


def flags_of(package) -> list[RedFlag]:
    """The flags raised on a package annotated by ``with_red_flags``."""
    return [flag for flag in FLAGS if getattr(package, flag.field, False)]


def package_red_flags(package: Package) -> list[RedFlag]:
    """The flags of one package (one query), for its detail page."""
    annotated = with_red_flags(Package.objects.filter(pk=package.pk)).first()
    return flags_of(annotated) if annotated is not None else []


def can_read_red_flags(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or has_role(user, *REDFLAG_ROLES)))


def flagged_packages(user, *, flag: str = "", region: str = "") -> QuerySet:
    """Packages within the auditor's (or LPSE admin's) reach with at least one flag, or
    with ``flag`` when given; newest first."""
    packages = Package.objects.visible_to(user, roles=REDFLAG_ROLES).exclude(status=PackageStatus.DRAFT)
    if str(region).isdigit():
        packages = packages.filter(agency__region_id=int(region))
    packages = with_red_flags(packages.select_related("agency__region", "award__vendor"))
    if flag in FLAGS_BY_KEY:
        return packages.filter(**{FLAGS_BY_KEY[flag].field: True}).order_by("-announced_at", "-id")
    return packages.filter(reduce(or_, (Q(**{f.field: True}) for f in FLAGS))).order_by("-announced_at", "-id")


def reachable_regions(user) -> QuerySet:
    """Regions the filter offers: those the person's auditing roles reach."""
    reach = reach_of(user, REDFLAG_ROLES)
    if reach.everything:
        return Region.objects.order_by("code")
    regions = set(reach.region_ids) | set(reach.child_region_ids)
    return Region.objects.filter(Q(pk__in=regions) | Q(agencies__in=reach.agency_ids)).distinct().order_by("code")


def get_flaggable_package_for(user, pk) -> Package:
    """A non-draft package in the reach of the person's auditing roles, or 404."""
    queryset = Package.objects.visible_to(user, roles=REDFLAG_ROLES).exclude(status=PackageStatus.DRAFT)
    return get_scoped_or_404(queryset.select_related("agency__region"), user, pk)
