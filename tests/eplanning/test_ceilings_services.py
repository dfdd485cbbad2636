from decimal import Decimal

import pytest

from eplanning.choices import PlanStatus
from eplanning.models import AgencyCeiling
from eplanning.services.ceilings import agency_ceiling_set
from portal.models import AuditEntry
from portal.services import DomainError
from tests.eplanning.plans_support import given_item, given_region_staff


@pytest.fixture
def staff(kab_kupang, make_member):
    return given_region_staff(kab_kupang, make_member, ceiling=None)


def test_bappeda_sets_and_changes_a_ceiling_with_audit(staff):
    agency_ceiling_set(actor=staff.verifier, agency=staff.agency, fiscal_year=staff.year, amount="100000000")
    agency_ceiling_set(actor=staff.verifier, agency=staff.agency, fiscal_year=staff.year, amount="150000000")

    ceiling = AgencyCeiling.objects.get()
    assert ceiling.amount == Decimal("150000000.00")
    assert list(AuditEntry.objects.filter(object_type="eplanning.agencyceiling").values_list("action", flat=True)) == [
        "update",
        "create",
    ]


@pytest.mark.parametrize("amount", ["-1", "seratus"])
def test_a_bad_amount_is_refused(staff, amount):
    with pytest.raises(DomainError) as caught:
        agency_ceiling_set(actor=staff.verifier, agency=staff.agency, fiscal_year=staff.year, amount=amount)

    assert "amount" in caught.value.message_dict
    assert not AgencyCeiling.objects.exists()


def test_a_planner_cannot_set_a_ceiling(staff):
    with pytest.raises(DomainError, match="Bappeda"):
        agency_ceiling_set(actor=staff.planner, agency=staff.agency, fiscal_year=staff.year, amount="1")


def test_bappeda_of_another_region_cannot_set_it(staff, kota_kupang, make_member):
    from tests.factories import AgencyFactory

    other = make_member(AgencyFactory(region=kota_kupang), "plan_verifier")

    with pytest.raises(DomainError):
        agency_ceiling_set(actor=other, agency=staff.agency, fiscal_year=staff.year, amount="1")


def test_a_ceiling_below_what_submitted_items_use_is_refused(staff):
    agency_ceiling_set(actor=staff.verifier, agency=staff.agency, fiscal_year=staff.year, amount="300000000")
    given_item(staff, status=PlanStatus.SUBMITTED, indicative_ceiling=Decimal("200000000"))

    with pytest.raises(DomainError, match="already use"):
        agency_ceiling_set(actor=staff.verifier, agency=staff.agency, fiscal_year=staff.year, amount="199999999.99")

    assert AgencyCeiling.objects.get().amount == Decimal("300000000.00")
