"""Synthetic plans and budgets for the benchmarks (``manage.py seed_budget_bench``).

It builds on the agencies ``seed_bench`` made (codes ``BENCH-…``): for each of them a
ceiling, approved plan items on real sub-activities of the region's variant, and an
approved DPA with ``lines_per_agency`` lines, each with a twelve-month cash plan that
adds up to its amount, plus a few realizations. One agency (the bench planner's) gets
a document of ``big_document_lines`` lines: the budget document page is measured on it.

At province scale this is about 276,000 lines and 3.3 million cash-plan rows, so the
cash plan is written by one INSERT … SELECT per batch on PostgreSQL (the ORM would take
many minutes); everything else goes through ``bulk_create``. Only bench agencies are
touched, and ``remove_budget_bench`` deletes exactly what this made.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from eplanning.choices import PlanStatus
from eplanning.models import AgencyCeiling, Nomenclature, PlanItem
from portal.models import Agency, FiscalYear, Membership

from .choices import AccountLevel, DocumentStatus
from .models import AccountCode, BudgetDocument, BudgetLine, CashPlanMonth, FundingSource, Realization
from .totals import refresh_document_totals

BENCH_AGENCY_PREFIX = "BENCH-"
BENCH_YEAR = 2027
PLAN_ITEMS_PER_AGENCY = 10
CENT = Decimal("0.01")


@dataclass
class BudgetBenchResult:
    agencies: int = 0
    plan_items: int = 0
    lines: int = 0
    big_document_id: int | None = None


def seed_budget_bench(*, lines_per_agency: int, big_document_lines: int, big_agency_user: str) -> BudgetBenchResult:
    rng = random.Random(2027)  # noqa: S311 (synthetic data, repeatable)
    year = FiscalYear.objects.get_or_create(year=BENCH_YEAR, defaults={"is_open": True})[0]
    accounts = list(AccountCode.objects.filter(level=AccountLevel.SUB_RINCIAN_OBJEK, is_active=True)[:400])
    sources = list(FundingSource.objects.filter(is_active=True))
    big_agency_id = Membership.objects.filter(user__email=big_agency_user).values_list("agency_id", flat=True).first()
    result = BudgetBenchResult()
    agencies = Agency.objects.filter(code__startswith=BENCH_AGENCY_PREFIX).select_related("region").order_by("pk")
    sub_activities = _sub_activities_by_variant()
    for agency in agencies.iterator(chunk_size=200):
        count = big_document_lines if agency.pk == big_agency_id else lines_per_agency
        with transaction.atomic():
            document = _seed_agency(agency, year, count, rng, accounts, sources, sub_activities, result)
        if agency.pk == big_agency_id:
            result.big_document_id = document.pk
        result.agencies += 1
    return result


def remove_budget_bench() -> int:
    agencies = Agency.objects.filter(code__startswith=BENCH_AGENCY_PREFIX)
    with transaction.atomic():
        documents = BudgetDocument.objects.filter(agency__in=agencies)
        lines = BudgetLine.objects.filter(document__in=documents)
        Realization.objects.filter(line__in=lines).delete()
        CashPlanMonth.objects.filter(line__in=lines).delete()
        lines.delete()
        count = documents.delete()[0]
        PlanItem.objects.filter(agency__in=agencies).delete()
        AgencyCeiling.objects.filter(agency__in=agencies).delete()
    return count


def _sub_activities_by_variant() -> dict[int, list[int]]:
    base = Nomenclature.objects.sub_activities().filter(is_active=True)
    return {
        1: list(base.filter(for_province=True).values_list("pk", flat=True)[:500]),
        2: list(base.filter(for_regency=True).values_list("pk", flat=True)[:500]),
    }


def _seed_agency(agency, year, line_count, rng, accounts, sources, sub_activities, result) -> BudgetDocument:
    per_item = max(1, line_count // PLAN_ITEMS_PER_AGENCY)
    amounts = [_money(rng.randint(1, 500) * Decimal("1000"), rng.randint(1, 200)) for _ in range(line_count)]
    items = _plan_items(agency, year, rng, sub_activities[agency.region.level], amounts, per_item)
    total = sum((price * volume for price, volume in amounts), Decimal(0))
    AgencyCeiling.objects.create(agency=agency, fiscal_year=year, amount=total * 2)
    document = BudgetDocument.objects.create(
        agency=agency, fiscal_year=year, status=DocumentStatus.APPROVED, number=f"DPA/{agency.code}/{year.year}"
    )
    lines = [
        BudgetLine(
            document=document,
            plan_item=items[min(i // per_item, len(items) - 1)],
            account=accounts[i % len(accounts)],
            funding_source=sources[i % len(sources)],
            description=f"[bench] rincian {i + 1}",
            volume=Decimal(amount[1]),
            unit="paket",
            unit_price=amount[0],
            amount=amount[0] * amount[1],
            realized=Decimal(0),
        )
        for i, amount in enumerate(amounts)
    ]
    BudgetLine.objects.bulk_create(lines, batch_size=2000)
    BudgetLine.objects.filter(document=document).update(origin_id=F("pk"))
    _cash_plans(document)
    _realizations(document, rng)
    result.plan_items += len(items)
    result.lines += len(lines)
    return document


def _money(unit_price: Decimal, volume: int) -> tuple[Decimal, int]:
    return unit_price.quantize(CENT, rounding=ROUND_HALF_UP), volume


def _plan_items(agency, year, rng, sub_activity_ids, amounts, per_item) -> list[PlanItem]:
    count = max(1, (len(amounts) + per_item - 1) // per_item)
    chosen = rng.sample(sub_activity_ids, min(count, len(sub_activity_ids)))
    items = [
        PlanItem(
            region_id=agency.region_id,
            agency=agency,
            fiscal_year=year,
            sub_activity_id=chosen[i % len(chosen)],
            title=f"[bench] kegiatan {i + 1}",
            indicative_ceiling=sum((a[0] * a[1] for a in amounts[i * per_item : (i + 1) * per_item]), Decimal(0)),
            status=PlanStatus.APPROVED,
        )
        for i in range(count)
    ]
    return PlanItem.objects.bulk_create(items)


def _cash_plans(document: BudgetDocument) -> None:
    """Twelve months per line: eleven equal shares, the rest in December."""
    if connection.vendor != "postgresql":
        months = [
            CashPlanMonth(line=line, month=m, amount=_share(line.amount, m))
            for line in BudgetLine.objects.filter(document=document).only("pk", "amount")
            for m in range(1, 13)
        ]
        CashPlanMonth.objects.bulk_create(months, batch_size=5000)
        return
    table, lines = CashPlanMonth._meta.db_table, BudgetLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (line_id, month, amount)
                SELECT l.id, m, CASE WHEN m < 12 THEN trunc(l.amount / 12, 2)
                                     ELSE l.amount - 11 * trunc(l.amount / 12, 2) END
                FROM {lines} l CROSS JOIN generate_series(1, 12) AS m
                WHERE l.document_id = %s""",  # noqa: S608 (table names from the models)
            [document.pk],
        )


def _share(amount: Decimal, month: int) -> Decimal:
    share = (amount / 12).quantize(CENT, rounding="ROUND_DOWN")
    return share if month < 12 else amount - 11 * share


def _realizations(document: BudgetDocument, rng) -> None:
    """Realize the first quarter's cash plan on a fifth of the lines."""
    lines = list(BudgetLine.objects.filter(document=document).only("pk", "amount")[::5])
    realizations = [
        Realization(
            line=line,
            number=f"SP2D-{document.pk}-{line.pk}",
            date=date(BENCH_YEAR, rng.randint(1, 3), rng.randint(1, 28)),
            amount=(line.amount / 4).quantize(CENT, rounding="ROUND_DOWN") or CENT,
            purpose="[bench] pembayaran",
        )
        for line in lines
        if line.amount >= CENT * 4
    ]
    Realization.objects.bulk_create(realizations, batch_size=2000)
    realized = Realization.objects.filter(line=OuterRef("pk")).values("line").annotate(total=Sum("amount"))
    BudgetLine.objects.filter(document=document).update(
        realized=Coalesce(Subquery(realized.values("total")), Decimal(0))
    )
    refresh_document_totals(document.pk)
