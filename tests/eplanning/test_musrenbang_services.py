"""Musrenbang's services: recording, correcting, and every round's decision."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from eplanning.choices import ProposalStage, ProposalStatus
from eplanning.models import CommunityProposal, ProposalReview
from eplanning.services import musrenbang as services
from portal.models import AuditEntry, Notification
from tests.eplanning.factories import FiscalYearFactory, PlanItemFactory
from tests.eplanning.factories_musrenbang import ProposalFactory, musrenbang_world

pytestmark = pytest.mark.django_db

FIELDS = {
    "category": "health",
    "title": "Posyandu baru di Desa Oelnasi",
    "description": "Gedung posyandu untuk 300 balita.",
    "district": "Kupang Tengah",
    "village": "Oelnasi",
    "estimated_cost": Decimal("150000000.00"),
    "proposer": "Kepala Desa Oelnasi",
    "proposer_contact": "0812-0000-0000",
}


@pytest.fixture
def kab(kab_kupang):
    return musrenbang_world(kab_kupang)


@pytest.fixture
def kota(kota_kupang):
    return musrenbang_world(kota_kupang)


def _audits(proposal):
    return AuditEntry.objects.filter(object_type="eplanning.communityproposal", object_id=str(proposal.pk))


def _at(kab, stage, **kwargs):
    return ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=stage, created_by=kab.planner, **kwargs)


# --- recording -----------------------------------------------------------------------


def test_a_planner_of_the_region_records_a_proposal(kab):
    # When a planner of an agency of Kab. Kupang records a proposal
    proposal = services.proposal_record(actor=kab.planner, region=kab.region, fiscal_year=kab.year, **FIELDS)

    # Then it starts in the village round, under review, remembering who recorded it, audited once
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.status, proposal.created_by) == ("village", "in_review", kab.planner)
    assert _audits(proposal).get().action == "create"


def test_bappeda_records_a_proposal_with_a_target_agency_of_the_region(kab):
    proposal = services.proposal_record(
        actor=kab.verifier, region=kab.region, fiscal_year=kab.year, target_agency=kab.agency, **FIELDS
    )
    assert proposal.target_agency == kab.agency


def test_a_negative_cost_is_refused_and_nothing_saved(kab):
    with pytest.raises(ValidationError) as error:
        services.proposal_record(
            actor=kab.planner, region=kab.region, fiscal_year=kab.year, **{**FIELDS, "estimated_cost": Decimal("-1")}
        )
    assert "negative" in str(error.value.message_dict["estimated_cost"])
    assert not CommunityProposal.objects.exists() and not AuditEntry.objects.filter(action="create").exists()


def test_a_missing_title_is_refused(kab):
    with pytest.raises(ValidationError) as error:
        services.proposal_record(actor=kab.planner, region=kab.region, fiscal_year=kab.year, **{**FIELDS, "title": ""})
    assert "title" in error.value.message_dict
    assert not CommunityProposal.objects.exists()


def test_a_target_agency_of_another_region_is_refused(kab, kota):
    with pytest.raises(ValidationError) as error:
        services.proposal_record(
            actor=kab.verifier, region=kab.region, fiscal_year=kab.year, target_agency=kota.agency, **FIELDS
        )
    assert "target_agency" in error.value.message_dict
    assert not CommunityProposal.objects.exists()


def test_a_closed_year_takes_no_proposal(kab):
    closed = FiscalYearFactory(year=2020, is_open=False)
    with pytest.raises(ValidationError):
        services.proposal_record(actor=kab.planner, region=kab.region, fiscal_year=closed, **FIELDS)
    assert not CommunityProposal.objects.exists()


def test_status_and_round_cannot_be_set_when_recording(kab):
    with pytest.raises(ValidationError):
        services.proposal_record(
            actor=kab.planner, region=kab.region, fiscal_year=kab.year, status="accepted", **FIELDS
        )
    assert not CommunityProposal.objects.exists()


def test_staff_of_another_region_cannot_record_here(kab, kota):
    with pytest.raises(PermissionDenied):
        services.proposal_record(actor=kota.planner, region=kab.region, fiscal_year=kab.year, **FIELDS)
    assert not CommunityProposal.objects.exists()


def test_a_role_other_than_planner_or_verifier_cannot_record(kab, make_member):
    treasurer = make_member(kab.agency, "treasurer")
    with pytest.raises(PermissionDenied):
        services.proposal_record(actor=treasurer, region=kab.region, fiscal_year=kab.year, **FIELDS)


# --- correcting ----------------------------------------------------------------------


def test_a_proposal_is_corrected_in_the_village_round(kab):
    proposal = _at(kab, ProposalStage.VILLAGE)
    services.proposal_update(proposal_id=proposal.pk, actor=kab.planner, title="Jalan desa 3 km")
    proposal.refresh_from_db()
    assert proposal.title == "Jalan desa 3 km"
    assert _audits(proposal).get().changes["title"][1] == "Jalan desa 3 km"


def test_a_proposal_past_the_village_round_cannot_be_changed(kab):
    proposal = _at(kab, ProposalStage.DISTRICT)
    with pytest.raises(ValidationError):
        services.proposal_update(proposal_id=proposal.pk, actor=kab.planner, title="Lain")
    proposal.refresh_from_db()
    assert proposal.title != "Lain"


def test_a_rejected_proposal_cannot_be_changed(kab):
    proposal = _at(kab, ProposalStage.VILLAGE, status=ProposalStatus.REJECTED, rejection_reason="x")
    with pytest.raises(ValidationError):
        services.proposal_update(proposal_id=proposal.pk, actor=kab.planner, title="Lain")


def test_a_correction_to_a_negative_cost_saves_nothing(kab):
    proposal = _at(kab, ProposalStage.VILLAGE)
    with pytest.raises(ValidationError):
        services.proposal_update(proposal_id=proposal.pk, actor=kab.planner, estimated_cost=Decimal("-5"))
    proposal.refresh_from_db()
    assert proposal.estimated_cost == Decimal("250000000.00") and not _audits(proposal).exists()


def test_another_regions_staff_cannot_correct(kab, kota):
    proposal = _at(kab, ProposalStage.VILLAGE)
    with pytest.raises(PermissionDenied):
        services.proposal_update(proposal_id=proposal.pk, actor=kota.verifier, title="Lain")


# --- forwarding ----------------------------------------------------------------------


@pytest.mark.parametrize(("stage", "next_stage"), [("village", "district"), ("district", "region")])
def test_bappeda_forwards_to_the_next_round_with_a_score(kab, stage, next_stage):
    proposal = _at(kab, stage)

    services.proposal_forward(proposal_id=proposal.pk, actor=kab.verifier, score="82.5", note="Mendesak")

    proposal.refresh_from_db()
    assert (proposal.stage, proposal.status, proposal.score) == (next_stage, "in_review", Decimal("82.50"))
    review = ProposalReview.objects.get(proposal=proposal)
    assert (review.stage, review.decision, review.score, review.reviewer) == (stage, "forwarded", 82.5, kab.verifier)
    audit = _audits(proposal).get()
    assert (audit.old_status, audit.new_status, audit.reason) == (stage, next_stage, "Mendesak")
    # and the planner who recorded it is told
    assert Notification.objects.get(recipient=kab.planner).kind == "musrenbang_decision"


def test_the_region_round_does_not_forward(kab):
    proposal = _at(kab, ProposalStage.REGION)
    with pytest.raises(ValidationError):
        services.proposal_forward(proposal_id=proposal.pk, actor=kab.verifier, score=90)
    assert not ProposalReview.objects.exists() and not _audits(proposal).exists()


@pytest.mark.parametrize("score", ["-1", "100.01", "", None, "abc", "NaN"])
def test_a_score_outside_0_to_100_is_refused(kab, score):
    proposal = _at(kab, ProposalStage.VILLAGE)
    with pytest.raises(ValidationError) as error:
        services.proposal_forward(proposal_id=proposal.pk, actor=kab.verifier, score=score)
    assert "score" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.stage == "village" and not ProposalReview.objects.exists()


@pytest.mark.parametrize("score", ["0", "100"])
def test_the_bounds_of_the_score_are_allowed(kab, score):
    proposal = _at(kab, ProposalStage.VILLAGE)
    services.proposal_forward(proposal_id=proposal.pk, actor=kab.verifier, score=score)
    proposal.refresh_from_db()
    assert proposal.score == Decimal(score)


def test_a_decided_proposal_is_not_forwarded(kab):
    proposal = _at(kab, ProposalStage.VILLAGE, status=ProposalStatus.REJECTED, rejection_reason="x")
    with pytest.raises(ValidationError):
        services.proposal_forward(proposal_id=proposal.pk, actor=kab.verifier, score=50)


def test_a_planner_does_not_review(kab):
    proposal = _at(kab, ProposalStage.VILLAGE)
    with pytest.raises(PermissionDenied):
        services.proposal_forward(proposal_id=proposal.pk, actor=kab.planner, score=50)
    proposal.refresh_from_db()
    assert proposal.stage == "village"


def test_bappeda_of_another_region_does_not_review(kab, kota):
    proposal = _at(kab, ProposalStage.VILLAGE)
    for decide in (
        lambda: services.proposal_forward(proposal_id=proposal.pk, actor=kota.verifier, score=50),
        lambda: services.proposal_reject(proposal_id=proposal.pk, actor=kota.verifier, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.status) == ("village", "in_review")


# --- rejecting -----------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["village", "district", "region"])
def test_a_proposal_is_rejected_in_any_round_with_a_reason(kab, stage):
    proposal = _at(kab, stage)

    services.proposal_reject(proposal_id=proposal.pk, actor=kab.verifier, reason="  Sudah dianggarkan desa  ")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.stage, proposal.rejection_reason) == ("rejected", stage, "Sudah dianggarkan desa")
    assert ProposalReview.objects.get(proposal=proposal).decision == "rejected"
    audit = _audits(proposal).get()
    assert (audit.old_status, audit.new_status, audit.reason) == ("in_review", "rejected", "Sudah dianggarkan desa")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_rejection_needs_a_reason(kab, reason):
    proposal = _at(kab, ProposalStage.DISTRICT)
    with pytest.raises(ValidationError) as error:
        services.proposal_reject(proposal_id=proposal.pk, actor=kab.verifier, reason=reason)
    assert "reason" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == "in_review" and not _audits(proposal).exists()


def test_an_accepted_proposal_is_not_rejected(kab):
    proposal = _at(kab, ProposalStage.REGION, status=ProposalStatus.ACCEPTED, plan_item=kab.plan_item)
    with pytest.raises(ValidationError):
        services.proposal_reject(proposal_id=proposal.pk, actor=kab.verifier, reason="x")
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


# --- accepting -----------------------------------------------------------------------


def test_in_the_region_round_a_proposal_becomes_part_of_a_plan_item(kab):
    proposal = _at(kab, ProposalStage.REGION, score=Decimal("80"))

    services.proposal_accept(proposal_id=proposal.pk, actor=kab.verifier, plan_item=kab.plan_item, note="Masuk Renja")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.plan_item) == ("accepted", kab.plan_item)
    assert list(kab.plan_item.proposals.all()) == [proposal]
    audit = _audits(proposal).get()
    assert (audit.old_status, audit.new_status, audit.changes["plan_item"]) == (
        "in_review",
        "accepted",
        kab.plan_item.pk,
    )
    assert ProposalReview.objects.get(proposal=proposal).decision == "accepted"


@pytest.mark.parametrize("stage", ["village", "district"])
def test_a_proposal_is_accepted_only_in_the_region_round(kab, stage):
    proposal = _at(kab, stage)
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal_id=proposal.pk, actor=kab.verifier, plan_item=kab.plan_item)
    proposal.refresh_from_db()
    assert proposal.status == "in_review" and proposal.plan_item is None


def test_a_plan_item_of_another_region_is_refused(kab, kota):
    proposal = _at(kab, ProposalStage.REGION)
    with pytest.raises(ValidationError) as error:
        services.proposal_accept(proposal_id=proposal.pk, actor=kab.verifier, plan_item=kota.plan_item)
    assert "plan_item" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.plan_item is None


def test_a_plan_item_of_another_year_is_refused(kab):
    other_year = PlanItemFactory(agency=kab.agency, fiscal_year=FiscalYearFactory(year=2028))
    proposal = _at(kab, ProposalStage.REGION)
    with pytest.raises(ValidationError) as error:
        services.proposal_accept(proposal_id=proposal.pk, actor=kab.verifier, plan_item=other_year)
    assert "plan_item" in error.value.message_dict


def test_a_verifier_reaching_only_their_own_agency_does_not_accept(kab, make_member):
    # Reviewing is Bappeda's region-wide role: a grant limited to one agency neither
    # decides on the region's proposals nor attaches them to a plan item.
    own_agency_verifier = make_member(kab.agency, "plan_verifier", scope="agency")
    proposal = _at(kab, ProposalStage.REGION)
    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal_id=proposal.pk, actor=own_agency_verifier, plan_item=kab.plan_item)
    proposal.refresh_from_db()
    assert proposal.plan_item is None


def test_acceptance_needs_a_plan_item(kab):
    proposal = _at(kab, ProposalStage.REGION)
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal_id=proposal.pk, actor=kab.verifier, plan_item=None)


def test_the_reviewer_who_recorded_it_is_not_notified_of_their_own_decision(kab):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year, created_by=kab.verifier)
    services.proposal_reject(proposal_id=proposal.pk, actor=kab.verifier, reason="Tidak prioritas")
    assert not Notification.objects.exists()
