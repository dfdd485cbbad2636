"""The monitoring dashboards' figures: province → regency/city → agency → program.

Every figure is a grouped SQL aggregate, so a page costs the same number of queries
whatever the number of regions, agencies, programs or contracts:

- budget, committed, realized: the running totals of the DPAs in force
  (``BudgetDocument.total_*``, kept by ebudgeting) per region or agency; per program
  the lines of those DPAs, grouped by their plan item's program;
- physical progress: the latest *accepted* report of each monitored contract, weighted
  by the contract's value — Σ(value × actual %) / Σ(value), and the same for the plan
  the report was judged against; deviation = actual − plan (percentage points). A report
  accepted without a plan (no planned curve then) counts in the actual progress but not
  in the plan or the deviation, which are weighted over the reports that carry a plan.
  A contract without an accepted report yet is in neither sum (it is counted apart as
  "not reported"). Per program a contract weighs by what that program's budget lines
  fund of it (its RUP fundings), since one contract may draw on several programs;
- packages by stage: the packages of the year counted per status;
- critical contracts: contracts whose critical status is on;
- late reports: reports submitted after their due day, or still not submitted
  (draft or returned) once it has passed, and, for the last month whose due day has
  passed, the contracts running that month with no report for it at all.

The scope is a queryset of agencies: those a person may see (``portal.scoping``) for the
staff dashboards, every agency of one region for the public page.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetDocument, BudgetLine, CashPlanMonth, Realization
from ebudgeting.selectors.ledger import MonthFigures
from eplanning.choices import NomenclatureLevel
from eplanning.models import Nomenclature
from eprocurement.choices import PACKAGE_PUBLIC_STATES, ContractStatus, PackageStatus
from eprocurement.models import Contract, ContractPayment, Package, ProcurementFunding
from portal.models import Agency, Region

from .choices import ReportStatus
from .models import CriticalStatus, PlannedPoint, ProgressReport
from .rules import deviation_level, due_date, month_end, previous_month

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=18, decimal_places=2)
# A high precision for weighted sums (value × percent) before dividing.
WEIGHTED = DecimalField(max_digits=30, decimal_places=4)
CENT = Decimal("0.01")
# How long the cash plan of a set of approved DPAs stays cached (it cannot change; this
# only bounds how long an unused entry lives).
CASH_PLAN_CACHE_SECONDS = 6 * 3600
MONITORED = (ContractStatus.SIGNED, ContractStatus.COMPLETED)

# A plan item's program: sub kegiatan → kegiatan → program in the nomenclature.
PROGRAM_OF_PLAN_ITEM = "sub_activity__parent__parent_id"
# From a package to the programs of the budget lines its RUP items draw on.
FUNDINGS_OF_PACKAGE = "plan_item_links__plan_item__fundings"
PROGRAM_OF_FUNDING = "budget_line__plan_item__" + PROGRAM_OF_PLAN_ITEM

# The packages' statuses shown as a few stages a reader understands.
STAGES = (
    ("preparing", _("Being prepared"), (PackageStatus.DRAFT,)),
    (
        "tendering",
        _("In tender"),
        (PackageStatus.ANNOUNCED, PackageStatus.OPENED, PackageStatus.AWARDED, PackageStatus.APPOINTED),
    ),
    ("contracted", _("Under contract"), (PackageStatus.CONTRACTED,)),
    ("completed", _("Completed"), (PackageStatus.COMPLETED,)),
    (
        "stopped",
        _("Failed, cancelled or re-tendered"),
        (PackageStatus.FAILED, PackageStatus.CANCELLED, PackageStatus.RETENDERED),
    ),
)
STAGE_OF_STATUS = {status: key for key, _label, statuses in STAGES for status in statuses}


def _money(path: str, **kwargs):
    return Coalesce(Sum(path, **kwargs), Value(ZERO), output_field=MONEY)


@dataclass
class Row:
    """The figures of one region, agency or program."""

    key: int | None
    code: str
    label: str
    budget: Decimal = ZERO
    committed: Decimal = ZERO
    realized: Decimal = ZERO
    weight: Decimal = ZERO  # Σ value of the contracts with an accepted report
    actual_weighted: Decimal = ZERO
    # The same over the reports that carry the plan they were judged against (all of them
    # once every contract has a planned curve): the plan and the deviation come from these.
    plan_weight: Decimal = ZERO
    plan_actual_weighted: Decimal = ZERO
    planned_weighted: Decimal = ZERO
    reported: int = 0  # contracts with an accepted report
    contracts: int = 0  # monitored (signed or completed) contracts
    packages: dict = field(default_factory=dict)  # status → count
    critical: int = 0
    late: int = 0
    link: str = ""  # the next level down, set by the page

    @property
    def realized_pct(self) -> Decimal | None:
        return (self.realized * 100 / self.budget).quantize(CENT) if self.budget else None

    @property
    def physical(self) -> Decimal | None:
        return (self.actual_weighted / self.weight).quantize(CENT) if self.weight else None

    @property
    def planned(self) -> Decimal | None:
        return (self.planned_weighted / self.plan_weight).quantize(CENT) if self.plan_weight else None

    @property
    def deviation(self) -> Decimal | None:
        """Actual − plan over the contracts with a plan; when every reported contract has
        one, exactly ``physical − planned`` as shown."""
        if not self.plan_weight:
            return None
        if self.plan_weight == self.weight:
            return self.physical - self.planned
        return ((self.plan_actual_weighted - self.planned_weighted) / self.plan_weight).quantize(CENT)

    @property
    def level(self) -> str:
        return deviation_level(self.deviation) if self.weight else ""  # no plan: "no_plan"

    @property
    def not_reported(self) -> int:
        return max(self.contracts - self.reported, 0)

    @property
    def package_count(self) -> int:
        return sum(self.packages.values())

    @property
    def stages(self) -> list[tuple[str, str, int]]:
        counts = dict.fromkeys((key for key, _l, _s in STAGES), 0)
        for status, count in self.packages.items():
            counts[STAGE_OF_STATUS.get(status, "preparing")] += count
        return [(key, label, counts[key]) for key, label, _s in STAGES]

    def add(self, other: Row) -> None:
        money = ("budget", "committed", "realized", "weight", "actual_weighted")
        for name in (*money, "plan_weight", "plan_actual_weighted", "planned_weighted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("reported", "contracts", "critical", "late"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for status, count in other.packages.items():
            self.packages[status] = self.packages.get(status, 0) + count


@dataclass
class Dashboard:
    """One level of the drill-down: its rows (regions, agencies or programs), their total,
    the realization by month and the planned-versus-actual curve of what is shown."""

    level: str  # "region", "agency" or "program": what the rows are
    year: int
    region: Region | None
    agency: Agency | None
    program: Nomenclature | None
    rows: list[Row]
    total: Row
    months: list[MonthFigures]
    curve: list[dict]


# --- Scope ---------------------------------------------------------------------------------


def staff_agencies(user) -> QuerySet:
    """Agencies whose figures ``user`` may see: their own, their region's, and, for a
    province coordinator, every regency's and city's (read-only)."""
    return Agency.objects.visible_to(user)


def public_agencies(region: Region) -> QuerySet:
    return Agency.objects.filter(region=region, is_active=True)


def resolve(agencies: QuerySet, *, region: str = "", agency: str = "", program: str = "") -> tuple:
    """The region (by its Kemendagri code), agency (id) and program (nomenclature code)
    asked for, each within ``agencies``; an unknown or out-of-scope one answers 404."""
    found_region = found_agency = found_program = None
    if region:
        found_region = Region.objects.filter(code=region, pk__in=agencies.values("region_id")).first()
        if found_region is None:
            raise Http404
    if agency:
        if found_region is None or not str(agency).isdigit():
            raise Http404
        found_agency = agencies.filter(pk=int(agency), region=found_region).first()
        if found_agency is None:
            raise Http404
    if program:
        if found_agency is None:
            raise Http404
        found_program = Nomenclature.objects.filter(code=program, level=NomenclatureLevel.PROGRAM).first()
        if found_program is None:
            raise Http404
    return found_region, found_agency, found_program


def fiscal_year(value) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year


# --- The figures -----------------------------------------------------------------------------


def build(
    agencies: QuerySet,
    *,
    region=None,
    agency=None,
    program=None,
    year: int,
    public: bool = False,
    group: str = "",
    charts: bool = True,
) -> Dashboard:
    """The dashboard of ``agencies`` drilled to ``region`` (rows: its agencies) /
    ``agency`` (rows: its programs) / ``program`` (its one row); without a region the rows
    are regions. ``group="program"`` groups by program whatever the drill (the public page
    of a region). ``public`` leaves out what only staff see: draft packages and late
    reports. ``charts=False`` skips the monthly series."""
    if region is not None:
        agencies = agencies.filter(region=region)
    if agency is not None:
        agencies = agencies.filter(pk=agency.pk)
    level = group or ("region" if region is None else ("agency" if agency is None else "program"))
    scope = _Scope(agencies=agencies, year=year, level=level, program=program, public=public)
    figures = scope.figures()
    rows = _label(level, agencies, figures, province=region is not None and region.level == 1)
    total = Row(key=None, code="", label=str(_("Total")))
    # Program rows overlap (a contract funded by two programs is counted in each): their
    # total is taken from the same figures grouped by agency instead, where nothing does.
    by_program = level == "program" and program is None
    parts = (
        _Scope(agencies=agencies, year=year, level="agency", program=None, public=public).figures().values()
        if by_program
        else rows
    )
    for row in parts:
        total.add(row)
    return Dashboard(
        level=level,
        year=year,
        region=region,
        agency=agency,
        program=program,
        rows=rows,
        total=total,
        months=scope.months() if charts else [],
        curve=scope.curve() if charts else [],
    )


@dataclass
class _Scope:
    agencies: QuerySet
    year: int
    level: str
    program: Nomenclature | None
    public: bool

    @property
    def by_program(self) -> bool:
        return self.level == "program"

    def _key(self, path_from_agency: str) -> str:
        return f"{path_from_agency}region_id" if self.level == "region" else f"{path_from_agency}id"

    def figures(self) -> dict:
        rows: dict = {}

        def row(key) -> Row:
            return rows.setdefault(key, Row(key=key, code="", label=""))

        for key, budget, committed, realized in self._budget():
            target = row(key)
            target.budget, target.committed, target.realized = budget, committed, realized
        for key, status, count in self._packages():
            row(key).packages[status] = count
        for key, contracts in self._contracts():
            row(key).contracts = contracts
        for found in self._progress():
            target = row(found["key"])
            target.weight, target.actual_weighted, target.reported = found["w"], found["a"], found["n"]
            target.plan_weight, target.plan_actual_weighted = found["pw"], found["pa"]
            target.planned_weighted = found["p"]
        for key, count in self._critical():
            row(key).critical = count
        if not self.public:
            for key, count in [*self._late(), *self._missing()]:
                row(key).late += count
        return rows

    # Each method below is one grouped query (two for late reports per program; missing
    # reports one for contracts and one for plan items, none when the last due month is in
    # another year).

    def _budget(self):
        if self.by_program:
            lines = BudgetLine.objects.filter(
                document__status=DocumentStatus.APPROVED,
                document__fiscal_year__year=self.year,
                document__agency__in=self.agencies,
            )
            key = "plan_item__" + PROGRAM_OF_PLAN_ITEM
            rows = (
                lines.order_by().values(key).annotate(b=_money("amount"), c=_money("committed"), r=_money("realized"))
            )
        else:
            documents = BudgetDocument.objects.filter(
                status=DocumentStatus.APPROVED, fiscal_year__year=self.year, agency__in=self.agencies
            )
            key = self._key("agency__")
            rows = (
                documents.order_by()
                .values(key)
                .annotate(b=_money("total_amount"), c=_money("total_committed"), r=_money("total_realized"))
            )
        return [(r[key], r["b"], r["c"], r["r"]) for r in self._apply_program(rows, key)]

    def _apply_program(self, rows, key):
        return rows.filter(**{key: self.program.pk}) if self.program is not None else rows

    def _packages(self):
        packages = Package.objects.filter(fiscal_year__year=self.year, agency__in=self.agencies)
        if self.public:
            packages = packages.filter(status__in=PACKAGE_PUBLIC_STATES)
        if self.by_program:
            return self._packages_by_program(packages)
        else:
            key = self._key("agency__")
            rows = packages.order_by().values(key, "status").annotate(n=Count("id"))
        return [(r[key], r["status"], r["n"]) for r in self._apply_program(rows, key)]

    def _packages_by_program(self, packages: QuerySet) -> list:
        """Packages per program of the lines their RUP items draw on, counted from the
        fundings (a few thousand rows; from the packages PostgreSQL scanned every budget
        line of the province), plus those with no RUP item yet, under no program."""
        key = "plan_item__package_links__package_id"
        linked = (
            ProcurementFunding.objects.filter(**{f"{key}__in": packages.values("pk")})
            .order_by()
            .values(PROGRAM_OF_FUNDING, "plan_item__package_links__package__status")
            .annotate(n=Count(key, distinct=True))
        )
        found = [
            (r[PROGRAM_OF_FUNDING], r["plan_item__package_links__package__status"], r["n"])
            for r in self._apply_program(linked, PROGRAM_OF_FUNDING)
        ]
        if self.program is None:
            unlinked = packages.filter(plan_item_links__isnull=True).order_by().values("status").annotate(n=Count("id"))
            found += [(None, r["status"], r["n"]) for r in unlinked]
        return found

    def _contract_filter(self, prefix: str = "") -> dict:
        return {
            f"{prefix}status__in": MONITORED,
            f"{prefix}package__fiscal_year__year": self.year,
            f"{prefix}package__agency__in": self.agencies,
        }

    def _contract_key(self, prefix: str = "") -> str:
        if self.by_program:
            return f"{prefix}package__{FUNDINGS_OF_PACKAGE}__{PROGRAM_OF_FUNDING}"
        return self._key(f"{prefix}package__agency__")

    def _contracts(self):
        key = self._contract_key()
        rows = Contract.objects.filter(**self._contract_filter()).order_by().values(key)
        rows = rows.annotate(n=Count("id", distinct=True))
        return [(r[key], r["n"]) for r in self._apply_program(rows, key)]

    def _latest_accepted(self) -> QuerySet:
        later = ProgressReport.objects.filter(contract_id=OuterRef("contract_id"), status=ReportStatus.ACCEPTED).filter(
            Q(year__gt=OuterRef("year")) | Q(year=OuterRef("year"), month__gt=OuterRef("month"))
        )
        return ProgressReport.objects.filter(
            status=ReportStatus.ACCEPTED, **self._contract_filter("contract__")
        ).filter(~Exists(later))

    def _progress(self):
        key = self._contract_key("contract__")
        weight = f"contract__package__{FUNDINGS_OF_PACKAGE}__amount" if self.by_program else "contract__value"
        with_plan = Q(planned_physical_pct__isnull=False)

        def weighted(value, **extra):
            return Coalesce(Sum(F(weight) * value, output_field=WEIGHTED, **extra), Value(ZERO), output_field=WEIGHTED)

        rows = (
            self._latest_accepted()
            .order_by()
            .values(key)
            .annotate(
                w=_money(weight),
                a=weighted(F("physical_pct")),
                pw=_money(weight, filter=with_plan),
                pa=weighted(F("physical_pct"), filter=with_plan),
                p=weighted(F("planned_physical_pct"), filter=with_plan),
                n=Count("contract_id", distinct=True),
            )
        )
        return [{**r, "key": r[key]} for r in self._apply_program(rows, key)]

    def _critical(self):
        key = self._contract_key("contract__")
        rows = (
            CriticalStatus.objects.filter(is_critical=True, **self._contract_filter("contract__"))
            .order_by()
            .values(key)
            .annotate(n=Count("id", distinct=True))
        )
        return [(r[key], r["n"]) for r in self._apply_program(rows, key)]

    def late_q(self) -> Q:
        today = timezone.localdate()
        unsubmitted = Q(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED], due_on__lt=today)
        return Q(is_late=True) | unsubmitted

    def _late(self):
        reports = ProgressReport.objects.filter(self.late_q(), year=self.year, agency__in=self.agencies)
        if not self.by_program:
            key = self._key("agency__")
            return [(r[key], r["n"]) for r in reports.order_by().values(key).annotate(n=Count("id"))]
        found = []
        for key in (self._contract_key("contract__"), "plan_item__" + PROGRAM_OF_PLAN_ITEM):
            rows = reports.order_by().values(key).annotate(n=Count("id", distinct=True))
            found += [(r[key], r["n"]) for r in self._apply_program(rows, key) if r[key] is not None]
        return found

    def _missing(self):
        """Contracts running in the last month whose report is already due, with no report
        of that month at all (a draft is counted by :meth:`_late`)."""
        year, month = last_due_month(timezone.localdate())
        if year != self.year:
            return []
        key = self._contract_key()
        any_report = ProgressReport.objects.filter(contract_id=OuterRef("pk"), year=year, month=month)
        rows = (
            Contract.objects.filter(
                **self._contract_filter(),
                starts_on__lte=month_end(year, month),
                ends_on__gte=datetime.date(year, month, 1),
            )
            .filter(~Exists(any_report))
            .order_by()
            .values(key)
            .annotate(n=Count("id", distinct=True))
        )
        return [(r[key], r["n"]) for r in self._apply_program(rows, key)] + self._missing_plan_items(year, month)

    def _missing_plan_items(self, year: int, month: int) -> list:
        """Plan items monitored that month (their planned curve has the month) with no
        report of it at all."""
        key = f"curve__plan_item__{PROGRAM_OF_PLAN_ITEM}" if self.by_program else self._key("curve__agency__")
        any_report = ProgressReport.objects.filter(plan_item_id=OuterRef("curve__plan_item_id"), year=year, month=month)
        rows = (
            PlannedPoint.objects.filter(
                year=year, month=month, curve__plan_item__isnull=False, curve__agency__in=self.agencies
            )
            .filter(~Exists(any_report))
            .order_by()
            .values(key)
            .annotate(n=Count("curve__plan_item_id", distinct=True))
        )
        return [(r[key], r["n"]) for r in self._apply_program(rows, key)]

    # --- Charts' series ------------------------------------------------------------------------

    def _line_filter(self, prefix: str) -> dict:
        where = {
            f"{prefix}document__status": DocumentStatus.APPROVED,
            f"{prefix}document__fiscal_year__year": self.year,
            f"{prefix}document__agency__in": self.agencies,
        }
        if self.program is not None:
            where[f"{prefix}plan_item__{PROGRAM_OF_PLAN_ITEM}"] = self.program.pk
        return where

    def months(self) -> list[MonthFigures]:
        """The cash plan and the SP2D payments of the DPAs in force, month by month (two
        or three grouped queries), as ebudgeting's chart draws them."""
        planned = self._cash_plan()
        realized = dict(
            Realization.objects.filter(**self._line_filter("line__"), date__year=self.year)
            .annotate(month=ExtractMonth("date"))
            .order_by()
            .values("month")
            .annotate(total=Sum("amount"))
            .values_list("month", "total")
        )
        rows, plan_run, real_run = [], ZERO, ZERO
        for month in range(1, 13):
            plan, real = planned.get(month) or ZERO, realized.get(month) or ZERO
            plan_run, real_run = plan_run + plan, real_run + real
            rows.append(MonthFigures(month, plan, real, plan_run, real_run))
        return rows

    def _cash_plan(self) -> dict[int, Decimal]:
        """The cash plan of the DPAs in force, summed by month.

        Summing every line's twelve months is slow at province scale (3.3 million rows in
        the benchmark: seconds per page), and it never changes for a given set of
        approved DPAs: an approved document's cash plan is frozen (only an editable one is
        written; a revision is a new document). So the sums are cached under the ids of
        the approved documents in scope — one small query — and a new approval or revision,
        which changes that set, reads them afresh."""
        documents = list(
            BudgetDocument.objects.filter(
                status=DocumentStatus.APPROVED, fiscal_year__year=self.year, agency__in=self.agencies
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not documents:
            return {}
        program = self.program.pk if self.program is not None else ""
        digest = hashlib.sha256(f"{self.year}:{program}:{documents}".encode()).hexdigest()
        key = f"emonev:cash-plan:{digest}"
        planned = cache.get(key)
        if planned is None:
            lines = {"line__document_id__in": documents}
            if self.program is not None:
                lines[f"line__plan_item__{PROGRAM_OF_PLAN_ITEM}"] = self.program.pk
            planned = dict(
                CashPlanMonth.objects.filter(**lines)
                .order_by()
                .values("month")
                .annotate(total=Sum("amount"))
                .values_list("month", "total")
            )
            cache.set(key, planned, CASH_PLAN_CACHE_SECONDS)
        return planned

    def curve(self) -> list[dict]:
        """Planned and actual physical progress of the year's months, each weighted by
        contract value over the contracts planned (or reported and accepted) in that month:
        Σ(value × %) / Σ value. Two grouped queries."""
        planned = {
            r["month"]: r
            for r in PlannedPoint.objects.filter(year=self.year, **self._contract_filter("curve__contract__"))
            .filter(self._program_q("curve__contract__"))
            .order_by()
            .values("month")
            .annotate(w=_money("curve__total"), s=Sum(F("curve__total") * F("physical_pct"), output_field=WEIGHTED))
        }
        actual = {
            r["month"]: r
            for r in ProgressReport.objects.filter(
                year=self.year, status=ReportStatus.ACCEPTED, **self._contract_filter("contract__")
            )
            .filter(self._program_q("contract__"))
            .order_by()
            .values("month")
            .annotate(
                w=_money("contract__value"), s=Sum(F("contract__value") * F("physical_pct"), output_field=WEIGHTED)
            )
        }
        points = []
        for month in range(1, 13):
            plan, real = planned.get(month), actual.get(month)
            points.append(
                {
                    "month": month,
                    "planned": (plan["s"] / plan["w"]).quantize(CENT) if plan and plan["w"] else None,
                    "actual": (real["s"] / real["w"]).quantize(CENT) if real and real["w"] else None,
                }
            )
        return points

    def _program_q(self, prefix: str) -> Q:
        if self.program is None:
            return Q()
        funded = Contract.objects.filter(
            **{f"package__{FUNDINGS_OF_PACKAGE}__{PROGRAM_OF_FUNDING}": self.program.pk}
        ).values("pk")
        return Q(**{f"{prefix}pk__in": funded})


def last_due_month(today: datetime.date) -> tuple[int, int]:
    """The latest (year, month) whose report was due before ``today``."""
    year, month = previous_month(today)
    if due_date(year, month) >= today:
        year, month = previous_month(datetime.date(year, month, 1))
    return year, month


def _label(level: str, agencies: QuerySet, figures: dict, *, province: bool = False) -> list[Row]:
    """Name the rows: every region or agency in scope (one query), even those with no
    figures yet; every program that has figures (by the province list's name for a
    province, where it differs)."""
    if level == "region":
        subjects = Region.objects.filter(pk__in=agencies.values("region_id")).order_by("code")
        named = [(s.pk, s.code, s.name) for s in subjects]
    elif level == "agency":
        named = [(a.pk, a.code, a.name) for a in agencies.order_by("name", "pk")]
    else:
        keys = [key for key in figures if key is not None]
        programs = Nomenclature.objects.filter(pk__in=keys).order_by("code")
        named = [(n.pk, n.code, (n.name_province if province else "") or n.name) for n in programs]
    rows = []
    for key, code, label in named:
        row = figures.get(key) or Row(key=key, code="", label="")
        row.code, row.label = code, label
        rows.append(row)
    if level == "program" and None in figures:
        unplaced = figures[None]
        unplaced.label = str(_("Not linked to a program"))
        rows.append(unplaced)
    return rows


# --- Contracts of a scope ------------------------------------------------------------------------


def contracts(agencies: QuerySet, *, year: int, program=None) -> QuerySet:
    """The monitored contracts of ``agencies`` in ``year`` (of ``program``), each with its
    latest accepted progress, the plan it was judged against, what was paid, and whether it
    is critical: one query, whatever the number of contracts."""
    from django.db.models import Subquery

    rows = Contract.objects.filter(status__in=MONITORED, package__fiscal_year__year=year, package__agency__in=agencies)
    if program is not None:
        funded = Package.objects.filter(**{f"{FUNDINGS_OF_PACKAGE}__{PROGRAM_OF_FUNDING}": program.pk})
        rows = rows.filter(package__in=funded.values("pk"))
    latest = ProgressReport.objects.filter(contract_id=OuterRef("pk"), status=ReportStatus.ACCEPTED).order_by(
        "-year", "-month"
    )
    paid = (
        ContractPayment.objects.filter(contract_id=OuterRef("pk"))
        .order_by()
        .values("contract_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        rows.select_related("package__agency", "vendor")
        .annotate(
            physical=Subquery(latest.values("physical_pct")[:1]),
            planned=Subquery(latest.values("planned_physical_pct")[:1]),
            reported_year=Subquery(latest.values("year")[:1]),
            reported_month=Subquery(latest.values("month")[:1]),
            paid=Coalesce(Subquery(paid), Value(ZERO), output_field=MONEY),
            is_critical=Exists(CriticalStatus.objects.filter(contract_id=OuterRef("pk"), is_critical=True)),
        )
        .order_by("package__agency__name", "number")
    )


def with_contract_deviation(contract):
    """The deviation and its colour level on a row of :func:`contracts`."""
    planned, actual = contract.planned, contract.physical
    contract.deviation = actual - planned if actual is not None and planned is not None else None
    contract.level = deviation_level(contract.deviation) if actual is not None else ""
    return contract
