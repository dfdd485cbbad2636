"""Who sits on a package's team: the one place that says whether a person is of its pokja."""

from __future__ import annotations

from ..models import Package, PokjaMember


def is_pokja_member(user, package: Package | int) -> bool:
    """Whether ``user`` is one of the pokja of ``package`` (a package or its id)."""
    if not getattr(user, "is_authenticated", False):
        return False
    package_id = getattr(package, "pk", package)
    return PokjaMember.objects.filter(package_id=package_id, user_id=user.pk).exists()
