"""The dashboard pages, the public progress page and the API: scope (a person sees only
their reach; the public sees public facts only), constant query counts, and charts with
text alternatives."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from emonev.choices import ReportStatus
from eprocurement.choices import PackageStatus
from tests.emonev.dashboard_world import SUB_A, SUB_B, agency_world, contract_of, make_critical, report
from tests.eprocurement.factories_packages import PackageFactory
from tests.factories import AgencyFactory

URL = reverse("emonev:dashboard")


@pytest.fixture
def data(kab_kupang, kota_kupang, province, today):
    a = agency_world(kab_kupang, "DINAS-A", lines=((SUB_A, "1000000", "0", "300000"), (SUB_B, "500000", "0", "0")))
    c1 = contract_of(a, a.lines[0], value="600000")
    report(a, c1, month=5, physical="40", planned="50")
    report(
        a,
        c1,
        month=6,
        physical="77.77",
        planned="60",
        status=ReportStatus.SUBMITTED,
        problems="Rahasia internal: vendor menunggak upah",
    )
    make_critical(a, c1)
    c2 = contract_of(a, a.lines[1], value="400000")
    report(
        a,
        c2,
        month=5,
        physical="60",
        planned="50",
        verifier_comment="Catatan verifikator internal",
        problems="Kendala cuaca",
    )
    report(a, c2, month=6, physical="66.66", planned="60", status=ReportStatus.DRAFT)
    PackageFactory(agency=a.agency, fiscal_year=a.year, status=PackageStatus.DRAFT, name="Paket draf rahasia")
    c = agency_world(kota_kupang, "DINAS-C", lines=((SUB_A, "3000000", "0", "1000000"),))
    c5 = contract_of(c, c.lines[0], value="2000000")
    report(c, c5, month=5, physical="70", planned="70")
    province_agency = AgencyFactory(region=province, code="BAPPEDA", name="Bappeda Provinsi NTT")
    return {"a": a, "c": c, "province_agency": province_agency, "c1": c1}


def rows_of(body):
    return re.findall(r'data-test="dashboard-row" data-key="([^"]*)"', body)


# --- Scope -------------------------------------------------------------------------------------


def test_province_coordinator_sees_every_regency(client, make_member, data):
    client.force_login(make_member(data["province_agency"], "leader", scope="province"))
    body = client.get(URL).content.decode()
    assert rows_of(body) == ["53", "53.01", "53.71"]
    response = client.get(URL, {"region": "53.71"})
    assert response.status_code == 200 and rows_of(response.content.decode()) == ["DINAS-C"]


def test_regency_person_sees_only_their_region(client, make_member, data):
    client.force_login(make_member(data["a"].agency, "monev_verifier"))  # reaches the whole region
    assert rows_of(client.get(URL).content.decode()) == ["53.01"]
    assert client.get(URL, {"region": "53.71"}).status_code == 404
    agency_c = data["c"].agency.pk
    assert client.get(URL, {"region": "53.01", "agency": agency_c}).status_code == 404


def test_agency_person_sees_only_their_agency(client, make_member, data, kab_kupang):
    other = agency_world(kab_kupang, "DINAS-B")
    client.force_login(make_member(data["a"].agency, "monev_officer"))
    body = client.get(URL, {"region": "53.01"}).content.decode()
    assert rows_of(body) == ["DINAS-A"]
    assert client.get(URL, {"region": "53.01", "agency": other.agency.pk}).status_code == 404


def test_bad_parameters_answer_404(client, make_member, data):
    client.force_login(make_member(data["province_agency"], "leader", scope="province"))
    assert client.get(URL, {"region": "99.99"}).status_code == 404
    assert client.get(URL, {"agency": data["a"].agency.pk}).status_code == 404  # an agency needs its region
    assert client.get(URL, {"region": "53.01", "agency": "x"}).status_code == 404
    params = {"region": "53.01", "agency": data["a"].agency.pk, "program": "9.99.99"}
    assert client.get(URL, params).status_code == 404


def test_login_required(client, data):
    assert client.get(URL).status_code == 302


# --- Drill-down pages --------------------------------------------------------------------------


def test_drill_down_to_programs_and_contracts(english, make_member, data):
    english.force_login(make_member(data["province_agency"], "leader", scope="province"))
    body = english.get(URL, {"region": "53.01", "agency": data["a"].agency.pk}).content.decode()
    assert rows_of(body) == ["2.16.02", "2.16.03", ""]
    assert "program=2.16.02" in body  # each program links one level down
    assert body.count('data-test="contract-row"') == 2
    assert data["c1"].number in body and "Critical contract" in body
    one = english.get(URL, {"region": "53.01", "agency": data["a"].agency.pk, "program": "2.16.03"})
    assert rows_of(one.content.decode()) == ["2.16.03"]
    assert one.content.decode().count('data-test="contract-row"') == 1


# --- Constant queries --------------------------------------------------------------------------


def more_agencies(region, count, start):
    for index in range(count):
        world = agency_world(
            region, f"EXTRA-{start + index}", lines=((SUB_A, "1000", "0", "0"), (SUB_B, "1000", "0", "0"))
        )
        contract = contract_of(world, world.lines[index % 2], value="1000")
        report(world, contract, month=5, physical="10", planned="20")
        make_critical(world, contract)


def page_queries(client, django_assert_num_queries, params, expected):
    # The session's first save happens once, outside the count, and so does the first
    # sum of the DPAs' cash plan (then cached under their ids).
    client.get(URL, params)
    with django_assert_num_queries(expected):
        assert client.get(URL, params).status_code == 200


# Every page: the user, the person's reach (memberships, the province's regencies), the
# base template's bell and menu (2): 5.
# The region level adds one grouped query each for budget, packages, contracts, accepted
# progress, critical, late reports, missing reports of contracts and of plan items, the
# rows' names, the two monthly series and the two curve series (13); the agency level adds
# the region asked for (1).
@pytest.mark.parametrize(
    ("params", "expected"),
    [({}, 18), ({"region": "53.01"}, 19)],
)
def test_region_and_agency_levels_in_constant_queries(
    client, make_member, data, kab_kupang, kota_kupang, django_assert_num_queries, params, expected
):
    client.force_login(make_member(data["province_agency"], "leader", scope="province"))
    page_queries(client, django_assert_num_queries, params, expected)
    more_agencies(kab_kupang, 3, 0)
    more_agencies(kota_kupang, 2, 10)
    page_queries(client, django_assert_num_queries, params, expected)


def test_program_level_in_constant_queries(client, make_member, data, django_assert_num_queries):
    a = data["a"]
    client.force_login(make_member(data["province_agency"], "leader", scope="province"))
    params = {"region": "53.01", "agency": a.agency.pk}
    # Region and agency asked for (2), late reports per program in two queries and packages
    # in two (linked, not yet linked): 15 figure queries, the total from the same figures by
    # agency (8: programs overlap), the contracts' page (count and rows: 2) besides the 5
    # of every page.
    page_queries(client, django_assert_num_queries, params, 32)
    for index in range(4):
        contract = contract_of(a, a.lines[index % 2], value="1000")
        report(a, contract, month=5, physical="10", planned="20")
    page_queries(client, django_assert_num_queries, params, 32)
    page_queries(client, django_assert_num_queries, {**params, "program": "2.16.02"}, 24)


# --- Charts ------------------------------------------------------------------------------------


def test_charts_have_text_alternatives(english, make_member, data):
    english.force_login(make_member(data["province_agency"], "leader", scope="province"))
    body = english.get(URL, {"region": "53.01"}).content.decode()
    assert body.count('role="img"') == 3  # progress by agency, S-curve, realization by month
    assert '<title id="bars-title">Physical progress</title>' in body
    assert "Planned and actual physical progress (S-curve)" in body
    assert "Dashed line with round marks" in body  # readable without colour
    assert 'data-test="s-curve-table"' in body and 'data-test="realization-months"' in body
    assert "48.00%" in body  # the agency's bar says its value in words, not only by length


def test_contract_s_curve_page(english, make_member, data):
    from emonev.services.curves import planned_curve_set
    from tests.emonev.factories import even_curve

    a, contract = data["a"], data["c1"]
    ppk = make_member(a.agency, "ppk")
    physical, financial = even_curve(12, contract.value)
    planned_curve_set(contract=contract, physical=physical, financial=financial, actor=ppk)
    english.force_login(ppk)
    body = english.get(reverse("emonev:dashboard_contract", args=[contract.pk])).content.decode()
    assert 'role="img"' in body and "<title" in body
    assert '<td>05/2026</td><td class="num">41.67</td><td class="num">40.00</td>' in body
    assert "77.77" not in body  # June's report is only submitted


def test_contract_s_curve_out_of_scope_is_404(client, make_member, data):
    client.force_login(make_member(data["c"].agency, "monev_officer"))
    assert client.get(reverse("emonev:dashboard_contract", args=[data["c1"].pk])).status_code == 404


# --- Public page -------------------------------------------------------------------------------


def test_public_page_needs_no_login_and_shows_public_facts(english, data):
    response = english.get(reverse("emonev:public_progress", args=["53.01"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Kabupaten Kupang" in body and rows_of(body)[:1] == ["DINAS-A"]
    assert data["c1"].number in body and 'data-test="public-critical"' in body
    assert "48.00" in body  # accepted reports only: (600k×40 + 400k×60) / 1M
    for internal in (
        "77.77",
        "66.66",
        "Rahasia internal",
        "Catatan verifikator",
        "Kendala cuaca",
        "Paket draf rahasia",
    ):
        assert internal not in body
    assert "Late reports" not in body and "Committed" not in body
    assert "DINAS-C" not in body  # another region's agencies


def test_public_page_unknown_region_is_404(client, data):
    assert client.get(reverse("emonev:public_progress", args=["99.99"])).status_code == 404


def test_public_page_in_constant_queries(client, data, kab_kupang, django_assert_num_queries):
    url = reverse("emonev:public_progress", args=["53.01"])
    # The region, 2 × (budget, packages, contracts, progress, critical, names), the two
    # monthly and two curve series, the contracts (count + page) and the critical ones: 20,
    # packages by program in two (linked, not yet linked): +1, and the program total from
    # the figures by agency: 5 (an anonymous visitor has no bell, no reach and no late
    # reports to read). The monthly cash plan is one query for the DPAs' ids once cached;
    # the first read sums it too (one more).
    with django_assert_num_queries(27):
        client.get(url)
    with django_assert_num_queries(26):
        client.get(url)
    more_agencies(kab_kupang, 3, 0)
    client.get(url)  # new DPAs: their cash plan is summed once
    with django_assert_num_queries(26):
        client.get(url)


# --- API ---------------------------------------------------------------------------------------


def test_api_gives_the_same_figures(api_client, make_member, data):
    api_client.force_authenticate(make_member(data["province_agency"], "leader", scope="province"))
    answer = api_client.get("/api/emonev/dashboard/", {"region": "53.01"}).json()
    assert answer["level"] == "agency" and answer["region"] == "53.01"
    (row,) = answer["rows"]
    assert row["code"] == "DINAS-A" and D(row["physical"]) == D("48.00") and D(row["budget"]) == D("1500000")
    assert row["critical"] == 1 and row["packages"] == {"contracted": 2, "draft": 1}
    assert len(answer["months"]) == 12 and len(answer["curve"]) == 12
    programs = api_client.get(
        "/api/emonev/dashboard/", {"region": "53.01", "agency": data["a"].agency.pk, "program": "2.16.02"}
    ).json()
    assert programs["level"] == "program" and [r["code"] for r in programs["rows"]] == ["2.16.02"]


def test_api_scope_and_login(api_client, make_member, data):
    assert api_client.get("/api/emonev/dashboard/").status_code in (401, 403)
    api_client.force_authenticate(make_member(data["c"].agency, "monev_officer"))
    assert api_client.get("/api/emonev/dashboard/", {"region": "53.01"}).status_code == 404
    rows = api_client.get("/api/emonev/dashboard/").json()["rows"]
    assert [r["code"] for r in rows] == ["53.71"]


def test_api_in_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/emonev/dashboard/" in schema


def test_public_index_lists_regions(client, data, django_assert_num_queries):
    with django_assert_num_queries(1):
        body = client.get(reverse("emonev:public_index")).content.decode()
    assert reverse("emonev:public_progress", args=["53.01"]) in body
    assert reverse("emonev:public_progress", args=["53.71"]) in body
