import pytest

from eplanning.models import RpjmdGoal, RpjmdIndicator
from eplanning.services.rpjmd import rpjmd_goal_create, rpjmd_indicator_create, rpjmd_objective_create
from portal.services import DomainError
from tests.factories import AgencyFactory


@pytest.fixture
def bappeda(kab_kupang, make_member):
    return make_member(AgencyFactory(region=kab_kupang, code="BAPPEDA"), "plan_verifier")


def test_bappeda_records_goal_objective_and_five_year_targets(bappeda, kab_kupang):
    goal = rpjmd_goal_create(actor=bappeda, region=kab_kupang, period_start=2025, code="T1", statement="Tata kelola")
    objective = rpjmd_objective_create(actor=bappeda, goal=goal, code="S1", statement="Keterbukaan informasi")

    indicator = rpjmd_indicator_create(
        actor=bappeda,
        objective=objective,
        name="Indeks KIP",
        unit="indeks",
        baseline="70",
        targets={2025: "72", 2026: "74", 2027: "76", 2028: "78", 2029: "80"},
    )

    assert goal.period_end == 2029
    assert [t.year for t in indicator.targets.all()] == [2025, 2026, 2027, 2028, 2029]


def test_targets_must_cover_the_five_years(bappeda, kab_kupang):
    goal = rpjmd_goal_create(actor=bappeda, region=kab_kupang, period_start=2025, code="T1", statement="Tata kelola")
    objective = rpjmd_objective_create(actor=bappeda, goal=goal, code="S1", statement="Keterbukaan")

    with pytest.raises(DomainError, match="each year"):
        rpjmd_indicator_create(
            actor=bappeda, objective=objective, name="Indeks", unit="indeks", targets={2025: "1", 2031: "2"}
        )

    assert not RpjmdIndicator.objects.exists()


def test_a_planner_or_another_regions_bappeda_cannot_keep_the_rpjmd(kab_kupang, kota_kupang, make_member):
    planner = make_member(AgencyFactory(region=kab_kupang), "planner")
    other_bappeda = make_member(AgencyFactory(region=kota_kupang), "plan_verifier")

    for actor in (planner, other_bappeda):
        with pytest.raises(DomainError, match="Bappeda"):
            rpjmd_goal_create(actor=actor, region=kab_kupang, period_start=2025, code="T1", statement="x")

    assert not RpjmdGoal.objects.exists()


def test_a_duplicate_goal_number_is_refused_clearly(bappeda, kab_kupang):
    rpjmd_goal_create(actor=bappeda, region=kab_kupang, period_start=2025, code="T1", statement="a")

    with pytest.raises(DomainError, match="already has a goal"):
        rpjmd_goal_create(actor=bappeda, region=kab_kupang, period_start=2025, code="T1", statement="b")
