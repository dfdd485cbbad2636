"""The nomenclature tree page: log-in, levels with children counts, search, variants,
successors of a code no longer listed, and a constant number of queries."""

import pytest

from eplanning.models import Nomenclature
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def node(code, level, parent=None, **fields):
    return Nomenclature.objects.create(code=code, level=level, name=f"Nama {code}", parent=parent, **fields)


@pytest.fixture
def planner(client, make_member, kab_kupang):
    user = make_member(AgencyFactory(region=kab_kupang, code="BAPPEDA"), "planner")
    client.force_login(user)
    return user


@pytest.fixture
def field_9():
    """An affair field of our own under the unused urusan 9, beside the shipped list."""
    urusan = node("9", "urusan")
    return node("9.01", "bidang_urusan", urusan)


def test_pages_require_log_in(client):
    response = client.get("/perencanaan/nomenklatur/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_root_lists_the_affairs_with_their_children_counted(client, planner):
    response = client.get("/perencanaan/nomenklatur/")

    assert response.status_code == 200
    rows = {row.code: row.child_count for row in response.context["page"]}
    assert "2" in rows and "X" in rows
    assert rows["2"] == Nomenclature.objects.filter(parent__code="2").count()


def test_a_regency_person_sees_the_regency_variant_and_can_ask_for_the_province(client, planner):
    # Given the generic kegiatan of the program penunjang, one per variant
    url = "/perencanaan/nomenklatur/X.XX.01/"

    regency_codes = [row.code for row in client.get(url).context["page"]]
    province_codes = [row.code for row in client.get(url, {"region": "53"}).context["page"]]

    assert regency_codes and all(code.split(".")[3] == "2" for code in regency_codes)
    assert province_codes and all(code.split(".")[3] == "1" for code in province_codes)


def test_search_finds_codes_by_code_and_by_name(client, planner):
    by_code = client.get("/perencanaan/nomenklatur/", {"q": "2.16.02.2.01.0026"}).context["page"]
    by_name = client.get("/perencanaan/nomenklatur/", {"q": "diseminasi informasi", "region": "all"})

    assert [row.code for row in by_code] == ["2.16.02.2.01.0026"]
    assert "2.16.02.2.01.0026" in [row.code for row in by_name.context["page"]]


def test_an_inactive_code_shows_its_successor(client, planner, field_9):
    program = node("9.01.02", "program", field_9)
    kegiatan = node("9.01.02.2.01", "kegiatan", program, for_province=False)
    node("9.01.02.2.01.0001", "sub_kegiatan", kegiatan, is_active=False)
    node("9.01.02.2.01.0002", "sub_kegiatan", kegiatan, previous_code="9.01.02.2.01.0001")

    response = client.get("/perencanaan/nomenklatur/9.01.02.2.01.0001/")

    assert response.status_code == 200
    assert [s.code for s in response.context["successors"]] == ["9.01.02.2.01.0002"]
    assert [a.code for a in response.context["ancestors"]] == ["9", "9.01", "9.01.02", "9.01.02.2.01"]
    assert b'data-test="successors"' in response.content


def test_an_unknown_code_is_not_found(client, planner):
    assert client.get("/perencanaan/nomenklatur/9.99.99/").status_code == 404


def test_the_tree_costs_the_same_queries_for_n_minus_1_and_n_children(
    client, planner, field_9, django_assert_num_queries
):
    # Given an affair field with programs, each with a kegiatan
    def add_program(n):
        program = node(f"9.01.{n:02d}", "program", field_9)
        node(f"9.01.{n:02d}.2.01", "kegiatan", program, for_province=False)

    for n in range(2, 5):
        add_program(n)
    url = "/perencanaan/nomenklatur/9.01/"
    client.get(url)  # sets up the session

    # user; reach and the units of the person's agency; the header's membership (agency,
    # region); unread count; the node; its ancestors; the page's count; the page's rows
    # with their children counted; the regions to choose a variant from
    with django_assert_num_queries(10):
        assert len(client.get(url).context["page"]) == 3
    add_program(5)
    with django_assert_num_queries(10):
        assert len(client.get(url).context["page"]) == 4
