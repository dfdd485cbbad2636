"""Factories for E-Budgeting's reference codes, budget documents and lines.

Plan items are built here with a minimal nomenclature chain so that budgeting tests do
not wait on E-Planning's own factories; a line's plan item is approved, of the line's
agency and year, as the rules require.
"""

from decimal import Decimal

import factory

from ebudgeting.choices import AccountLevel, DocumentStatus
from ebudgeting.models import AccountCode, BudgetDocument, BudgetLine, CashPlanMonth, FundingSource
from eplanning.choices import NomenclatureLevel, PlanStatus
from eplanning.models import AgencyCeiling, Nomenclature, PlanItem
from portal.models import FiscalYear
from tests.factories import AgencyFactory

_ACCOUNT_PARENTS = (
    ("5", AccountLevel.AKUN, "Belanja Daerah"),
    ("5.1", AccountLevel.KELOMPOK, "Belanja Operasi"),
    ("5.1.02", AccountLevel.JENIS, "Belanja Barang dan Jasa"),
    # Test-only objek and rincian objek: the shipped reference list is loaded by a
    # migration, and a factory code must never be one of its real codes.
    ("5.1.02.99", AccountLevel.OBJEK, "Belanja Barang Uji"),
    ("5.1.02.99.99", AccountLevel.RINCIAN_OBJEK, "Belanja Barang Uji Pakai Habis"),
)


def _account_parent():
    parent = None
    for code, level, name in _ACCOUNT_PARENTS:
        parent, _created = AccountCode.objects.get_or_create(
            code=code, defaults={"level": level, "name": name, "parent": parent}
        )
    return parent


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ("year",)

    year = 2026
    is_open = True


class AccountCodeFactory(factory.django.DjangoModelFactory):
    """A sub rincian objek (the level a budget line uses) under a valid 5-level chain."""

    class Meta:
        model = AccountCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"5.1.02.99.99.{n + 1:04d}")
    level = AccountLevel.SUB_RINCIAN_OBJEK
    name = factory.Sequence(lambda n: f"Belanja Uji {n}")
    parent = factory.LazyFunction(_account_parent)
    is_active = True


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource
        django_get_or_create = ("code",)

    code = factory.Iterator(["PAD", "DAU", "DAK-FISIK", "DAK-NONFISIK", "DBH"])
    name = factory.LazyAttribute(lambda o: o.code)


def sub_activity(program: int = 2, activity: int = 1, number: int = 1) -> Nomenclature:
    """The sub-activity 2.16.<program>.2.<activity>.<number> with its parents."""
    chain = (
        ("2", NomenclatureLevel.URUSAN),
        ("2.16", NomenclatureLevel.BIDANG_URUSAN),
        (f"2.16.{program:02d}", NomenclatureLevel.PROGRAM),
        (f"2.16.{program:02d}.2.{activity:02d}", NomenclatureLevel.KEGIATAN),
        (f"2.16.{program:02d}.2.{activity:02d}.{number:04d}", NomenclatureLevel.SUB_KEGIATAN),
    )
    parent = None
    for code, level in chain:
        parent, _created = Nomenclature.objects.get_or_create(
            code=code, defaults={"level": level, "name": f"Nomenklatur {code}", "parent": parent}
        )
    return parent


class PlanItemFactory(factory.django.DjangoModelFactory):
    """An approved plan item (what a budget line may fund)."""

    class Meta:
        model = PlanItem

    agency = factory.SubFactory(AgencyFactory)
    region = factory.LazyAttribute(lambda o: o.agency.region)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    sub_activity = factory.Sequence(lambda n: sub_activity(program=2 + n % 3, activity=1, number=n + 1))
    title = factory.Sequence(lambda n: f"Kegiatan uji {n}")
    indicative_ceiling = Decimal("1000000000.00")
    status = PlanStatus.APPROVED


class AgencyCeilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyCeiling

    agency = factory.SubFactory(AgencyFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    amount = Decimal("10000000000.00")


class BudgetDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetDocument

    agency = factory.SubFactory(AgencyFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    status = DocumentStatus.DRAFT


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A line of 12 × Rp1.000.000 with a cash plan of Rp1.000.000 each month; its own
    origin, as a line made in the first version is."""

    class Meta:
        model = BudgetLine
        skip_postgeneration_save = True

    document = factory.SubFactory(BudgetDocumentFactory)
    plan_item = factory.SubFactory(
        PlanItemFactory,
        agency=factory.SelfAttribute("..document.agency"),
        fiscal_year=factory.SelfAttribute("..document.fiscal_year"),
    )
    account = factory.SubFactory(AccountCodeFactory)
    funding_source = factory.SubFactory(FundingSourceFactory)
    description = factory.Sequence(lambda n: f"Rincian belanja uji {n}")
    volume = Decimal("12")
    unit = "paket"
    unit_price = Decimal("1000000.00")
    amount = factory.LazyAttribute(lambda o: (o.volume * o.unit_price).quantize(Decimal("0.01")))

    @factory.post_generation
    def cash_plan(obj, create, extracted, **kwargs):
        """Pass ``cash_plan=[12 amounts]`` to choose; by default the amount spread evenly,
        the rounding rest in December."""
        if not create:
            return
        months = extracted if extracted is not None else even_cash_plan(obj.amount)
        CashPlanMonth.objects.bulk_create(
            CashPlanMonth(line=obj, month=m, amount=Decimal(a)) for m, a in enumerate(months, start=1)
        )
        if obj.origin_id is None:
            obj.origin = obj
            obj.save(update_fields=["origin"])
        # The services keep the document's running totals; a line made here must too.
        from ebudgeting.totals import refresh_document_totals

        refresh_document_totals(obj.document_id)


def even_cash_plan(amount: Decimal) -> list[Decimal]:
    share = (amount / 12).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [share] * 11 + [amount - share * 11]


def member(agency, role: str):
    """A person holding ``role`` in ``agency`` with the role's default reach."""
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory()
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def budget_world(region, *, ceiling=Decimal("100000000.00"), plan_ceiling=Decimal("50000000.00")):
    """An agency of ``region`` with its ceiling, one approved plan item, a budget officer,
    and a budget verifier at the region's BPKAD: what a budget document needs."""
    from types import SimpleNamespace

    agency = AgencyFactory(region=region, code=f"DISKOMINFO-{region.code}", name=f"Dinas Kominfo {region.name}")
    bpkad = AgencyFactory(region=region, code=f"BPKAD-{region.code}", name=f"BPKAD {region.name}")
    year = FiscalYearFactory()
    return SimpleNamespace(
        agency=agency,
        year=year,
        ceiling=AgencyCeilingFactory(agency=agency, fiscal_year=year, amount=ceiling),
        plan_item=PlanItemFactory(agency=agency, fiscal_year=year, indicative_ceiling=plan_ceiling),
        account=AccountCodeFactory(),
        funding=FundingSourceFactory(code="PAD", name="Pendapatan Asli Daerah"),
        officer=member(agency, "budget_officer"),
        verifier=member(bpkad, "budget_verifier"),
    )
