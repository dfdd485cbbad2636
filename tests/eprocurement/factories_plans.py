"""Rows for the procurement plan (RUP) tests: an agency with an approved DPA, its PPK and
budget officer, and items built directly (the workflow tests go through the services)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import factory

from ebudgeting.choices import DocumentStatus
from eprocurement.choices import PlanItemStatus, ProcurementKind, ProcurementMethod
from eprocurement.models import ProcurementFunding, ProcurementPlanItem
from eprocurement.services.plans import FundingInput
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, FiscalYearFactory, member
from tests.factories import AgencyFactory

DATES = {
    "selection_start": datetime.date(2026, 3, 1),
    "selection_end": datetime.date(2026, 4, 15),
    "contract_start": datetime.date(2026, 5, 1),
    "contract_end": datetime.date(2026, 10, 31),
    "use_start": datetime.date(2026, 11, 1),
}


def item_data(**overrides) -> dict:
    """What a form or API request gives for an item: goods by direct procurement."""
    data = {
        "name": "Pengadaan laptop untuk ruang rapat",
        "description": "Sepuluh unit laptop",
        "kind": ProcurementKind.GOODS,
        "method": ProcurementMethod.DIRECT_PROCUREMENT,
        "method_justification": "",
        **DATES,
    }
    data.update(overrides)
    return data


def rup_world(region, *, lines=2, line_amount=Decimal("500000000.00"), code="DISKOMINFO"):
    """An agency of ``region`` with an approved 2026 DPA of ``lines`` lines of
    ``line_amount`` each, a PPK and a budget officer."""
    agency = AgencyFactory(region=region, code=f"{code}-{region.code}", name=f"Dinas Kominfo {region.name}")
    year = FiscalYearFactory()
    document = BudgetDocumentFactory(agency=agency, fiscal_year=year, status=DocumentStatus.APPROVED, number="DPA/1")
    made = [
        BudgetLineFactory(document=document, volume=Decimal("1"), unit_price=line_amount, amount=line_amount)
        for _ in range(lines)
    ]
    return SimpleNamespace(
        agency=agency,
        year=year,
        document=document,
        lines=made,
        ppk=member(agency, "ppk"),
        officer=member(agency, "budget_officer"),
    )


def fundings(*pairs) -> list[FundingInput]:
    """``fundings((line, "100"), ...)`` as the services take them."""
    return [FundingInput(line_id=line.pk, amount=str(amount)) for line, amount in pairs]


class PlanItemFactory(factory.django.DjangoModelFactory):
    """A RUP item written directly, without fundings unless ``funded_by=[(line, amount)]``."""

    class Meta:
        model = ProcurementPlanItem
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    name = factory.Sequence(lambda n: f"Paket uji {n}")
    kind = ProcurementKind.GOODS
    method = ProcurementMethod.DIRECT_PROCUREMENT
    value = Decimal("100000000.00")
    small_business_reserved = True
    status = PlanItemStatus.DRAFT
    selection_start = DATES["selection_start"]
    selection_end = DATES["selection_end"]
    contract_start = DATES["contract_start"]
    contract_end = DATES["contract_end"]
    use_start = DATES["use_start"]

    @factory.post_generation
    def funded_by(obj, create, extracted, **kwargs):
        if create and extracted:
            ProcurementFunding.objects.bulk_create(
                ProcurementFunding(plan_item=obj, budget_line=line, amount=Decimal(str(amount)))
                for line, amount in extracted
            )
