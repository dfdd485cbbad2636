"""The account code tree page: log-in, levels with children counts, search, funding
sources, and a constant number of queries."""

import pytest

from ebudgeting.models import AccountCode
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, make_member, kab_kupang):
    user = make_member(AgencyFactory(region=kab_kupang), "budget_officer")
    client.force_login(user)
    return user


def test_pages_require_log_in(client):
    response = client.get("/anggaran/rekening/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_root_lists_the_account_with_children_and_the_funding_sources(client, officer):
    response = client.get("/anggaran/rekening/")

    assert response.status_code == 200
    assert [(row.code, row.child_count) for row in response.context["page"]] == [("5", 4)]
    assert "DAK-FISIK" in [s.code for s in response.context["funding_sources"]]


def test_a_node_shows_its_path_and_children(client, officer):
    response = client.get("/anggaran/rekening/5.1.02.01.01/")

    assert [a.code for a in response.context["ancestors"]] == ["5", "5.1", "5.1.02", "5.1.02.01"]
    assert "5.1.02.01.01.0024" in [row.code for row in response.context["page"]]


def test_search_by_name(client, officer):
    response = client.get("/anggaran/rekening/", {"q": "alat tulis kantor"})

    assert "5.1.02.01.01.0024" in [row.code for row in response.context["page"]]


def test_the_tree_costs_the_same_queries_for_n_minus_1_and_n_children(client, officer, django_assert_num_queries):
    # Given an object detail of our own with a few sub-details
    parent = AccountCode.objects.get(code="5.1.02.01")
    detail = AccountCode.objects.create(code="5.1.02.01.99", level="rincian_objek", name="Uji", parent=parent)

    def add(n):
        AccountCode.objects.create(code=f"5.1.02.01.99.{n:04d}", level="sub_rincian_objek", name="Uji", parent=detail)

    for n in range(1, 4):
        add(n)
    url = "/anggaran/rekening/5.1.02.01.99/"
    client.get(url)  # sets up the session

    # user; reach and the units of the person's agency; the header's membership; unread
    # count; the node; its ancestors; the page's count; the page's rows with children counted
    with django_assert_num_queries(9):
        assert len(client.get(url).context["page"]) == 3
    add(4)
    with django_assert_num_queries(9):
        assert len(client.get(url).context["page"]) == 4
