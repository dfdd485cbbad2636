"""The content of the monthly monev report: one row per contract and per plan item of an
agency (or of every agency of a region) for a month, read in a constant number of
queries (two: contracts, plan items; each row's month report, planned point and critical
flag come as subqueries).

A row shows the month's report when it counts (submitted or accepted): planned and
actual physical %, the deviation with its label, the financial figures the report keeps
(realized up to the month's end against the plan), problems and follow-up, and whether
it was submitted late. A subject without such a report shows the month's plan from its
curve and is "missing"; it is late once the due day has passed. The critical flag is the
contract's current critical status.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from eprocurement.choices import ContractStatus
from eprocurement.models import Contract

from .choices import DeviationLevel, ReportStatus
from .models import CriticalStatus, PlannedPoint, ProgressReport
from .rules import deviation_level, due_date, month_end

REPORT_FIELDS = (
    "pk",
    "status",
    "physical_pct",
    "planned_physical_pct",
    "financial_realized",
    "planned_financial",
    "financial_total",
    "problems",
    "follow_up",
    "is_late",
)
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
ZERO = Decimal("0.00")


@dataclass
class ReportRow:
    agency: object
    kind: str  # "contract" or "plan_item"
    pk: int
    code: str
    label: str
    report_id: int | None
    report_status: str
    planned_pct: Decimal | None
    actual_pct: Decimal | None
    deviation: Decimal | None
    level: str
    realized: Decimal | None
    planned_financial: Decimal | None
    total: Decimal | None
    critical: bool
    problems: str
    follow_up: str
    late: bool
    missing: bool

    @property
    def level_label(self) -> str:
        return str(DeviationLevel(self.level).label) if self.level else ""


@dataclass
class MonthlyContent:
    region: object
    agency: object | None
    year: int
    month: int
    due_on: datetime.date
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        rows = self.rows
        return {
            "subjects": len(rows),
            "reported": sum(1 for r in rows if not r.missing),
            "missing": sum(1 for r in rows if r.missing),
            "late": sum(1 for r in rows if r.late),
            "critical": sum(1 for r in rows if r.critical),
            "far_behind": sum(1 for r in rows if r.level == DeviationLevel.FAR_BEHIND),
        }


def _month_report(subject_field: str, year: int, month: int):
    return ProgressReport.objects.filter(**{subject_field: OuterRef("pk")}, year=year, month=month, status__in=COUNTED)


def _annotate(rows, subject_field: str, curve_field: str, year: int, month: int):
    report = _month_report(subject_field, year, month)
    point = (
        PlannedPoint.objects.filter(**{curve_field: OuterRef("pk")})
        .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
        .order_by("-year", "-month")
    )
    return rows.annotate(
        **{f"r_{name}": Subquery(report.values(name)[:1]) for name in REPORT_FIELDS},
        plan_pct=Subquery(point.values("physical_pct")[:1]),
        plan_fin=Subquery(point.values("financial")[:1]),
        has_curve=Exists(PlannedPoint.objects.filter(**{curve_field: OuterRef("pk")})),
    )


def monthly_content(*, region, agency=None, year: int, month: int, today: datetime.date | None = None):
    """The report of ``agency`` (or of every agency of ``region`` when none) for (year, month)."""
    today = today or timezone.localdate()
    due = due_date(year, month)
    first_day, last_day = datetime.date(year, month, 1), month_end(year, month)
    agency_filter = {"agency_id": agency.pk} if agency is not None else {"agency__region_id": region.pk}
    contracts = _annotate(
        Contract.objects.filter(
            Q(status=ContractStatus.SIGNED) | Q(status=ContractStatus.COMPLETED, ends_on__gte=first_day),
            starts_on__lte=last_day,
            **{f"package__{k}": v for k, v in agency_filter.items()},
        )
        .select_related("package__agency", "vendor")
        .annotate(critical=Exists(CriticalStatus.objects.filter(contract_id=OuterRef("pk"), is_critical=True))),
        "contract_id",
        "curve__contract_id",
        year,
        month,
    ).order_by("package__agency__name", "number")
    plan_items = _annotate(
        PlanItem.objects.filter(status=PlanStatus.APPROVED, fiscal_year__year=year, **agency_filter).select_related(
            "agency", "sub_activity"
        ),
        "plan_item_id",
        "curve__plan_item_id",
        year,
        month,
    ).order_by("agency__name", "sub_activity__code", "id")
    rows = [
        _row(c, "contract", c.package.agency, c.number, f"{c.package.name} — {c.vendor.name}", today, due)
        for c in contracts
    ]
    rows += [
        _row(p, "plan_item", p.agency, p.sub_activity.code, p.title or p.sub_activity.name, today, due)
        for p in plan_items
    ]
    rows.sort(key=lambda r: (r.agency.name, r.kind != "contract", r.code, r.pk))
    return MonthlyContent(region=region, agency=agency, year=year, month=month, due_on=due, rows=rows)


def _row(obj, kind, agency, code, label, today, due) -> ReportRow:
    reported = obj.r_pk is not None
    # The plan the report kept when it has one, else the curve's point for the month.
    # Before a curve's first month nothing is planned (0 %), as selectors.curves.planned_at reads it.
    plan_pct, plan_fin = (obj.plan_pct, obj.plan_fin) if obj.plan_pct is not None or not obj.has_curve else (ZERO, ZERO)
    planned = obj.r_planned_physical_pct if obj.r_planned_physical_pct is not None else plan_pct
    actual = obj.r_physical_pct if reported else None
    deviation = actual - planned if actual is not None and planned is not None else None
    return ReportRow(
        agency=agency,
        kind=kind,
        pk=obj.pk,
        code=code,
        label=label,
        report_id=obj.r_pk,
        report_status=obj.r_status or "",
        planned_pct=planned,
        actual_pct=actual,
        deviation=deviation,
        level=deviation_level(deviation) if reported else "",
        realized=obj.r_financial_realized if reported else None,
        planned_financial=obj.r_planned_financial if obj.r_planned_financial is not None else plan_fin,
        total=obj.r_financial_total if reported else None,
        critical=bool(getattr(obj, "critical", False)),
        problems=obj.r_problems or "",
        follow_up=obj.r_follow_up or "",
        late=bool(obj.r_is_late) if reported else today > due,
        missing=not reported,
    )


# --- Rendering: the printable HTML (PDF through WeasyPrint) and the workbook -------------------


def monthly_filename(content: MonthlyContent, extension: str) -> str:
    scope = content.agency.code if content.agency is not None else "wilayah"
    return f"monev-{content.region.code}-{scope}-{content.year}-{content.month:02d}.{extension}"


def monthly_html(content: MonthlyContent) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "emonev/report_pdf.html",
        {"content": content, "rows": content.rows, "summary": content.summary, "printed": timezone.localtime()},
    )


def monthly_workbook(content: MonthlyContent) -> bytes:
    from io import BytesIO

    from django.utils.translation import gettext as _
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{content.year}-{content.month:02d}"
    scope = content.agency.name if content.agency is not None else content.region.name
    sheet.append([_("Monthly monitoring report"), scope, f"{content.month:02d}/{content.year}"])
    sheet.append([_("Due"), content.due_on.isoformat()])
    sheet.append([])
    header = [
        _("Agency"),
        _("Kind"),
        _("Code"),
        _("Name"),
        _("Report status"),
        _("Planned physical (%)"),
        _("Actual physical (%)"),
        _("Deviation (points)"),
        _("Status"),
        _("Financial realized (Rp)"),
        _("Planned financial (Rp)"),
        _("Contract value or budget (Rp)"),
        _("Critical"),
        _("Late"),
        _("Problems (kendala)"),
        _("Follow-up (tindak lanjut)"),
    ]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in content.rows:
        sheet.append(
            [
                row.agency.name,
                _("Contract") if row.kind == "contract" else _("Plan item"),
                row.code,
                row.label,
                str(ReportStatus(row.report_status).label) if row.report_status else _("No report"),
                row.planned_pct,
                row.actual_pct,
                row.deviation,
                row.level_label,
                row.realized,
                row.planned_financial,
                row.total,
                _("Yes") if row.critical else _("No"),
                _("Yes") if row.late else _("No"),
                row.problems,
                row.follow_up,
            ]
        )
    for column in "JKL":
        for cell in sheet[column][4:]:
            cell.number_format = "#,##0.00"
    for column, width in (("A", 32), ("D", 50), ("O", 50), ("P", 50)):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
