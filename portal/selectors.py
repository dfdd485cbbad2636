"""Reads that build the kernel's pages and API answers."""

from django.db.models import Count, Q

from .models import Agency, Membership, Notification, Region
from .scoping import get_scoped_or_404, reach_of

_UNREAD_ATTR = "_portal_unread_count"


def unread_count(user) -> int:
    """The bell's number, counted once per request."""
    cached = getattr(user, _UNREAD_ATTR, None)
    if cached is None:
        cached = Notification.objects.for_recipient(user).unread().count()
        setattr(user, _UNREAD_ATTR, cached)
    return cached


def regions_list():
    return Region.objects.select_related("parent").order_by("code")


def agencies_visible(user):
    return (
        Agency.objects.visible_to(user)
        .select_related("region", "parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("region__code", "name")
    )


def agency_members(agency: Agency):
    return Membership.objects.filter(agency=agency).select_related("user").order_by("user__full_name", "role")


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("agency__region").order_by("agency__name", "role")


def notifications_for(user, *, unread_only: bool = False):
    qs = Notification.objects.for_recipient(user)
    return qs.unread() if unread_only else qs


AGENCY_EDITOR_ROLES = ("kominfo_admin",)


def get_agency_for(user, pk, *, write: bool = False) -> Agency:
    """An agency's internal page: its staff see it; only Kominfo admins of its region
    (or the agency's own Kominfo admin) change it."""
    roles = AGENCY_EDITOR_ROLES if write else None
    return get_scoped_or_404(Agency.objects.select_related("region", "parent"), user, pk, write=write, roles=roles)


def can_edit_agency(user, agency: Agency) -> bool:
    if reach_of(user).everything:
        return True
    return Agency.objects.editable_by(user, AGENCY_EDITOR_ROLES).filter(pk=agency.pk).exists()


def home_summary(user) -> dict:
    memberships = list(memberships_of(user))
    regions = {m.agency.region for m in memberships}
    return {
        "memberships": memberships,
        "regions": sorted(regions, key=lambda r: r.code),
        "recent_notifications": list(notifications_for(user)[:5]),
    }


def agencies_public_filter(region_code: str | None):
    qs = Agency.objects.filter(is_active=True).select_related("region")
    if region_code:
        qs = qs.filter(Q(region__code=region_code))
    return qs
