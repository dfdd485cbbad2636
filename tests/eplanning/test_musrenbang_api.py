"""Musrenbang over the API: scoped proposals with their decisions as actions, and the
public outcome list."""

from decimal import Decimal

import pytest

from eplanning.choices import ProposalStage, ProposalStatus
from eplanning.models import CommunityProposal
from tests.eplanning.factories_musrenbang import ProposalFactory, musrenbang_world

pytestmark = pytest.mark.django_db

STAFF = "/api/eplanning/proposals/"
PUBLIC = "/api/public/musrenbang/"


@pytest.fixture
def kab(kab_kupang):
    return musrenbang_world(kab_kupang)


@pytest.fixture
def kota(kota_kupang):
    return musrenbang_world(kota_kupang)


def _new(kab, **overrides):
    return {
        "region": kab.region.pk,
        "fiscal_year": kab.year.pk,
        "category": "economy",
        "title": "Pasar desa",
        "description": "Los pasar untuk 40 pedagang.",
        "district": "Kupang Timur",
        "village": "Oefafi",
        "estimated_cost": "500000000.00",
        "proposer": "BPD Oefafi",
        "proposer_contact": "0813-1111",
        **overrides,
    }


def test_the_list_holds_the_callers_region_only(api_client, kab, kota):
    ProposalFactory(region=kab.region, fiscal_year=kab.year, title="Kab")
    ProposalFactory(region=kota.region, fiscal_year=kota.year, title="Kota")
    api_client.force_authenticate(kab.planner)
    response = api_client.get(STAFF)
    assert [p["title"] for p in response.json()["results"]] == ["Kab"]


def test_another_regions_proposal_is_404_and_unchanged(api_client, kab, kota):
    proposal = ProposalFactory(region=kota.region, fiscal_year=kota.year)
    api_client.force_authenticate(kab.verifier)
    assert api_client.get(f"{STAFF}{proposal.pk}/").status_code == 404
    assert api_client.patch(f"{STAFF}{proposal.pk}/", {"title": "X"}, format="json").status_code == 404
    assert api_client.post(f"{STAFF}{proposal.pk}/forward/", {"score": 50}, format="json").status_code == 404
    proposal.refresh_from_db()
    assert (proposal.title, proposal.stage) != ("X", "district")


def test_a_planner_records_and_corrects_a_proposal(api_client, kab):
    api_client.force_authenticate(kab.planner)
    created = api_client.post(STAFF, _new(kab, status="accepted", stage="region"), format="json")
    assert created.status_code == 201, created.json()
    # status and round are not writable: they come from the rounds only
    assert (created.json()["status"], created.json()["stage"]) == ("in_review", "village")
    pk = created.json()["id"]
    patched = api_client.patch(f"{STAFF}{pk}/", {"title": "Pasar desa Oefafi", "region": 999}, format="json")
    assert patched.status_code == 200 and patched.json()["title"] == "Pasar desa Oefafi"
    assert CommunityProposal.objects.get().region == kab.region


def test_a_negative_cost_is_a_clear_error_and_nothing_saved(api_client, kab):
    api_client.force_authenticate(kab.planner)
    response = api_client.post(STAFF, _new(kab, estimated_cost="-1"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "estimated_cost" in response.json()
    assert not CommunityProposal.objects.exists()


def test_recording_for_another_region_is_forbidden(api_client, kab, kota):
    api_client.force_authenticate(kab.planner)
    response = api_client.post(STAFF, _new(kota), format="json")
    assert response.status_code == 403
    assert not CommunityProposal.objects.exists()


def test_bappeda_forwards_rejects_and_accepts_through_actions(api_client, kab):
    village = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    district = ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.DISTRICT)
    region = ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.REGION)
    api_client.force_authenticate(kab.verifier)

    forwarded = api_client.post(f"{STAFF}{village.pk}/forward/", {"score": "66.5", "note": "ok"}, format="json")
    rejected = api_client.post(f"{STAFF}{district.pk}/reject/", {"reason": "Ganda"}, format="json")
    accepted = api_client.post(f"{STAFF}{region.pk}/accept/", {"plan_item": kab.plan_item.pk}, format="json")

    assert (forwarded.status_code, forwarded.json()["stage"], forwarded.json()["score"]) == (200, "district", "66.50")
    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    assert (accepted.status_code, accepted.json()["plan_item"]) == (200, kab.plan_item.pk)


@pytest.mark.parametrize(
    ("action", "payload"),
    [("forward", {"score": "101"}), ("forward", {}), ("reject", {"reason": ""}), ("accept", {"plan_item": None})],
)
def test_bad_decisions_are_400_and_change_nothing(api_client, kab, action, payload):
    stage = ProposalStage.REGION if action == "accept" else ProposalStage.VILLAGE
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=stage)
    api_client.force_authenticate(kab.verifier)
    assert api_client.post(f"{STAFF}{proposal.pk}/{action}/", payload, format="json").status_code == 400
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.status) == (stage, "in_review")


def test_accepting_into_another_regions_plan_item_is_400(api_client, kab, kota):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.REGION)
    api_client.force_authenticate(kab.verifier)
    response = api_client.post(f"{STAFF}{proposal.pk}/accept/", {"plan_item": kota.plan_item.pk}, format="json")
    assert response.status_code == 400 and "plan_item" in response.json()
    proposal.refresh_from_db()
    assert proposal.plan_item is None


def test_a_planner_cannot_decide(api_client, kab):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    api_client.force_authenticate(kab.planner)
    assert api_client.post(f"{STAFF}{proposal.pk}/reject/", {"reason": "x"}, format="json").status_code == 403


def test_the_public_list_needs_no_login_and_hides_the_proposer(api_client, kab, kota):
    ProposalFactory(region=kab.region, fiscal_year=kab.year, proposer="Ibu Maria", proposer_contact="0812-777")
    ProposalFactory(
        region=kota.region,
        fiscal_year=kota.year,
        stage=ProposalStage.REGION,
        status=ProposalStatus.ACCEPTED,
        plan_item=kota.plan_item,
        score=Decimal("90"),
    )
    response = api_client.get(PUBLIC)
    assert response.status_code == 200
    body = response.content.decode()
    assert "0812-777" not in body and "Ibu Maria" not in body
    results = {r["region_code"]: r for r in response.json()["results"]}
    assert set(results) == {"53.01", "53.71"}
    assert results["53.71"]["plan_item"]["id"] == kota.plan_item.pk
    assert "proposer" not in results["53.01"] and "proposer_contact" not in results["53.01"]


def test_the_public_list_is_read_only(api_client, kab):
    assert api_client.post(PUBLIC, _new(kab), format="json").status_code == 405


def test_the_public_list_filters(api_client, kab, kota):
    ProposalFactory(region=kab.region, fiscal_year=kab.year, title="A")
    ProposalFactory(region=kota.region, fiscal_year=kota.year, title="B")
    assert [r["title"] for r in api_client.get(PUBLIC, {"region": "53.71"}).json()["results"]] == ["B"]
