"""Reads that build the E-Monev pages and API answers, each in a constant number of queries."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from eprocurement.models import Contract
from portal.models import AuditEntry
from portal.scoping import get_scoped_or_404

from ..choices import ReportStatus
from ..models import CriticalStatus, Escalation, PlannedPoint, ProgressEvidence, ProgressReport
from ..rules import deviation_level
from ..services.common import (
    CONTRACT_CURVE_ROLES,
    MONITORED_CONTRACT_STATUSES,
    OFFICER_ROLES,
    PLAN_CURVE_ROLES,
    VERIFIER_ROLES,
)

# The latest report that counts (submitted or accepted) of each row, read in the row's query.
LATEST_FIELDS = ("pk", "year", "month", "status", "physical_pct", "planned_physical_pct", "financial_realized")
REPORT_RELATIONS = (
    "agency__region",
    "contract__package",
    "contract__vendor",
    "plan_item__sub_activity",
    "plan_item__fiscal_year",
)


def _with_latest(rows: QuerySet, subject_field: str) -> QuerySet:
    latest = ProgressReport.objects.filter(
        **{subject_field: OuterRef("pk")}, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
    ).order_by("-year", "-month")
    return rows.annotate(**{f"latest_{name}": Subquery(latest.values(name)[:1]) for name in LATEST_FIELDS})


def with_deviation(row):
    """Put the deviation and its colour level on a row annotated by _with_latest."""
    planned = getattr(row, "latest_planned_physical_pct", None)
    actual = getattr(row, "latest_physical_pct", None)
    row.deviation = actual - planned if planned is not None and actual is not None else None
    row.level = deviation_level(row.deviation) if actual is not None else ""
    return row


def contracts_progress(user, *, year: str = "") -> QuerySet:
    """Signed and completed contracts ``user`` may see, each with its latest report and
    whether it is critical."""
    rows = Contract.objects.visible_to(user).filter(status__in=MONITORED_CONTRACT_STATUSES)
    if str(year).isdigit():
        rows = rows.filter(package__fiscal_year__year=int(year))
    rows = rows.select_related("package__agency__region", "vendor").annotate(
        is_critical=Exists(CriticalStatus.objects.filter(contract_id=OuterRef("pk"), is_critical=True))
    )
    return _with_latest(rows, "contract_id").order_by("package__agency__name", "number")


def plan_items_progress(user, *, year: str = "") -> QuerySet:
    """Approved plan items ``user`` may see, each with its latest report."""
    rows = PlanItem.objects.visible_to(user).filter(status=PlanStatus.APPROVED)
    if str(year).isdigit():
        rows = rows.filter(fiscal_year__year=int(year))
    rows = rows.select_related("agency__region", "sub_activity", "fiscal_year")
    return _with_latest(rows, "plan_item_id").order_by("agency__name", "sub_activity__code", "id")


def get_contract_for(user, pk) -> Contract:
    return get_scoped_or_404(Contract.objects.select_related("package__agency__region", "vendor"), user, pk)


def get_plan_item_for(user, pk) -> PlanItem:
    return get_scoped_or_404(PlanItem.objects.select_related("agency__region", "sub_activity", "fiscal_year"), user, pk)


def subject_reports(subject) -> QuerySet:
    field = "contract_id" if isinstance(subject, Contract) else "plan_item_id"
    return ProgressReport.objects.filter(**{field: subject.pk}).order_by("year", "month")


def subject_points(subject) -> QuerySet:
    field = "curve__contract_id" if isinstance(subject, Contract) else "curve__plan_item_id"
    return PlannedPoint.objects.filter(**{field: subject.pk}).order_by("year", "month")


def can_report(user, agency_id: int) -> bool:
    from portal.models import Agency

    return Agency.objects.editable_by(user, OFFICER_ROLES).filter(pk=agency_id).exists()


def can_set_curve(user, subject) -> bool:
    from portal.models import Agency

    roles = CONTRACT_CURVE_ROLES if isinstance(subject, Contract) else PLAN_CURVE_ROLES
    agency_id = subject.package.agency_id if isinstance(subject, Contract) else subject.agency_id
    return Agency.objects.editable_by(user, roles).filter(pk=agency_id).exists()


def get_report_for(user, pk) -> ProgressReport:
    return get_scoped_or_404(ProgressReport.objects.select_related(*REPORT_RELATIONS), user, pk)


def report_evidence(report: ProgressReport) -> QuerySet:
    return ProgressEvidence.objects.filter(report=report).order_by("id")


def get_evidence_for(user, pk) -> ProgressEvidence:
    """An evidence file, if ``user`` may see its report (404 otherwise)."""
    evidence = ProgressEvidence.objects.select_related("report").filter(pk=pk).first() if str(pk).isdigit() else None
    if evidence is None:
        from django.http import Http404

        raise Http404
    get_scoped_or_404(ProgressReport.objects.all(), user, evidence.report_id)
    return evidence


def can_decide(user, report: ProgressReport) -> bool:
    return ProgressReport.objects.editable_by(user, VERIFIER_ROLES).filter(pk=report.pk).exists()


def report_history(report: ProgressReport) -> QuerySet:
    return (
        AuditEntry.objects.filter(object_type="emonev.progressreport", object_id=str(report.pk))
        .order_by("seq")
        .only("created", "actor_label", "action", "old_status", "new_status", "reason")
    )


def verifier_queue(user) -> QuerySet:
    """Submitted reports a verifier may decide on, oldest first."""
    return (
        ProgressReport.objects.editable_by(user, VERIFIER_ROLES)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related(*REPORT_RELATIONS)
        .order_by("submitted_at", "id")
    )


def visible_reports(user, *, status: str = "") -> QuerySet:
    reports = ProgressReport.objects.visible_to(user).select_related(*REPORT_RELATIONS)
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    return reports.order_by("-year", "-month", "-id")


def critical_contracts(user, *, include_resolved: bool = False) -> QuerySet:
    """Critical contracts ``user`` may see, with their escalation steps (two queries)."""
    rows = CriticalStatus.objects.visible_to(user)
    if not include_resolved:
        rows = rows.filter(is_critical=True)
    return (
        rows.select_related("contract__package__agency__region", "contract__vendor")
        .prefetch_related(Prefetch("escalations", queryset=Escalation.objects.order_by("recorded_at", "id")))
        .order_by("-is_critical", "-since", "id")
    )


def get_critical_for(user, pk) -> CriticalStatus:
    return get_scoped_or_404(critical_contracts(user, include_resolved=True), user, pk)


def monev_work(user) -> list:
    """The home page's lines: reports waiting for a verifier, reports returned to the
    agency's monev officer (one query per role held, none otherwise)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from portal.navigation import WorkItem
    from portal.roles import has_role

    items = []
    if has_role(user, *VERIFIER_ROLES):
        count = verifier_queue(user).count()
        if count:
            items.append(
                WorkItem(label=_("Progress reports to verify"), count=count, url=reverse("emonev:verifier_queue"))
            )
    if has_role(user, *OFFICER_ROLES):
        count = ProgressReport.objects.editable_by(user, OFFICER_ROLES).filter(status=ReportStatus.RETURNED).count()
        if count:
            items.append(
                WorkItem(
                    label=_("Progress reports returned for correction"),
                    count=count,
                    url=reverse("emonev:progress_list"),
                )
            )
    return items
