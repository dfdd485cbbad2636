"""The site navigation and the home page's work lists, fed by the apps.

The kernel never imports an app: each app registers its entries in its
``AppConfig.ready()``. Only what is registered is shown, so a service without pages
has no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    key: str
    label: object  # a lazy translation
    url_name: str
    roles: frozenset = field(default_factory=frozenset)  # empty: every member
    staff_only: bool = False
    public: bool = False
    order: int = 100


@dataclass(frozen=True)
class WorkItem:
    """A line on the home page: something that waits for this person."""

    label: str
    count: int
    url: str


_nav: dict[str, NavItem] = {}
_work_providers: list[Callable] = []


def register_nav(item: NavItem) -> None:
    _nav[item.key] = item


def register_work(provider: Callable) -> None:
    """``provider(user) -> list[WorkItem]``; it must run a constant number of queries."""
    if provider not in _work_providers:
        _work_providers.append(provider)


def navigation_for(user) -> list[NavItem]:
    from .roles import has_role

    items = []
    for item in sorted(_nav.values(), key=lambda i: (i.order, i.key)):
        if user is None:
            if item.public:
                items.append(item)
            continue
        if item.staff_only and not user.is_staff:
            continue
        if item.roles and not (user.is_superuser or has_role(user, *item.roles)):
            continue
        items.append(item)
    return items


def work_for(user) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in _work_providers:
        items.extend(provider(user))
    return items
