"""Drafting plan items: what the service accepts, and bad input refused with a clear
error and nothing saved."""

from decimal import Decimal

import pytest

from eplanning.models import PlanIndicator, PlanItem
from eplanning.services.plans import plan_item_create, plan_item_update
from portal.models import AuditEntry
from portal.services import DomainError
from tests.eplanning.factories import (
    PROVINCE_SUB_ACTIVITY,
    REGENCY_SUB_ACTIVITY,
    FiscalYearFactory,
    RpjmdObjectiveFactory,
    SubActivityFactory,
)
from tests.eplanning.plans_support import given_item, given_region_staff, indicator_row


@pytest.fixture
def staff(kab_kupang, make_member):
    SubActivityFactory(code=REGENCY_SUB_ACTIVITY)
    SubActivityFactory(code=PROVINCE_SUB_ACTIVITY)
    return given_region_staff(kab_kupang, make_member)


def _create(staff, **overrides):
    fields = {
        "actor": staff.planner,
        "agency": staff.agency,
        "fiscal_year": staff.year,
        "sub_activity_code": REGENCY_SUB_ACTIVITY,
        "title": "Diseminasi informasi pembangunan",
        "district": "Kupang Tengah",
        "village": "Noelbaki",
        "indicative_ceiling": "250000000",
        "priority": "high",
        "indicators": [indicator_row()],
    }
    return plan_item_create(**{**fields, **overrides})


def test_planner_drafts_an_item_with_indicators(staff, kab_kupang):
    objective = RpjmdObjectiveFactory(goal__region=kab_kupang)

    item = _create(staff, objective=objective)

    assert (item.region, item.status, item.indicative_ceiling) == (kab_kupang, "draft", Decimal("250000000.00"))
    assert item.sub_activity.code == REGENCY_SUB_ACTIVITY and item.objective == objective
    assert list(item.indicators.values_list("target_q4", flat=True)) == [Decimal("40")]
    assert AuditEntry.objects.filter(object_type="eplanning.planitem", action="create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"indicative_ceiling": "-1"}, "indicative_ceiling", "negative"),
        ({"indicative_ceiling": "banyak"}, "indicative_ceiling", "rupiah"),
        ({"sub_activity_code": "2.16.02"}, "sub_activity", "not a sub-activity code"),
        ({"sub_activity_code": "2.16.02.2.01.9999"}, "sub_activity", "No sub-activity"),
        ({"sub_activity_code": PROVINCE_SUB_ACTIVITY}, "sub_activity", "not in the nomenclature list"),
        ({"priority": "urgent"}, "priority", "priority"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(staff, overrides, field, message):
    with pytest.raises(DomainError) as caught:
        _create(staff, **overrides)

    assert message in " ".join(caught.value.message_dict[field])
    assert not PlanItem.objects.exists() and not AuditEntry.objects.filter(object_type="eplanning.planitem").exists()


def test_an_objective_of_another_region_is_refused(staff, kota_kupang):
    objective = RpjmdObjectiveFactory(goal__region=kota_kupang)

    with pytest.raises(DomainError) as caught:
        _create(staff, objective=objective)

    assert "objective" in caught.value.message_dict
    assert not PlanItem.objects.exists()


def test_an_inactive_sub_activity_is_refused(staff):
    SubActivityFactory(code="2.16.02.2.01.0020", is_active=False)

    with pytest.raises(DomainError, match="no longer"):
        _create(staff, sub_activity_code="2.16.02.2.01.0020")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (indicator_row(target_q2="5"), "cumulative"),
        (indicator_row(target_q4="39"), "fourth quarter"),
        (indicator_row(target_q1="-1"), "not negative"),
        (indicator_row(target_year="empat puluh"), "numbers"),
        (indicator_row(name=""), "name and unit"),
    ],
)
def test_invalid_quarter_targets_are_refused_naming_the_row(staff, row, message):
    with pytest.raises(DomainError) as caught:
        _create(staff, indicators=[indicator_row(), row])

    errors = " ".join(caught.value.message_dict["indicators"])
    assert "Indicator 2" in errors and message in errors
    assert not PlanItem.objects.exists() and not PlanIndicator.objects.exists()


def test_a_closed_year_takes_no_new_item(staff):
    closed = FiscalYearFactory(year=2025, is_open=False)

    with pytest.raises(DomainError, match="closed"):
        _create(staff, fiscal_year=closed)


def test_only_a_planner_of_the_agency_drafts(staff):
    with pytest.raises(DomainError, match="planner"):
        _create(staff, actor=staff.verifier)


def test_a_bad_update_changes_nothing(staff):
    item = given_item(staff)

    with pytest.raises(DomainError):
        plan_item_update(
            plan_item_id=item.pk,
            actor=staff.planner,
            title="Judul baru",
            indicators=[indicator_row(target_q3="50")],
        )

    item.refresh_from_db()
    assert item.title != "Judul baru"
    assert list(item.indicators.values_list("target_q3", flat=True)) == [Decimal("30")]
