"""What became of a plan item further down the chain, as reported by later apps.

The public Musrenbang page shows, for each accepted proposal, the plan item it became
and then whatever the downstream apps (budgeting, procurement, monitoring) know about
that plan item. E-Planning never imports those apps: each registers a provider in its
``AppConfig.ready()``::

    register_outcome_provider(budget_outcomes)

A provider takes the plan item ids of a whole page and answers
``{plan_item_id: [OutcomeFact, ...]}`` with a constant number of queries (one
aggregate, typically), so the page costs the same whatever its length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class OutcomeFact:
    """One line of a plan item's outcome: a label, its value for display, and where to read more."""

    label: str  # a lazy translation, or text
    value: str
    url: str = ""


OutcomeProvider = Callable[[list[int]], dict[int, list[OutcomeFact]]]

_providers: list[OutcomeProvider] = []


def register_outcome_provider(provider: OutcomeProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def unregister_outcome_provider(provider: OutcomeProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def outcomes_for(plan_item_ids: Iterable[int]) -> dict[int, list[OutcomeFact]]:
    """Every registered provider's facts for these plan items, in registration order."""
    ids = sorted({pk for pk in plan_item_ids if pk is not None})
    facts: dict[int, list[OutcomeFact]] = {pk: [] for pk in ids}
    if not ids:
        return facts
    for provider in _providers:
        for pk, items in provider(ids).items():
            facts.setdefault(pk, []).extend(items)
    return facts
