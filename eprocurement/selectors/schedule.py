"""Reading a package's schedule: its (stage, start, end) rows against the server clock.

Every deadline is decided here, on the server's clock at the moment a request arrives;
nothing waits for a task to flip a flag.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..choices import TenderStage
from ..models import Package, PackageStage


def stage_rows(package: Package) -> dict[str, PackageStage]:
    """Stage → row; uses ``package.stages`` when it was prefetched."""
    return {row.stage: row for row in package.stages.all()}


def stage_window(package: Package, stage: str) -> tuple[datetime.datetime, datetime.datetime] | None:
    row = stage_rows(package).get(stage)
    return (row.starts_at, row.ends_at) if row else None


def bid_deadline(package: Package) -> datetime.datetime | None:
    """The end of the bid submission stage: a submit request must arrive before it."""
    window = stage_window(package, TenderStage.BID_SUBMISSION)
    return window[1] if window else None


def opening_time(package: Package) -> datetime.datetime | None:
    """When bids may be opened: the start of the opening stage (never before the deadline)."""
    window = stage_window(package, TenderStage.OPENING)
    deadline = bid_deadline(package)
    if window is None:
        return None
    return max(window[0], deadline) if deadline else window[0]


def stage_is_open(package: Package, stage: str, now: datetime.datetime | None = None) -> bool:
    """Whether ``now`` (default: the server's clock) lies in [start, end) of ``stage``."""
    window = stage_window(package, stage)
    now = now or timezone.now()
    return bool(window) and window[0] <= now < window[1]


def current_stages(package: Package, now: datetime.datetime | None = None) -> list[str]:
    """The stages running at ``now`` (several may overlap, e.g. download and explanation)."""
    now = now or timezone.now()
    return [row.stage for row in package.stages.all() if row.starts_at <= now < row.ends_at]
