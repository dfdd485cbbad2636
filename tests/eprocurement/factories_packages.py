"""Rows for the package, bid and award tests: a tender world built directly in the
database (the workflow tests go through the services).

``tender_world(region, phase=...)`` gives an agency with an approved DPA, an announced RUP
item committing its line, a tender package of that item with a PPK and a pokja of three,
and a schedule placed around *now* so the package is in ``phase``:

- ``"draft"``: not announced; schedule starting tomorrow;
- ``"explanation"``: announced, questions open, bids due in 5 days;
- ``"bidding"``: bids due in 2 hours, opening after them;
- ``"opening"``: deadline passed 1 hour ago, opening time passed;
- ``"evaluation"``: as ``opening`` but the package is opened (status OPENED).
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.utils import timezone

from eprocurement.choices import (
    EvaluationMethod,
    PackageStatus,
    PlanItemStatus,
    ProcurementKind,
    ProcurementMethod,
    TenderStage,
)
from eprocurement.models import Package, PackagePlanItem, PackageStage, PokjaMember
from tests.ebudgeting.factories import member
from tests.eprocurement.factories_plans import PlanItemFactory, rup_world
from tests.eprocurement.factories_vendors import VendorFactory

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    agency = factory.SubFactory("tests.factories.AgencyFactory")
    fiscal_year = factory.SubFactory("tests.ebudgeting.factories.FiscalYearFactory")
    name = factory.Sequence(lambda n: f"Pembangunan gedung uji {n}")
    kind = ProcurementKind.WORKS
    method = ProcurementMethod.TENDER
    evaluation_method = EvaluationMethod.KNOCKOUT
    value = Decimal("1000000000.00")
    owner_estimate = Decimal("950000000.00")
    status = PackageStatus.DRAFT


def schedule_around(now, phase: str) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """Stage → (start, end) so that at ``now`` the package is in ``phase``."""
    bid_deadline = {
        "draft": now + 10 * DAY,
        "explanation": now + 5 * DAY,
        "bidding": now + 2 * HOUR,
        "opening": now - HOUR,
        "evaluation": now - HOUR,
    }[phase]
    announced = bid_deadline - 9 * DAY
    rows = {
        TenderStage.ANNOUNCEMENT: (announced, announced + 7 * DAY),
        TenderStage.DOCUMENT_DOWNLOAD: (announced, bid_deadline),
        TenderStage.EXPLANATION: (announced + 2 * DAY, bid_deadline - 3 * DAY),
        TenderStage.BID_SUBMISSION: (announced + 2 * DAY, bid_deadline),
        TenderStage.OPENING: (bid_deadline, bid_deadline + HOUR - datetime.timedelta(minutes=30)),
        TenderStage.EVALUATION: (bid_deadline + HOUR, bid_deadline + 3 * DAY),
        TenderStage.QUALIFICATION_PROOF: (bid_deadline + 3 * DAY, bid_deadline + 4 * DAY),
        TenderStage.WINNER_DECISION: (bid_deadline + 4 * DAY, bid_deadline + 5 * DAY),
        TenderStage.WINNER_ANNOUNCEMENT: (bid_deadline + 5 * DAY, bid_deadline + 6 * DAY),
        TenderStage.OBJECTION: (bid_deadline + 6 * DAY, bid_deadline + 11 * DAY),
        TenderStage.APPEAL: (bid_deadline + 11 * DAY, bid_deadline + 16 * DAY),
        TenderStage.APPOINTMENT: (bid_deadline + 16 * DAY, bid_deadline + 18 * DAY),
        TenderStage.CONTRACT_SIGNING: (bid_deadline + 18 * DAY, bid_deadline + 30 * DAY),
    }
    if phase == "opening" or phase == "evaluation":
        # The opening window has begun (and the deadline passed) at ``now``.
        rows[TenderStage.OPENING] = (bid_deadline, bid_deadline + 2 * HOUR)
    return rows


def set_schedule(package, rows) -> None:
    PackageStage.objects.filter(package=package).delete()
    PackageStage.objects.bulk_create(
        PackageStage(package=package, stage=stage, starts_at=start, ends_at=end) for stage, (start, end) in rows.items()
    )


def tender_world(region, *, phase: str = "bidding", now=None, value=Decimal("1000000000.00"), vendors: int = 3):
    """See the module docstring. ``vendors`` verified vendors are made, none bidding yet."""
    now = now or timezone.now()
    rup = rup_world(region, lines=1, line_amount=value)
    plan_item = PlanItemFactory(
        agency=rup.agency,
        fiscal_year=rup.year,
        kind=ProcurementKind.WORKS,
        method=ProcurementMethod.TENDER,
        value=value,
        small_business_reserved=True,
        status=PlanItemStatus.ANNOUNCED,
        rup_code=f"2026{region.code.replace('.', '')}{PlanItemFactory._meta.model.objects.count() + 1:06d}",
        funded_by=[(rup.lines[0], value)],
    )
    ppk = rup.ppk
    pokja = [member(rup.agency, "pokja") for _ in range(3)]
    announced = phase != "draft"
    package = PackageFactory(
        agency=rup.agency,
        fiscal_year=rup.year,
        value=value,
        owner_estimate=(value * Decimal("0.95")).quantize(Decimal("0.01")),
        ppk=ppk,
        small_business_reserved=True,
        status=PackageStatus.OPENED if phase == "evaluation" else (PackageStatus.ANNOUNCED if announced else "draft"),
        code=f"T{Package.objects.count() + 1:08d}" if announced else None,
        announced_at=now - 9 * DAY if announced else None,
    )
    PackagePlanItem.objects.create(package=package, plan_item=plan_item)
    for index, user in enumerate(pokja):
        PokjaMember.objects.create(package=package, user=user, is_chair=index == 0)
    set_schedule(package, schedule_around(now, phase))
    made_vendors = [VendorFactory(status="verified", is_small_business=True) for _ in range(vendors)]
    return SimpleNamespace(
        **vars(rup), plan_item=plan_item, package=package, pokja=pokja, vendors=made_vendors, now=now
    )
