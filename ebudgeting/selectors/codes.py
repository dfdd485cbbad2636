"""Reads of the account codes and funding sources for the code-tree page and the API."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from portal.code_lists import ancestor_codes

from ..choices import AccountLevel
from ..models import AccountCode, FundingSource
from ..services.codes import ACCOUNTS

ACCOUNT_LINE_LEVEL = AccountLevel.SUB_RINCIAN_OBJEK


def account_code_list(user, *, level: str = "", parent_code: str | None = None, search: str = "", active=True):
    """Account codes filtered as the page and the API ask, each with its number of
    children counted in SQL."""
    qs = AccountCode.objects.all()
    child_q = Q()
    if active is not None:
        qs = qs.filter(is_active=active)
        child_q = Q(children__is_active=True) if active else Q()
    if level:
        qs = qs.filter(level=level)
    if parent_code is not None:
        qs = qs.filter(parent__code=parent_code) if parent_code else qs.filter(parent__isnull=True)
    if search:
        qs = qs.filter(Q(code__startswith=search) | Q(name__icontains=search))
    return qs.annotate(child_count=Count("children", filter=child_q)).order_by("code")


def get_account_code_for(user, code: str) -> AccountCode:
    try:
        return AccountCode.objects.get(code=code)
    except AccountCode.DoesNotExist:
        raise Http404 from None


def account_code_ancestors(node: AccountCode) -> list[AccountCode]:
    return list(AccountCode.objects.filter(code__in=ancestor_codes(ACCOUNTS, node.code)).order_by("code"))


def funding_source_list(user, *, active=True):
    qs = FundingSource.objects.all()
    return qs.filter(is_active=True) if active else qs


def account_suggestions(query: str, limit: int):
    """Active codes a budget line may use (sub rincian objek) matching what was typed."""
    qs = AccountCode.objects.filter(level=ACCOUNT_LINE_LEVEL, is_active=True)
    if query:
        qs = qs.filter(Q(code__startswith=query) | Q(name__icontains=query))
    return qs.only("code", "name").order_by("code")[:limit]
