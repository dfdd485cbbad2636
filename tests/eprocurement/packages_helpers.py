"""Shared pieces of the package tests: a drafting world, files, a valid schedule."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eprocurement.choices import EvaluationMethod, PlanItemStatus, ProcurementKind, ProcurementMethod
from eprocurement.models import ProcurementPlanItem
from eprocurement.services import package_schedule
from eprocurement.services import packages as services
from tests.ebudgeting.factories import member
from tests.eprocurement.factories_plans import PlanItemFactory, rup_world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="dokumen-pemilihan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def xlsx(name="rincian-hps.xlsx"):
    return SimpleUploadedFile(name, b"PK\x03\x04" + b"\x00" * 60, content_type="application/octet-stream")


def drafting_world(region, *, kind=ProcurementKind.WORKS, method=ProcurementMethod.TENDER, items=2, code="DISKOMINFO"):
    """An agency with ``items`` announced RUP items of Rp500 juta each (tender of works),
    its PPK, and three pokja members of the region."""
    rup = rup_world(region, lines=1, line_amount=Decimal("5000000000.00"), code=code)
    taken = ProcurementPlanItem.objects.count()
    plan_items = [
        PlanItemFactory(
            agency=rup.agency,
            fiscal_year=rup.year,
            kind=kind,
            method=method,
            value=Decimal("500000000.00"),
            status=PlanItemStatus.ANNOUNCED,
            rup_code=f"2026{region.code.replace('.', '')}{taken + n:06d}",
        )
        for n in range(1, items + 1)
    ]
    pokja = [member(rup.agency, "pokja") for _ in range(3)]
    return SimpleNamespace(**vars(rup), plan_items=plan_items, pokja=pokja)


def create(world, **overrides):
    arguments = {
        "actor": world.ppk,
        "agency": world.agency,
        "plan_item_ids": [item.pk for item in world.plan_items],
        "name": "Pembangunan jembatan Oesao",
        "evaluation_method": EvaluationMethod.KNOCKOUT,
        "owner_estimate": str(Decimal("450000000") * len(world.plan_items)),
    }
    arguments.update(overrides)
    return services.package_create(**arguments)


def start_soon():
    """A schedule start an hour from now, on the minute."""
    return (timezone.now() + datetime.timedelta(hours=1)).replace(second=0, microsecond=0)


def ready_draft(world):
    """A draft with team, schedule and selection document: ready to announce."""
    package = create(world)
    services.package_set_team(package=package, actor=world.ppk, ppk=world.ppk, pokja=world.pokja)
    rows = package_schedule.default_schedule(start_soon(), package.kind, package.method)
    services.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    services.package_document_add(
        package=package, actor=world.ppk, kind="selection", title="Dokumen pemilihan", file=pdf()
    )
    return package


def announced(world):
    package = ready_draft(world)
    return services.package_announce(package=package, actor=world.pokja[0])
