"""Reads for sealed bids: a vendor's own bids, who may download a document, what the
opening page shows. Nothing here unseals anything; before opening the only facts about
other vendors' bids anyone gets are how many were submitted."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.choices import Role
from portal.navigation import WorkItem
from portal.roles import has_role

from ..choices import BidStatus, PackageStatus, TenderStage
from ..models import (
    Bid,
    BidDocument,
    BidReceipt,
    OpeningConfirmation,
    Package,
    PackageStage,
    Vendor,
)
from .team import is_pokja_member  # noqa: F401 (the opening page asks here)
from .vendors import vendors_of_owner


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def own_bids(user) -> QuerySet[Bid]:
    """The bids of the vendors ``user`` owns (a vendor sees only its own)."""
    if not _authenticated(user):
        return Bid.objects.none()
    return Bid.objects.filter(vendor__owner=user)


def get_bid_for(user, pk) -> Bid:
    """One of ``user``'s own bids; any other bid is answered as missing."""
    try:
        return own_bids(user).select_related("package", "vendor").get(pk=pk)
    except (Bid.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def bid_detail(bid: Bid) -> Bid:
    """A bid with its documents and receipts, newest receipt first (3 queries)."""
    return (
        Bid.objects.select_related("package", "vendor")
        .prefetch_related("documents", Prefetch("receipts", queryset=BidReceipt.objects.order_by("-submitted_at")))
        .get(pk=bid.pk)
    )


def my_bids(user) -> QuerySet[Bid]:
    """ "My bids": the vendor's own bids with their package, documents count and receipts
    (2 queries whatever the number of bids)."""
    return (
        own_bids(user)
        .select_related("package", "vendor")
        .annotate(document_count=Count("documents", distinct=True))
        .prefetch_related(Prefetch("receipts", queryset=BidReceipt.objects.order_by("-submitted_at")))
        .order_by("-modified", "-pk")
    )


def get_bid_document_for(user, pk) -> BidDocument:
    """A bid document the reader may download: the vendor that submitted it, always; a
    pokja member of its package, once the bid was opened. Anyone else: missing."""
    if not _authenticated(user):
        raise Http404
    pokja_after_opening = Q(
        bid__opened_at__isnull=False,
        bid__package__pokja_members__user=user,
    )
    try:
        return (
            BidDocument.objects.filter(Q(bid__vendor__owner=user) | pokja_after_opening)
            .select_related("bid__package")
            .distinct()
            .get(pk=pk)
        )
    except (BidDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def biddable_package(pk) -> Package:
    """A public (announced or later) package with its schedule, for the bid page."""
    try:
        return Package.objects.public().prefetch_related("stages").select_related("agency").get(pk=pk)
    except (Package.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def bidding_vendors(user) -> list[Vendor]:
    return list(vendors_of_owner(user)) if _authenticated(user) else []


def submitted_bid_count(package: Package) -> int:
    """How many bids count right now: public before opening (never who or how much)."""
    return Bid.objects.filter(package=package, status=BidStatus.SUBMITTED).count()


# --- Opening ---------------------------------------------------------------------------------


def get_opening_package_for(user, pk) -> Package:
    """A package's opening page: its pokja, its PPK and staff whose reach covers its agency."""
    if not _authenticated(user):
        raise Http404
    reach = Q(pk__in=Package.objects.visible_to(user).values("pk")) | Q(ppk=user) | Q(pokja_members__user=user)
    try:
        return (
            Package.objects.filter(reach)
            .exclude(status=PackageStatus.DRAFT)
            .select_related("agency")
            .prefetch_related("stages")
            .distinct()
            .get(pk=pk)
        )
    except (Package.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def opening_confirmations(package: Package) -> list[OpeningConfirmation]:
    return list(OpeningConfirmation.objects.filter(package=package).select_related("member").order_by("confirmed_at"))


def opened_bids(package: Package) -> list[Bid]:
    """The opened bids with vendor and documents (2 queries); empty before opening."""
    return list(
        Bid.objects.filter(package=package, opened_at__isnull=False)
        .select_related("vendor")
        .prefetch_related("documents")
        .order_by("submitted_at", "pk")
    )


def opened_prices(package: Package) -> list[dict]:
    """Vendor and price of each opened bid, lowest first — public in Indonesian
    e-tendering once the bids are open; empty before (for the public tender page)."""
    rows = Bid.objects.filter(package=package, opened_at__isnull=False).select_related("vendor")
    return [{"vendor": bid.vendor.name, "price": bid.opened_price} for bid in rows.order_by("opened_price", "pk")]


def openings_waiting_for(user, limit: int = 5) -> list[Package]:
    """Packages whose bids ``user`` (a pokja member) may open now and has not confirmed:
    announced, deadline and opening time passed, at least one bid submitted (1 query)."""
    if not _authenticated(user) or not has_role(user, Role.POKJA):
        return []
    now = timezone.now()
    started = PackageStage.objects.filter(package=OuterRef("pk"), starts_at__lte=now)
    return list(
        Package.objects.filter(status=PackageStatus.ANNOUNCED, pokja_members__user=user)
        .filter(Exists(started.filter(stage=TenderStage.OPENING)))
        .exclude(
            Exists(
                PackageStage.objects.filter(package=OuterRef("pk"), stage=TenderStage.BID_SUBMISSION, ends_at__gt=now)
            )
        )
        .filter(Exists(Bid.objects.filter(package=OuterRef("pk"), status=BidStatus.SUBMITTED)))
        .exclude(Exists(OpeningConfirmation.objects.filter(package=OuterRef("pk"), member=user)))
        .only("pk", "code", "name")
        .order_by("pk")[:limit]
    )


def openings_work(user) -> list[WorkItem]:
    """The home page's lines for pokja members: bids waiting for their opening confirmation."""
    return [
        WorkItem(
            label=_("Bids to open: %(package)s") % {"package": package.code or package.name},
            count=1,
            url=reverse("eprocurement:opening_page", args=[package.pk]),
        )
        for package in openings_waiting_for(user)
    ]
