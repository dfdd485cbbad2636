"""E-Planning's part of ``manage.py load_demo``: for the province and Kab. Kupang, an
RPJMD 2025–2029, ceilings for 2027, plan items in several statuses on real sub-activity
codes of each region's nomenclature variant, and Musrenbang proposals in several rounds.

Everything is written through the services, acting as the demo accounts, so the rules
hold and the audit log tells the story. A row that exists is left alone: a second run
adds nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.choices import Role
from portal.demo import DEMO_DOMAIN, demo_email
from portal.models import Agency, FiscalYear, Region, User
from portal.services import DomainError

from .choices import PlanStatus, ProposalCategory
from .models import AgencyCeiling, CommunityProposal, PlanItem, RpjmdGoal, RpjmdObjective
from .services.ceilings import agency_ceiling_set
from .services.musrenbang import proposal_accept, proposal_forward, proposal_record, proposal_reject
from .services.plans import plan_item_approve, plan_item_create, plan_item_submit, plan_item_verify
from .services.rpjmd import rpjmd_goal_create, rpjmd_indicator_create, rpjmd_objective_create

YEAR = 2027
RPJMD_START = 2025
PROVINCE, KAB_KUPANG = "53", "53.01"
# Accounts load_demo creates (portal.demo_data.demo_accounts).
PLANNERS = {
    (PROVINCE, "DPUPR"): demo_email(Role.PLANNER),
    (PROVINCE, "DISKOMINFO"): f"planner.diskominfo@{DEMO_DOMAIN}",
    (KAB_KUPANG, "DPUPR"): f"planner.kab-kupang@{DEMO_DOMAIN}",
}
VERIFIERS = {PROVINCE: demo_email(Role.PLAN_VERIFIER), KAB_KUPANG: f"plan.verifier.kab-kupang@{DEMO_DOMAIN}"}

# (number, goal, [(number, objective, indicator, unit, baseline, five yearly targets)])
RPJMD = {
    PROVINCE: [
        (
            "1",
            "Terwujudnya tata kelola pemerintahan yang bersih, efektif dan melayani",
            [
                (
                    "1.1",
                    "Meningkatnya kualitas pelayanan publik berbasis elektronik",
                    "Indeks SPBE Provinsi",
                    "indeks",
                    "2.45",
                    ("2.60", "2.80", "3.00", "3.20", "3.50"),
                ),
                (
                    "1.2",
                    "Meningkatnya keterbukaan informasi publik",
                    "Persentase badan publik yang informatif",
                    "%",
                    "40",
                    ("45", "55", "65", "75", "85"),
                ),
            ],
        ),
        (
            "2",
            "Meningkatnya konektivitas wilayah dan kualitas infrastruktur dasar",
            [
                (
                    "2.1",
                    "Meningkatnya kemantapan jalan provinsi",
                    "Persentase jalan provinsi dalam kondisi mantap",
                    "%",
                    "62",
                    ("65", "68", "71", "74", "77"),
                ),
                (
                    "2.2",
                    "Meningkatnya akses air minum layak",
                    "Persentase rumah tangga dengan akses air minum layak",
                    "%",
                    "84",
                    ("86", "88", "90", "92", "94"),
                ),
            ],
        ),
    ],
    KAB_KUPANG: [
        (
            "1",
            "Meningkatnya kualitas pelayanan publik dan tata kelola pemerintahan daerah",
            [
                (
                    "1.1",
                    "Meningkatnya kualitas pelayanan publik berbasis elektronik",
                    "Indeks SPBE Kabupaten",
                    "indeks",
                    "2.10",
                    ("2.30", "2.50", "2.70", "2.90", "3.10"),
                ),
            ],
        ),
        (
            "2",
            "Meningkatnya infrastruktur wilayah yang mendukung pertumbuhan ekonomi desa",
            [
                (
                    "2.1",
                    "Meningkatnya kemantapan jalan kabupaten",
                    "Persentase jalan kabupaten dalam kondisi mantap",
                    "%",
                    "48",
                    ("52", "56", "60", "64", "68"),
                ),
            ],
        ),
    ],
}

CEILINGS = {
    (PROVINCE, "DPUPR"): Decimal("25000000000"),
    (PROVINCE, "DISKOMINFO"): Decimal("6000000000"),
    (KAB_KUPANG, "DPUPR"): Decimal("12000000000"),
    (KAB_KUPANG, "DISKOMINFO"): Decimal("2500000000"),
}


@dataclass(frozen=True)
class DemoPlanItem:
    region: str
    agency: str
    code: str  # a sub-activity of the region's variant of the shipped nomenclature
    title: str
    ceiling: str
    status: str
    objective: str  # RPJMD objective number
    district: str
    village: str
    indicator: tuple  # (name, unit, target for the year)
    priority: str = "high"


PLAN_ITEMS = (
    DemoPlanItem(
        PROVINCE,
        "DPUPR",
        "1.03.10.1.01.0030",
        "Rehabilitasi Jalan Provinsi Ruas Noelbaki–Tarus",
        "8500000000",
        PlanStatus.APPROVED,
        "2.1",
        "Kupang Tengah",
        "Noelbaki",
        ("Panjang jalan provinsi yang direhabilitasi", "km", "4.2"),
    ),
    DemoPlanItem(
        PROVINCE,
        "DPUPR",
        "1.03.10.1.01.0045",
        "Pemeliharaan Rutin Jalan Provinsi Wilayah Timor",
        "3200000000",
        PlanStatus.APPROVED,
        "2.1",
        "Kupang Timur",
        "Oesao",
        ("Panjang jalan provinsi yang terpelihara", "km", "120"),
    ),
    DemoPlanItem(
        PROVINCE,
        "DPUPR",
        "1.03.03.1.01.0019",
        "Operasi dan Pemeliharaan SPAM Regional Kupang",
        "1500000000",
        PlanStatus.SUBMITTED,
        "2.2",
        "Kupang Barat",
        "Batakte",
        ("SPAM regional yang beroperasi", "unit", "1"),
    ),
    DemoPlanItem(
        PROVINCE,
        "DPUPR",
        "1.03.10.1.01.0043",
        "Survei Kondisi Jalan dan Jembatan Provinsi",
        "450000000",
        PlanStatus.DRAFT,
        "2.1",
        "",
        "",
        ("Ruas jalan provinsi yang disurvei", "ruas", "35"),
        "medium",
    ),
    DemoPlanItem(
        PROVINCE,
        "DISKOMINFO",
        "2.16.02.1.01.0029",
        "Diseminasi Informasi Pembangunan Provinsi NTT",
        "750000000",
        PlanStatus.APPROVED,
        "1.2",
        "Kota Raja",
        "",
        ("Konten informasi publik yang diterbitkan", "konten", "240"),
    ),
    DemoPlanItem(
        PROVINCE,
        "DISKOMINFO",
        "2.16.02.1.01.0032",
        "Pengelolaan Pengaduan Masyarakat (SP4N-LAPOR!)",
        "300000000",
        PlanStatus.SUBMITTED,
        "1.1",
        "",
        "",
        ("Pengaduan yang ditindaklanjuti", "%", "90"),
    ),
    DemoPlanItem(
        KAB_KUPANG,
        "DPUPR",
        "1.03.10.2.01.0055",
        "Rehabilitasi Jalan Kabupaten Ruas Oelnasi–Baumata",
        "4200000000",
        PlanStatus.APPROVED,
        "2.1",
        "Taebenu",
        "Baumata",
        ("Panjang jalan kabupaten yang direhabilitasi", "km", "3.5"),
    ),
    DemoPlanItem(
        KAB_KUPANG,
        "DPUPR",
        "1.03.10.2.01.0051",
        "Pemeliharaan Rutin Jalan Kabupaten",
        "1800000000",
        PlanStatus.SUBMITTED,
        "2.1",
        "Kupang Tengah",
        "",
        ("Panjang jalan kabupaten yang terpelihara", "km", "85"),
    ),
    DemoPlanItem(
        KAB_KUPANG,
        "DPUPR",
        "1.03.10.2.01.0069",
        "Pembangunan Jembatan Desa Oelpuah",
        "950000000",
        PlanStatus.DRAFT,
        "2.1",
        "Kupang Tengah",
        "Oelpuah",
        ("Jembatan yang dibangun", "unit", "1"),
        "medium",
    ),
)


@dataclass(frozen=True)
class DemoProposal:
    region: str
    title: str
    category: str
    description: str
    district: str
    village: str
    cost: str
    proposer: str
    # forwarded rounds (with their scores), then "accept:<sub-activity code>", "reject:<reason>" or nothing
    scores: tuple = ()
    outcome: str = ""
    agency: str = "DPUPR"


PROPOSALS = (
    DemoProposal(
        PROVINCE,
        "Rehabilitasi jalan Noelbaki–Tarus yang rusak berat",
        ProposalCategory.INFRASTRUCTURE,
        "Ruas jalan provinsi di Noelbaki berlubang dan tergenang saat hujan; akses ke pasar terganggu.",
        "Kupang Tengah",
        "Noelbaki",
        "6500000000",
        "Forum Musrenbang Kecamatan Kupang Tengah",
        scores=("82", "88"),
        outcome="accept:1.03.10.1.01.0030",
    ),
    DemoProposal(
        KAB_KUPANG,
        "Pembangunan embung desa untuk air bersih dan ternak",
        ProposalCategory.INFRASTRUCTURE,
        "Warga Desa Oelnasi kesulitan air di musim kemarau; embung menampung air hujan.",
        "Kupang Tengah",
        "Oelnasi",
        "850000000",
        "Kepala Desa Oelnasi",
    ),
    DemoProposal(
        KAB_KUPANG,
        "Rehabilitasi jalan desa Baumata menuju sekolah",
        ProposalCategory.INFRASTRUCTURE,
        "Jalan tanah sepanjang 2 km licin di musim hujan; anak sekolah dan hasil kebun sulit lewat.",
        "Taebenu",
        "Baumata",
        "1200000000",
        "BPD Desa Baumata",
        scores=("85", "90"),
        outcome="accept:1.03.10.2.01.0055",
    ),
    DemoProposal(
        KAB_KUPANG,
        "Posyandu dan pemeriksaan gizi balita rutin",
        ProposalCategory.HEALTH,
        "Kasus stunting di dusun-dusun jauh dari puskesmas; diusulkan posyandu keliling bulanan.",
        "Amarasi",
        "Ponain",
        "150000000",
        "Kader Posyandu Desa Ponain",
        scores=("78",),
        agency="DINKES",
    ),
    DemoProposal(
        KAB_KUPANG,
        "Penerangan jalan umum tenaga surya",
        ProposalCategory.INFRASTRUCTURE,
        "Jalan desa gelap pada malam hari; usul 40 titik lampu tenaga surya.",
        "Kupang Timur",
        "Oefafi",
        "400000000",
        "Karang Taruna Desa Oefafi",
        scores=("74", "70"),
    ),
    DemoProposal(
        KAB_KUPANG,
        "Pembangunan gedung serbaguna desa",
        ProposalCategory.SOCIAL,
        "Usulan gedung serbaguna untuk pertemuan warga.",
        "Fatuleu",
        "Camplong II",
        "2500000000",
        "Tokoh masyarakat Desa Camplong II",
        outcome="reject:Bukan kewenangan kabupaten; diarahkan ke Dana Desa tahun berjalan.",
    ),
)


@dataclass
class _Context:
    year: FiscalYear
    regions: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def user(self, email: str) -> User:
        if email not in self.users:
            self.users[email] = User.objects.get(email=email)
        return self.users[email]


def load_planning_demo() -> Counter:
    """Add what is missing of E-Planning's demo data; returns what was added."""
    added = Counter()
    year = FiscalYear.objects.filter(year=YEAR).first()
    regions = {r.code: r for r in Region.objects.filter(code__in=[PROVINCE, KAB_KUPANG])}
    if year is None or len(regions) < 2:
        raise DomainError(_("Load the kernel's demo data (regions, agencies, fiscal years) first."))
    ctx = _Context(year=year, regions=regions)
    for agency in Agency.objects.filter(region__in=regions.values()).select_related("region"):
        ctx.agencies[(agency.region.code, agency.code)] = agency
    for region_code in (PROVINCE, KAB_KUPANG):
        added["rpjmd_goals"] += _ensure_rpjmd(ctx, region_code)
    for key, amount in CEILINGS.items():
        added["ceilings"] += _ensure_ceiling(ctx, key, amount)
    for spec in PLAN_ITEMS:
        added["plan_items"] += _ensure_plan_item(ctx, spec)
    for spec in PROPOSALS:
        added["proposals"] += _ensure_proposal(ctx, spec)
    return added


def demo_plan_item(region_code: str, code: str) -> PlanItem | None:
    """The demo's plan item on sub-activity ``code`` in the region, for 2027 (E-Budgeting's loader uses it)."""
    return (
        PlanItem.objects.filter(region__code=region_code, fiscal_year__year=YEAR, sub_activity__code=code)
        .select_related("agency", "fiscal_year", "sub_activity")
        .order_by("pk")
        .first()
    )


def _ensure_rpjmd(ctx: _Context, region_code: str) -> int:
    region = ctx.regions[region_code]
    if RpjmdGoal.objects.filter(region=region, period_start=RPJMD_START).exists():
        return 0
    actor = ctx.user(VERIFIERS[region_code])
    for number, statement, objectives in RPJMD[region_code]:
        goal = rpjmd_goal_create(actor=actor, region=region, period_start=RPJMD_START, code=number, statement=statement)
        for code, objective_text, indicator, unit, baseline, targets in objectives:
            objective = rpjmd_objective_create(actor=actor, goal=goal, code=code, statement=objective_text)
            rpjmd_indicator_create(
                actor=actor,
                objective=objective,
                name=indicator,
                unit=unit,
                baseline=baseline,
                targets=dict(zip(range(RPJMD_START, RPJMD_START + 5), targets, strict=True)),
            )
    return len(RPJMD[region_code])


def _ensure_ceiling(ctx: _Context, key: tuple, amount: Decimal) -> int:
    agency = ctx.agencies[key]
    if AgencyCeiling.objects.filter(agency=agency, fiscal_year=ctx.year).exists():
        return 0
    agency_ceiling_set(actor=ctx.user(VERIFIERS[key[0]]), agency=agency, fiscal_year=ctx.year, amount=amount)
    return 1


def _ensure_plan_item(ctx: _Context, spec: DemoPlanItem) -> int:
    if demo_plan_item(spec.region, spec.code) is not None:
        return 0
    region = ctx.regions[spec.region]
    planner, verifier = ctx.user(PLANNERS[(spec.region, spec.agency)]), ctx.user(VERIFIERS[spec.region])
    name, unit, target = spec.indicator
    objective = RpjmdObjective.objects.filter(
        goal__region=region, goal__period_start=RPJMD_START, code=spec.objective
    ).first()
    quarters = _cumulative_quarters(Decimal(target))
    item = plan_item_create(
        actor=planner,
        agency=ctx.agencies[(spec.region, spec.agency)],
        fiscal_year=ctx.year,
        sub_activity_code=spec.code,
        objective=objective,
        title=spec.title,
        district=spec.district,
        village=spec.village,
        indicative_ceiling=spec.ceiling,
        priority=spec.priority,
        indicators=[{"name": name, "unit": unit, "target_year": target, **quarters}],
    )
    steps = [
        (PlanStatus.SUBMITTED, lambda: plan_item_submit(plan_item_id=item.pk, actor=planner)),
        (PlanStatus.VERIFIED, lambda: plan_item_verify(plan_item_id=item.pk, actor=verifier, note=_VERIFY_NOTE)),
        (PlanStatus.APPROVED, lambda: plan_item_approve(plan_item_id=item.pk, actor=verifier)),
    ]
    order = [PlanStatus.DRAFT, *[status for status, _step in steps]]
    for _status, step in steps[: order.index(spec.status)]:
        step()
    return 1


_VERIFY_NOTE = "Sesuai RPJMD dan pagu indikatif perangkat daerah."


def _cumulative_quarters(target: Decimal) -> dict:
    """Quarter targets that rise to the year's: a quarter, a half, three quarters, all."""
    step = (target / 4).quantize(Decimal("0.0001"))
    return {"target_q1": step, "target_q2": step * 2, "target_q3": step * 3, "target_q4": target}


def _ensure_proposal(ctx: _Context, spec: DemoProposal) -> int:
    region = ctx.regions[spec.region]
    if CommunityProposal.objects.filter(region=region, fiscal_year=ctx.year, title=spec.title).exists():
        return 0
    recorder = ctx.user(PLANNERS[(spec.region, "DPUPR")])
    reviewer = ctx.user(VERIFIERS[spec.region])
    proposal = proposal_record(
        actor=recorder,
        region=region,
        fiscal_year=ctx.year,
        category=spec.category,
        title=spec.title,
        description=spec.description,
        district=spec.district,
        village=spec.village,
        estimated_cost=Decimal(spec.cost),
        proposer=spec.proposer,
        target_agency=ctx.agencies[(spec.region, spec.agency)],
    )
    for score in spec.scores:
        proposal_forward(proposal_id=proposal.pk, actor=reviewer, score=score, note="Prioritas forum.")
    kind, _sep, detail = spec.outcome.partition(":")
    if kind == "accept":
        plan_item = demo_plan_item(spec.region, detail)
        proposal_accept(proposal_id=proposal.pk, actor=reviewer, plan_item=plan_item, note="Masuk Renja 2027.")
    elif kind == "reject":
        proposal_reject(proposal_id=proposal.pk, actor=reviewer, reason=detail)
    return 1
