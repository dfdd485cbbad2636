"""Reads of the planning nomenclature for the code-tree page and the API.

The nomenclature is reference data every logged-in person may read; the selectors take
the user anyway, so every surface asks in the same way.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from portal.code_lists import ancestor_codes
from portal.models import Region

from ..models import Nomenclature
from ..services.codes import NOMENCLATURE

SEARCH_LIMIT = 200


def _variant_q(region: Region | None, prefix: str = "") -> Q:
    if region is None:
        return Q()
    return Q(**{f"{prefix}for_province" if region.level == 1 else f"{prefix}for_regency": True})


def nomenclature_list(
    user,
    *,
    region: Region | None = None,
    level: str = "",
    parent_code: str | None = None,
    search: str = "",
    active: bool | None = True,
):
    """Codes filtered as the page and the API ask, each with its number of children
    (of the same variant and activity) counted in SQL."""
    qs = Nomenclature.objects.all()
    if region is not None:
        qs = qs.for_region(region)
    child_q = _variant_q(region, "children__")
    if active is not None:
        qs = qs.filter(is_active=active)
        child_q &= Q(children__is_active=True) if active else Q()
    if level:
        qs = qs.filter(level=level)
    if parent_code is not None:
        qs = qs.filter(parent__code=parent_code) if parent_code else qs.filter(parent__isnull=True)
    if search:
        qs = qs.filter(Q(code__startswith=search) | Q(name__icontains=search) | Q(name_province__icontains=search))
    return qs.annotate(child_count=Count("children", filter=child_q)).order_by("code")


def get_nomenclature_for(user, code: str) -> Nomenclature:
    try:
        return Nomenclature.objects.get(code=code)
    except Nomenclature.DoesNotExist:
        raise Http404 from None


def get_nomenclature_by_pk_for(user, pk) -> Nomenclature:
    try:
        node = Nomenclature.objects.select_related("parent").get(pk=pk)
    except (Nomenclature.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    node.successor_list = list(nomenclature_successors(node.code))
    return node


def nomenclature_ancestors(node: Nomenclature) -> list[Nomenclature]:
    """The codes above ``node``, top first, in one query."""
    return list(Nomenclature.objects.filter(code__in=ancestor_codes(NOMENCLATURE, node.code)).order_by("code"))


def nomenclature_successors(code: str):
    """The codes of the current list that say they replace ``code``."""
    return Nomenclature.objects.successors_of(code).order_by("code")


def region_variant_choices():
    return Region.objects.order_by("code")


def region_by_code(code: str | None) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=code).first()


def sub_activity_suggestions(query: str, limit: int, region: Region | None = None):
    """Active sub-activities (of the region's variant, when given) matching what was typed."""
    qs = Nomenclature.objects.sub_activities().filter(is_active=True)
    if region is not None:
        qs = qs.for_region(region)
    if query:
        qs = qs.filter(Q(code__startswith=query) | Q(name__icontains=query))
    return qs.only("code", "name").order_by("code")[:limit]
