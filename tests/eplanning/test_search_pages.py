"""The public Musrenbang page and the plan list search with portal.search.text_search:
every word must occur, a word matches what starts with it; a plan's code from its start."""

import pytest
from django.urls import reverse

from tests.eplanning.factories import PlanItemFactory
from tests.eplanning.factories_musrenbang import ProposalFactory
from tests.eplanning.plans_support import given_region_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(kab_kupang):
    return {
        "road": ProposalFactory(
            region=kab_kupang, title="Perbaikan jalan desa", description="Jalan rusak saat musim hujan."
        ),
        "bridge": ProposalFactory(
            region=kab_kupang, title="Jembatan gantung", description="Anak sekolah menyeberang sungai."
        ),
        "well": ProposalFactory(
            region=kab_kupang, title="Sumur bor", description="Air bersih untuk dusun.", village="Oesao"
        ),
    }


def _public(client, q) -> set[int]:
    response = client.get(reverse("eplanning:musrenbang_public"), {"q": q})
    assert response.status_code == 200
    return {proposal.pk for proposal in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("jalan", {"road"}),
        ("JEMB", {"bridge"}),  # the start of a word, any case
        ("sungai anak", {"bridge"}),  # every word, in any order, from the description
        ("oesao", {"well"}),  # the village
        ("jalan sumur", set()),  # no proposal holds both
        ("", {"road", "bridge", "well"}),
    ],
)
def test_public_proposals_search(client, proposals, q, expected):
    assert _public(client, q) == {proposals[name].pk for name in expected}


@pytest.fixture
def plans(kab_kupang, make_member):
    staff = given_region_staff(kab_kupang, make_member)
    staff.items = {
        "media": PlanItemFactory(agency=staff.agency, fiscal_year=staff.year, title="Diseminasi informasi publik"),
        "network": PlanItemFactory(agency=staff.agency, fiscal_year=staff.year, title="Jaringan intra pemerintah"),
    }
    return staff


def _listed(client, staff, q) -> set[int]:
    client.force_login(staff.planner)
    response = client.get(reverse("eplanning:plan_list"), {"q": q})
    return {item.pk for item in response.context["page"].object_list}


def test_plan_list_search_by_words(client, plans):
    assert _listed(client, plans, "disemin publik") == {plans.items["media"].pk}
    assert _listed(client, plans, "jaringan") == {plans.items["network"].pk}
    assert _listed(client, plans, "jaringan oelnasi") == set()  # no item holds both


def test_plan_list_search_by_the_start_of_a_code(client, plans):
    code = plans.items["media"].sub_activity.code
    assert _listed(client, plans, code[:7]) == {item.pk for item in plans.items.values()}
    assert _listed(client, plans, "9.99.") == set()


def test_plan_list_search_by_the_sub_activitys_name(client, plans):
    first_word = plans.items["media"].sub_activity.name.split()[0]
    assert plans.items["media"].pk in _listed(client, plans, first_word)
