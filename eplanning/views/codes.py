"""The planning nomenclature as a browsable tree, level by level."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.selectors import primary_membership
from portal.widgets import SUGGESTIONS, suggestion_query

from ..selectors import codes as selectors

PAGE_SIZE = 100
ALL_REGIONS = "all"


def _region_asked(request):
    """The region whose variant to show: asked for, or where the person works."""
    asked = request.GET.get("region")
    if asked == ALL_REGIONS:
        return None
    if asked:
        return selectors.region_by_code(asked)
    membership = primary_membership(request.user)
    return membership.agency.region if membership else None


@login_required
def codes_tree(request, code=None):
    node = selectors.get_nomenclature_for(request.user, code) if code else None
    region = _region_asked(request)
    search = request.GET.get("q", "").strip()
    show_inactive = request.GET.get("inactive") == "1"
    rows = selectors.nomenclature_list(
        request.user,
        region=region,
        parent_code=None if search else (node.code if node else ""),
        search=search,
        active=None if show_inactive else True,
    )
    context = {
        "node": node,
        "ancestors": selectors.nomenclature_ancestors(node) if node else [],
        "successors": list(selectors.nomenclature_successors(node.code)) if node and not node.is_active else [],
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "region": region,
        "regions": selectors.region_variant_choices(),
        "search": search,
        "show_inactive": show_inactive,
        "all_regions": ALL_REGIONS,
    }
    return render(request, "eplanning/codes_tree.html", context)


@login_required
@require_GET
def sub_activity_suggest(request):
    """Options for the sub-activity box of the plan item form."""
    region = selectors.region_by_code(request.GET.get("region"))
    codes = selectors.sub_activity_suggestions(suggestion_query(request), SUGGESTIONS, region)
    return render(request, "partials/code_options.html", {"codes": codes})
