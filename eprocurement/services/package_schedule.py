"""The rules of a package's tender schedule: which stages, in which order, how long.

A schedule is a set of (stage, start, end) rows, one per stage of the post-qualification
tender (``TenderStage``; the appeal, sanggah banding, only and always for construction
works). The rules, with the minimum lengths from ``settings.PROCUREMENT_STAGE_MIN_DURATIONS``
(hours per method and stage; the sources are cited in ``config/settings.py``):

- every stage starts no earlier than the one before it starts (announcement, download and
  explanation run side by side; the download runs until the bid deadline);
- the explanation starts ``PROCUREMENT_EXPLANATION_MIN_DELAY`` after the announcement
  starts and its questions close no later than the bid deadline;
- the opening starts no earlier than the bid submission ends, and from the opening on
  each stage starts no earlier than the one before it ends;
- every stage lasts at least its minimum.

This module only reads and computes; the services in ``packages.py`` lock, write and audit.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.services import DomainError

from ..choices import STAGE_ORDER, WORKS_ONLY_STAGES, ProcurementKind, TenderStage

HOUR = datetime.timedelta(hours=1)
Rows = dict[str, tuple[datetime.datetime, datetime.datetime]]
PARALLEL_STAGES = (TenderStage.ANNOUNCEMENT, TenderStage.DOCUMENT_DOWNLOAD, TenderStage.EXPLANATION)


def stages_for(kind: str) -> list[str]:
    """The stages a package of ``kind`` runs, in order."""
    return [s for s in STAGE_ORDER if kind == ProcurementKind.WORKS or s not in WORKS_ONLY_STAGES]


def min_duration(method: str, stage: str) -> datetime.timedelta:
    hours = settings.PROCUREMENT_STAGE_MIN_DURATIONS.get(method, settings.PROCUREMENT_STAGE_MIN_DURATIONS["tender"])
    return datetime.timedelta(hours=hours.get(stage, 0))


def explanation_delay(method: str) -> datetime.timedelta:
    return datetime.timedelta(hours=settings.PROCUREMENT_EXPLANATION_MIN_DELAY.get(method, 0))


def describe(duration: datetime.timedelta) -> str:
    """“7 days”, “1 day and 12 hours”, “2 hours”: how long, in words."""
    days, hours = duration.days, duration.seconds // 3600
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours or not days:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    return str(_(" and ")).join(parts)


def label(stage: str) -> str:
    return str(TenderStage(stage).label)


def check_schedule(*, kind: str, method: str, rows: Rows) -> Rows:
    """The schedule in stage order if it keeps every rule; DomainError naming the stages otherwise."""
    wanted = stages_for(kind)
    errors: dict[str, list[str]] = {}

    def problem(stage, message):
        errors.setdefault(stage, []).append(str(message))

    for stage in rows:
        if stage not in STAGE_ORDER:
            problem("schedule", _("“%(stage)s” is not a tender stage.") % {"stage": stage})
        elif stage not in wanted:
            problem(stage, _("The appeal (sanggah banding) is for construction works only; remove it."))
    for stage in wanted:
        window = rows.get(stage)
        if not window or not all(isinstance(t, datetime.datetime) for t in window):
            problem(stage, _("Give the start and end of “%(stage)s”.") % {"stage": label(stage)})
        elif timezone.is_naive(window[0]) or timezone.is_naive(window[1]):
            problem(stage, _("Give the times of “%(stage)s” with their time zone.") % {"stage": label(stage)})
        elif window[1] <= window[0]:
            problem(stage, _("“%(stage)s” must end after it starts.") % {"stage": label(stage)})
    if errors:
        raise DomainError(errors)
    ordered = {stage: rows[stage] for stage in wanted}
    for message_stage, message in _order_problems(ordered) + _length_problems(method, ordered):
        problem(message_stage, message)
    if errors:
        raise DomainError(errors)
    return ordered


def _order_problems(rows: Rows) -> list[tuple[str, str]]:
    problems = []
    stages = list(rows)
    after_opening = False
    for previous, stage in zip(stages, stages[1:], strict=False):
        after_opening = after_opening or stage == TenderStage.OPENING
        facts = {"stage": label(stage), "previous": label(previous)}
        if rows[stage][0] < rows[previous][0]:
            problems.append((stage, _("“%(stage)s” cannot start before “%(previous)s” starts.") % facts))
        elif after_opening and rows[stage][0] < rows[previous][1]:
            problems.append((stage, _("“%(stage)s” cannot start before “%(previous)s” ends.") % facts))
    deadline = rows[TenderStage.BID_SUBMISSION][1]
    if rows[TenderStage.EXPLANATION][1] > deadline:
        problems.append(
            (TenderStage.EXPLANATION, _("The explanation (questions) must close no later than the bid deadline."))
        )
    if rows[TenderStage.DOCUMENT_DOWNLOAD][1] > deadline:
        problems.append(
            (TenderStage.DOCUMENT_DOWNLOAD, _("The download of the selection documents ends at the bid deadline."))
        )
    return problems


def _length_problems(method: str, rows: Rows) -> list[tuple[str, str]]:
    problems = []
    for stage, (start, end) in rows.items():
        minimum = min_duration(method, stage)
        if end - start < minimum:
            facts = {"stage": label(stage), "duration": describe(minimum)}
            problems.append((stage, _("“%(stage)s” must last at least %(duration)s.") % facts))
    delay = explanation_delay(method)
    if rows[TenderStage.EXPLANATION][0] < rows[TenderStage.ANNOUNCEMENT][0] + delay:
        problems.append(
            (
                TenderStage.EXPLANATION,
                _("The explanation may start %(duration)s after the announcement starts, not earlier.")
                % {"duration": describe(delay)},
            )
        )
    return problems


def default_schedule(start: datetime.datetime, kind: str, method: str) -> Rows:
    """A schedule starting at ``start`` that keeps every rule, each stage at its minimum
    (the bid deadline late enough that the questions close the addendum margin before it)."""

    def length(stage):
        return max(min_duration(method, stage), HOUR)

    announcement_end = start + length(TenderStage.ANNOUNCEMENT)
    explanation_start = start + explanation_delay(method)
    explanation_end = explanation_start + length(TenderStage.EXPLANATION)
    deadline = max(
        announcement_end,
        start + length(TenderStage.DOCUMENT_DOWNLOAD),
        explanation_end + datetime.timedelta(days=settings.PROCUREMENT_ADDENDUM_MIN_DAYS),
        explanation_start + length(TenderStage.BID_SUBMISSION),
    )
    rows: Rows = {
        TenderStage.ANNOUNCEMENT: (start, announcement_end),
        TenderStage.DOCUMENT_DOWNLOAD: (start, deadline),
        TenderStage.EXPLANATION: (explanation_start, explanation_end),
        TenderStage.BID_SUBMISSION: (explanation_start, deadline),
    }
    cursor = deadline
    for stage in stages_for(kind)[len(rows) :]:
        rows[stage] = (cursor, cursor + length(stage))
        cursor = rows[stage][1]
    return rows


def extended_rows(rows: Rows, stage: str, new_end: datetime.datetime) -> Rows:
    """The rows after moving ``stage``'s end to ``new_end`` (later): the stages after it in
    order move by the same time (one still running beside it only has its end moved), and
    a stage that ended together with it (the download with the bid deadline) still does."""
    old_end = rows[stage][1]
    delta = new_end - old_end
    order = [s for s in STAGE_ORDER if s in rows]
    index = order.index(stage)
    moved = dict(rows)
    for position, name in enumerate(order):
        start, end = rows[name]
        if name == stage:
            moved[name] = (start, new_end)
        elif position > index and start >= old_end:
            moved[name] = (start + delta, end + delta)
        elif end == old_end or (position > index and end > old_end):
            moved[name] = (start, end + delta)
    return moved
