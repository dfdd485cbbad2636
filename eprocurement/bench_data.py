"""Synthetic tenders for the benchmarks (``manage.py seed_tender_bench``).

On the agencies ``seed_bench`` made (codes ``BENCH-…``) it writes ``packages`` public
packages spread over agencies, kinds, methods and statuses, each with the thirteen
schedule rows of a post-qualification tender placed around its announcement date, so the
public tender list has 100,000 rows to search, filter and page through. Names are drawn
from real procurement wording so full-text search has something to find.

Packages go in with ``bulk_create``; the 1.3 million schedule rows with one
INSERT … SELECT per batch on PostgreSQL. Codes start with ``B`` (a real tender code is
digits only), names with ``[bench]``; ``remove_tender_bench`` deletes exactly these.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from portal.models import Agency, FiscalYear

from .choices import EvaluationMethod, PackageStatus, ProcurementKind, ProcurementMethod, TenderStage
from .models import Package, PackageStage

BENCH_AGENCY_PREFIX = "BENCH-"
BENCH_CODE_PREFIX = "B"
BENCH_YEAR = 2027
BATCH = 5000
WORDS = {
    ProcurementKind.GOODS: [
        "Pengadaan laptop",
        "Pengadaan alat kesehatan",
        "Pengadaan buku pelajaran",
        "Pengadaan kendaraan dinas",
        "Pengadaan obat-obatan",
        "Pengadaan meubelair",
    ],
    ProcurementKind.WORKS: [
        "Pembangunan jalan",
        "Rehabilitasi gedung sekolah",
        "Pembangunan jembatan",
        "Peningkatan jaringan irigasi",
        "Pembangunan puskesmas",
        "Rehabilitasi embung",
    ],
    ProcurementKind.CONSULTANCY: [
        "Jasa konsultansi perencanaan",
        "Jasa konsultansi pengawasan",
        "Penyusunan studi kelayakan",
        "Penyusunan masterplan",
    ],
    ProcurementKind.OTHER_SERVICES: [
        "Jasa kebersihan kantor",
        "Jasa keamanan",
        "Sewa kendaraan",
        "Jasa pemeliharaan jaringan",
    ],
}
PLACES = [
    "Kupang",
    "Soe",
    "Kefamenanu",
    "Atambua",
    "Kalabahi",
    "Larantuka",
    "Maumere",
    "Ende",
    "Bajawa",
    "Ruteng",
    "Waingapu",
    "Waikabubak",
    "Lewoleba",
    "Ba'a",
    "Labuan Bajo",
    "Mbay",
    "Waibakul",
    "Tambolaka",
    "Borong",
    "Seba",
    "Betun",
]
STATUSES = [PackageStatus.ANNOUNCED] * 3 + [
    PackageStatus.OPENED,
    PackageStatus.AWARDED,
    PackageStatus.CONTRACTED,
    PackageStatus.COMPLETED,
    PackageStatus.FAILED,
    PackageStatus.CANCELLED,
]
# Days from the announcement to each stage's start and end.
STAGE_DAYS = {
    TenderStage.ANNOUNCEMENT: (0, 7),
    TenderStage.DOCUMENT_DOWNLOAD: (0, 10),
    TenderStage.EXPLANATION: (3, 6),
    TenderStage.BID_SUBMISSION: (3, 10),
    TenderStage.OPENING: (10, 11),
    TenderStage.EVALUATION: (11, 14),
    TenderStage.QUALIFICATION_PROOF: (14, 15),
    TenderStage.WINNER_DECISION: (15, 16),
    TenderStage.WINNER_ANNOUNCEMENT: (16, 17),
    TenderStage.OBJECTION: (17, 22),
    TenderStage.APPEAL: (22, 27),
    TenderStage.APPOINTMENT: (27, 29),
    TenderStage.CONTRACT_SIGNING: (29, 43),
}


def seed_tender_bench(*, packages: int) -> int:
    rng = random.Random(2027)  # noqa: S311 (synthetic data, repeatable)
    year = FiscalYear.objects.get_or_create(year=BENCH_YEAR, defaults={"is_open": True})[0]
    agencies = list(Agency.objects.filter(code__startswith=BENCH_AGENCY_PREFIX).values_list("pk", flat=True))
    if not agencies:
        raise ValueError("seed_bench has made no bench agencies yet")
    now = timezone.now()
    made = 0
    while made < packages:
        size = min(BATCH, packages - made)
        with transaction.atomic():
            batch = [_package(made + i, rng, agencies, year, now) for i in range(size)]
            created = Package.objects.bulk_create(batch)
            _stages([p.pk for p in created], [p.announced_at for p in created])
        made += size
    return made


def remove_tender_bench() -> int:
    with transaction.atomic():
        bench = Package.objects.filter(code__startswith=BENCH_CODE_PREFIX)
        PackageStage.objects.filter(package__in=bench).delete()
        return bench.delete()[0]


def _package(index, rng, agencies, year, now) -> Package:
    kind = rng.choice(list(WORDS))
    value = Decimal(rng.randint(250, 50_000)) * Decimal("1000000")
    return Package(
        agency_id=agencies[index % len(agencies)],
        fiscal_year=year,
        code=f"{BENCH_CODE_PREFIX}{index + 1:09d}",
        name=f"[bench] {rng.choice(WORDS[kind])} {rng.choice(PLACES)} paket {index + 1}",
        description="[bench] Paket uji beban untuk daftar tender.",
        kind=kind,
        method=ProcurementMethod.SELECTION if kind == ProcurementKind.CONSULTANCY else ProcurementMethod.TENDER,
        evaluation_method=(
            EvaluationMethod.QUALITY_COST if kind == ProcurementKind.CONSULTANCY else EvaluationMethod.KNOCKOUT
        ),
        value=value,
        owner_estimate=(value * Decimal("0.97")).quantize(Decimal("0.01")),
        small_business_reserved=value <= Decimal("15000000000"),
        status=rng.choice(STATUSES),
        announced_at=now - datetime.timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 1440)),
    )


def _stages(package_ids: list[int], announced: list[datetime.datetime]) -> None:
    if connection.vendor != "postgresql":
        PackageStage.objects.bulk_create(
            PackageStage(
                package_id=pk,
                stage=stage,
                starts_at=at + datetime.timedelta(days=start),
                ends_at=at + datetime.timedelta(days=end),
            )
            for pk, at in zip(package_ids, announced, strict=True)
            for stage, (start, end) in STAGE_DAYS.items()
        )
        return
    stages, days_start, days_end = zip(*((s, a, b) for s, (a, b) in STAGE_DAYS.items()), strict=True)
    table, packages = PackageStage._meta.db_table, Package._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (package_id, stage, starts_at, ends_at)
                SELECT p.id, s.stage, p.announced_at + s.d0 * interval '1 day',
                       p.announced_at + s.d1 * interval '1 day'
                FROM {packages} p
                CROSS JOIN unnest(%s::varchar[], %s::int[], %s::int[]) AS s(stage, d0, d1)
                WHERE p.id = ANY(%s)""",  # noqa: S608 (table names from the models)
            [list(stages), list(days_start), list(days_end), package_ids],
        )
