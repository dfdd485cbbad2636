"""The dashboard's figures against the database, at every level of the drill-down, on two
regions and several agencies (see ``dashboard_world`` for how the rows are made)."""

import datetime
from decimal import Decimal as D

import pytest
from django.db.models import Sum

from ebudgeting.models import BudgetLine
from emonev import dashboards
from emonev.choices import ReportStatus
from eprocurement.choices import PackageStatus
from portal.models import Agency
from tests.emonev.dashboard_world import SUB_A, SUB_B, agency_world, contract_of, make_critical, report
from tests.eprocurement.factories_packages import PackageFactory
from tests.factories import AgencyFactory


@pytest.fixture
def data(kab_kupang, kota_kupang, province, today):
    """53.01: agency A (two programs, three contracts, one critical, two late reports, a
    draft package) and agency B (one critical contract); 53.71: agency C (on plan)."""
    a = agency_world(
        kab_kupang,
        "DINAS-A",
        lines=((SUB_A, "1000000", "200000", "300000"), (SUB_B, "500000", "0", "100000")),
    )
    c1 = contract_of(a, a.lines[0], value="600000")
    report(a, c1, month=4, physical="30", planned="35")
    report(a, c1, month=5, physical="40", planned="50")  # the latest accepted one
    report(a, c1, month=6, physical="90", planned="60", status=ReportStatus.SUBMITTED)  # not accepted: ignored
    make_critical(a, c1)
    c2 = contract_of(a, a.lines[1], value="400000")
    report(a, c2, month=4, physical="45", planned="40", is_late=True)  # submitted late
    report(a, c2, month=5, physical="60", planned="50")
    c3 = contract_of(a, a.lines[0], value="100000")
    report(a, c3, month=4, physical="5", planned="10", status=ReportStatus.DRAFT)  # due 10 May, not submitted
    PackageFactory(agency=a.agency, fiscal_year=a.year, status=PackageStatus.DRAFT)

    b = agency_world(kab_kupang, "DINAS-B", lines=((SUB_A, "2000000", "0", "500000"),))
    c4 = contract_of(b, b.lines[0], value="1000000")
    report(b, c4, month=5, physical="20", planned="50")
    make_critical(b, c4)

    c = agency_world(kota_kupang, "DINAS-C", lines=((SUB_A, "3000000", "1000000", "1000000"),))
    c5 = contract_of(c, c.lines[0], value="2000000")
    report(c, c5, month=5, physical="70", planned="70")
    coordinator_agency = AgencyFactory(region=province, code="BAPPEDA", name="Bappeda Provinsi NTT")
    return {"a": a, "b": b, "c": c, "province_agency": coordinator_agency}


def everything():
    """No scope: every agency (the scope itself is tested through the pages)."""
    return Agency.objects.all()


def by_code(board):
    return {row.code: row for row in board.rows}


def test_region_rows_match_the_database(data, kab_kupang, kota_kupang):
    board = dashboards.build(everything(), year=2026)
    rows = by_code(board)
    assert board.level == "region"
    assert list(rows) == ["53", "53.01", "53.71"]
    kab = rows["53.01"]
    lines = BudgetLine.objects.filter(document__agency__region=kab_kupang).aggregate(
        a=Sum("amount"), c=Sum("committed"), r=Sum("realized")
    )
    assert (kab.budget, kab.committed, kab.realized) == (lines["a"], lines["c"], lines["r"])
    assert kab.budget == D("3500000")
    # Latest accepted reports weighted by value: (600k×40 + 400k×60 + 1M×20) / 2M.
    assert kab.physical == D("34.00") and kab.planned == D("50.00") and kab.deviation == D("-16.00")
    assert kab.level == "far_behind"
    assert (kab.contracts, kab.reported, kab.not_reported) == (4, 3, 1)
    # Late: c2's April report came late, c3's April draft is past its day, and c4 has no
    # April report at all (April is the last month due on 5 June).
    assert kab.critical == 2 and kab.late == 3
    assert kab.packages == {PackageStatus.CONTRACTED: 4, PackageStatus.DRAFT: 1}
    kota = rows["53.71"]
    assert (kota.budget, kota.realized, kota.physical, kota.deviation) == (
        D("3000000"),
        D("1000000"),
        D("70.00"),
        D("0.00"),
    )
    assert kota.level == "on_track" and kota.critical == 0 and kota.late == 1  # no April report
    assert rows["53"].budget == 0 and rows["53"].physical is None and rows["53"].level == ""
    assert board.total.budget == D("6500000") and board.total.critical == 2
    # The total weighs the three regions' contracts together: (68M + 140M) / 4M.
    assert board.total.physical == D("52.00")


def test_agency_rows_of_a_region(data, kab_kupang):
    board = dashboards.build(everything(), region=kab_kupang, year=2026)
    rows = by_code(board)
    assert board.level == "agency" and list(rows) == ["DINAS-A", "DINAS-B"]
    a = rows["DINAS-A"]
    assert (a.budget, a.committed, a.realized) == (D("1500000"), D("200000"), D("400000"))
    assert a.realized_pct == D("26.67")
    assert a.physical == D("48.00") and a.planned == D("50.00") and a.level == "on_track"
    assert (a.contracts, a.critical, a.late) == (3, 1, 2)
    assert rows["DINAS-B"].late == 1
    assert rows["DINAS-B"].physical == D("20.00") and rows["DINAS-B"].level == "far_behind"


def test_program_rows_of_an_agency(data, kab_kupang):
    a = data["a"]
    board = dashboards.build(everything(), region=kab_kupang, agency=a.agency, year=2026)
    rows = by_code(board)
    assert board.level == "program"
    assert [row.code for row in board.rows] == ["2.16.02", "2.16.03", ""]
    first, second, unlinked = rows["2.16.02"], rows["2.16.03"], board.rows[-1]
    assert (first.budget, first.committed, first.realized) == (D("1000000"), D("200000"), D("300000"))
    assert first.physical == D("40.00") and first.planned == D("50.00")
    assert (first.contracts, first.reported, first.critical, first.late) == (2, 1, 1, 1)
    assert first.packages == {PackageStatus.CONTRACTED: 2}
    assert (second.budget, second.physical, second.contracts, second.late) == (D("500000"), D("60.00"), 1, 1)
    # The draft package has no RUP item yet, so no program: it is shown apart.
    assert unlinked.key is None and unlinked.packages == {PackageStatus.DRAFT: 1}


def test_one_program(data, kab_kupang):
    from eplanning.models import Nomenclature

    program = Nomenclature.objects.get(code="2.16.03")
    board = dashboards.build(everything(), region=kab_kupang, agency=data["a"].agency, program=program, year=2026)
    assert [row.code for row in board.rows] == ["2.16.03"]
    assert board.rows[0].physical == D("60.00")
    contracts = list(dashboards.contracts(everything(), year=2026, program=program))
    assert len(contracts) == 1 and contracts[0].value == D("400000")


def test_realization_by_month_and_curve(data, kab_kupang):
    from tests.emonev.factories import realize

    a = data["a"]
    realize(a.lines[0], "250000", datetime.date(2026, 3, 15))
    realize(a.lines[1], "50000", datetime.date(2026, 5, 2))
    board = dashboards.build(everything(), region=kab_kupang, agency=a.agency, year=2026)
    months = {m.month: m for m in board.months}
    assert months[3].realized == D("250000") and months[5].realized == D("50000")
    assert months[12].realized_cumulative == D("300000")
    # The cash plans spread each line evenly over the year.
    assert months[12].planned_cumulative == D("1500000")
    curve = {p["month"]: p for p in board.curve}
    # May: c1 (600k at 40) and c2 (400k at 60) accepted → 48; April: c1 30, c2 45 → 36.
    assert curve[5]["actual"] == D("48.00") and curve[4]["actual"] == D("36.00")
    assert curve[6]["actual"] is None  # June's report is only submitted


def test_other_years_do_not_count(data, kab_kupang):
    board = dashboards.build(everything(), region=kab_kupang, year=2025)
    assert all(row.budget == 0 and row.contracts == 0 and row.late == 0 for row in board.rows)


def test_public_build_leaves_out_drafts_and_late_reports(data, kab_kupang):
    board = dashboards.build(dashboards.public_agencies(kab_kupang), region=kab_kupang, year=2026, public=True)
    a = by_code(board)["DINAS-A"]
    assert a.packages == {PackageStatus.CONTRACTED: 3} and a.late == 0


def test_a_report_without_a_plan_counts_in_progress_but_not_in_the_deviation(kab_kupang, today):
    world = agency_world(kab_kupang, "DINAS-X", lines=((SUB_A, "3000000", "0", "0"),))
    planned = contract_of(world, world.lines[0], value="1000000")
    report(world, planned, month=5, physical="40", planned="50")
    unplanned = contract_of(world, world.lines[0], value="1000000")
    report(world, unplanned, month=5, physical="80", planned=None)
    (row,) = dashboards.build(everything(), region=kab_kupang, year=2026).rows
    assert row.physical == D("60.00")  # (1M×40 + 1M×80) / 2M
    assert row.planned == D("50.00") and row.deviation == D("-10.00")  # over the planned contract only
    assert row.level == "behind"


def test_no_plan_at_all_reads_no_plan(kab_kupang, today):
    world = agency_world(kab_kupang, "DINAS-Y", lines=((SUB_A, "3000000", "0", "0"),))
    report(world, contract_of(world, world.lines[0], value="1000000"), month=5, physical="80", planned=None)
    (row,) = dashboards.build(everything(), region=kab_kupang, year=2026).rows
    assert row.physical == D("80.00") and row.planned is None and row.deviation is None
    assert row.level == "no_plan"


def test_missing_reports_of_the_last_due_month_are_late(data, kab_kupang, today):
    today.set(datetime.date(2026, 6, 11))  # May's reports were due on 10 June
    rows = by_code(dashboards.build(everything(), region=kab_kupang, year=2026))
    # A: c2's late April report, c3's April draft, and c3 has no May report at all.
    assert rows["DINAS-A"].late == 3
    assert rows["DINAS-B"].late == 0  # c4 reported May; its missing April is no longer the last due month


def test_last_due_month():
    from emonev.dashboards import last_due_month

    assert last_due_month(datetime.date(2026, 6, 10)) == (2026, 4)  # May's is due today: still on time
    assert last_due_month(datetime.date(2026, 6, 11)) == (2026, 5)
    assert last_due_month(datetime.date(2026, 1, 5)) == (2025, 11)
    assert last_due_month(datetime.date(2026, 1, 11)) == (2025, 12)


def test_province_programs_are_named_as_in_the_province_list(province, today):
    from eplanning.models import Nomenclature

    world = agency_world(province, "DISKOMINFO-PROV", lines=(("2.16.02.1.01.0029", "1000", "0", "0"),))
    Nomenclature.objects.filter(code="2.16.02").update(name="Nama kab/kota", name_province="Nama provinsi")
    board = dashboards.build(everything(), region=province, agency=world.agency, year=2026)
    assert [row.label for row in board.rows] == ["Nama provinsi"]


def test_a_contract_funded_by_two_programs_is_counted_once_in_the_agencys_total(data, kab_kupang):
    # Given a contract whose RUP item also draws on the second program's line
    from eprocurement.models import ProcurementFunding

    a = data["a"]
    c2 = dashboards.contracts(everything(), year=2026).filter(value=D("400000")).get()
    rup = c2.package.plan_items.get()
    ProcurementFunding.objects.create(plan_item=rup, budget_line=a.lines[0], amount=D("100000"))
    # When the agency's programs are shown
    board = dashboards.build(everything(), region=kab_kupang, agency=a.agency, year=2026)
    # Then each program counts the contract, and the total counts it once, as the agency row does
    rows = by_code(board)
    assert rows["2.16.02"].contracts + rows["2.16.03"].contracts == 4
    agency_row = by_code(dashboards.build(everything(), region=kab_kupang, year=2026))["DINAS-A"]
    assert board.total.contracts == agency_row.contracts == 3
    assert board.total.budget == agency_row.budget


def test_a_monitored_plan_item_without_its_last_due_report_is_late(data, kab_kupang, today):
    # Given agency B's plan item with a planned curve for the year, and no May report
    from emonev.models import PlannedCurve, PlannedPoint

    b = data["b"]
    plan_item = b.lines[0].plan_item
    curve = PlannedCurve.objects.create(agency=b.agency, plan_item=plan_item, total=D("1000000"), set_by=b.author)
    PlannedPoint.objects.bulk_create(
        PlannedPoint(curve=curve, year=2026, month=m, physical_pct=D(m * 8), financial=D(m * 80000))
        for m in range(1, 13)
    )
    today.set(datetime.date(2026, 6, 11))  # May's reports were due on 10 June
    # Then it counts as late in its agency and its program
    assert by_code(dashboards.build(everything(), region=kab_kupang, year=2026))["DINAS-B"].late == 1
    programs = dashboards.build(everything(), region=kab_kupang, agency=b.agency, year=2026)
    assert sum(row.late for row in programs.rows) == 1
    # When its May report is in, it is no longer missing
    report(b, None, month=5, physical="40", planned="40", status=ReportStatus.ACCEPTED, plan_item=plan_item)
    assert by_code(dashboards.build(everything(), region=kab_kupang, year=2026))["DINAS-B"].late == 0
