"""Rows for the evaluation, award and contract tests: an opened package with bids whose
prices are already in clear (the opening itself is tested elsewhere), and helpers that
move one schedule stage around *now*."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from ebudgeting.services.ledger import ledger_commit
from eprocurement.choices import BidStatus, EvaluationMethod, ProcurementKind, TenderStage
from eprocurement.models import Bid, PackageStage
from eprocurement.services import awards as award_services
from eprocurement.services import contracts as contract_services
from eprocurement.services import evaluation as services
from tests.eprocurement.factories_packages import tender_world

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
PRICES = (Decimal("900000000.00"), Decimal("850000000.00"), Decimal("800000000.00"))


def opened_world(region, *, prices=PRICES, method=EvaluationMethod.KNOCKOUT, kind=ProcurementKind.WORKS):
    """``tender_world(phase="evaluation")`` with one submitted, opened bid per price (in
    submission order), the RUP item's funds committed on its line as announcing does."""
    world = tender_world(region, phase="evaluation", vendors=len(prices))
    package = world.package
    package.evaluation_method, package.kind = method, kind
    package.save(update_fields=["evaluation_method", "kind"])
    now = timezone.now()
    bids = [
        Bid.objects.create(
            package=package,
            vendor=vendor,
            status=BidStatus.SUBMITTED,
            opened_price=price,
            submitted_at=now - 2 * DAY + index * HOUR,
            opened_at=now - HOUR,
        )
        for index, (vendor, price) in enumerate(zip(world.vendors, prices, strict=False))
    ]
    ledger_commit(
        line_id=world.lines[0].pk, amount=world.plan_item.value, reference=f"rup:{world.plan_item.pk}", actor=None
    )
    return SimpleNamespace(**vars(world), bids=bids, chair=world.pokja[0])


def pass_all(world, bid, **extra):
    """The pokja passes every part of ``bid`` (pass/fail methods)."""
    values = {
        "administrative_pass": True,
        "qualification_pass": True,
        "technical_pass": True,
        "price_pass": True,
        **extra,
    }
    return services.evaluation_record(bid=bid, actor=world.chair, **values)


def move_stage(package, stage, start, end) -> None:
    PackageStage.objects.filter(package=package, stage=stage).update(starts_at=start, ends_at=end)


def awarded(world, *, announce=True):
    """Evaluate every bid as passing, rank, prove the first and award it (announced)."""
    for bid in world.bids:
        pass_all(world, bid)
    ranking = services.evaluation_rank(package=world.package, actor=world.chair)
    first = ranking[0].bid
    services.qualification_proof_record(bid=first, actor=world.chair, proven=True)
    award = award_services.award_decide(package=world.package, actor=world.chair, bid=first)
    if announce:
        award_services.award_announce(package=world.package, actor=world.chair)
    return award


TERMS = {
    "starts_on": datetime.date(2026, 6, 1),
    "ends_on": datetime.date(2026, 11, 30),
    "payment_terms": "Termin 1: 50% pada progres 50%; termin 2: 50% pada serah terima",
}


def appointed(world):
    """Awarded and announced, both periods over, the SPPBJ issued by the PPK."""
    award = awarded(world)
    now = timezone.now()
    move_stage(world.package, TenderStage.OBJECTION, now - 6 * DAY, now - DAY)
    move_stage(world.package, TenderStage.APPEAL, now - DAY, now - HOUR)
    award_services.award_appoint(package=world.package, actor=world.ppk, number="SPPBJ/1")
    return award


def signed(world, value="800000000.00"):
    """Appointed, the contract drafted and signed by the PPK."""
    appointed(world)
    contract = contract_services.contract_create(
        package=world.package, actor=world.ppk, number="KTR/1", value=value, **TERMS
    )
    return contract_services.contract_sign(contract=contract, actor=world.ppk)
