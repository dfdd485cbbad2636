"""Pages of the evaluation, award, objections and contract; the public tender result."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from eprocurement.choices import BidStatus, ContractStatus, ObjectionStatus, PackageStatus, TenderStage
from eprocurement.models import Bid, BidEvaluation, Contract, Objection
from eprocurement.selectors.awards import tender_result
from portal.scoping import reach_of
from tests.eprocurement.factories_awards import DAY, HOUR, awarded, move_stage, opened_world, pass_all
from tests.eprocurement.factories_packages import tender_world
from tests.eprocurement.factories_vendors import VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client, activate_totp):
    """Log in; pokja members hold a role that requires an authenticator app."""

    def log_in(user):
        activate_totp(user)
        client.force_login(user)

    return log_in


def more_bids(world, count):
    for n in range(count):
        bid = Bid.objects.create(
            package=world.package,
            vendor=VendorFactory(status="verified"),
            status=BidStatus.SUBMITTED,
            opened_price=Decimal("870000000.00") + n,
            submitted_at=timezone.now() - DAY,
        )
        world.bids.append(bid)


def test_the_pokja_evaluates_a_bid_from_its_row(client, login, kab_kupang):
    world = opened_world(kab_kupang)
    login(world.chair)
    url = reverse("eprocurement:evaluation_record", args=[world.package.pk, world.bids[0].pk])
    client.post(url, {"administrative_pass": "0", "notes": "Surat penawaran tidak ditandatangani"})
    evaluation = BidEvaluation.objects.get(bid=world.bids[0])
    assert evaluation.administrative_pass is False and evaluation.qualification_pass is None
    body = client.get(reverse("eprocurement:evaluation_page", args=[world.package.pk])).content.decode()
    assert body.count('data-test="evaluation-row"') == 3 and "Surat penawaran tidak ditandatangani" in body
    assert '<select name="administrative_pass"><option value="">—</option><option value="1">' in body
    assert body.count('<option value="0" selected>') == 1  # the recorded fail is shown, not reset


def test_a_refused_evaluation_changes_nothing_and_says_why(client, login, kab_kupang):
    world = opened_world(kab_kupang)
    login(world.chair)
    client.cookies["django_language"] = "en"
    url = reverse("eprocurement:evaluation_record", args=[world.package.pk, world.bids[0].pk])
    response = client.post(url, {"administrative_pass": "0"}, follow=True)
    assert not BidEvaluation.objects.exists()
    assert "Give the reason why the bid failed." in response.content.decode()


def test_the_evaluation_page_reads_a_constant_number_of_queries(client, login, kab_kupang, django_assert_num_queries):
    # Queries (9): user; reach (memberships); the authenticator check (two-factor rule);
    # the package (agency, region, PPK joined); its stages; the pokja seat; the bids with
    # vendor and evaluation joined; the menu (unread notifications, memberships). The
    # treasurer check needs none for a person without that role -- and none per bid.
    world = opened_world(kab_kupang)
    for bid in world.bids:
        pass_all(world, bid)
    login(world.chair)
    url = reverse("eprocurement:evaluation_page", args=[world.package.pk])
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)
    more_bids(world, 3)
    with django_assert_num_queries(9):
        assert client.get(url).content.decode().count('data-test="evaluation-row"') == 6


def test_another_regions_staff_get_404(client, login, kab_kupang, kota_kupang):
    world = opened_world(kab_kupang)
    other = tender_world(kota_kupang, phase="evaluation")
    pk = world.package.pk
    for user in (other.ppk, other.pokja[0]):
        login(user)
        for name in ("evaluation_page", "award_page", "contract_page"):
            assert client.get(reverse(f"eprocurement:{name}", args=[pk])).status_code == 404
        url = reverse("eprocurement:evaluation_record", args=[pk, world.bids[0].pk])
        assert client.post(url, {"administrative_pass": "1"}).status_code == 404
    assert not BidEvaluation.objects.exists()


def test_award_page_decides_and_announces(client, login, kab_kupang):
    world = opened_world(kab_kupang)
    for bid in world.bids:
        pass_all(world, bid)
    login(world.chair)
    client.post(reverse("eprocurement:evaluation_rank", args=[world.package.pk]))
    first = BidEvaluation.objects.get(rank=1).bid
    client.post(reverse("eprocurement:evaluation_proof", args=[world.package.pk, first.pk]), {"proven": "1"})
    client.post(reverse("eprocurement:award_transition", args=[world.package.pk, "tetapkan"]), {"bid": first.pk})
    client.post(reverse("eprocurement:award_transition", args=[world.package.pk, "umumkan"]))
    world.package.refresh_from_db()
    assert world.package.status == PackageStatus.AWARDED and world.package.award.announced_at
    body = client.get(reverse("eprocurement:award_page", args=[world.package.pk])).content.decode()
    assert first.vendor.name in body


def test_a_participant_objects_on_the_tender_page_and_the_pokja_answers(client, login, kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    move_stage(world.package, TenderStage.OBJECTION, timezone.now() - HOUR, timezone.now() + 4 * DAY)
    loser = world.vendors[0]
    url = reverse("eprocurement:objection_submit", args=[world.package.pk])
    login(VendorFactory(status="verified").owner)
    assert client.get(url).status_code == 403
    login(loser.owner)
    assert 'data-test="tender-result"' in client.get(url).content.decode()
    client.post(url, {"text": "Pemenang tidak memenuhi SBU"})
    objection = Objection.objects.get(vendor=loser)
    login(world.chair)
    client.post(reverse("eprocurement:objection_answer", args=[objection.pk]), {"upheld": "0", "answer": "SBU sah"})
    objection.refresh_from_db()
    assert (objection.status, objection.answer) == (ObjectionStatus.REJECTED, "SBU sah")


def test_contract_drafted_signed_and_paid_through_the_page(client, login, kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    now = timezone.now()
    move_stage(world.package, TenderStage.OBJECTION, now - 6 * DAY, now - DAY)
    move_stage(world.package, TenderStage.APPEAL, now - DAY, now - HOUR)
    login(world.ppk)
    client.cookies["django_language"] = "en"
    client.post(reverse("eprocurement:award_transition", args=[world.package.pk, "sppbj"]), {"number": "SPPBJ/7"})
    page = reverse("eprocurement:contract_page", args=[world.package.pk])
    response = client.post(
        page,
        {
            "number": "KTR/7",
            "value": "950000000.01",
            "starts_on": "2026-06-01",
            "ends_on": "2026-11-30",
            "payment_terms": "Sekaligus",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "may not exceed the HPS" in response.content.decode() and not Contract.objects.exists()
    client.post(
        page,
        {
            "number": "KTR/7",
            "value": "800000000",
            "starts_on": "2026-06-01",
            "ends_on": "2026-11-30",
            "payment_terms": "Sekaligus",
        },
    )
    contract = Contract.objects.get()
    client.post(reverse("eprocurement:contract_sign", args=[contract.pk]))
    pay = {"number": "SP2D/9", "date": "2026-07-01", "amount": "800000000", "description": "Lunas"}
    client.post(reverse("eprocurement:contract_pay", args=[contract.pk]), pay)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED
    assert 'data-test="payment-row"' in client.get(page).content.decode()


def test_tender_result_is_none_before_the_announcement(kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world, announce=False)
    assert tender_result(world.package) is None


def test_tender_result_shows_ranking_failures_objections_and_contract(kab_kupang):
    world = opened_world(kab_kupang)
    more_bids(world, 1)
    for bid in world.bids[:3]:
        pass_all(world, bid)
    from eprocurement.services import evaluation

    evaluation.evaluation_record(
        bid=world.bids[3],
        actor=world.chair,
        administrative_pass=True,
        qualification_pass=False,
        notes="SBU kedaluwarsa",
    )
    ranking = evaluation.evaluation_rank(package=world.package, actor=world.chair)
    evaluation.qualification_proof_record(bid=ranking[0].bid, actor=world.chair, proven=True)
    from eprocurement.services import awards

    awards.award_decide(package=world.package, actor=world.chair, bid=ranking[0].bid)
    awards.award_announce(package=world.package, actor=world.chair)
    world.package.refresh_from_db()
    result = tender_result(world.package)
    assert result["winner"] == world.vendors[2].name and result["price"] == Decimal("800000000.00")
    failed = [row for row in result["ranking"] if not row["passed"]]
    assert [(row["rank"], row["failed_part"]) for row in failed] == [(None, "qualification")]
    assert result["contract"] is None


def test_tender_result_reads_a_constant_number_of_queries(kab_kupang, django_assert_num_queries):
    # Queries (3): the announced award with its vendor; the opened bids with vendor and
    # evaluation; the objections with their vendors (the contract only once signed).
    world = opened_world(kab_kupang)
    awarded(world)
    with django_assert_num_queries(3):
        assert len(tender_result(world.package)["ranking"]) == 3
    more_bids(world, 2)
    with django_assert_num_queries(3):
        assert len(tender_result(world.package)["ranking"]) == 5


def test_the_contract_is_public_once_signed(kab_kupang, django_assert_num_queries):
    world = opened_world(kab_kupang)
    awarded(world)
    now = timezone.now()
    move_stage(world.package, TenderStage.OBJECTION, now - 6 * DAY, now - DAY)
    move_stage(world.package, TenderStage.APPEAL, now - DAY, now - HOUR)
    from eprocurement.services import awards, contracts

    awards.award_appoint(package=world.package, actor=world.ppk, number="SPPBJ/1")
    contract = contracts.contract_create(
        package=world.package,
        actor=world.ppk,
        number="KTR/1",
        value="800000000",
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 11, 30),
        payment_terms="Sekaligus",
    )
    world.package.refresh_from_db()
    assert tender_result(world.package)["contract"] is None
    contracts.contract_sign(contract=contract, actor=world.ppk)
    world.package.refresh_from_db()
    with django_assert_num_queries(4):
        assert tender_result(world.package)["contract"]["number"] == "KTR/1"


def test_the_home_page_lists_the_work_waiting(kab_kupang, django_assert_num_queries):
    from eprocurement.selectors.awards import awards_work

    world = opened_world(kab_kupang)
    pass_all(world, world.bids[0])
    reach_of(world.chair)  # read once per request for the menu too
    with django_assert_num_queries(3):
        items = awards_work(world.chair)
    assert [(str(item.label), item.count) for item in items] == [(f"Evaluate the bids of {world.package.name}", 2)]
    assert awards_work(world.ppk) == []
