from eplanning.choices import PlanStatus
from eplanning.models import Nomenclature
from tests.eplanning.factories import PlanIndicatorFactory, PlanItemFactory
from tests.factories import AgencyFactory


def test_plan_item_factory_builds_a_full_code_chain_of_the_regions_variant(kab_kupang, province):
    # given / when
    item = PlanItemFactory(agency=AgencyFactory(region=kab_kupang), status=PlanStatus.SUBMITTED)
    province_item = PlanItemFactory(agency=AgencyFactory(region=province))
    PlanIndicatorFactory(plan_item=item)

    # then
    assert item.sub_activity.code == "2.16.02.2.01.0026"
    assert item.sub_activity in Nomenclature.objects.for_region(kab_kupang).sub_activities()
    assert item.sub_activity.parent.parent.code == "2.16.02"
    assert province_item.sub_activity in Nomenclature.objects.for_region(province)
    assert province_item.sub_activity not in Nomenclature.objects.for_region(kab_kupang)
    assert item.status == PlanStatus.SUBMITTED and item.indicators.count() == 1
