"""Which records may this person see, and which may they change.

Every app answers that question the same way, on every surface (pages, API, admin,
exports):

- a model's queryset subclasses :class:`ScopedQuerySet` and names the path to the
  record's agency and region, so ``Thing.objects.visible_to(user)`` and
  ``Thing.objects.editable_by(user)`` are the only ways to list records;
- one ``get_<thing>_for(user, pk, write=False)`` per kind of record, built on
  :func:`get_scoped_or_404`, loads a single record or raises.

A person's reach comes from their memberships: a membership reaches its own agency
(and its units), its whole region, or, for a province coordinator, the province and,
read-only, every regency and city below it. Superusers reach everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

_CACHE_ATTR = "_portal_reach"


@dataclass(frozen=True)
class Grant:
    """One membership, reduced to what scoping needs."""

    agency_id: int
    region_id: int
    role: str
    scope: str
    unit_ids: tuple = ()  # the agency's units, which its members also reach
    child_region_ids: tuple = ()  # for a province-wide grant: the regencies below


@dataclass(frozen=True)
class Reach:
    """What a person's memberships open to them (primary keys)."""

    everything: bool = False
    grants: tuple = ()

    @cached_property
    def roles(self) -> frozenset:
        return frozenset(g.role for g in self.grants)

    @cached_property
    def agency_ids(self) -> frozenset:
        """Own agencies and their units: read and write."""
        ids = set()
        for g in self.grants:
            if g.scope == "agency":
                ids.add(g.agency_id)
                ids.update(g.unit_ids)
        return frozenset(ids)

    @cached_property
    def region_ids(self) -> frozenset:
        """Whole regions: read and write."""
        return frozenset(g.region_id for g in self.grants if g.scope != "agency")

    @cached_property
    def child_region_ids(self) -> frozenset:
        """A coordinator's regencies and cities: read only."""
        return frozenset(r for g in self.grants for r in g.child_region_ids) - self.region_ids

    @cached_property
    def member_region_ids(self) -> frozenset:
        """Regions the person works in at all."""
        return frozenset(g.region_id for g in self.grants)

    def with_roles(self, roles) -> Reach:
        """The part of this reach that comes from the given roles."""
        if self.everything or roles is None:
            return self
        roles = {roles} if isinstance(roles, str) else set(roles)
        return Reach(grants=tuple(g for g in self.grants if g.role in roles))


NOBODY = Reach()
EVERYTHING = Reach(everything=True)


def reach_of(user, roles=None) -> Reach:
    """The reach of ``user`` (limited to ``roles`` when given), computed once per
    user object, so once per request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = EVERYTHING if user.is_superuser else _compute_reach(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached.with_roles(roles)


def forget_reach(user) -> None:
    """Drop the cached reach (after a membership of this user changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_reach(user) -> Reach:
    from .models import Agency, Membership, Region

    rows = list(
        Membership.objects.filter(user=user, agency__is_active=True).values_list(
            "agency_id", "agency__region_id", "role", "scope"
        )
    )
    agency_ids = {a for a, _r, _role, scope in rows if scope == "agency"}
    province_ids = {r for _a, r, _role, scope in rows if scope == "province"}
    units, children = {}, {}
    if agency_ids:
        # An agency's units (UPTD, bidang) belong to it: one level is what exists.
        for unit_id, parent_id in Agency.objects.filter(parent_id__in=agency_ids).values_list("id", "parent_id"):
            units.setdefault(parent_id, []).append(unit_id)
    if province_ids:
        for region_id, parent_id in Region.objects.filter(parent_id__in=province_ids).values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(region_id)
    grants = tuple(
        Grant(
            agency_id=a,
            region_id=r,
            role=role,
            scope=scope,
            unit_ids=tuple(units.get(a, ())) if scope == "agency" else (),
            child_region_ids=tuple(children.get(r, ())) if scope == "province" else (),
        )
        for a, r, role, scope in rows
    )
    return Reach(grants=grants)


def reach_q(reach: Reach, *, agency_path: str | None, region_path: str, write: bool) -> Q:
    """The filter for records at ``agency_path``/``region_path`` within ``reach``."""
    if reach.everything:
        return Q()
    regions = set(reach.region_ids)
    if not write:
        regions |= reach.child_region_ids
        if agency_path is None:
            # Region-level records (RPJMD, ceilings) are read by all who work there.
            regions |= reach.member_region_ids
    q = Q(**{f"{region_path}__in": regions}) if regions else Q(pk__in=[])
    if agency_path is not None and reach.agency_ids:
        q |= Q(**{f"{agency_path}__in": reach.agency_ids})
    return q


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows where its records' agency and region are.

    Subclasses set ``agency_path`` (``None`` for region-level records such as RPJMD
    goals) and ``region_path``, both as lookups ending in a primary key.
    """

    agency_path: str | None = "agency_id"
    region_path: str = "agency__region_id"

    def visible_to(self, user, roles=None):
        """Records ``user`` may read (through memberships of ``roles``, when given)."""
        return self.filter(self._q(user, roles, write=False))

    def editable_by(self, user, roles=None):
        """Records ``user`` may change (through memberships of ``roles``, when given)."""
        return self.filter(self._q(user, roles, write=True))

    def _q(self, user, roles, *, write: bool) -> Q:
        reach = reach_of(user, roles)
        return reach_q(reach, agency_path=self.agency_path, region_path=self.region_path, write=write)


def get_scoped_or_404(queryset: ScopedQuerySet, user, pk, *, write: bool = False, roles=None):
    """The record ``pk`` if ``user`` may see it (and change it, with ``write``, through
    a membership of one of ``roles`` when given).

    A record outside the person's reach is answered as missing, so its existence is
    not revealed; one they may read but not change raises PermissionDenied.
    """
    try:
        obj = queryset.visible_to(user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not queryset.model._default_manager.editable_by(user, roles).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj
