"""Planned curves: set by the PPK (contracts) or the planner / monev officer (plan items),
cumulative, ending at 100 % and at the total; bad curves refused with nothing changed."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from emonev.models import PlannedCurve, PlannedPoint
from emonev.services.curves import planned_curve_set, propose_curve
from portal.models import AuditEntry
from portal.services import DomainError
from tests.ebudgeting.factories import member
from tests.emonev.factories import even_curve, monev_world, set_contract_curve


@pytest.fixture
def world(kab_kupang):
    return monev_world(kab_kupang)


def test_ppk_sets_a_contract_curve_over_its_months(world):
    curve = set_contract_curve(world)
    points = list(curve.points.values_list("year", "month", "physical_pct", "financial"))
    assert len(points) == 10
    assert points[0] == (2026, 1, D("10.00"), D("100000000.00"))
    assert points[-1] == (2026, 10, D("100.00"), D("1000000000.00"))
    assert curve.total == world.contract.value and curve.agency == world.agency
    assert AuditEntry.objects.filter(object_type="emonev.plannedcurve", object_id=str(curve.pk)).exists()


def test_setting_again_replaces_the_curve_and_audits_before_and_after(world):
    set_contract_curve(world)
    physical, financial = even_curve(10, world.contract.value)
    physical[0] = D("5.00")
    curve = planned_curve_set(contract=world.contract, physical=physical, financial=financial, actor=world.ppk)
    assert PlannedCurve.objects.count() == 1 and curve.points.count() == 10
    assert curve.points.get(month=1).physical_pct == D("5.00")
    entry = AuditEntry.objects.filter(object_type="emonev.plannedcurve", action="update").get()
    assert entry.changes["before"][0][0] == "10.00" and entry.changes["after"][0][0] == "5.00"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p, f: p.__setitem__(3, D("25.00")), "month 4 is lower"),
        (lambda p, f: p.__setitem__(9, D("99.00")), "must reach 100%"),
        (lambda p, f: f.__setitem__(9, D("1100000000.00")), "must reach the total"),
        (lambda p, f: f.__setitem__(2, D("1.00")), "month 3 is lower"),
        (lambda p, f: p.__setitem__(0, "abc"), "from 0 to 100"),
        (lambda p, f: p.__setitem__(0, "-1"), "from 0 to 100"),
        (lambda p, f: f.__setitem__(0, "-1"), "zero or more"),
        (lambda p, f: p.pop(), "each of the 10 months"),
    ],
)
def test_bad_curves_are_refused_with_nothing_saved(world, change, message):
    physical, financial = even_curve(10, world.contract.value)
    change(physical, financial)
    with pytest.raises(DomainError, match=message):
        planned_curve_set(contract=world.contract, physical=physical, financial=financial, actor=world.ppk)
    assert not PlannedCurve.objects.exists() and not PlannedPoint.objects.exists()


def test_only_the_agencys_ppk_sets_a_contract_curve(world):
    physical, financial = even_curve(10, world.contract.value)
    for person in (world.officer, world.verifier, member(world.bappeda, "ppk")):
        with pytest.raises(PermissionDenied):
            planned_curve_set(contract=world.contract, physical=physical, financial=financial, actor=person)


def test_planner_or_monev_officer_sets_a_plan_item_curve_ending_at_its_budget(world):
    item = world.budget_plan_item
    budget = world.lines[0].amount
    physical, financial = even_curve(12, budget)
    curve = planned_curve_set(plan_item=item, physical=physical, financial=financial, actor=world.officer)
    assert curve.points.count() == 12 and curve.total == budget
    planner = member(world.agency, "planner")
    physical[0] = D("1.00")
    planned_curve_set(plan_item=item, physical=physical, financial=financial, actor=planner)
    with pytest.raises(PermissionDenied):
        planned_curve_set(plan_item=item, physical=physical, financial=financial, actor=world.ppk)


def test_the_proposal_for_works_is_the_s_curve_and_money_follows_it(world):
    physical, financial = propose_curve(world.contract)
    assert physical[4] == D("50.00") and physical[0] == D("2.80") and physical[-1] == D("100.00")
    assert financial[4] == D("500000000.00") and financial[-1] == world.contract.value
    # A proposal is a valid curve as it stands.
    planned_curve_set(contract=world.contract, physical=physical, financial=financial, actor=world.ppk)


def test_the_proposal_for_a_plan_item_is_even(world):
    physical, _financial = propose_curve(world.budget_plan_item)
    assert physical[0] == D("8.33") and physical[5] == D("50.00") and physical[-1] == D("100.00")
