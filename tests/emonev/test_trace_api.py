"""The trace as JSON: the same chain as the page, with the same access rule."""

import pytest
from django.urls import reverse

from emonev.trace import build_chain
from tests.ebudgeting.factories import member
from tests.emonev.factories_trace import grow, small_chain
from tests.eplanning.factories_musrenbang import ProposalFactory
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def api_url(kind, pk):
    return f"/api/emonev/trace/{kind}/{pk}/"


def test_the_api_gives_the_chain_the_page_shows(kab_kupang, api_client):
    world = grow(small_chain(kab_kupang))
    api_client.force_authenticate(world.ppk)

    response = api_client.get(api_url("budget_line", world.extra_lines[0].pk))

    assert response.status_code == 200
    body = response.json()
    assert body["start"] == {"kind": "budget_line", "id": world.extra_lines[0].pk}
    (item,) = body["plan_items"]
    chain = build_chain(world.ppk, "budget_line", world.extra_lines[0].pk)["plan_items"][0]
    assert [line["id"] for line in item["budget_lines"]] == [line["id"] for line in chain["budget_lines"]]
    assert [line["is_start"] for line in item["budget_lines"]].count(True) == 1
    rups = {rup["id"]: rup for rup in item["procurement_plans"]}
    assert {f["amount"] for f in rups[world.rup2.pk]["fundings"]} == {"100000000.00", "200000000.00"}
    sealed = rups[world.rup2.pk]["packages"][0]
    assert sealed["bids"] == {"submitted": 2, "opened": False, "opened_at": None, "items": []}
    contract = rups[world.plan_item.pk]["packages"][0]["contract"]
    assert [p["amount"] for p in contract["payments"]] == ["100000000.00", "150000000.00", "50000000.00"]
    assert contract["paid"] == "300000000.00"
    assert [(r["month"], r["physical_pct"]) for r in contract["progress"]] == [(5, "15.00"), (6, "35.00")]
    assert "sealed_price" not in response.content.decode()


def test_outsiders_and_bad_kinds_get_404(kab_kupang, api_client):
    world = small_chain(kab_kupang)
    api_client.force_authenticate(member(AgencyFactory(region=kab_kupang), "ppk"))
    assert api_client.get(api_url("contract", world.contract.pk)).status_code == 404
    api_client.force_authenticate(world.ppk)
    assert api_client.get(api_url("contract", world.contract.pk)).status_code == 200
    assert api_client.get(api_url("vendor", world.contract.pk)).status_code == 404


def test_anonymous_is_refused(kab_kupang, api_client):
    world = small_chain(kab_kupang)
    assert api_client.get(api_url("plan_item", world.root.pk)).status_code in (401, 403)


def test_the_schema_describes_the_chain(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/emonev/trace/{kind}/{id}/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    trace = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(trace["properties"]) == {"start", "plan_items"}
    package = schema["components"]["schemas"]["PackageStep"]["properties"]
    assert {"bids", "award", "contract"} <= set(package)


def test_the_api_reads_a_bigger_chain_in_the_same_number_of_queries(kab_kupang, api_client, django_assert_num_queries):
    world = small_chain(kab_kupang)
    api_client.force_authenticate(world.ppk)
    url = api_url("contract", world.contract.pk)
    api_client.get(url)

    # The start, the roots, proposals, fundings, lines, packages, opened bids, progress
    # reports, payments (the forced user keeps its reach, read by the first request).
    with django_assert_num_queries(9):
        assert api_client.get(url).status_code == 200
    grow(world)
    with django_assert_num_queries(9):
        body = api_client.get(url).json()
    assert len(body["plan_items"][0]["budget_lines"]) == 3


def test_a_proposal_not_yet_in_a_plan_has_no_chain(kab_kupang, api_client):
    world = small_chain(kab_kupang)
    pending = ProposalFactory(region=kab_kupang, fiscal_year=world.year)
    api_client.force_authenticate(world.ppk)
    assert api_client.get(api_url("proposal", pending.pk)).status_code == 404
    assert api_client.get(api_url("proposal", world.proposal.pk)).status_code == 200
