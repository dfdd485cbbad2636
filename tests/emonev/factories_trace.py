"""Chains for the trace tests, built directly in the database on top of the OCDS
``contracted_world`` (one budget line → one RUP item → one package, opened with three bids,
awarded, contracted and paid once)."""

import datetime
from decimal import Decimal as D

from emonev.choices import ReportStatus
from eplanning.choices import ProposalStatus
from eprocurement.choices import BidStatus, PackageStatus, PlanItemStatus
from eprocurement.models import Bid, PackagePlanItem
from tests.ebudgeting.factories import BudgetLineFactory, member
from tests.emonev.factories import report_row
from tests.eplanning.factories import RpjmdObjectiveFactory
from tests.eplanning.factories_musrenbang import ProposalFactory
from tests.eprocurement.factories_ocds import contracted_world, payment
from tests.eprocurement.factories_packages import PackageFactory
from tests.eprocurement.factories_plans import PlanItemFactory
from tests.eprocurement.factories_vendors import VendorFactory


def small_chain(region):
    """One line, one RUP item, one package with its contract and one payment; the plan
    item serves an RPJMD objective and came from a Musrenbang proposal."""
    world = contracted_world(region)
    world.root = world.lines[0].plan_item
    world.root.objective = RpjmdObjectiveFactory(goal__region=region)
    world.root.save(update_fields=["objective"])
    world.proposal = ProposalFactory(
        region=region, fiscal_year=world.year, plan_item=world.root, status=ProposalStatus.ACCEPTED
    )
    world.officer = member(world.agency, "monev_officer")
    return world


def grow(world):
    """Make the chain bigger at every level: two more lines of the plan item, a second RUP
    item drawing on two lines, its package with sealed (unopened) bids, two more payments
    and contract and plan item reports."""
    extra = [
        BudgetLineFactory(document=world.document, plan_item=world.root, volume=D("1"), unit_price=D("200000000"))
        for _ in range(2)
    ]
    rup = PlanItemFactory(
        agency=world.agency,
        fiscal_year=world.year,
        status=PlanItemStatus.ANNOUNCED,
        rup_code=f"9{world.root.pk:08d}",
        value=D("300000000.00"),
        funded_by=[(extra[0], D("100000000.00")), (extra[1], D("200000000.00"))],
    )
    sealed = PackageFactory(
        agency=world.agency,
        fiscal_year=world.year,
        status=PackageStatus.ANNOUNCED,
        code=f"X{rup.pk:08d}",
        value=D("300000000.00"),
        owner_estimate=D("290000000.00"),
        announced_at=world.now - datetime.timedelta(days=3),
    )
    PackagePlanItem.objects.create(package=sealed, plan_item=rup)
    world.sealed_bids = [
        Bid.objects.create(
            package=sealed,
            vendor=VendorFactory(status="verified", name=f"Rahasia Penawar {n}"),
            status=BidStatus.SUBMITTED,
            sealed_price="v1:SEALED-CIPHERTEXT",
            price_sha256="0" * 64,
            submitted_at=world.now - datetime.timedelta(days=1),
        )
        for n in range(2)
    ]
    world.sealed_package = sealed
    payment(world, world.contract, number="SP2D-0002", amount="150000000.00")
    payment(world, world.contract, number="SP2D-0003", amount="50000000.00")
    for month, physical in ((5, "15.00"), (6, "35.00")):
        report_row(world, month=month, physical=D(physical), status=ReportStatus.ACCEPTED, evidence=False)
    report_row(world, month=7, physical=D("50.00"), status=ReportStatus.DRAFT, evidence=False)
    report_row(
        world,
        month=5,
        contract=None,
        plan_item=world.root,
        physical=D("20.00"),
        status=ReportStatus.SUBMITTED,
        evidence=False,
    )
    world.extra_lines = extra
    world.rup2 = rup
    return world
