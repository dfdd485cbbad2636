"""Rows for the OCDS and red-flag tests: a tender world carried through opening, award,
contract and payment directly in the database (the workflow services are another part's)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from eprocurement.choices import BidStatus, ContractStatus, PackageDocumentKind, PackageStatus
from eprocurement.models import (
    Award,
    Bid,
    BidEvaluation,
    Contract,
    ContractPayment,
    Package,
    PackageDocument,
    ScheduleChange,
)
from tests.eprocurement.factories_packages import PackageFactory, schedule_around, set_schedule, tender_world
from tests.eprocurement.factories_vendors import VendorFactory

DAY = datetime.timedelta(days=1)


def set_status(package, status) -> None:
    package.status = status
    package.save(update_fields=["status"])


def sealed_bids(world, count=2) -> list[Bid]:
    """Submitted bids before opening: only a sealed price, no opened price."""
    return [
        Bid.objects.create(
            package=world.package,
            vendor=vendor,
            status=BidStatus.SUBMITTED,
            sealed_price="v1:SEALED-CIPHERTEXT",
            price_sha256="0" * 64,
            submitted_at=world.now - 2 * DAY,
        )
        for vendor in world.vendors[:count]
    ]


def open_bids(world, prices) -> list[Bid]:
    """Bids of the world's first vendors at ``prices``, opened; the package OPENED."""
    bids = [
        Bid.objects.create(
            package=world.package,
            vendor=vendor,
            status=BidStatus.SUBMITTED,
            sealed_price="v1:SEALED-CIPHERTEXT",
            price_sha256="0" * 64,
            submitted_at=world.now - 2 * DAY,
            opened_at=world.now - datetime.timedelta(minutes=30),
            opened_price=Decimal(str(price)),
        )
        for vendor, price in zip(world.vendors, prices, strict=False)
    ]
    set_status(world.package, PackageStatus.OPENED)
    return bids


def evaluate(bid, *, passed=True, rank=None) -> BidEvaluation:
    return BidEvaluation.objects.create(
        bid=bid,
        administrative_pass=True,
        qualification_pass=True,
        technical_pass=True,
        price_pass=passed,
        rank=rank,
    )


def award(world, bid, *, announced=True) -> Award:
    made = Award.objects.create(
        package=world.package,
        bid=bid,
        vendor=bid.vendor,
        value=bid.opened_price,
        decided_by=world.pokja[0],
        decided_at=world.now,
        announced_at=world.now + datetime.timedelta(hours=1) if announced else None,
    )
    if announced:
        set_status(world.package, PackageStatus.AWARDED)
    return made


def contract(world, made_award, *, number=None) -> Contract:
    signed = Contract.objects.create(
        package=world.package,
        vendor=made_award.vendor,
        number=number or f"KTR/{world.package.code}/2026",
        value=made_award.value,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 10, 31),
        payment_terms="Termin 30% / 70%",
        status=ContractStatus.SIGNED,
        signed_at=world.now + 2 * DAY,
        signed_by=world.ppk,
    )
    set_status(world.package, PackageStatus.CONTRACTED)
    return signed


def payment(world, signed, *, number="SP2D-0001", amount="100000000.00") -> ContractPayment:
    return ContractPayment.objects.create(
        contract=signed,
        number=number,
        date=datetime.date(2026, 7, 1),
        amount=Decimal(amount),
        description="Termin pertama",
        created_by=world.ppk,
    )


def add_document(world, *, title="Dokumen pemilihan") -> PackageDocument:
    return PackageDocument.objects.create(
        package=world.package,
        kind=PackageDocumentKind.SELECTION,
        title=title,
        file=ContentFile(b"%PDF-1.4 dokumen", name="dokumen.pdf"),
        size=16,
        sha256="a" * 64,
        uploaded_by=world.pokja[0],
    )


def extend_bid_deadline(world, *, days=2, reason="Gangguan server LPSE") -> ScheduleChange:
    stage = world.package.stages.get(stage="bid_submission")
    change = ScheduleChange.objects.create(
        package=world.package,
        stage=stage.stage,
        old_starts_at=stage.starts_at,
        old_ends_at=stage.ends_at,
        new_starts_at=stage.starts_at,
        new_ends_at=stage.ends_at + days * DAY,
        reason=reason,
        changed_by=world.pokja[0],
    )
    stage.ends_at += days * DAY
    stage.save(update_fields=["ends_at"])
    return change


def contracted_world(region, **kwargs):
    """A package carried through opening (three bids), award, contract and one payment."""
    world = tender_world(region, phase="evaluation", **kwargs)
    bids = open_bids(world, ["900000000", "910000000", "920000000"])
    for rank, bid in enumerate(bids, start=1):
        evaluate(bid, rank=rank)
    world.bids = bids
    world.award = award(world, bids[0])
    world.contract = contract(world, world.award)
    world.payment = payment(world, world.contract)
    return world


def sibling_package(world, prices) -> Package:
    """Another opened package of the world's agency and year, with bids at ``prices`` by
    new vendors (``tender_world`` makes one agency per region)."""
    package = PackageFactory(
        agency=world.agency,
        fiscal_year=world.year,
        status=PackageStatus.OPENED,
        code=f"S{Package.objects.count() + 1:08d}",
        announced_at=world.now - 9 * DAY,
    )
    set_schedule(package, schedule_around(world.now, "evaluation"))
    for price in prices:
        Bid.objects.create(
            package=package,
            vendor=VendorFactory(status="verified"),
            status=BidStatus.SUBMITTED,
            submitted_at=world.now - 2 * DAY,
            opened_at=world.now - datetime.timedelta(minutes=30),
            opened_price=Decimal(str(price)),
        )
    return package
