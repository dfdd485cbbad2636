"""Reads for vendors: who may see which vendor, whether a vendor may bid, the public blacklist."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.choices import Role
from portal.navigation import WorkItem
from portal.roles import has_role

from ..choices import VendorStatus
from ..models import Blacklisting, BusinessField, Vendor, VendorDocument


def is_lpse_admin(user) -> bool:
    """LPSE admins see every vendor: vendors are not bound to a region."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or has_role(user, Role.LPSE_ADMIN))


def vendors_visible_to(user) -> QuerySet[Vendor]:
    """An LPSE admin sees all vendors; anyone else only the vendors of their own account."""
    if is_lpse_admin(user):
        return Vendor.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Vendor.objects.none()
    return Vendor.objects.filter(owner=user)


def get_vendor_for(user, pk, *, write: bool = False) -> Vendor:
    """The vendor ``pk`` if ``user`` may see it (and change its data, with ``write``: the
    owner only); a vendor out of reach is answered as missing."""
    qs = Vendor.objects.filter(owner=user) if write and getattr(user, "is_authenticated", False) else None
    qs = qs if qs is not None else vendors_visible_to(user)
    try:
        return qs.select_related("region", "owner", "verified_by").get(pk=pk)
    except (Vendor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_vendor_document_for(user, pk) -> VendorDocument:
    """A vendor document, for its owner and LPSE admins only (never public)."""
    try:
        return VendorDocument.objects.select_related("vendor").get(pk=pk, vendor__in=vendors_visible_to(user))
    except (VendorDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def vendor_detail(vendor_pk: int) -> Vendor:
    """A vendor with everything its page shows, in a fixed number of queries."""
    return (
        Vendor.objects.select_related("region", "verified_by")
        .prefetch_related(
            "business_fields",
            "people",
            "documents",
            Prefetch("blacklistings", queryset=Blacklisting.objects.select_related("region")),
        )
        .get(pk=vendor_pk)
    )


def vendors_of_owner(user) -> QuerySet[Vendor]:
    return Vendor.objects.filter(owner=user).order_by("name") if user.is_authenticated else Vendor.objects.none()


def pending_vendors() -> QuerySet[Vendor]:
    """The LPSE admin's queue: pending vendors with their people, fields and documents."""
    return (
        Vendor.objects.filter(status=VendorStatus.PENDING)
        .select_related("region", "owner")
        .prefetch_related("business_fields", "people", "documents")
        .order_by("created", "pk")
    )


def vendor_list(*, status: str | None = None, query: str = "") -> QuerySet[Vendor]:
    qs = Vendor.objects.select_related("region").annotate(document_count=Count("documents", distinct=True))
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(nib__startswith=query) | Q(npwp__startswith=query))
    return qs.order_by("name", "pk")


def _in_force_q(on_date: date) -> Q:
    """Blacklistings that block on ``on_date``: inside the period and not lifted by then."""
    lifted_later = Q(lifted_at__isnull=True) | Q(lifted_at__date__gt=on_date)
    return Q(starts_on__lte=on_date, ends_on__gte=on_date) & lifted_later


def blacklistings_in_force(on_date: date | None = None) -> QuerySet[Blacklisting]:
    on_date = on_date or timezone.localdate()
    return Blacklisting.objects.filter(_in_force_q(on_date))


def vendor_bid_refusal(vendor: Vendor, on_date: date) -> str | None:
    """Why ``vendor`` may not bid on ``on_date``, or None when it may."""
    if vendor.status != VendorStatus.VERIFIED:
        return _("The vendor is not verified by the LPSE.")
    blocking = blacklistings_in_force(on_date).filter(vendor_id=vendor.pk).order_by("ends_on").last()
    if blocking is not None:
        return _("The vendor is blacklisted until %(date)s (decree %(decree)s).") % {
            "date": blocking.ends_on.isoformat(),
            "decree": blocking.decree_number,
        }
    return None


def vendor_can_bid(vendor: Vendor, on_date: date) -> bool:
    """Only a verified vendor with no blacklisting in force, anywhere, may bid."""
    return vendor_bid_refusal(vendor, on_date) is None


def public_blacklist(on_date: date | None = None) -> QuerySet[Blacklisting]:
    """The blacklistings in force, for the public list (one query)."""
    return blacklistings_in_force(on_date).select_related("vendor", "region").order_by("-starts_on", "pk")


def mask_npwp(npwp: str) -> str:
    """Every digit but the last four hidden: 012345678901000 → ***********1000."""
    return "*" * max(len(npwp) - 4, 0) + npwp[-4:]


def business_fields(query: str = "") -> QuerySet[BusinessField]:
    qs = BusinessField.objects.filter(is_active=True)
    if query:
        qs = qs.filter(Q(code__startswith=query) | Q(name__icontains=query))
    return qs.order_by("code")


def vendors_work(user) -> list:
    """The home page's line for LPSE admins: vendors waiting for verification."""
    if not is_lpse_admin(user):
        return []
    count = Vendor.objects.filter(status=VendorStatus.PENDING).count()
    if not count:
        return []
    url = reverse("eprocurement:vendor_queue")
    return [WorkItem(label=_("Vendors waiting for verification"), count=count, url=url)]
