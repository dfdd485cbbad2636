"""Musrenbang pages: the public outcome pages and the staff's review pages."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ebudgeting.choices import DocumentStatus
from eplanning.choices import ProposalStage, ProposalStatus
from eplanning.models import CommunityProposal, ProposalReview
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory
from tests.eplanning.factories_musrenbang import ProposalFactory, musrenbang_world

pytestmark = pytest.mark.django_db

PUBLIC = reverse("eplanning:musrenbang_public")
STAFF = reverse("eplanning:musrenbang_list")


@pytest.fixture
def kab(kab_kupang):
    return musrenbang_world(kab_kupang)


@pytest.fixture
def kota(kota_kupang):
    return musrenbang_world(kota_kupang)


def _approved_line(plan_item, amount, realized=Decimal("0")):
    document = BudgetDocumentFactory(
        agency=plan_item.agency, fiscal_year=plan_item.fiscal_year, status=DocumentStatus.APPROVED
    )
    return BudgetLineFactory(
        document=document, plan_item=plan_item, volume=Decimal("1"), unit_price=amount, realized=realized
    )


# --- public --------------------------------------------------------------------------


def test_the_public_page_needs_no_login_and_lists_every_region(client, kab, kota):
    ProposalFactory(region=kab.region, fiscal_year=kab.year, title="Jalan Oelnasi")
    ProposalFactory(region=kota.region, fiscal_year=kota.year, title="Drainase Oesapa")

    response = client.get(PUBLIC)

    assert response.status_code == 200
    assert {p.title for p in response.context["page"]} == {"Drainase Oesapa", "Jalan Oelnasi"}


def test_the_public_page_never_shows_the_proposers_contact(client, kab):
    ProposalFactory(region=kab.region, fiscal_year=kab.year, proposer="Bapak Yohanes", proposer_contact="0812-999")
    proposal = CommunityProposal.objects.get()

    for url in (PUBLIC, reverse("eplanning:musrenbang_public_detail", args=[proposal.pk])):
        body = client.get(url).content.decode()
        assert "0812-999" not in body and "Bapak Yohanes" not in body


def test_the_public_page_shows_the_outcome_down_to_the_budget(client, kab):
    # Given a proposal accepted into a plan item that an approved DPA budgets
    ProposalFactory(
        region=kab.region,
        fiscal_year=kab.year,
        stage=ProposalStage.REGION,
        status=ProposalStatus.ACCEPTED,
        plan_item=kab.plan_item,
    )
    _approved_line(kab.plan_item, Decimal("75000000.00"), realized=Decimal("25000000.00"))
    # and a draft (RKA) line, which does not count yet
    BudgetLineFactory(
        document=BudgetDocumentFactory(
            agency=kab.agency, fiscal_year=kab.year, status=DocumentStatus.DRAFT, version=2, is_current=False
        ),
        plan_item=kab.plan_item,
    )

    # When anybody opens the public page (in Bahasa Indonesia, the site's first language)
    response = client.get(PUBLIC, {"status": "accepted"})

    # Then the proposal shows the plan item it became and what the DPA in force budgets
    body = response.content.decode()
    assert kab.plan_item.title in body and kab.agency.name in body
    [proposal] = response.context["page"]
    with translation.override("en"):
        facts = {str(f.label): f.value for f in proposal.outcomes}
    assert facts == {"Budgeted (DPA)": "Rp75.000.000,00", "Realized (SP2D)": "Rp25.000.000,00"}
    assert "Rp75.000.000,00" in body and "Rp25.000.000,00" in body


def test_a_plan_item_without_an_approved_budget_shows_no_budget(client, kab):
    ProposalFactory(
        region=kab.region,
        fiscal_year=kab.year,
        stage=ProposalStage.REGION,
        status=ProposalStatus.ACCEPTED,
        plan_item=kab.plan_item,
    )
    BudgetLineFactory(
        document=BudgetDocumentFactory(agency=kab.agency, fiscal_year=kab.year, status=DocumentStatus.SUBMITTED),
        plan_item=kab.plan_item,
    )
    [proposal] = client.get(PUBLIC).context["page"]
    assert proposal.outcomes == []


def test_a_rejected_proposal_shows_its_reason_publicly(client, kab):
    ProposalFactory(
        region=kab.region, fiscal_year=kab.year, status=ProposalStatus.REJECTED, rejection_reason="Di luar kewenangan"
    )
    assert "Di luar kewenangan" in client.get(PUBLIC).content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "53.71"}, {"Drainase"}),
        ({"district": "alak"}, {"Drainase"}),
        ({"category": "health"}, {"Posyandu"}),
        ({"status": "rejected"}, {"Posyandu"}),
        ({"year": "2027"}, {"Drainase", "Posyandu"}),
        ({"year": "2030"}, set()),
        ({"q": "posyan"}, {"Posyandu"}),
    ],
)
def test_the_public_page_filters(client, kab, kota, params, expected):
    ProposalFactory(region=kota.region, fiscal_year=kota.year, title="Drainase", district="Alak")
    ProposalFactory(
        region=kab.region,
        fiscal_year=kab.year,
        title="Posyandu",
        category="health",
        status=ProposalStatus.REJECTED,
        rejection_reason="x",
    )
    response = client.get(PUBLIC, params)
    assert {p.title for p in response.context["page"]} == expected


def test_the_public_detail_shows_the_review_history_without_reviewers(client, kab):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.DISTRICT)
    ProposalReview.objects.create(
        proposal=proposal,
        stage="village",
        decision="forwarded",
        score=Decimal("77"),
        note="Prioritas desa",
        reviewer=kab.verifier,
    )
    response = client.get(reverse("eplanning:musrenbang_public_detail", args=[proposal.pk]))
    body = response.content.decode()
    assert "Prioritas desa" in body and "77" in body
    assert kab.verifier.email not in body and kab.verifier.full_name not in body


def test_an_unknown_public_proposal_is_404(client, db):
    assert client.get(reverse("eplanning:musrenbang_public_detail", args=[999999])).status_code == 404


# --- staff ---------------------------------------------------------------------------


def test_the_review_list_needs_a_login(client):
    response = client.get(STAFF)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_review_list_shows_only_the_persons_region(client, kab, kota):
    ProposalFactory(region=kab.region, fiscal_year=kab.year, title="Kab")
    ProposalFactory(region=kota.region, fiscal_year=kota.year, title="Kota")
    client.force_login(kab.verifier)
    assert [p.title for p in client.get(STAFF).context["page"]] == ["Kab"]


def test_another_regions_proposal_page_is_404_and_its_actions_change_nothing(client, kab, kota):
    proposal = ProposalFactory(region=kota.region, fiscal_year=kota.year)
    client.force_login(kab.verifier)

    assert client.get(reverse("eplanning:musrenbang_detail", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("eplanning:musrenbang_edit", args=[proposal.pk])).status_code == 404
    for name, data in (("forward", {"score": "90"}), ("reject", {"reason": "x"})):
        response = client.post(reverse(f"eplanning:musrenbang_{name}", args=[proposal.pk]), data)
        assert response.status_code == 404
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.status) == ("village", "in_review")


def test_a_planner_reads_but_does_not_review(client, kab):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    client.force_login(kab.planner)
    response = client.get(reverse("eplanning:musrenbang_detail", args=[proposal.pk]))
    assert response.status_code == 200 and "forward_form" not in response.context
    response = client.post(reverse("eplanning:musrenbang_forward", args=[proposal.pk]), {"score": "90"})
    assert response.status_code == 403


def test_a_planner_records_a_proposal_through_the_form(client, kab):
    client.force_login(kab.planner)
    data = {
        "region": kab.region.pk,
        "fiscal_year": kab.year.pk,
        "category": "education",
        "title": "Ruang kelas baru",
        "description": "Dua ruang kelas SD Inpres Oelnasi.",
        "district": "Kupang Tengah",
        "village": "Oelnasi",
        "estimated_cost": "300000000",
        "proposer": "Komite sekolah",
        "proposer_contact": "",
        "target_agency": kab.agency.pk,
    }
    response = client.post(reverse("eplanning:musrenbang_create"), data)
    proposal = CommunityProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "eplanning:musrenbang_detail", args=[proposal.pk]
    )
    assert (proposal.created_by, proposal.target_agency) == (kab.planner, kab.agency)


def test_a_negative_cost_in_the_form_is_a_clear_error_and_saves_nothing(client, kab):
    client.force_login(kab.planner)
    response = client.post(
        reverse("eplanning:musrenbang_create"),
        {
            "region": kab.region.pk,
            "fiscal_year": kab.year.pk,
            "category": "education",
            "title": "X",
            "description": "Y",
            "district": "Z",
            "estimated_cost": "-10",
            "proposer": "P",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "estimated_cost" in response.context["form"].errors
    assert not CommunityProposal.objects.exists()


def test_the_form_offers_no_region_the_person_does_not_record_for(client, kab, kota):
    client.force_login(kab.planner)
    response = client.post(
        reverse("eplanning:musrenbang_create"),
        {
            "region": kota.region.pk,
            "fiscal_year": kab.year.pk,
            "category": "education",
            "title": "X",
            "description": "Y",
            "district": "Z",
            "estimated_cost": "10",
            "proposer": "P",
        },
    )
    assert "region" in response.context["form"].errors
    assert not CommunityProposal.objects.exists()


def test_the_edit_page_closes_after_the_village_round(client, kab):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.DISTRICT)
    client.force_login(kab.planner)
    detail = client.get(reverse("eplanning:musrenbang_detail", args=[proposal.pk]))
    assert detail.context["can_edit"] is False
    data = {
        "category": "education",
        "title": "Baru",
        "description": "d",
        "district": "z",
        "estimated_cost": "1",
        "proposer": "p",
    }
    response = client.post(reverse("eplanning:musrenbang_edit", args=[proposal.pk]), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    proposal.refresh_from_db()
    assert proposal.title != "Baru"


def test_bappeda_forwards_from_the_list_and_returns_to_it(client, kab):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    client.force_login(kab.verifier)
    back = f"{STAFF}?round=village"
    response = client.post(reverse("eplanning:musrenbang_forward", args=[proposal.pk]), {"score": "70", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.score) == ("district", Decimal("70"))


def test_a_score_out_of_range_on_the_page_is_refused(client, kab):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    client.force_login(kab.verifier)
    response = client.post(reverse("eplanning:musrenbang_forward", args=[proposal.pk]), {"score": "101"})
    assert response.status_code == 400 and "score" in response.context["forward_form"].errors
    proposal.refresh_from_db()
    assert proposal.stage == "village"


def test_a_rejection_without_a_reason_on_the_page_is_refused(client, kab):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    client.force_login(kab.verifier)
    response = client.post(reverse("eplanning:musrenbang_reject", args=[proposal.pk]), {"reason": ""})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == "in_review"


def test_bappeda_accepts_into_a_plan_item_on_the_detail_page(client, kab, kota):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.REGION)
    client.force_login(kab.verifier)
    page = client.get(reverse("eplanning:musrenbang_detail", args=[proposal.pk]))
    assert list(page.context["accept_form"].fields["plan_item"].queryset) == [kab.plan_item]

    refused = client.post(reverse("eplanning:musrenbang_accept", args=[proposal.pk]), {"plan_item": kota.plan_item.pk})
    assert refused.status_code == 400
    accepted = client.post(reverse("eplanning:musrenbang_accept", args=[proposal.pk]), {"plan_item": kab.plan_item.pk})
    assert accepted.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.plan_item) == ("accepted", kab.plan_item)


def test_the_region_round_is_ranked_by_score(client, kab):
    for title, score in (("Rendah", "40"), ("Tinggi", "95"), ("Sedang", "70"), ("Sama", "70")):
        ProposalFactory(
            region=kab.region, fiscal_year=kab.year, stage=ProposalStage.REGION, title=title, score=Decimal(score)
        )
    client.force_login(kab.verifier)
    rows = client.get(STAFF, {"round": "region"}).context["page"]
    assert [(p.title, p.rank) for p in rows] == [("Tinggi", 1), ("Sedang", 2), ("Sama", 2), ("Rendah", 4)]
