"""Reads that build the kernel's pages and API answers."""

from django.db.models import Count, Q

from .choices import Role
from .models import Agency, Membership, Notification, Region, User
from .scoping import get_scoped_or_404, reach_of

_UNREAD_ATTR = "_portal_unread_count"
_PRIMARY_ATTR = "_portal_primary_membership"


def unread_count(user) -> int:
    """The bell's number, counted once per request."""
    cached = getattr(user, _UNREAD_ATTR, None)
    if cached is None:
        cached = Notification.objects.for_recipient(user).unread().count()
        setattr(user, _UNREAD_ATTR, cached)
    return cached


def regions_list():
    return Region.objects.select_related("parent").order_by("code")


def agencies_visible(user, *, region_code: str | None = None):
    qs = Agency.objects.visible_to(user)
    if region_code:
        qs = qs.filter(region__code=region_code)
    return (
        qs.select_related("region", "parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("region__code", "name")
    )


def agency_members(agency: Agency):
    return Membership.objects.filter(agency=agency).select_related("user").order_by("user__full_name", "role")


_MEMBERSHIP_ORDER = ("agency__region__code", "agency__name", "role")


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("agency__region").order_by(*_MEMBERSHIP_ORDER)


def notifications_for(user, *, unread_only: bool = False):
    qs = Notification.objects.for_recipient(user)
    return qs.unread() if unread_only else qs


AGENCY_EDITOR_ROLES = (Role.KOMINFO_ADMIN,)
# The roles whose holders manage agencies, people and roles in the Django admin.
ADMIN_ROLES = (Role.KOMINFO_ADMIN,)


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
    # The header shows the first of them: no second query for it.
    setattr(user, _PRIMARY_ATTR, memberships[0] if memberships else None)
    regions = {m.agency.region for m in memberships}
    return {
        "memberships": memberships,
        "regions": sorted(regions, key=lambda r: r.code),
        "recent_notifications": list(notifications_for(user)[:5]),
    }


def primary_membership(user):
    """The membership the header shows (agency and region), loaded once per request."""
    if not hasattr(user, _PRIMARY_ATTR):
        setattr(user, _PRIMARY_ATTR, memberships_of(user).first())
    return getattr(user, _PRIMARY_ATTR)


# --- What a Kominfo admin manages in the Django admin ----------------------------------


def agencies_editable(user, roles=ADMIN_ROLES):
    """Agencies ``user`` may change, or attach people and units to."""
    return Agency.objects.editable_by(user, roles).select_related("region")


def regions_for_new_agencies(user, roles=ADMIN_ROLES):
    """Regions where ``user`` may add an agency: those they run whole, and those of
    the agencies they run (where they may add units)."""
    reach = reach_of(user, roles)
    if reach.everything:
        return Region.objects.all()
    own_agency_regions = Agency.objects.filter(pk__in=reach.agency_ids).values("region_id")
    return Region.objects.filter(Q(pk__in=reach.region_ids) | Q(pk__in=own_agency_regions))


def users_visible_to_admin(user, roles=ADMIN_ROLES):
    """People who hold a role ``user`` may see."""
    if reach_of(user, roles).everything:
        return User.objects.all()
    return User.objects.filter(pk__in=Membership.objects.visible_to(user, roles).values("user_id"))


def users_editable_by_admin(user, roles=ADMIN_ROLES):
    """People whose every role lies where ``user`` may change things.

    Whoever changes a person's e-mail or password holds all of that person's roles, so
    one role beyond ``user``'s reach (or being a superuser) keeps the person out of it.
    """
    if reach_of(user, roles).everything:
        return User.objects.all()
    editable = Membership.objects.editable_by(user, roles)
    elsewhere = Membership.objects.exclude(pk__in=editable.values("pk")).values("user_id")
    return User.objects.filter(pk__in=editable.values("user_id"), is_superuser=False).exclude(pk__in=elsewhere)


def notifications_visible_to_admin(user, roles=ADMIN_ROLES):
    """Inboxes an admin may look into to see why a message did not arrive."""
    qs = Notification.objects.select_related("recipient")
    if reach_of(user, roles).everything:
        return qs
    return qs.filter(Q(recipient=user) | Q(recipient__in=users_editable_by_admin(user, roles)))
