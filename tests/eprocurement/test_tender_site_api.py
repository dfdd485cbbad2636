"""The tender site's API: public tenders without login (sealed before opening), questions
asked and answered as actions, a person's own subscriptions; and the read-only admin."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from eprocurement.choices import BidStatus, PackageStatus
from eprocurement.models import Bid, Question, TenderSubscription
from eprocurement.services.tender_site import question_ask, subscription_create
from tests.eprocurement.factories_packages import tender_world
from tests.eprocurement.factories_vendors import VendorFactory
from tests.factories import UserFactory

TENDERS = "/api/public/tenders/"
QUESTIONS = "/api/eprocurement/questions/"
SUBSCRIPTIONS = "/api/eprocurement/tender-subscriptions/"
CANARY = "SEALED-API-CANARY-4410"


@pytest.fixture
def world(kab_kupang):
    return tender_world(kab_kupang, phase="explanation")


def bid(world, vendor, **fields):
    return Bid.objects.create(
        package=world.package, vendor=vendor, status=BidStatus.SUBMITTED, sealed_price=CANARY, **fields
    )


def test_the_public_list_needs_no_login_and_filters(api_client, world, kota_kupang):
    tender_world(kota_kupang, phase="bidding")
    body = api_client.get(TENDERS).json()
    assert body["count"] == 2
    row = api_client.get(TENDERS, {"region": world.agency.region_id}).json()["results"][0]
    assert row["code"] == world.package.code and row["current_stage"] == "explanation"
    assert row["bid_deadline"] and Decimal(row["owner_estimate"]) == world.package.owner_estimate
    assert api_client.get(TENDERS, {"q": world.plan_item.rup_code}).json()["count"] == 1


def test_a_bad_filter_is_a_400_with_the_reason(api_client, world):
    response = api_client.get(TENDERS, {"kind": "kapal"})
    assert response.status_code == 400 and "filters" in response.json()


def test_the_detail_counts_bids_and_hides_who_and_how_much_before_opening(api_client, world):
    bid(world, world.vendors[0])
    Question.objects.create(
        package=world.package,
        vendor=world.vendors[1],
        asked_by=world.vendors[1].owner,
        text="Bolehkah subkontrak?",
        asked_at=timezone.now(),
    )
    response = api_client.get(f"{TENDERS}{world.package.pk}/")
    body = response.json()
    assert body["submitted_bids"] == 1 and body["opened_bids"] == []
    assert body["questions"][0]["text"] == "Bolehkah subkontrak?" and "vendor" not in body["questions"][0]
    text = response.content.decode()
    assert CANARY not in text and world.vendors[0].name not in text and world.vendors[1].name not in text
    assert [s["stage"] for s in body["stages"]][:1] == ["announcement"]


def test_the_detail_shows_opened_bids_after_opening(api_client, world):
    bid(world, world.vendors[0], opened_price=Decimal("900000000"), opened_at=timezone.now())
    world.package.status = PackageStatus.OPENED
    world.package.save()
    body = api_client.get(f"{TENDERS}{world.package.pk}/").json()
    assert body["opened_bids"] == [
        {"vendor": world.vendors[0].name, "price": "900000000.00", "opened_at": body["opened_bids"][0]["opened_at"]}
    ]


def test_a_draft_is_not_found(api_client, world):
    world.package.status = PackageStatus.DRAFT
    world.package.save()
    assert api_client.get(f"{TENDERS}{world.package.pk}/").status_code == 404
    assert api_client.get(TENDERS).json()["count"] == 0


def test_a_vendor_asks_and_the_pokja_answers_through_the_api(api_client, world, activate_totp):
    vendor = world.vendors[0]
    api_client.force_authenticate(vendor.owner)
    response = api_client.post(
        f"{QUESTIONS}ask/", {"package": world.package.pk, "vendor": vendor.pk, "text": "Format dokumen?"}
    )
    assert response.status_code == 201, response.content
    question_id = response.json()["id"]
    mine = api_client.get(QUESTIONS).json()
    assert [q["id"] for q in mine["results"]] == [question_id]

    other = world.vendors[1]
    api_client.force_authenticate(other.owner)
    assert api_client.get(QUESTIONS).json()["count"] == 0  # another vendor's questions are not theirs
    response = api_client.post(f"{QUESTIONS}{question_id}/answer/", {"answer": "Saya jawab"})
    assert response.status_code == 404

    pokja = world.pokja[0]
    activate_totp(pokja)
    api_client.force_authenticate(pokja)
    response = api_client.post(f"{QUESTIONS}{question_id}/answer/", {"answer": "PDF, paling besar 20 MB."})
    assert response.status_code == 200 and response.json()["answer"] == "PDF, paling besar 20 MB."
    again = api_client.post(f"{QUESTIONS}{question_id}/answer/", {"answer": "Lagi"})
    assert again.status_code == 400


def test_asking_in_anothers_name_or_unverified_is_refused(api_client, world):
    api_client.force_authenticate(world.vendors[1].owner)
    response = api_client.post(
        f"{QUESTIONS}ask/", {"package": world.package.pk, "vendor": world.vendors[0].pk, "text": "Hai"}
    )
    assert response.status_code == 400 and "vendor" in response.json()
    pending = VendorFactory(status="pending")
    api_client.force_authenticate(pending.owner)
    response = api_client.post(f"{QUESTIONS}ask/", {"package": world.package.pk, "vendor": pending.pk, "text": "Hai"})
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_questions_need_a_login(api_client, world):
    question_ask(package=world.package, vendor=world.vendors[0], actor=world.vendors[0].owner, text="Apa?")
    assert api_client.get(QUESTIONS).status_code in (401, 403)


def test_subscriptions_are_the_callers_own(api_client, kab_kupang):
    user, other = UserFactory(), UserFactory()
    (theirs,) = subscription_create(user=other, kinds=["goods"], regions=[None])
    api_client.force_authenticate(user)
    created = api_client.post(SUBSCRIPTIONS, {"kind": "works", "region": kab_kupang.pk}, format="json")
    assert created.status_code == 201
    again = api_client.post(SUBSCRIPTIONS, {"kind": "works", "region": kab_kupang.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert api_client.post(SUBSCRIPTIONS, {"kind": "kapal"}, format="json").status_code == 400
    assert [s["id"] for s in api_client.get(SUBSCRIPTIONS).json()["results"]] == [created.json()["id"]]
    assert api_client.delete(f"{SUBSCRIPTIONS}{theirs.pk}/").status_code == 404
    assert api_client.delete(f"{SUBSCRIPTIONS}{created.json()['id']}/").status_code == 204
    assert list(TenderSubscription.objects.values_list("pk", flat=True)) == [theirs.pk]


# --- Admin -------------------------------------------------------------------------------------


def test_admins_read_questions_and_subscriptions_but_change_nothing(client, world, make_admin):
    question = question_ask(package=world.package, vendor=world.vendors[0], actor=world.vendors[0].owner, text="?!")
    subscription_create(user=UserFactory(), kinds=["works"], regions=[None])
    admin = make_admin(world.agency)
    client.force_login(admin)
    assert client.get(reverse("admin:eprocurement_question_changelist")).status_code == 200
    assert client.get(reverse("admin:eprocurement_tendersubscription_changelist")).status_code == 200
    page = client.get(reverse("admin:eprocurement_question_change", args=[question.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:eprocurement_question_add")).status_code == 403
    response = client.post(reverse("admin:eprocurement_question_delete", args=[question.pk]), {"post": "yes"})
    assert response.status_code == 403 and Question.objects.filter(pk=question.pk).exists()


def test_the_public_detail_reads_a_constant_number_of_queries(api_client, world, django_assert_num_queries):
    # Queries (6): the package with the submitted bids counted; its stages, RUP items,
    # documents, schedule changes and questions, one prefetch each. No bid rows before opening.
    def questions(n):
        for i in range(n):
            Question.objects.create(
                package=world.package,
                vendor=world.vendors[0],
                asked_by=world.vendors[0].owner,
                text=f"Q{i}",
                asked_at=timezone.now(),
            )

    questions(1)
    bid(world, world.vendors[0])
    with django_assert_num_queries(6):
        api_client.get(f"{TENDERS}{world.package.pk}/")
    questions(3)
    bid(world, world.vendors[1])
    with django_assert_num_queries(6):
        body = api_client.get(f"{TENDERS}{world.package.pk}/").json()
    assert len(body["questions"]) == 4 and body["submitted_bids"] == 2
