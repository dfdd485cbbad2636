"""Synthetic monitoring data for the benchmarks (``manage.py seed_monev_bench``).

On the bench agencies (codes ``BENCH-…``) and their approved 2027 DPAs that
``seed_budget_bench`` made, it writes, per agency, ``contracts_per_agency`` signed
contracts running January–December 2027, each on one of the DPA's largest budget lines
that has no realization yet, with the whole chain the trace page walks: a RUP item
funded by that line → a contracted package → the contract with its vendor. Then, per
contract:

- a planned curve of twelve months (an S-curve for works, even for the rest);
- twelve accepted progress reports: most contracts follow their plan, a fifth lag a
  little, a tenth lag far (those end up critical by the DESIGN.md rule);
- a realization (SP2D) on the funding line at the end of each quarter, with the contract
  as its subject and a contract payment linked to it; the reports' financial figures are
  these realizations summed up to each month's end, as the submit service computes them;
- its critical status, evaluated on December's report by ``rules.is_critical``.

At province scale (920 agencies × 3 contracts) that is about 2,800 contracts, 33,000
planned months and 33,000 reports, all written with ``bulk_create`` in batches.

Everything is marked: package codes start with ``M`` (the tender bench's start with ``B``,
real ones are digits), RUP codes with ``BENCH-M``, contract numbers with ``BENCH-M/``,
vendors' NIBs with ``770000000``, names with ``[bench]``, and the acting account is
``monev@bench.ntt.test``. ``remove_monev_bench`` deletes exactly these rows and gives the
budget lines back the realized amounts they had before.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetLine, Realization
from ebudgeting.totals import refresh_document_totals
from eprocurement.choices import (
    ContractStatus,
    EvaluationMethod,
    PackageStatus,
    PlanItemStatus,
    ProcurementKind,
    ProcurementMethod,
    VendorStatus,
)
from eprocurement.models import (
    Contract,
    ContractPayment,
    Package,
    PackagePlanItem,
    ProcurementFunding,
    ProcurementPlanItem,
    Vendor,
)
from portal.models import Agency, FiscalYear, Membership, User

from .choices import CriticalBasis, ReportStatus
from .models import CriticalStatus, PlannedCurve, PlannedPoint, ProgressReport
from .rules import due_date, financial_from_physical, is_critical, linear_curve, month_end, s_curve

BENCH_AGENCY_PREFIX = "BENCH-"
BENCH_YEAR = 2027
PACKAGE_PREFIX = "M"
RUP_PREFIX = "BENCH-M"
CONTRACT_PREFIX = "BENCH-M/"
VENDOR_NIB_PREFIX = "770000000"
VENDORS = 40
ACTOR_EMAIL = "monev@bench.ntt.test"
AGENCIES_PER_BATCH = 100
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=18, decimal_places=2)
HUNDRED = Decimal("100")
# Share of the funding line a contract takes, and of each quarter's planned money paid.
CONTRACT_SHARE = Decimal("0.80")
PAID_SHARE = Decimal("0.90")
QUARTER_ENDS = (3, 6, 9, 12)
KINDS = [ProcurementKind.WORKS] * 3 + [ProcurementKind.GOODS, ProcurementKind.CONSULTANCY]
WORDS = {
    ProcurementKind.WORKS: ["Pembangunan jalan", "Rehabilitasi gedung sekolah", "Peningkatan jaringan irigasi"],
    ProcurementKind.GOODS: ["Pengadaan alat kesehatan", "Pengadaan meubelair"],
    ProcurementKind.CONSULTANCY: ["Jasa konsultansi pengawasan", "Penyusunan studi kelayakan"],
}
PROBLEMS = ["", "", "Cuaca hujan menghambat pekerjaan.", "Material terlambat tiba di lokasi."]


@dataclass
class MonevBenchResult:
    agencies: int = 0
    contracts: int = 0
    reports: int = 0
    realizations: int = 0
    critical: int = 0


def seed_monev_bench(*, contracts_per_agency: int) -> MonevBenchResult:
    rng = random.Random(2027)  # noqa: S311 (synthetic data, repeatable)
    year = FiscalYear.objects.filter(year=BENCH_YEAR).first()
    agencies = list(
        Agency.objects.filter(code__startswith=BENCH_AGENCY_PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    if year is None or not agencies:
        raise ValueError("seed_bench and seed_budget_bench have made no bench agencies and DPAs yet")
    actor = _actor()
    vendors = _vendors(actor)
    result = MonevBenchResult()
    for start in range(0, len(agencies), AGENCIES_PER_BATCH):
        batch = agencies[start : start + AGENCIES_PER_BATCH]
        with transaction.atomic():
            lines = _funding_lines(batch, contracts_per_agency)
            _seed_contracts(lines, year, actor, vendors, rng, result)
        result.agencies += len({line.document.agency_id for line in lines})
    _analyze()
    return result


def _analyze() -> None:
    """Fresh planner statistics for the filled tables, as autovacuum would give them a
    minute later: before it, PostgreSQL takes them for nearly empty and the dashboards'
    latest-report anti-join runs for a minute instead of a tenth of a second."""
    if connection.vendor != "postgresql":
        return
    models = (Contract, Package, ProcurementPlanItem, ProcurementFunding, PackagePlanItem, ContractPayment)
    models += (PlannedCurve, PlannedPoint, ProgressReport, CriticalStatus, Realization, BudgetLine)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def bench_contracts():
    return Contract.objects.filter(number__startswith=CONTRACT_PREFIX)


def trace_contract_id(user_email: str) -> int | None:
    """The bench contract whose trace the benchmark reads: the first one of ``user_email``'s agency."""
    agencies = Membership.objects.filter(user__email=user_email).values("agency_id")
    return bench_contracts().filter(package__agency__in=agencies).order_by("pk").values_list("pk", flat=True).first()


def remove_monev_bench() -> int:
    """Delete what :func:`seed_monev_bench` made; the funding lines' realized amounts and
    their documents' totals are recomputed from the realizations that remain."""
    with transaction.atomic():
        contracts = bench_contracts()
        contract_ids = list(contracts.values_list("pk", flat=True))
        CriticalStatus.objects.filter(contract_id__in=contract_ids).delete()
        ProgressReport.objects.filter(contract_id__in=contract_ids).delete()
        PlannedCurve.objects.filter(contract_id__in=contract_ids).delete()
        payments = ContractPayment.objects.filter(contract_id__in=contract_ids)
        ContractPayment.realizations.through.objects.filter(contractpayment__in=payments).delete()
        payments.delete()
        realizations = Realization.objects.filter(
            subject_type=ContentType.objects.get_for_model(Contract), subject_id__in=[str(pk) for pk in contract_ids]
        )
        line_ids = set(realizations.values_list("line_id", flat=True))
        realizations.delete()
        _refresh_lines(line_ids)
        count = contracts.delete()[0]
        packages = Package.objects.filter(code__startswith=PACKAGE_PREFIX, name__startswith="[bench]")
        PackagePlanItem.objects.filter(package__in=packages).delete()
        packages.delete()
        ProcurementPlanItem.objects.filter(rup_code__startswith=RUP_PREFIX).delete()  # fundings cascade
        Vendor.objects.filter(nib__startswith=VENDOR_NIB_PREFIX, name__startswith="[bench]").delete()
        User.objects.filter(email=ACTOR_EMAIL).delete()
    return count


# --- Pieces --------------------------------------------------------------------------------------


def _actor() -> User:
    """The bench monev officer who sets the curves and submits and accepts the reports."""
    user = User.objects.filter(email=ACTOR_EMAIL).first()
    return user or User.objects.create_user(email=ACTOR_EMAIL, password=None)


def _vendors(owner: User) -> list[Vendor]:
    Vendor.objects.bulk_create(
        [
            Vendor(
                owner=owner,
                name=f"[bench] CV Pelaksana Monev {n + 1}",
                kind="cv",
                nib=f"{VENDOR_NIB_PREFIX}{n:04d}",
                npwp=f"77{n:014d}",
                address="Kupang",
                phone="0380 000000",
                email=ACTOR_EMAIL,
                status=VendorStatus.VERIFIED,
                is_small_business=True,
            )
            for n in range(VENDORS)
        ],
        ignore_conflicts=True,
    )
    return list(Vendor.objects.filter(nib__startswith=VENDOR_NIB_PREFIX).order_by("nib"))


def _funding_lines(agency_ids: list[int], per_agency: int) -> list[BudgetLine]:
    """The ``per_agency`` largest lines without a realization of each agency's approved
    2027 DPA (one query)."""
    candidates = (
        BudgetLine.objects.filter(
            document__agency_id__in=agency_ids,
            document__status=DocumentStatus.APPROVED,
            document__fiscal_year__year=BENCH_YEAR,
            realized=0,
            committed=0,
        )
        .select_related("document")
        .only("pk", "amount", "plan_item_id", "document__agency_id", "document__id")
        .order_by("document__agency_id", "-amount", "pk")
    )
    chosen, taken = [], {}
    for line in candidates:
        agency = line.document.agency_id
        if taken.get(agency, 0) < per_agency:
            taken[agency] = taken.get(agency, 0) + 1
            chosen.append(line)
    return chosen


def _seed_contracts(lines, year, actor, vendors, rng, result) -> None:
    if not lines:
        return
    first = Package.objects.filter(code__startswith=PACKAGE_PREFIX).count() + 1
    now = timezone.now()
    signed = timezone.make_aware(datetime.datetime(BENCH_YEAR - 1, 12, 20, 10, 0))
    specs = []
    for offset, line in enumerate(lines):
        n = first + offset
        kind = rng.choice(KINDS)
        value = (line.amount * CONTRACT_SHARE).quantize(CENT, rounding=ROUND_HALF_UP)
        pace = rng.random()
        factor = Decimal("1") if pace < 0.7 else (Decimal("0.96") if pace < 0.9 else Decimal("0.78"))
        specs.append((n, line, kind, value, factor))

    rups = ProcurementPlanItem.objects.bulk_create(
        ProcurementPlanItem(
            agency_id=line.document.agency_id,
            fiscal_year=year,
            rup_code=f"{RUP_PREFIX}{n:07d}",
            name=f"[bench] {rng.choice(WORDS[kind])} {n}",
            kind=kind,
            method=ProcurementMethod.SELECTION if kind == ProcurementKind.CONSULTANCY else ProcurementMethod.TENDER,
            value=value,
            selection_start=datetime.date(BENCH_YEAR - 1, 10, 1),
            selection_end=datetime.date(BENCH_YEAR - 1, 12, 15),
            contract_start=datetime.date(BENCH_YEAR, 1, 1),
            contract_end=datetime.date(BENCH_YEAR, 12, 31),
            use_start=datetime.date(BENCH_YEAR + 1, 1, 1),
            status=PlanItemStatus.ANNOUNCED,
            created_by=actor,
        )
        for n, line, kind, value, _factor in specs
    )
    ProcurementFunding.objects.bulk_create(
        ProcurementFunding(plan_item=rup, budget_line_id=spec[1].pk, amount=spec[3])
        for rup, spec in zip(rups, specs, strict=True)
    )
    packages = Package.objects.bulk_create(
        Package(
            agency_id=line.document.agency_id,
            fiscal_year=year,
            code=f"{PACKAGE_PREFIX}{n:09d}",
            name=rup.name,
            description="[bench] Paket uji beban untuk monev.",
            kind=kind,
            method=rup.method,
            evaluation_method=(
                EvaluationMethod.QUALITY_COST if kind == ProcurementKind.CONSULTANCY else EvaluationMethod.KNOCKOUT
            ),
            value=value,
            owner_estimate=value,
            status=PackageStatus.CONTRACTED,
            announced_at=timezone.make_aware(datetime.datetime(BENCH_YEAR - 1, 10, 15, 9, 0)),
            created_by=actor,
        )
        for rup, (n, line, kind, value, _factor) in zip(rups, specs, strict=True)
    )
    PackagePlanItem.objects.bulk_create(
        PackagePlanItem(package=package, plan_item=rup) for package, rup in zip(packages, rups, strict=True)
    )
    contracts = Contract.objects.bulk_create(
        Contract(
            package=package,
            vendor=vendors[n % len(vendors)],
            number=f"{CONTRACT_PREFIX}{n:07d}",
            value=value,
            starts_on=datetime.date(BENCH_YEAR, 1, 1),
            ends_on=datetime.date(BENCH_YEAR, 12, 31),
            payment_terms="[bench] Termin per triwulan.",
            status=ContractStatus.SIGNED,
            signed_at=signed,
            signed_by=actor,
        )
        for package, (n, _line, _kind, value, _factor) in zip(packages, specs, strict=True)
    )

    contract_type = ContentType.objects.get_for_model(Contract)
    curves, points, reports, realizations, statuses = [], [], [], [], []
    plans = {}
    for contract, (_n, line, kind, value, factor) in zip(contracts, specs, strict=True):
        physical = s_curve(12) if kind == ProcurementKind.WORKS else linear_curve(12)
        financial = financial_from_physical(physical, value)
        plans[contract.pk] = (physical, financial)
        curves.append(PlannedCurve(agency_id=line.document.agency_id, contract=contract, total=value, set_by=actor))
        for quarter, month in enumerate(QUARTER_ENDS, start=1):
            previous = financial[QUARTER_ENDS[quarter - 2] - 1] if quarter > 1 else Decimal(0)
            amount = ((financial[month - 1] - previous) * factor * PAID_SHARE).quantize(CENT)
            if amount > 0:
                realizations.append(
                    Realization(
                        line_id=line.pk,
                        number=f"SP2D-{contract.number}-{quarter}",
                        date=datetime.date(BENCH_YEAR, month, 20),
                        amount=amount,
                        purpose=f"[bench] termin {quarter} {contract.number}",
                        subject_type=contract_type,
                        subject_id=str(contract.pk),
                        reference=f"contract:{contract.pk}",
                        created_by=actor,
                    )
                )
    PlannedCurve.objects.bulk_create(curves)
    Realization.objects.bulk_create(realizations, batch_size=2000)
    paid = {}
    for realization in realizations:
        paid.setdefault(int(realization.subject_id), []).append(realization)
    payments = ContractPayment.objects.bulk_create(
        ContractPayment(
            contract_id=realization.subject_id,
            number=realization.number,
            date=realization.date,
            amount=realization.amount,
            description=realization.purpose,
            created_by=actor,
        )
        for realization in realizations
    )
    ContractPayment.realizations.through.objects.bulk_create(
        ContractPayment.realizations.through(contractpayment_id=payment.pk, realization_id=realization.pk)
        for payment, realization in zip(payments, realizations, strict=True)
    )

    for curve, contract, (_n, line, _kind, value, factor) in zip(curves, contracts, specs, strict=True):
        physical, financial = plans[contract.pk]
        actual = Decimal(0)
        for month in range(1, 13):
            points.append(
                PlannedPoint(
                    curve=curve,
                    year=BENCH_YEAR,
                    month=month,
                    physical_pct=physical[month - 1],
                    financial=financial[month - 1],
                )
            )
            noise = Decimal(rng.randint(-150, 150)) / 100 if factor == 1 else Decimal(0)
            actual = min(HUNDRED, max(actual, (physical[month - 1] * factor + noise).quantize(CENT)))
            day = month_end(BENCH_YEAR, month)
            due = due_date(BENCH_YEAR, month)
            submitted = timezone.make_aware(
                datetime.datetime.combine(due - datetime.timedelta(days=3), datetime.time(9))
            )
            realized = sum((r.amount for r in paid.get(contract.pk, []) if r.date <= day), Decimal("0.00"))
            reports.append(
                ProgressReport(
                    agency_id=line.document.agency_id,
                    contract=contract,
                    year=BENCH_YEAR,
                    month=month,
                    physical_pct=actual,
                    financial_realized=realized,
                    financial_total=value,
                    planned_physical_pct=physical[month - 1],
                    planned_financial=financial[month - 1],
                    problems=rng.choice(PROBLEMS) if factor < 1 else "",
                    follow_up="Percepatan pekerjaan dengan penambahan tenaga." if factor < 1 else "",
                    status=ReportStatus.ACCEPTED,
                    due_on=due,
                    is_late=False,
                    submitted_at=submitted,
                    submitted_by=actor,
                    decided_at=submitted + datetime.timedelta(days=1),
                    decided_by=actor,
                    created_by=actor,
                )
            )
        critical = is_critical(physical[-1], actual)
        statuses.append(
            CriticalStatus(
                contract=contract,
                agency_id=line.document.agency_id,
                is_critical=critical,
                since=timezone.make_aware(datetime.datetime(BENCH_YEAR, 6, 11, 1, 0)) if critical else None,
                year=BENCH_YEAR,
                month=12,
                planned_pct=physical[-1],
                actual_pct=actual,
                basis=CriticalBasis.ACCEPTED_REPORT,
                evaluated_at=now,
            )
        )
    PlannedPoint.objects.bulk_create(points, batch_size=5000)
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    CriticalStatus.objects.bulk_create(statuses)
    _refresh_lines({line.pk for line in lines})

    result.contracts += len(contracts)
    result.reports += len(reports)
    result.realizations += len(realizations)
    result.critical += sum(1 for s in statuses if s.is_critical)


def _refresh_lines(line_ids: set[int]) -> None:
    """Each line's realized amount = the sum of its realizations; then its document's totals."""
    if not line_ids:
        return
    total = Realization.objects.filter(line=OuterRef("pk")).order_by().values("line").annotate(t=Sum("amount"))
    lines = BudgetLine.objects.filter(pk__in=line_ids)
    lines.update(realized=Coalesce(Subquery(total.values("t")), Value(Decimal("0.00")), output_field=MONEY))
    for document_id in set(lines.values_list("document_id", flat=True)):
        refresh_document_totals(document_id)
