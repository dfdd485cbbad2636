"""Parts of a release that downstream apps fill in.

E-Procurement knows a contract's payments, but not how far the work has come: that is
E-Monev's record, and E-Procurement may not import it. A downstream app registers a
provider from its ``AppConfig.ready()``; the builder calls every provider for each signed
contract and adds what they return to ``contracts[].implementation``.
"""

from __future__ import annotations

from collections.abc import Callable

ImplementationProvider = Callable[[object], dict]

_implementation_providers: list[ImplementationProvider] = []


def register_implementation_provider(provider: ImplementationProvider) -> ImplementationProvider:
    """Register ``provider(contract) -> {"milestones": [...], ...}`` (once; usable as a decorator)."""
    if provider not in _implementation_providers:
        _implementation_providers.append(provider)
    return provider


def unregister_implementation_provider(provider: ImplementationProvider) -> None:
    if provider in _implementation_providers:
        _implementation_providers.remove(provider)


def implementation_for(contract) -> dict:
    """What the registered providers add to the contract's implementation section; lists
    under the same key are joined in registration order, empty ones left out."""
    implementation: dict = {}
    for provider in _implementation_providers:
        for key, value in (provider(contract) or {}).items():
            if isinstance(value, list):
                implementation.setdefault(key, []).extend(value)
            elif value is not None:
                implementation[key] = value
    return {key: value for key, value in implementation.items() if value not in ([], None)}
