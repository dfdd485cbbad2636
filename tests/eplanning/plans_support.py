"""Given-steps shared by the plan tests: an agency of a region with its planner, the
region's Bappeda (plan verifier) and a ceiling for 2027."""

from decimal import Decimal
from types import SimpleNamespace

from eplanning.choices import PlanStatus
from tests.eplanning.factories import AgencyCeilingFactory, FiscalYearFactory, PlanIndicatorFactory, PlanItemFactory
from tests.factories import AgencyFactory


def indicator_row(**overrides) -> dict:
    row = {
        "name": "Jumlah konten informasi publik",
        "unit": "konten",
        "target_year": "40",
        "target_q1": "10",
        "target_q2": "20",
        "target_q3": "30",
        "target_q4": "40",
    }
    return {**row, **overrides}


def given_region_staff(region, make_member, *, ceiling=Decimal("500000000.00")):
    year = FiscalYearFactory(year=2027)
    agency = AgencyFactory(region=region, code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")
    bappeda = AgencyFactory(region=region, code="BAPPEDA", name="Badan Perencanaan Pembangunan Daerah")
    staff = SimpleNamespace(
        year=year,
        agency=agency,
        bappeda=bappeda,
        planner=make_member(agency, "planner"),
        verifier=make_member(bappeda, "plan_verifier"),
        ceiling=AgencyCeilingFactory(agency=agency, fiscal_year=year, amount=ceiling) if ceiling is not None else None,
    )
    return staff


def given_item(staff, status=PlanStatus.DRAFT, **fields):
    item = PlanItemFactory(agency=staff.agency, fiscal_year=staff.year, status=status, **fields)
    PlanIndicatorFactory(plan_item=item)
    return item
