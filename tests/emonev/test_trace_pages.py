"""The trace page: from a plan item, a budget line, a package, a contract or a Musrenbang
proposal, the same whole chain, in a constant number of queries, to staff who reach the
plan item's agency only; before opening, bids are only counted."""

import pytest
from django.urls import reverse

from ebudgeting.models import BudgetDocument
from emonev.trace import build_chain
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, member
from tests.emonev.factories_trace import grow, small_chain
from tests.eprocurement.factories_ocds import sealed_bids
from tests.eprocurement.factories_packages import tender_world
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def urls(world):
    return {
        "plan_item": reverse("emonev:trace_plan_item", args=[world.root.pk]),
        "budget_line": reverse("emonev:trace_budget_line", args=[world.lines[0].pk]),
        "package": reverse("emonev:trace_package", args=[world.package.pk]),
        "contract": reverse("emonev:trace_contract", args=[world.contract.pk]),
        "proposal": reverse("emonev:trace_proposal", args=[world.proposal.pk]),
    }


def test_every_start_shows_the_same_chain(kab_kupang, client):
    world = small_chain(kab_kupang)
    client.force_login(world.ppk)

    chains = {kind: build_chain(world.ppk, kind, pk) for kind, pk in starts(world).items()}

    shapes = {kind: shape(chain["plan_items"]) for kind, chain in chains.items()}
    assert len(set(map(repr, shapes.values()))) == 1
    assert shapes["plan_item"][0][0] == world.root.pk and shapes["plan_item"][0][4][0][1][0][1] == world.contract.pk
    for kind, url in urls(world).items():
        response = client.get(url)
        assert response.status_code == 200, kind
        assert response.content.count(b'class="step start"') + response.content.count(b'class="start"') == 1, kind


def starts(world):
    return {
        "plan_item": world.root.pk,
        "budget_line": world.lines[0].pk,
        "package": world.package.pk,
        "contract": world.contract.pk,
        "proposal": world.proposal.pk,
    }


def shape(tree):
    """The chain without the start marks: plan item → lines → RUP → package → contract."""
    return [
        (
            item["id"],
            item["objective"]["id"],
            [p["id"] for p in item["proposals"]],
            [line["id"] for line in item["budget_lines"]],
            [
                (
                    rup["id"],
                    [(pkg["id"], pkg["contract"]["id"] if pkg["contract"] else None) for pkg in rup["packages"]],
                )
                for rup in item["procurement_plans"]
            ],
        )
        for item in tree
    ]


def test_the_chain_carries_amounts_dates_and_links(kab_kupang):
    world = small_chain(kab_kupang)

    (item,) = build_chain(world.ppk, "contract", world.contract.pk)["plan_items"]

    assert item["id"] == world.root.pk and item["url"] == reverse("eplanning:plan_detail", args=[world.root.pk])
    assert item["objective"]["code"] == world.root.objective.code
    assert item["proposals"][0]["title"] == world.proposal.title
    (line,) = item["budget_lines"]
    assert line["amount"] == world.lines[0].amount and line["in_force"]
    (rup,) = item["procurement_plans"]
    assert rup["fundings"] == [{"budget_line_id": line["id"], "key": line["key"], "amount": world.lines[0].amount}]
    (package,) = rup["packages"]
    assert package["bids"]["opened"] and package["bids"]["submitted"] == 3
    assert [bid["price"] for bid in package["bids"]["items"]] == sorted(b.opened_price for b in world.bids)
    assert package["award"]["vendor"] == world.award.vendor.name and package["award"]["value"] == world.award.value
    contract = package["contract"]
    assert contract["number"] == world.contract.number and contract["is_start"]
    assert [p["number"] for p in contract["payments"]] == ["SP2D-0001"]
    assert contract["paid"] == world.payment.amount


def test_before_opening_bids_are_only_counted(kab_kupang, client):
    world = tender_world(kab_kupang, phase="bidding")
    bids = sealed_bids(world, count=2)
    client.force_login(world.ppk)

    response = client.get(reverse("emonev:trace_package", args=[world.package.pk]), HTTP_ACCEPT_LANGUAGE="en")

    (item,) = build_chain(world.ppk, "package", world.package.pk)["plan_items"]
    package = item["procurement_plans"][0]["packages"][0]
    assert package["bids"] == {"submitted": 2, "opened": False, "opened_at": None, "items": []}
    assert response.status_code == 200
    for bid in bids:
        assert bid.vendor.name.encode() not in response.content
    assert b"SEALED" not in response.content


def test_a_bigger_chain_is_read_in_the_same_number_of_queries(kab_kupang, client, django_assert_num_queries):
    world = small_chain(kab_kupang)
    client.force_login(world.ppk)
    url = reverse("emonev:trace_plan_item", args=[world.root.pk])
    client.get(url)  # warm caches that are not the page's (sessions, content types)

    # The user; the reach (memberships, the agency's units); the start; the root plan
    # items; proposals; RUP fundings; budget lines; packages with award, contract and bid
    # count; opened bids; progress reports; payments; the layout's unread notifications
    # and memberships.
    with django_assert_num_queries(14):
        small = client.get(url)
    grow(world)
    with django_assert_num_queries(14) as queries:
        big = client.get(url)

    assert small.status_code == big.status_code == 200
    assert big.content.count(b'data-test="trace-line"') == 3
    assert big.content.count(b'data-test="trace-package"') == 2
    assert big.content.count(b'data-test="trace-payment"') == 3
    assert big.content.count(b'data-test="trace-report"') == 3  # two of the contract, one of the plan item
    assert b"Rahasia Penawar" not in big.content
    assert not any("sealed_price" in query["sql"] for query in queries.captured_queries)


def test_people_outside_the_agency_get_404(kab_kupang, kota_kupang, client):
    world = small_chain(kab_kupang)
    outsiders = [
        member(AgencyFactory(region=kab_kupang), "ppk"),  # another agency of the region
        member(AgencyFactory(region=kota_kupang), "ppk"),  # another region
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        for kind, url in urls(world).items():
            if kind == "proposal":
                continue  # proposals are region-wide records; the plan item is not
            assert client.get(url).status_code == 404, kind
    client.force_login(outsiders[0])
    assert client.get(urls(world)["proposal"]).status_code == 404


def test_anonymous_is_sent_to_login_and_unknown_records_are_404(kab_kupang, client):
    world = small_chain(kab_kupang)
    response = client.get(urls(world)["contract"])
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(world.ppk)
    assert client.get(reverse("emonev:trace_contract", args=[world.contract.pk + 999])).status_code == 404


def test_subject_plan_item_package_and_proposal_pages_link_to_the_trace(kab_kupang, client):
    world = small_chain(kab_kupang)
    client.force_login(world.ppk)
    pages = {
        reverse("emonev:contract_progress", args=[world.contract.pk]): urls(world)["contract"],
        reverse("emonev:plan_item_progress", args=[world.root.pk]): urls(world)["plan_item"],
        reverse("eplanning:plan_detail", args=[world.root.pk]): urls(world)["plan_item"],
        reverse("eprocurement:package_detail", args=[world.package.pk]): urls(world)["package"],
        reverse("eplanning:musrenbang_detail", args=[world.proposal.pk]): urls(world)["proposal"],
    }
    for page, trace_url in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'href="{trace_url}" data-test="trace-link"'.encode() in response.content, page


def test_a_revised_budget_shows_the_lines_in_force_and_the_earlier_line_still_drawn_on(kab_kupang):
    world = small_chain(kab_kupang)
    old_document = world.document
    BudgetDocument.objects.filter(pk=old_document.pk).update(is_current=False)
    revised = BudgetDocumentFactory(
        agency=world.agency, fiscal_year=world.year, version=2, status="approved", previous=old_document
    )
    new_line = BudgetLineFactory(document=revised, plan_item=world.root, origin=world.lines[0])
    unfunded_old = BudgetLineFactory(document=old_document, plan_item=world.root)

    (item,) = build_chain(world.ppk, "plan_item", world.root.pk)["plan_items"]
    lines = {line["id"]: line for line in item["budget_lines"]}
    assert set(lines) == {world.lines[0].pk, new_line.pk}  # the RUP item still draws on the old line
    assert lines[new_line.pk]["in_force"] and not lines[world.lines[0].pk]["in_force"]
    assert item["budget"] == new_line.amount

    (item,) = build_chain(world.ppk, "budget_line", unfunded_old.pk)["plan_items"]
    assert [line["is_start"] for line in item["budget_lines"] if line["id"] == unfunded_old.pk] == [True]
