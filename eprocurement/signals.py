"""Signals E-Procurement sends so other parts (OCDS releases, notifications to
subscribers, E-Monev downstream) follow a package without the services knowing them.

``package_changed`` is sent after commit (``transaction.on_commit``) by every service that
changes a package or anything published about it, with ``package_id`` and ``tag`` (an
OCDS release tag such as ``"tender"``, ``"tenderAmendment"``, ``"award"``, ``"contract"``,
``"implementation"``, ``"tenderCancellation"``).
"""

from django.dispatch import Signal

package_changed = Signal()


def send_package_changed(package_id: int, tag: str) -> None:
    """Send ``package_changed`` once the current transaction commits."""
    from django.db import transaction

    transaction.on_commit(lambda: package_changed.send(sender=None, package_id=package_id, tag=tag))
