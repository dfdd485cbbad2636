"""Factories for E-Planning's models, shared by every E-Planning and E-Budgeting test.

Sub-activities are built with their whole parent chain (urusan → bidang urusan →
program → kegiatan → sub kegiatan) from real codes of the 2027 list, so code-prefix
grouping and the region variant (L = 1 province, 2 regency/city) behave as in production.
"""

from decimal import Decimal

import factory

from eplanning.choices import NomenclatureLevel, PlanStatus, Priority
from eplanning.models import (
    AgencyCeiling,
    Nomenclature,
    PlanIndicator,
    PlanItem,
    RpjmdGoal,
    RpjmdIndicator,
    RpjmdObjective,
    RpjmdTarget,
)
from portal.models import FiscalYear
from tests.factories import AgencyFactory, RegionFactory

REGENCY_SUB_ACTIVITY = "2.16.02.2.01.0026"  # Sosialisasi/Diseminasi Informasi ... (Kab/Kota)
PROVINCE_SUB_ACTIVITY = "2.16.02.1.01.0029"  # the same sub-activity in the province list

_LEVEL_BY_DEPTH = {
    1: NomenclatureLevel.URUSAN,
    2: NomenclatureLevel.BIDANG_URUSAN,
    3: NomenclatureLevel.PROGRAM,
    5: NomenclatureLevel.KEGIATAN,
    6: NomenclatureLevel.SUB_KEGIATAN,
}


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ("year",)

    year = 2027
    is_open = True


class NomenclatureFactory(factory.django.DjangoModelFactory):
    """One node; pass ``code`` and ``level``. For a usable sub-activity use SubActivityFactory."""

    class Meta:
        model = Nomenclature
        django_get_or_create = ("code",)

    code = "2"
    level = NomenclatureLevel.URUSAN
    name = factory.LazyAttribute(lambda o: f"Nomenklatur {o.code}")
    for_province = True
    for_regency = True


def nomenclature_parent_chain(code: str) -> Nomenclature | None:
    """Get or create every ancestor of ``code``; the direct parent, or None for an urusan."""
    parts = code.split(".")
    parent = None
    for depth in (1, 2, 3, 5):
        if depth >= len(parts):
            break
        prefix = ".".join(parts[:depth])
        variant = {}
        if depth == 5:  # the kegiatan is where the province and regency lists part
            province = parts[3] == "1"
            variant = {"for_province": province, "for_regency": not province}
        parent = NomenclatureFactory(code=prefix, level=_LEVEL_BY_DEPTH[depth], parent=parent, **variant)
    return parent


class SubActivityFactory(NomenclatureFactory):
    """A sub kegiatan with its parent chain; ``province=True`` for the province variant."""

    class Params:
        province = False

    code = factory.LazyAttribute(lambda o: PROVINCE_SUB_ACTIVITY if o.province else REGENCY_SUB_ACTIVITY)
    level = NomenclatureLevel.SUB_KEGIATAN
    name = factory.LazyAttribute(lambda o: f"Sub kegiatan {o.code}")
    parent = factory.LazyAttribute(lambda o: nomenclature_parent_chain(o.code))
    for_province = factory.LazyAttribute(lambda o: o.code.split(".")[3] == "1")
    for_regency = factory.LazyAttribute(lambda o: o.code.split(".")[3] == "2")


def sub_activity_for(region, code: str | None = None) -> Nomenclature:
    """The default sub-activity of the region's variant (or ``code``)."""
    province = region.kind == "province"
    if code is None:
        return SubActivityFactory(province=province)
    return SubActivityFactory(code=code)


class RpjmdGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RpjmdGoal

    region = factory.SubFactory(RegionFactory)
    period_start = 2025
    period_end = factory.LazyAttribute(lambda o: o.period_start + 4)
    code = factory.Sequence(lambda n: f"T{n + 1}")
    statement = factory.Sequence(lambda n: f"Meningkatnya kualitas pelayanan publik {n}")


class RpjmdObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RpjmdObjective

    goal = factory.SubFactory(RpjmdGoalFactory)
    code = factory.Sequence(lambda n: f"S{n + 1}")
    statement = factory.Sequence(lambda n: f"Meningkatnya keterbukaan informasi publik {n}")


class RpjmdIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RpjmdIndicator

    objective = factory.SubFactory(RpjmdObjectiveFactory)
    name = "Indeks Keterbukaan Informasi Publik"
    unit = "indeks"
    baseline = Decimal("70")


class RpjmdTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RpjmdTarget

    indicator = factory.SubFactory(RpjmdIndicatorFactory)
    year = 2025
    value = Decimal("75")


class AgencyCeilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyCeiling

    agency = factory.SubFactory(AgencyFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    amount = Decimal("1000000000.00")


class PlanItemFactory(factory.django.DjangoModelFactory):
    """A plan item of ``agency`` on the default sub-activity of its region's variant.

    ``status`` may be any PlanStatus; the factory writes it directly (tests of the
    workflow itself go through the services).
    """

    class Meta:
        model = PlanItem

    agency = factory.SubFactory(AgencyFactory)
    region = factory.LazyAttribute(lambda o: o.agency.region)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    sub_activity = factory.LazyAttribute(lambda o: sub_activity_for(o.region))
    title = factory.Sequence(lambda n: f"Diseminasi informasi {n}")
    district = "Kupang Tengah"
    village = "Oesapa"
    indicative_ceiling = Decimal("100000000.00")
    priority = Priority.MEDIUM
    status = PlanStatus.DRAFT


class PlanIndicatorFactory(factory.django.DjangoModelFactory):
    """Quarter targets are cumulative: they never fall, and Q4 equals the year's target."""

    class Meta:
        model = PlanIndicator

    plan_item = factory.SubFactory(PlanItemFactory)
    name = factory.Sequence(lambda n: f"Jumlah konten informasi publik {n}")
    unit = "konten"
    target_year = Decimal("40")
    target_q1 = Decimal("10")
    target_q2 = Decimal("20")
    target_q3 = Decimal("30")
    target_q4 = Decimal("40")
