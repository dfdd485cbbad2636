"""The dashboards' cash-plan series is cached under the approved DPAs it sums (the bench
found summing millions of cash-plan rows per province page took seconds): the cached
figures are the summed ones, a cached read sums nothing, and a change of the DPAs in
scope (a new approval) or of the program is read afresh."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emonev import dashboards
from eplanning.models import Nomenclature
from portal.models import Agency
from tests.emonev.dashboard_world import SUB_A, SUB_B, agency_world

pytestmark = pytest.mark.django_db


def planned(board) -> D:
    return board.months[-1].planned_cumulative


def build(region, **kwargs):
    return dashboards.build(Agency.objects.all(), region=region, year=2026, **kwargs)


def cash_plan_reads(queries) -> int:
    return sum("ebudgeting_cashplanmonth" in q["sql"] for q in queries.captured_queries)


def test_a_cached_series_is_the_summed_one_and_sums_nothing(kab_kupang):
    agency_world(kab_kupang, "CP-A", lines=((SUB_A, "1200", "0", "0"), (SUB_B, "2400", "0", "0")))

    with CaptureQueriesContext(connection) as first:
        cold = build(kab_kupang)
    with CaptureQueriesContext(connection) as second:
        warm = build(kab_kupang)

    assert planned(cold) == planned(warm) == D("3600")
    assert [m.planned for m in cold.months] == [m.planned for m in warm.months]
    assert (cash_plan_reads(first), cash_plan_reads(second)) == (1, 0)
    assert len(second) == len(first) - 1


def test_a_newly_approved_dpa_in_scope_is_summed_at_once(kab_kupang):
    agency_world(kab_kupang, "CP-A", lines=((SUB_A, "1200", "0", "0"),))
    assert planned(build(kab_kupang)) == D("1200")

    agency_world(kab_kupang, "CP-B", lines=((SUB_B, "2400", "0", "0"),))

    assert planned(build(kab_kupang)) == D("3600")


def test_a_program_has_its_own_series(kab_kupang):
    world = agency_world(kab_kupang, "CP-A", lines=((SUB_A, "1200", "0", "0"), (SUB_B, "2400", "0", "0")))
    assert planned(build(kab_kupang, agency=world.agency)) == D("3600")

    program = Nomenclature.objects.get(code="2.16.03")
    board = build(kab_kupang, agency=world.agency, program=program)

    assert planned(board) == D("2400")


def test_no_approved_dpa_reads_no_cash_plan(kab_kupang):
    with CaptureQueriesContext(connection) as queries:
        board = build(kab_kupang)
    assert planned(board) == 0 and cash_plan_reads(queries) == 0
