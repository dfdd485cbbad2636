"""API: each state change of evaluation, award, objections, SPPBJ and contract is an action."""

from decimal import Decimal

import pytest
from django.utils import timezone

from eprocurement.choices import PackageStatus, TenderStage
from eprocurement.models import Award, Contract, Objection
from tests.eprocurement.factories_awards import DAY, HOUR, awarded, move_stage, opened_world
from tests.eprocurement.factories_packages import tender_world

pytestmark = pytest.mark.django_db

API = "/api/eprocurement"


@pytest.fixture
def as_user(api_client, activate_totp):
    activated = set()

    def authenticate(user):
        if user.pk not in activated:
            activate_totp(user)
            activated.add(user.pk)
        api_client.force_authenticate(user)
        return api_client

    return authenticate


def test_the_tender_from_evaluation_to_payment_through_the_api(as_user, kab_kupang):
    world = opened_world(kab_kupang)
    client = as_user(world.chair)
    for bid in world.bids:
        body = {
            "bid": bid.pk,
            "administrative_pass": True,
            "qualification_pass": True,
            "technical_pass": True,
            "price_pass": True,
        }
        assert client.post(f"{API}/evaluations/evaluate/", body, format="json").status_code == 200
    ranking = client.post(f"{API}/evaluations/rank/", {"package": world.package.pk}, format="json").json()
    assert [row["vendor"] for row in ranking] == [v.name for v in reversed(world.vendors)]
    first = ranking[0]
    client.post(f"{API}/evaluations/{first['id']}/prove/", {"proven": True}, format="json")
    award = client.post(
        f"{API}/awards/decide/", {"package": world.package.pk, "bid": first["bid"]}, format="json"
    ).json()
    assert award["value"] == "800000000.00"
    assert client.post(f"{API}/awards/{award['id']}/announce/").status_code == 200

    now = timezone.now()
    move_stage(world.package, TenderStage.OBJECTION, now - HOUR, now + 4 * DAY)
    loser = world.vendors[0]
    vendor_client = as_user(loser.owner)
    response = vendor_client.post(
        f"{API}/objections/submit/", {"package": world.package.pk, "text": "Harga tidak wajar"}, format="json"
    )
    assert response.status_code == 201, response.content
    objection = response.json()
    assert [o["id"] for o in vendor_client.get(f"{API}/objections/").json()["results"]] == [objection["id"]]
    client = as_user(world.chair)
    answer = {"upheld": False, "answer": "Harga wajar setelah klarifikasi"}
    assert client.post(f"{API}/objections/{objection['id']}/answer/", answer, format="json").status_code == 200

    move_stage(world.package, TenderStage.OBJECTION, now - 6 * DAY, now - DAY)
    move_stage(world.package, TenderStage.APPEAL, now - DAY, now - HOUR)
    client = as_user(world.ppk)
    response = client.post(f"{API}/awards/{award['id']}/appoint/", {"number": "SPPBJ/3"}, format="json")
    assert response.json()["appointment_number"] == "SPPBJ/3"
    contract = {
        "package": world.package.pk,
        "number": "KTR/3",
        "value": "800000000.00",
        "starts_on": "2026-06-01",
        "ends_on": "2026-11-30",
        "payment_terms": "Sekaligus",
    }
    response = client.post(f"{API}/contracts/", contract, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.post(f"{API}/contracts/{pk}/sign/").json()["status"] == "signed"
    payment = {"number": "SP2D/3", "date": "2026-07-01", "amount": "800000000.00", "description": "Lunas"}
    assert client.post(f"{API}/contracts/{pk}/pay/", payment, format="json").status_code == 201
    world.package.refresh_from_db()
    assert world.package.status == PackageStatus.COMPLETED


def test_refused_changes_answer_400_with_the_reason(as_user, kab_kupang):
    world = opened_world(kab_kupang)
    client = as_user(world.chair)
    response = client.post(
        f"{API}/evaluations/evaluate/", {"bid": world.bids[0].pk, "administrative_pass": False}, format="json"
    )
    assert response.status_code == 400
    assert "notes" in response.json()


def test_another_regions_staff_get_404_and_vendors_see_only_their_objections(as_user, kab_kupang, kota_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    award = Award.objects.get()
    other = tender_world(kota_kupang, phase="evaluation")
    client = as_user(other.ppk)
    assert client.get(f"{API}/awards/{award.pk}/").status_code == 404
    assert client.post(f"{API}/awards/{award.pk}/appoint/", {"number": "X"}, format="json").status_code == 404
    assert client.get(f"{API}/awards/").json()["results"] == []
    client = as_user(other.pokja[0])
    response = client.post(f"{API}/evaluations/rank/", {"package": world.package.pk}, format="json")
    assert response.status_code == 404
    move_stage(world.package, TenderStage.OBJECTION, timezone.now() - HOUR, timezone.now() + DAY)
    Objection.objects.create(package=world.package, vendor=world.vendors[0], text="A", submitted_at=timezone.now())
    client = as_user(world.vendors[1].owner)
    assert client.get(f"{API}/objections/").json()["results"] == []
    assert not Contract.objects.exists()


def test_the_contract_value_limit_is_a_400(as_user, kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    now = timezone.now()
    move_stage(world.package, TenderStage.OBJECTION, now - 6 * DAY, now - DAY)
    move_stage(world.package, TenderStage.APPEAL, now - DAY, now - HOUR)
    client = as_user(world.ppk)
    client.post(f"{API}/awards/{Award.objects.get().pk}/appoint/", {"number": "SPPBJ/3"}, format="json")
    contract = {
        "package": world.package.pk,
        "number": "KTR/3",
        "value": str(world.package.owner_estimate + Decimal("1")),
        "starts_on": "2026-06-01",
        "ends_on": "2026-11-30",
        "payment_terms": "Sekaligus",
    }
    response = client.post(f"{API}/contracts/", contract, format="json")
    assert response.status_code == 400 and "value" in response.json()
    assert not Contract.objects.exists()
