"""Proof on PostgreSQL that planners submitting at the same moment cannot together pass
their agency's ceiling.

Each thread has its own database connection (Django's connections are per thread) and
its own transaction; a barrier releases them together, so they really race. The lock on
the agency's ceiling row makes the submissions queue: the ones that still fit pass, the
rest are refused with a DomainError.
"""

import functools
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from eplanning.services.plans import plan_item_submit
from tests.eplanning.plans_support import given_item, given_region_staff
from tests.support.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def _race(submissions):
    """Submit each (item, planner) in its own thread, all released at once; the outcomes."""
    return race(
        [functools.partial(plan_item_submit, plan_item_id=item.pk, actor=planner) for item, planner in submissions]
    )


def _submitted_total(staff) -> Decimal:
    submitted = PlanItem.objects.filter(agency=staff.agency, status=PlanStatus.SUBMITTED)
    return submitted.aggregate(total=Sum("indicative_ceiling"))["total"] or Decimal("0")


@pytest.fixture
def staff(kab_kupang, make_member):
    # an agency with a ceiling of Rp500.000.000 and two planners
    staff = given_region_staff(kab_kupang, make_member, ceiling=Decimal("500000000.00"))
    staff.other_planner = make_member(staff.agency, "planner")
    return staff


def test_two_planners_submitting_at_once_cannot_together_pass_the_ceiling(staff):
    # given two items of Rp300.000.000: either fits alone, both together do not
    first = given_item(staff, indicative_ceiling=Decimal("300000000.00"))
    second = given_item(staff, indicative_ceiling=Decimal("300000000.00"))

    # when the two planners submit them at the same moment
    outcomes = _race([(first, staff.planner), (second, staff.other_planner)])

    # then exactly one passes and the other is refused; the ceiling holds
    assert sorted(outcomes) == ["ok", "refused"]
    assert _submitted_total(staff) == Decimal("300000000.00")


def test_many_submissions_at_once_fill_the_ceiling_exactly(staff):
    # given eight items of Rp125.000.000 from the two planners: only four fit in Rp500.000.000
    items = [given_item(staff, indicative_ceiling=Decimal("125000000.00")) for _ in range(8)]
    planners = [staff.planner, staff.other_planner]

    outcomes = _race([(item, planners[i % 2]) for i, item in enumerate(items)])

    assert sorted(outcomes) == ["ok"] * 4 + ["refused"] * 4
    assert _submitted_total(staff) == Decimal("500000000.00")
