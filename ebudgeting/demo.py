"""E-Budgeting's part of ``manage.py load_demo`` (it runs after E-Planning's): the
province's Dinas PUPR has an approved DPA for 2027 on its approved plan items, with
lines on real account codes, cash plans that add up, and the first SP2D payments; the
province's Diskominfo has an RKA in draft.

Written through the services as the demo accounts (budget officer, BPKAD, treasurer),
so the rules hold and the audit log tells the story. A document that exists is left
alone: a second run adds nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from eplanning.demo import PROVINCE, YEAR, demo_plan_item
from portal.choices import Role
from portal.demo import DEMO_DOMAIN, demo_email
from portal.models import Agency, FiscalYear, User
from portal.services import DomainError

from .choices import AccountLevel
from .models import AccountCode, BudgetDocument, FundingSource
from .services.documents import document_approve, document_create, document_submit, document_verify, line_add
from .services.ledger import ledger_realize

KOMINFO_BUDGET_OFFICER = f"budget.officer.diskominfo@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoLine:
    sub_activity: str  # the approved demo plan item's sub-activity
    account: str  # a sub rincian objek of the shipped account codes
    funding: str
    description: str
    volume: str
    unit: str
    unit_price: str
    months: tuple  # the months the amount is spread over, evenly (the last takes the rest)


PUPR_LINES = (
    DemoLine(
        "1.03.10.1.01.0030",
        "5.2.04.01.01.0002",
        "DAK-FISIK",
        "Rehabilitasi jalan ruas Noelbaki–Tarus",
        "4.2",
        "km",
        "1900000000",
        (3, 6, 9, 11),
    ),
    DemoLine(
        "1.03.10.1.01.0030",
        "5.1.02.02.08.0009",
        "PAD",
        "Konsultan perencanaan teknis rehabilitasi jalan",
        "1",
        "paket",
        "350000000",
        (2, 3),
    ),
    DemoLine(
        "1.03.10.1.01.0030",
        "5.1.02.01.01.0024",
        "PAD",
        "Alat tulis kantor kegiatan rehabilitasi jalan",
        "12",
        "bulan",
        "2500000",
        tuple(range(1, 13)),
    ),
    DemoLine(
        "1.03.10.1.01.0045",
        "5.1.02.03.04.0002",
        "DAU",
        "Pemeliharaan rutin jalan provinsi wilayah Timor",
        "120",
        "km",
        "24000000",
        tuple(range(2, 12)),
    ),
    DemoLine(
        "1.03.10.1.01.0045",
        "5.1.02.04.01.0001",
        "DAU",
        "Perjalanan dinas pengawasan pemeliharaan jalan",
        "48",
        "orang-perjalanan",
        "3500000",
        tuple(range(1, 13)),
    ),
)
KOMINFO_LINES = (
    DemoLine(
        "2.16.02.1.01.0029",
        "5.1.02.02.01.0003",
        "PAD",
        "Honorarium narasumber dialog publik pembangunan",
        "24",
        "orang-jam",
        "1700000",
        (3, 5, 8, 10),
    ),
    DemoLine(
        "2.16.02.1.01.0029",
        "5.1.02.01.01.0052",
        "PAD",
        "Makan dan minum rapat diseminasi informasi",
        "600",
        "kotak",
        "55000",
        (3, 5, 8, 10),
    ),
)
# (line number in PUPR_LINES, SP2D number, date, amount, what it pays for)
PUPR_PAYMENTS = (
    (2, "0041/LS/DPUPR/2027", datetime.date(2027, 1, 29), "2500000", "ATK bulan Januari 2027"),
    (2, "0087/LS/DPUPR/2027", datetime.date(2027, 2, 26), "2500000", "ATK bulan Februari 2027"),
    (1, "0102/LS/DPUPR/2027", datetime.date(2027, 3, 12), "175000000", "Termin I konsultan perencanaan teknis"),
)


def load_budgeting_demo() -> Counter:
    """Add what is missing of E-Budgeting's demo data; returns what was added."""
    added = Counter()
    year = FiscalYear.objects.filter(year=YEAR).first()
    agencies = {a.code: a for a in Agency.objects.filter(region__code=PROVINCE, code__in=["DPUPR", "DISKOMINFO"])}
    if year is None or len(agencies) < 2:
        raise DomainError(_("Load the kernel's demo data (regions, agencies, fiscal years) first."))
    if not BudgetDocument.objects.filter(agency=agencies["DPUPR"], fiscal_year=year).exists():
        document = _document(agencies["DPUPR"], year, demo_email(Role.BUDGET_OFFICER), PUPR_LINES)
        lines = list(document.lines.order_by("pk"))
        _approve(document)
        added["budget_documents"] += 1
        added["budget_lines"] += len(lines)
        added["realizations"] += _pay(lines)
    if not BudgetDocument.objects.filter(agency=agencies["DISKOMINFO"], fiscal_year=year).exists():
        document = _document(agencies["DISKOMINFO"], year, KOMINFO_BUDGET_OFFICER, KOMINFO_LINES)
        added["budget_documents"] += 1
        added["budget_lines"] += document.lines.count()
    return added


def _document(agency: Agency, year: FiscalYear, officer_email: str, specs) -> BudgetDocument:
    officer = User.objects.get(email=officer_email)
    document = document_create(agency=agency, fiscal_year=year, actor=officer)
    for spec in specs:
        plan_item = demo_plan_item(PROVINCE, spec.sub_activity)
        if plan_item is None:
            raise DomainError(_("The demo plan item %(code)s is missing.") % {"code": spec.sub_activity})
        amount = Decimal(spec.volume) * Decimal(spec.unit_price)
        line_add(
            document_id=document.pk,
            actor=officer,
            cash_plan=spread(amount, spec.months),
            plan_item=plan_item,
            account=_account(spec.account),
            funding_source=FundingSource.objects.get(code=spec.funding),
            description=spec.description,
            volume=spec.volume,
            unit=spec.unit,
            unit_price=spec.unit_price,
        )
    return document


def _account(code: str) -> AccountCode:
    account = AccountCode.objects.filter(code=code, level=AccountLevel.SUB_RINCIAN_OBJEK, is_active=True).first()
    if account is None:
        raise DomainError(_("The account code %(code)s is not in the loaded list.") % {"code": code})
    return account


def spread(amount: Decimal, months) -> list[Decimal]:
    """A 12-month cash plan: ``amount`` in equal parts over ``months``, the last taking the rest."""
    amount = amount.quantize(Decimal("0.01"))
    part = (amount / len(months)).quantize(Decimal("1"))
    plan = [Decimal("0")] * 12
    for month in months:
        plan[month - 1] = part
    plan[months[-1] - 1] = amount - part * (len(months) - 1)
    return plan


def _approve(document: BudgetDocument) -> None:
    officer, verifier = User.objects.get(email=demo_email(Role.BUDGET_OFFICER)), _budget_verifier()
    document_submit(document_id=document.pk, actor=officer)
    document_verify(document_id=document.pk, actor=verifier)
    document_approve(document_id=document.pk, actor=verifier)


def _budget_verifier() -> User:
    return User.objects.get(email=demo_email(Role.BUDGET_VERIFIER))


def _pay(lines) -> int:
    treasurer = User.objects.get(email=demo_email(Role.TREASURER))
    for index, number, date, amount, purpose in PUPR_PAYMENTS:
        ledger_realize(
            line_id=lines[index].pk, amount=amount, number=number, date=date, purpose=purpose, actor=treasurer
        )
    return len(PUPR_PAYMENTS)
