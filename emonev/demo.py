"""E-Monev's part of ``manage.py load_demo`` (it runs after E-Procurement's): the
monitoring of the province's Dinas PUPR in the demo year —

- planned curves: an S-curve for the signed road contract (when the procurement demo made
  one: it needs the sealing key) set by the PPK, and an even curve for two approved plan
  items (the road rehabilitation and the routine maintenance) set by the monev officer;
- the monthly progress reports of every month that has ended by the server's date, each
  with a small generated photo as evidence: the contract's are accepted by Bappeda's
  verifier and fall behind its plan until it is critical, and its PPK then records the
  first escalation step (SCM 1); the plan items' are accepted, except the latest month,
  which waits for the verifier (first item) or was returned for correction (second);
- the indicator achievements of every quarter that has ended: verified, except the latest.

Nothing is back-dated: the services only take a month once it has ended (a quarter once it
has ended), so what exists depends on the date the demo is loaded. While the demo year has
not begun (tender dini: the works run in the fiscal year after the tender), only the
curves exist; loading again later adds the months that have ended since. A report,
curve, achievement or escalation that exists is left alone: a second run adds nothing.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from eplanning.choices import PlanStatus
from eplanning.demo import PROVINCE, YEAR, demo_plan_item
from eprocurement.choices import ContractStatus
from eprocurement.demo import TENDERS
from eprocurement.models import Contract
from portal.choices import Role
from portal.demo import demo_email
from portal.models import User
from portal.services import DomainError

from .choices import ReportStatus
from .models import AchievementStatus, CriticalStatus, IndicatorAchievement, ProgressReport
from .rules import month_end
from .selectors.curves import curve_months, curve_of, planned_at
from .services.critical import escalation_record, next_escalation_step
from .services.curves import planned_curve_set, propose_curve
from .services.evidence import evidence_add
from .services.performance import achievement_record, achievement_verify, quarter_end
from .services.reports import (
    progress_report_accept,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
)

logger = logging.getLogger(__name__)

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DemoSubject:
    """How a subject's months go: the share of the plan reached each month (the contract's
    falls behind), and what happens to the latest month's report."""

    label: str
    pace: tuple[Decimal, ...]  # reached / planned, month by month (the last repeats)
    latest: str  # ReportStatus of the latest ended month: accepted, submitted or returned
    problems: str
    follow_up: str


CONTRACT = DemoSubject(
    "contract",
    (Decimal("0.90"), Decimal("0.75"), Decimal("0.60"), Decimal("0.55")),
    ReportStatus.ACCEPTED,
    "Hujan deras dan keterlambatan mobilisasi alat berat (asphalt finisher) dari Surabaya.",
    "Penambahan jam kerja dan satu unit excavator; rapat pembuktian (SCM) dengan penyedia.",
)
# (sub-activity code of the approved demo plan item, how it goes)
PLAN_ITEMS = (
    (
        "1.03.10.1.01.0030",
        DemoSubject(
            "plan item",
            (Decimal("1.00"), Decimal("0.97")),
            ReportStatus.SUBMITTED,
            "Survei teknis ruas Noelbaki–Tarus mundur satu minggu karena cuaca.",
            "Konsultan perencana menambah satu tim survei.",
        ),
    ),
    (
        "1.03.10.1.01.0045",
        DemoSubject(
            "plan item",
            (Decimal("0.95"),),
            ReportStatus.RETURNED,
            "Pemeliharaan rutin berjalan sesuai jadwal.",
            "",
        ),
    ),
)
RETURN_COMMENT = "Foto bukti tidak menunjukkan lokasi pekerjaan; lampirkan foto dengan titik lokasi (km)."
ACCEPT_COMMENT = "Sesuai dengan bukti foto dan realisasi SP2D."
ACHIEVED_SHARE = Decimal("0.90")  # of each quarter's target


def load_monev_demo() -> Counter:
    """Add what is missing of E-Monev's demo data; returns what was added."""
    officer, verifier, ppk = _people()
    added = Counter()
    contract = _demo_contract()
    if contract is None:
        logger.warning("E-Monev demo: the procurement demo has no signed contract (no sealing key); plan items only.")
    else:
        _curve(contract, ppk, added)
        _reports(contract, CONTRACT, officer, verifier, added)
        _escalate(contract, ppk, added)
    for code, spec in PLAN_ITEMS:
        item = demo_plan_item(PROVINCE, code)
        if item is None or item.status != PlanStatus.APPROVED:
            message = _("Load E-Planning's demo data (the approved plan item %(code)s) first.")
            raise DomainError(message % {"code": code})
        _curve(item, officer, added)
        _reports(item, spec, officer, verifier, added)
        _achievements(item, officer, verifier, added)
    return added


def _people() -> tuple[User, User, User]:
    emails = {role: demo_email(role) for role in (Role.MONEV_OFFICER, Role.MONEV_VERIFIER, Role.PPK)}
    people = {user.email: user for user in User.objects.filter(email__in=emails.values())}
    if len(people) < len(emails):
        raise DomainError(_("Load the kernel's demo data (the demo accounts) first."))
    return tuple(people[emails[role]] for role in (Role.MONEV_OFFICER, Role.MONEV_VERIFIER, Role.PPK))


def _demo_contract() -> Contract | None:
    name = next(spec.name for spec in TENDERS if spec.phase == "contract")
    return (
        Contract.objects.filter(
            package__agency__region__code=PROVINCE,
            package__agency__code="DPUPR",
            package__name=name,
            status=ContractStatus.SIGNED,
        )
        .select_related("package")
        .first()
    )


def _curve(subject, actor: User, added: Counter) -> None:
    if curve_of(subject) is not None:
        return
    physical, financial = propose_curve(subject)
    if isinstance(subject, Contract):
        planned_curve_set(contract=subject, physical=physical, financial=financial, actor=actor)
    else:
        planned_curve_set(plan_item=subject, physical=physical, financial=financial, actor=actor)
    added["curves"] += 1


def ended_months(subject) -> list[tuple[int, int]]:
    """The subject's planned months that have ended by the server's date."""
    today = timezone.localdate()
    return [(year, month) for year, month in curve_months(subject) if month_end(year, month) < today]


def _reports(subject, spec: DemoSubject, officer: User, verifier: User, added: Counter) -> None:
    months = ended_months(subject)
    key = {"contract": subject} if isinstance(subject, Contract) else {"plan_item": subject}
    existing = {(r.year, r.month): r for r in ProgressReport.objects.filter(**key)}
    for index, (year, month) in enumerate(months):
        report = existing.get((year, month))
        latest = index == len(months) - 1
        if report is not None:
            # Loaded before, when this was the latest month: the verifier has looked at
            # it since. Anything else (a returned report, someone's draft) is left alone.
            if report.status == ReportStatus.SUBMITTED and not latest:
                progress_report_accept(report=report, actor=verifier, comment=ACCEPT_COMMENT)
            continue
        planned = planned_at(subject, year, month)[0]
        pace = spec.pace[min(index, len(spec.pace) - 1)]
        report = progress_report_create(
            year=year,
            month=month,
            data={
                "physical_pct": (planned * pace).quantize(CENT),
                "problems": spec.problems if latest or pace < 1 else "",
                "follow_up": spec.follow_up if latest or pace < 1 else "",
            },
            actor=officer,
            **key,
        )
        added["progress_reports"] += 1
        evidence_add(
            report=report,
            upload=demo_photo(f"progres-{year}-{month:02d}.jpg", month),
            actor=officer,
            caption=_("Site photo, end of %(month)02d/%(year)s") % {"month": month, "year": year},
        )
        added["evidence"] += 1
        report = progress_report_submit(report=report, actor=officer)
        outcome = spec.latest if latest else ReportStatus.ACCEPTED
        if outcome == ReportStatus.ACCEPTED:
            progress_report_accept(report=report, actor=verifier, comment=ACCEPT_COMMENT)
        elif outcome == ReportStatus.RETURNED:
            progress_report_return(report=report, actor=verifier, comment=RETURN_COMMENT)


def _escalate(contract: Contract, ppk: User, added: Counter) -> None:
    """The PPK's first step on the contract once it is critical: a show-cause meeting."""
    status = CriticalStatus.objects.filter(contract=contract, is_critical=True).first()
    if status is None or status.escalations.filter(recorded_at__gte=status.since).exists():
        return
    escalation_record(
        status=status,
        step=next_escalation_step(status, 0),
        held_on=timezone.localdate(),
        reference=f"001/SCM-1/DPUPR/{YEAR}",
        note="Penyedia menyanggupi percepatan: penambahan alat dan tenaga kerja, target 14 hari.",
        actor=ppk,
    )
    added["escalations"] += 1


def _achievements(item, officer: User, verifier: User, added: Counter) -> None:
    today = timezone.localdate()
    year = item.fiscal_year.year
    ended = [quarter for quarter in (1, 2, 3, 4) if quarter_end(year, quarter) < today]
    for indicator in item.indicators.all():
        recorded = {a.quarter: a for a in IndicatorAchievement.objects.filter(indicator_id=indicator.pk)}
        for quarter in ended:
            achievement = recorded.get(quarter)
            if achievement is None:
                target = getattr(indicator, f"target_q{quarter}")
                achievement = achievement_record(
                    indicator=indicator,
                    quarter=quarter,
                    actual=(target * ACHIEVED_SHARE).quantize(Decimal("0.0001")),
                    note="",
                    actor=officer,
                )
                added["achievements"] += 1
            if quarter != ended[-1] and achievement.status == AchievementStatus.RECORDED:
                achievement_verify(achievement=achievement, actor=verifier)


def demo_photo(name: str, seed: int) -> SimpleUploadedFile:
    """A small JPEG drawn here (a sky, a road and a stripe), so the demo needs no image file."""
    image = Image.new("RGB", (160, 120), (135, 190 - seed * 4, 235))
    draw = ImageDraw.Draw(image)
    draw.polygon([(40, 120), (120, 120), (88, 50), (72, 50)], fill=(70, 70, 70))
    draw.rectangle([0, 50, 160, 54], fill=(90 + seed * 10, 140, 60))
    draw.line([(80, 118), (80, 56)], fill=(240, 240, 240), width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
