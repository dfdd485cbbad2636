"""Critical contracts (kontrak kritis): detection, the sweep for missing reports, and the
escalation steps the PPK records.

A contract's status is evaluated with rules.is_critical when a report of it is accepted,
and by the daily sweep (tasks.detect_critical_contracts) for signed contracts whose last
month's report has not been accepted by its due day: the sweep judges the month's plan
against the latest accepted progress (0 % when none was ever accepted). The people
responsible — the package's PPK, the agency's monev officers and leaders who are members
of the agency (the head of agency) — are told once per change of status, not on every
evaluation. While a contract is critical its PPK records the steps in order: SCM 1, SP1,
SCM 2, SP2, SCM 3, SP3; a new critical episode starts the steps again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eprocurement.choices import ContractStatus
from eprocurement.models import Contract
from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import User
from portal.services import DomainError, notify

from ..choices import ESCALATION_ORDER, CriticalBasis, EscalationStep, ReportStatus
from ..models import CriticalStatus, Escalation, ProgressReport
from ..rules import due_date, is_critical, month_end, previous_month
from ..selectors.curves import planned_at
from .common import LazyText, members_of, require_role_in_agency

RESPONSIBLE_ROLES = (Role.MONEV_OFFICER, Role.LEADER)


def critical_evaluate(
    *, contract: Contract, year: int, month: int, planned: Decimal, actual: Decimal, basis: str, actor: User | None
) -> CriticalStatus:
    """Record the contract's status for (year, month); tell the responsible people when it changes."""
    if basis not in CriticalBasis.values:
        raise ValueError(f"unknown basis {basis!r}")
    critical = is_critical(planned, actual)
    now = timezone.now()
    with transaction.atomic():
        contract = Contract.objects.select_for_update(of=("self",)).select_related("package").get(pk=contract.pk)
        status = CriticalStatus.objects.filter(contract=contract).first()
        was_critical = status.is_critical if status is not None else False
        if status is None:
            status = CriticalStatus(contract=contract, agency_id=contract.package.agency_id)
        if critical and not was_critical:
            status.since = now
        status.is_critical = critical
        status.year, status.month, status.planned_pct, status.actual_pct = year, month, planned, actual
        status.basis, status.evaluated_at = basis, now
        status.save()
        if critical != was_critical:
            audit_record(
                actor=actor or "emonev",
                action=AuditAction.TRANSITION,
                obj=status,
                old_status="critical" if was_critical else "not_critical",
                new_status="critical" if critical else "not_critical",
                reason=basis,
                changes={"year": year, "month": month, "planned": str(planned), "actual": str(actual)},
            )
            _notify(contract, status, critical)
    return status


def _notify(contract: Contract, status: CriticalStatus, critical: bool) -> None:
    recipients = members_of(contract.package.agency_id, RESPONSIBLE_ROLES)
    if contract.package.ppk is not None:
        recipients.append(contract.package.ppk)
    title = (
        _("Critical contract %(number)s: %(actual)s%% against %(planned)s%% planned")
        if critical
        else _("Contract %(number)s is no longer critical: %(actual)s%% against %(planned)s%% planned")
    )
    facts = {"number": contract.number, "actual": status.actual_pct, "planned": status.planned_pct}
    notify(
        recipients=recipients,
        kind="emonev.critical",
        title=LazyText(title, facts),
        url=reverse("emonev:critical_detail", args=[status.pk]),
        subject=contract,
    )


def critical_sweep(*, today: datetime.date | None = None) -> int:
    """Evaluate every signed contract whose last month's report is not accepted by its
    due day; safe to run any number of times (only changes of status notify). Returns the
    number of contracts evaluated."""
    today = today or timezone.localdate()
    year, month = previous_month(today)
    if today <= due_date(year, month):
        return 0
    accepted = ProgressReport.objects.filter(contract__isnull=False, status=ReportStatus.ACCEPTED)
    up_to_month = accepted.filter(contract_id=OuterRef("pk")).exclude(year__gt=year).exclude(year=year, month__gt=month)
    contracts = (
        Contract.objects.filter(status=ContractStatus.SIGNED, starts_on__lte=month_end(year, month))
        .exclude(pk__in=accepted.filter(year=year, month=month).values("contract_id"))
        .select_related("package")
        .annotate(last_accepted=Subquery(up_to_month.order_by("-year", "-month").values("physical_pct")[:1]))
    )
    evaluated = 0
    for contract in contracts.iterator():
        plan = planned_at(contract, year, month)
        if plan is None:
            continue
        actual = contract.last_accepted if contract.last_accepted is not None else Decimal("0.00")
        critical_evaluate(
            contract=contract,
            year=year,
            month=month,
            planned=plan[0],
            actual=actual,
            basis=CriticalBasis.MISSING_REPORT,
            actor=None,
        )
        evaluated += 1
    return evaluated


def escalation_record(
    *, status: CriticalStatus, step: str, held_on: datetime.date, reference: str, note: str = "", actor: User
) -> Escalation:
    """Record the next escalation step of a critical contract (its agency's PPK)."""
    require_role_in_agency(
        actor, status.agency_id, (Role.PPK,), _("Only the agency's PPK records the handling of a critical contract.")
    )
    reference, note = (reference or "").strip(), (note or "").strip()
    if step not in EscalationStep.values:
        raise DomainError({"step": _("Choose a step.")})
    if not reference:
        raise DomainError({"reference": _("Give the number of the minutes or the letter.")})
    if not isinstance(held_on, datetime.date) or held_on > timezone.localdate():
        raise DomainError({"held_on": _("Give the date it took place (not in the future).")})
    with transaction.atomic():
        status = CriticalStatus.objects.select_for_update().get(pk=status.pk)
        if not status.is_critical:
            raise DomainError(_("The contract is not critical: there is nothing to escalate."))
        if held_on < timezone.localtime(status.since).date():
            raise DomainError({"held_on": _("The step cannot be before the contract became critical.")})
        done = status.escalations.filter(recorded_at__gte=status.since).count()
        if done >= len(ESCALATION_ORDER):
            raise DomainError({"step": _("All escalation steps have been recorded.")})
        expected = ESCALATION_ORDER[done]
        if step != expected:
            raise DomainError({"step": _("The next step is: %(step)s.") % {"step": EscalationStep(expected).label}})
        escalation = Escalation.objects.create(
            status=status, step=step, held_on=held_on, reference=reference, note=note, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=status,
            new_status=step,
            reason=note,
            changes={"step": step, "held_on": held_on, "reference": reference},
        )
    return escalation


def next_escalation_step(status: CriticalStatus, done: int) -> str | None:
    return ESCALATION_ORDER[done] if status.is_critical and done < len(ESCALATION_ORDER) else None
