"""Rows for the dashboard tests, written directly: agencies with an approved DPA whose
lines sit on sub-activities of one or more programs, contracts funded by those lines, and
their reports and critical statuses. Figures are chosen so the expected sums and weighted
averages can be worked out by hand in each test."""

import datetime
from decimal import Decimal as D
from types import SimpleNamespace

from django.utils import timezone

from ebudgeting.choices import DocumentStatus
from ebudgeting.totals import refresh_document_totals
from emonev.choices import ReportStatus
from emonev.models import CriticalStatus, ProgressReport
from emonev.rules import due_date
from eplanning.choices import PlanStatus
from eprocurement.choices import ContractStatus, PackageStatus
from eprocurement.models import Contract, PackagePlanItem
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, FiscalYearFactory
from tests.eplanning.factories import PlanItemFactory, SubActivityFactory
from tests.eprocurement.factories_packages import PackageFactory
from tests.eprocurement.factories_plans import PlanItemFactory as RupFactory
from tests.eprocurement.factories_vendors import VendorFactory
from tests.factories import AgencyFactory, UserFactory

# Two programs of the regency list: 2.16.02 and 2.16.03 (communication and informatics).
SUB_A = "2.16.02.2.01.0026"
SUB_B = "2.16.03.2.01.0001"


def agency_world(region, code, *, lines=((SUB_A, "1000000", "200000", "300000"),)):
    """An agency of ``region`` with an approved 2026 DPA: one line per
    (sub-activity code, amount, committed, realized); the DPA's totals refreshed."""
    agency = AgencyFactory(region=region, code=code, name=f"Dinas {code} {region.name}")
    year = FiscalYearFactory()
    document = BudgetDocumentFactory(
        agency=agency, fiscal_year=year, status=DocumentStatus.APPROVED, number=f"DPA/{code}"
    )
    made = []
    for sub, amount, committed, realized in lines:
        plan_item = PlanItemFactory(
            agency=agency, fiscal_year=year, sub_activity=SubActivityFactory(code=sub), status=PlanStatus.APPROVED
        )
        made.append(
            BudgetLineFactory(
                document=document,
                plan_item=plan_item,
                volume=D("1"),
                unit_price=D(amount),
                amount=D(amount),
                committed=D(committed),
                realized=D(realized),
            )
        )
    refresh_document_totals(document.pk)
    return SimpleNamespace(agency=agency, year=year, document=document, lines=made, author=UserFactory())


def contract_of(world, line, *, value, package_status=PackageStatus.CONTRACTED, status=ContractStatus.SIGNED):
    """A signed contract of ``value`` whose package's RUP item draws ``value`` on ``line``."""
    value = D(value)
    rup = RupFactory(agency=world.agency, fiscal_year=world.year, value=value, funded_by=[(line, value)])
    package = PackageFactory(
        agency=world.agency, fiscal_year=world.year, value=value, owner_estimate=value, status=package_status
    )
    PackagePlanItem.objects.create(package=package, plan_item=rup)
    return Contract.objects.create(
        package=package,
        vendor=VendorFactory(status="verified"),
        number=f"KTR/{package.pk}/2026",
        value=value,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        payment_terms="Termin",
        status=status,
    )


def report(world, contract, *, month, physical, planned, status=ReportStatus.ACCEPTED, **fields):
    return ProgressReport.objects.create(
        agency=world.agency,
        contract=contract,
        year=2026,
        month=month,
        physical_pct=D(physical),
        planned_physical_pct=D(planned) if planned is not None else None,
        status=status,
        due_on=due_date(2026, month),
        created_by=world.author,
        **fields,
    )


def make_critical(world, contract, *, planned="50", actual="30"):
    now = timezone.now()
    return CriticalStatus.objects.create(
        contract=contract,
        agency=world.agency,
        is_critical=True,
        since=now,
        year=2026,
        month=5,
        planned_pct=D(planned),
        actual_pct=D(actual),
        basis="report",
        evaluated_at=now,
    )
