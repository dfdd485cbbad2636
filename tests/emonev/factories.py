"""Rows for the E-Monev tests: a signed contract of a tender world (built directly: the
contract services are another part's work), the agency's monev officer, Bappeda's
verifier, and helpers for curves, realizations and reports.

``TODAY`` is the date the services see (the ``today`` fixture pins it): reports of
January to May 2026 can be submitted, May's on time until the 10th of June.
"""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ebudgeting.models import Realization
from emonev.choices import ReportStatus
from emonev.models import ProgressEvidence, ProgressReport
from emonev.rules import due_date
from emonev.services.curves import planned_curve_set
from eprocurement.choices import ContractStatus
from eprocurement.models import Contract
from tests.ebudgeting.factories import member
from tests.eprocurement.factories_packages import tender_world
from tests.eprocurement.factories_vendors import VendorFactory
from tests.factories import AgencyFactory

TODAY = datetime.date(2026, 6, 5)
CONTRACT_VALUE = Decimal("1000000000.00")


def monev_world(
    region, *, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 10, 31), value=CONTRACT_VALUE
):
    """A signed works contract of ``region`` (10 months by default), its package's PPK,
    the agency's monev officer, Bappeda's verifier for the region, and the budgeted plan
    item (approved, its one line of ``value``) that funds it."""
    world = tender_world(region, phase="evaluation", value=value)
    contract = Contract.objects.create(
        package=world.package,
        vendor=VendorFactory(status="verified"),
        number=f"KTR/{world.package.pk}/2026",
        value=value,
        starts_on=starts_on,
        ends_on=ends_on,
        payment_terms="Termin sesuai progres",
        status=ContractStatus.SIGNED,
    )
    bappeda = AgencyFactory(region=region, code=f"BAPPEDA-{region.code}", name=f"Bappeda {region.name}")
    world.contract = contract
    world.budget_plan_item = world.lines[0].plan_item
    world.officer = member(world.agency, "monev_officer")
    world.verifier = member(bappeda, "monev_verifier")
    world.bappeda = bappeda
    return world


def even_curve(months: int, total: Decimal) -> tuple[list[Decimal], list[Decimal]]:
    """k/n of 100 % and of ``total`` for each month, the last exactly 100 % and ``total``."""
    physical = [(Decimal(100) * k / months).quantize(Decimal("0.01")) for k in range(1, months + 1)]
    financial = [(total * k / months).quantize(Decimal("0.01")) for k in range(1, months + 1)]
    physical[-1], financial[-1] = Decimal("100.00"), total
    return physical, financial


def set_contract_curve(world, physical=None, financial=None):
    """The contract's curve (10 % a month by default) set by its PPK through the service."""
    default_physical, default_financial = even_curve(10, world.contract.value)
    return planned_curve_set(
        contract=world.contract,
        physical=physical or default_physical,
        financial=financial or default_financial,
        actor=world.ppk,
    )


def realize(line, amount, date, *, subject=None, number=None):
    """A realization (SP2D) row as the budget ledger records it."""
    return Realization.objects.create(
        line=line,
        number=number or f"SP2D/{Realization.objects.count() + 1}",
        date=date,
        amount=Decimal(amount),
        purpose="Pembayaran termin",
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
    )


def jpeg_bytes(*, exif=None, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="JPEG", exif=exif or Image.Exif())
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name="foto.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg_bytes() if content is None else content, content_type=content_type)


def report_row(
    world, *, year=2026, month=5, physical=Decimal("40.00"), status=ReportStatus.DRAFT, evidence=True, **fields
):
    """A report written directly (for lists and scope tests); workflow tests use the services."""
    report = ProgressReport.objects.create(
        agency=world.agency,
        contract=fields.pop("contract", world.contract),
        plan_item=fields.pop("plan_item", None),
        year=year,
        month=month,
        physical_pct=physical,
        status=status,
        due_on=due_date(year, month),
        created_by=world.officer,
        **fields,
    )
    if evidence:
        ProgressEvidence.objects.create(
            report=report,
            kind="photo",
            file=upload(),
            content_type="image/jpeg",
            original_name="foto.jpg",
            size=10,
            sha256="0" * 64,
            uploaded_by=world.officer,
        )
    return report


def new_world(**kwargs):
    return SimpleNamespace(**kwargs)
