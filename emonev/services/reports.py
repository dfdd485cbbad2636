"""Monthly progress reports: draft → submitted → accepted, or returned for correction.

The agency's monev officer drafts a month's report of a contract or a plan item (physical
progress, problems, follow-up, evidence) and submits it once the month has ended; it is
due on MONEV_REPORT_DUE_DAY of the following month, and a later submission is taken but
marked late. On submission the financial progress is read from the realizations recorded
up to the month's end (emonev.financial) and the month's plan from the curve; both are
kept with the report. Bappeda's monev verifier (whose membership reaches the region)
accepts it, which locks it and evaluates a contract's critical status, or returns it with
comments.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eprocurement.models import Contract
from eprocurement.signals import send_package_changed
from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import User
from portal.services import DomainError, notify

from ..choices import EDITABLE, CriticalBasis, ReportStatus
from ..financial import realized_up_to, subject_total
from ..models import ProgressReport
from ..rules import due_date, month_end
from ..selectors.curves import curve_months, planned_at
from .common import (
    OFFICER_ROLES,
    VERIFIER_ROLES,
    LazyText,
    lock_subject,
    members_of,
    one_subject,
    percent,
    region_members,
    require_monitored,
    require_role_in_agency,
    subject_agency_id,
    subject_fields,
    subject_label,
)
from .critical import critical_evaluate
from .reminders import deviation_alert

TEXT_FIELDS = ("problems", "follow_up")
MAX_TEXT = 5000


def _clean(data: dict) -> dict:
    values = {"physical_pct": percent(data.get("physical_pct", ""), "physical_pct")}
    for name in TEXT_FIELDS:
        values[name] = (data.get(name) or "").strip()
        if len(values[name]) > MAX_TEXT:
            raise DomainError({name: _("Write at most %(count)s characters.") % {"count": MAX_TEXT}})
    return values


def _require_officer(actor: User, agency_id: int) -> None:
    require_role_in_agency(actor, agency_id, OFFICER_ROLES, _("Only the agency's monev officer reports its progress."))


def _require_verifier(actor: User, report: ProgressReport) -> None:
    if not ProgressReport.objects.editable_by(actor, VERIFIER_ROLES).filter(pk=report.pk).exists():
        raise PermissionDenied(_("Only a monev verifier of the region decides on progress reports."))


def _require_month(subject, year: int, month: int) -> None:
    months = curve_months(subject)
    if (year, month) not in months and not (isinstance(subject, Contract) and months and (year, month) > months[-1]):
        raise DomainError({"month": _("This month is outside the period of what is reported on.")})
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise DomainError({"month": _("A month that has not begun cannot be reported.")})


def _locked(report_id: int) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("contract__package", "plan_item__sub_activity", "plan_item__fiscal_year", "agency")
        .get(pk=report_id)
    )


def _require_status(report: ProgressReport, statuses, message) -> None:
    if report.status not in statuses:
        raise DomainError(message % {"status": report.get_status_display()})


def progress_report_create(
    *, contract: Contract | None = None, plan_item=None, year: int, month: int, data: dict, actor: User
) -> ProgressReport:
    """Draft the report of (year, month) for a contract or a plan item."""
    subject = one_subject(contract, plan_item)
    _require_officer(actor, subject_agency_id(subject))
    if not isinstance(year, int) or not isinstance(month, int) or not 1 <= month <= 12:
        raise DomainError({"month": _("Choose a month.")})
    values = _clean(data)
    with transaction.atomic():
        subject = lock_subject(subject)
        require_monitored(subject)
        _require_month(subject, year, month)
        fields = subject_fields(subject)
        key = {"contract": subject} if fields["contract"] else {"plan_item": subject}
        if ProgressReport.objects.filter(year=year, month=month, **key).exists():
            raise DomainError(
                {"month": _("The report of %(month)02d/%(year)s already exists.") % {"month": month, "year": year}}
            )
        report = ProgressReport.objects.create(
            year=year, month=month, due_on=due_date(year, month), created_by=actor, **fields, **values
        )
        audit_record(actor=actor, action=AuditAction.CREATE, obj=report, new_status=report.status, changes=values)
    return report


def progress_report_update(*, report: ProgressReport, data: dict, actor: User) -> ProgressReport:
    """Change a draft or returned report."""
    _require_officer(actor, report.agency_id)
    values = _clean(data)
    with transaction.atomic():
        report = _locked(report.pk)
        _require_status(report, EDITABLE, _("Only a draft or returned report can be changed; this one is: %(status)s."))
        old = {name: str(getattr(report, name)) for name in values}
        for name, value in values.items():
            setattr(report, name, value)
        report.save(update_fields=list(values))
        changes = {name: [old[name], str(value)] for name, value in values.items() if old[name] != str(value)}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=report, changes=changes)
    return report


def _earlier_progress(report: ProgressReport):
    """The latest physical % reported before this month (submitted or accepted)."""
    key = {"contract_id": report.contract_id} if report.contract_id else {"plan_item_id": report.plan_item_id}
    earlier = (
        ProgressReport.objects.filter(**key, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
        .exclude(pk=report.pk)
        .filter(year__lte=report.year)
        .exclude(year=report.year, month__gte=report.month)
        .order_by("-year", "-month")
        .first()
    )
    return earlier


def progress_report_submit(*, report: ProgressReport, actor: User) -> ProgressReport:
    """Send the report to Bappeda's verifiers, with its financial progress and plan read now."""
    _require_officer(actor, report.agency_id)
    with transaction.atomic():
        report = _locked(report.pk)
        _require_status(
            report, EDITABLE, _("Only a draft or returned report can be submitted; this one is: %(status)s.")
        )
        today = timezone.localdate()
        if today <= month_end(report.year, report.month):
            raise DomainError(_("A month's report is submitted after the month has ended."))
        if not report.evidence.exists():
            raise DomainError({"evidence": _("Attach at least one photo or document as evidence.")})
        earlier = _earlier_progress(report)
        if earlier is not None and report.physical_pct < earlier.physical_pct:
            raise DomainError(
                {
                    "physical_pct": _("Progress is cumulative: %(month)02d/%(year)s already reported %(pct)s%%.")
                    % {"month": earlier.month, "year": earlier.year, "pct": earlier.physical_pct}
                }
            )
        _snapshot(report)
        old_status = report.status
        report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, timezone.now(), actor
        report.is_late = today > report.due_on
        report.save(update_fields=[*SNAPSHOT_FIELDS, "status", "submitted_at", "submitted_by", "is_late"])
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=report,
            old_status=old_status,
            new_status=report.status,
            changes={name: str(getattr(report, name)) for name in (*SNAPSHOT_FIELDS, "physical_pct", "is_late")},
        )
        _notify(
            report,
            region_members(report.agency.region_id, VERIFIER_ROLES, exclude=actor),
            _("Progress report to verify: %(subject)s, %(month)02d/%(year)s"),
        )
    return report


SNAPSHOT_FIELDS = ("financial_realized", "financial_total", "planned_physical_pct", "planned_financial")


def _snapshot(report: ProgressReport) -> None:
    subject = report.subject
    report.financial_realized = realized_up_to(subject, month_end(report.year, report.month))
    report.financial_total = subject_total(subject)
    plan = planned_at(subject, report.year, report.month)
    report.planned_physical_pct, report.planned_financial = plan if plan is not None else (None, None)


def progress_report_accept(*, report: ProgressReport, actor: User, comment: str = "") -> ProgressReport:
    """Accept a submitted report; it is locked from now on. A contract's critical status
    is evaluated against the accepted figures."""
    _require_verifier(actor, report)
    with transaction.atomic():
        report = _locked(report.pk)
        _require_status(
            report, {ReportStatus.SUBMITTED}, _("Only a submitted report can be accepted; this one is: %(status)s.")
        )
        _decide(report, ReportStatus.ACCEPTED, actor, (comment or "").strip())
        _notify(
            report,
            members_of(report.agency_id, OFFICER_ROLES, exclude=actor),
            _("Progress report accepted: %(subject)s, %(month)02d/%(year)s"),
        )
        if report.contract_id and report.planned_physical_pct is not None:
            critical_evaluate(
                contract=report.contract,
                year=report.year,
                month=report.month,
                planned=report.planned_physical_pct,
                actual=report.physical_pct,
                basis=CriticalBasis.ACCEPTED_REPORT,
                actor=actor,
            )
        if report.contract_id:
            # The contract's OCDS release gains this month's milestone.
            send_package_changed(report.contract.package_id, "implementation")
        deviation_alert(report=report)  # the agency's leaders, when far behind plan
    return report


def progress_report_return(*, report: ProgressReport, actor: User, comment: str) -> ProgressReport:
    """Return a submitted report to the agency with what must be corrected."""
    _require_verifier(actor, report)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError({"comment": _("Say what must be corrected.")})
    with transaction.atomic():
        report = _locked(report.pk)
        _require_status(
            report, {ReportStatus.SUBMITTED}, _("Only a submitted report can be returned; this one is: %(status)s.")
        )
        _decide(report, ReportStatus.RETURNED, actor, comment)
        _notify(
            report,
            members_of(report.agency_id, OFFICER_ROLES, exclude=actor),
            _("Progress report returned: %(subject)s, %(month)02d/%(year)s"),
            body=comment,
        )
    return report


def _decide(report: ProgressReport, status: str, actor: User, comment: str) -> None:
    old_status = report.status
    report.status, report.verifier_comment = status, comment
    report.decided_at, report.decided_by = timezone.now(), actor
    report.save(update_fields=["status", "verifier_comment", "decided_at", "decided_by"])
    audit_record(
        actor=actor, action=AuditAction.TRANSITION, obj=report, old_status=old_status, new_status=status, reason=comment
    )


def report_url(report: ProgressReport) -> str:
    return reverse("emonev:report_detail", args=[report.pk])


def _notify(report: ProgressReport, recipients, title, body: str = "") -> None:
    facts = {"subject": subject_label(report.subject), "month": report.month, "year": report.year}
    notify(
        recipients=recipients,
        kind="emonev.report",
        title=LazyText(title, facts),
        body=body,
        url=report_url(report),
        subject=report,
    )
