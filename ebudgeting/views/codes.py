"""The account codes as a browsable tree, and the funding sources."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.widgets import SUGGESTIONS, suggestion_query

from ..selectors import codes as selectors

PAGE_SIZE = 100


@login_required
def codes_tree(request, code=None):
    node = selectors.get_account_code_for(request.user, code) if code else None
    search = request.GET.get("q", "").strip()
    show_inactive = request.GET.get("inactive") == "1"
    rows = selectors.account_code_list(
        request.user,
        parent_code=None if search else (node.code if node else ""),
        search=search,
        active=None if show_inactive else True,
    )
    context = {
        "node": node,
        "ancestors": selectors.account_code_ancestors(node) if node else [],
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "funding_sources": selectors.funding_source_list(request.user) if node is None and not search else [],
        "search": search,
        "show_inactive": show_inactive,
    }
    return render(request, "ebudgeting/codes_tree.html", context)


@login_required
@require_GET
def account_suggest(request):
    """Options for the account code box of the line editor."""
    codes = selectors.account_suggestions(suggestion_query(request), SUGGESTIONS)
    return render(request, "partials/code_options.html", {"codes": codes})
