"""Reminders and alerts of monitoring, all through the notification outbox (portal.notify).

- Before a month's report is due: from MONEV_REMINDER_DAYS_BEFORE days before the due
  day up to the due day itself, the agency's monev officers are told which of their
  contracts and plan items have no submitted report yet.
- Late: the first day after the due day, the officers and the agency's leaders are told
  which reports are missing. Once, not every day: the lists, the dashboard and the
  critical-contract sweep keep showing what is still missing, and a daily repeat would
  teach people to ignore the notice.
- Deviation: when an accepted report's physical deviation is below the red ("far
  behind") threshold of MONEV_DEVIATION_THRESHOLDS, the agency's leaders (heads of
  agency) are told. Sent when the report is accepted (a post_save receiver, in the
  accepting transaction), and by the daily sweep for any accepted report it missed.

Each reminder claims a ``ReminderSent`` row unique per (kind, subject, month) in the same
transaction as its notifications, so running the sweep twice, or two workers at once,
tells nobody twice. Notifications are grouped: one per agency and kind listing its
subjects.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from eprocurement.choices import ContractStatus
from eprocurement.models import Contract
from portal.choices import Role
from portal.services import notify

from ..choices import ReportStatus
from ..models import ProgressReport, ReminderKind, ReminderSent
from ..rules import due_date, month_end, previous_month
from .common import OFFICER_ROLES, LazyText, members_of

LEADER_ROLES = (Role.LEADER,)
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
MAX_LISTED = 10


def subject_key(report_or_kind, pk=None) -> str:
    if pk is not None:
        return f"{report_or_kind}:{pk}"
    report = report_or_kind
    return f"contract:{report.contract_id}" if report.contract_id else f"plan_item:{report.plan_item_id}"


def missing_reports(year: int, month: int) -> dict[int, list[tuple[str, str]]]:
    """Per agency, (subject key, label) of every contract and plan item monitored in
    (year, month) without a submitted or accepted report of it (two queries)."""
    first_day, last_day = datetime.date(year, month, 1), month_end(year, month)
    reported = ProgressReport.objects.filter(year=year, month=month, status__in=COUNTED)
    contracts = (
        Contract.objects.filter(
            Q(status=ContractStatus.SIGNED) | Q(status=ContractStatus.COMPLETED, ends_on__gte=first_day),
            starts_on__lte=last_day,
        )
        .exclude(pk__in=reported.filter(contract__isnull=False).values("contract_id"))
        .values_list("pk", "number", "package__agency_id")
        .order_by("number")
    )
    plan_items = (
        PlanItem.objects.filter(status=PlanStatus.APPROVED, fiscal_year__year=year)
        .exclude(pk__in=reported.filter(plan_item__isnull=False).values("plan_item_id"))
        .values_list("pk", "sub_activity__code", "agency_id")
        .order_by("sub_activity__code", "pk")
    )
    missing: dict[int, list[tuple[str, str]]] = {}
    for pk, label, agency_id in contracts:
        missing.setdefault(agency_id, []).append((subject_key("contract", pk), label))
    for pk, label, agency_id in plan_items:
        missing.setdefault(agency_id, []).append((subject_key("plan_item", pk), label))
    return missing


def _claim(kind: str, key: str, agency_id: int, year: int, month: int) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=kind, subject_key=key, agency_id=agency_id, year=year, month=month)
    except IntegrityError:
        return False
    return True


def _listing(labels: list[str]) -> str:
    shown = ", ".join(labels[:MAX_LISTED])
    return shown if len(labels) <= MAX_LISTED else f"{shown} (+{len(labels) - MAX_LISTED})"


def _remind(kind: str, year: int, month: int, roles, title) -> int:
    sent = 0
    due = due_date(year, month)
    for agency_id, subjects in missing_reports(year, month).items():
        with transaction.atomic():
            claimed = [label for key, label in subjects if _claim(kind, key, agency_id, year, month)]
            if not claimed:
                continue
            facts = {"count": len(claimed), "month": month, "year": year, "due": due.strftime("%d/%m/%Y")}
            notify(
                recipients=members_of(agency_id, roles),
                kind=f"emonev.{kind}",
                title=LazyText(title, facts),
                body=_listing(claimed),
                url=reverse("emonev:progress_list"),
            )
            sent += len(claimed)
    return sent


def due_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the officers of last month's missing reports while the due day is near."""
    today = today or timezone.localdate()
    year, month = previous_month(today)
    days_left = (due_date(year, month) - today).days
    if not 0 <= days_left <= int(settings.MONEV_REMINDER_DAYS_BEFORE):
        return 0
    title = _("%(count)s progress report(s) of %(month)02d/%(year)s due on %(due)s")
    return _remind(ReminderKind.DUE_SOON, year, month, OFFICER_ROLES, title)


def late_notices(*, today: datetime.date | None = None) -> int:
    """Tell the officers and leaders, once, which of last month's reports are late."""
    today = today or timezone.localdate()
    year, month = previous_month(today)
    if today <= due_date(year, month):
        return 0
    title = _("%(count)s progress report(s) of %(month)02d/%(year)s are late (due %(due)s)")
    return _remind(ReminderKind.LATE, year, month, (*OFFICER_ROLES, *LEADER_ROLES), title)


def is_far_behind(report: ProgressReport) -> bool:
    deviation = report.physical_deviation
    threshold = Decimal(str(settings.MONEV_DEVIATION_THRESHOLDS["far_behind"]))
    return deviation is not None and deviation < threshold


def deviation_alert(*, report: ProgressReport) -> bool:
    """Alert the agency's leaders of an accepted report far behind its plan (once per
    subject and month). Runs in the caller's transaction. True when an alert was sent."""
    if report.status != ReportStatus.ACCEPTED or not is_far_behind(report):
        return False
    if not _claim(ReminderKind.DEVIATION, subject_key(report), report.agency_id, report.year, report.month):
        return False
    from .common import subject_label

    facts = {
        "subject": subject_label(report.subject),
        "month": report.month,
        "year": report.year,
        "actual": report.physical_pct,
        "planned": report.planned_physical_pct,
    }
    notify(
        recipients=members_of(report.agency_id, LEADER_ROLES),
        kind="emonev.deviation",
        title=LazyText(
            _("Far behind plan: %(subject)s, %(month)02d/%(year)s — %(actual)s%% against %(planned)s%% planned"),
            facts,
        ),
        url=reverse("emonev:report_detail", args=[report.pk]),
        subject=report,
    )
    return True


def deviation_sweep(*, today: datetime.date | None = None) -> int:
    """Alerts for accepted reports of the last two months the receiver did not alert."""
    today = today or timezone.localdate()
    months = [previous_month(today)]
    months.append(previous_month(datetime.date(*months[0], 1)))
    month_q = Q()
    for year, month in months:
        month_q |= Q(year=year, month=month)
    alerted = ReminderSent.objects.filter(kind=ReminderKind.DEVIATION).values_list("subject_key", "year", "month")
    done = set(alerted.filter(month_q))
    sent = 0
    reports = ProgressReport.objects.filter(month_q, status=ReportStatus.ACCEPTED, planned_physical_pct__isnull=False)
    for report in reports.select_related("contract__package", "plan_item__sub_activity"):
        if (subject_key(report), report.year, report.month) in done or not is_far_behind(report):
            continue
        with transaction.atomic():
            sent += deviation_alert(report=report)
    return sent


def reminders_sweep(*, today: datetime.date | None = None) -> int:
    """The daily run: due reminders, late notices, missed deviation alerts."""
    today = today or timezone.localdate()
    return due_reminders(today=today) + late_notices(today=today) + deviation_sweep(today=today)
