"""Evaluation by the pokja: each method's ranking, price clarification, HPS ceiling, order of parts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from eprocurement.choices import EvaluationMethod, ProcurementKind
from eprocurement.models import BidEvaluation
from eprocurement.services import evaluation as services
from portal.models import AuditEntry
from portal.services import DomainError
from tests.eprocurement.factories_awards import opened_world, pass_all

pytestmark = pytest.mark.django_db

CONSULTANCY = ProcurementKind.CONSULTANCY


def ranked_bids(world):
    return [e.bid_id for e in services.evaluation_rank(package=world.package, actor=world.chair)]


def score_all(world, scores):
    for bid, score in zip(world.bids, scores, strict=True):
        services.evaluation_record(
            bid=bid,
            actor=world.chair,
            administrative_pass=True,
            qualification_pass=True,
            technical_score=score,
            price_pass=True,
        )


def test_knockout_ranks_passing_bids_by_lowest_price(kab_kupang):
    world = opened_world(kab_kupang)
    for bid in world.bids:
        pass_all(world, bid)
    assert ranked_bids(world) == [world.bids[2].pk, world.bids[1].pk, world.bids[0].pk]
    assert list(BidEvaluation.objects.order_by("rank").values_list("rank", flat=True)) == [1, 2, 3]


def test_lowest_price_leaves_failed_bids_unranked(kab_kupang):
    world = opened_world(kab_kupang, method=EvaluationMethod.LOWEST_PRICE)
    pass_all(world, world.bids[0])
    pass_all(world, world.bids[1])
    services.evaluation_record(
        bid=world.bids[2], actor=world.chair, administrative_pass=False, notes="Jaminan penawaran tidak ada"
    )
    assert ranked_bids(world) == [world.bids[1].pk, world.bids[0].pk]
    assert BidEvaluation.objects.get(bid=world.bids[2]).rank is None


def test_a_failed_part_needs_a_reason_and_stops_the_later_parts(kab_kupang):
    world = opened_world(kab_kupang)
    with pytest.raises(DomainError, match="reason"):
        services.evaluation_record(bid=world.bids[0], actor=world.chair, administrative_pass=False)
    with pytest.raises(DomainError, match="only evaluated after every earlier part passed"):
        services.evaluation_record(
            bid=world.bids[0], actor=world.chair, administrative_pass=False, qualification_pass=True, notes="x"
        )
    assert not BidEvaluation.objects.exists()


def test_ranking_needs_every_bid_evaluated_to_the_end(kab_kupang):
    world = opened_world(kab_kupang)
    pass_all(world, world.bids[0])
    services.evaluation_record(bid=world.bids[1], actor=world.chair, administrative_pass=True)
    with pytest.raises(DomainError, match="Evaluate every opened bid"):
        services.evaluation_rank(package=world.package, actor=world.chair)


def test_price_above_hps_fails_whatever_the_pokja_ticks(kab_kupang):
    world = opened_world(kab_kupang, prices=(Decimal("960000000.00"), Decimal("900000000.00")))
    evaluation = pass_all(world, world.bids[0])
    assert evaluation.price_pass is False
    assert "above the owner's estimate" in evaluation.notes
    pass_all(world, world.bids[1])
    assert ranked_bids(world) == [world.bids[1].pk]


def test_a_bid_under_80_percent_of_hps_needs_a_clarification_before_it_passes(kab_kupang):
    # HPS 950 juta: 80% is 760 juta.
    world = opened_world(kab_kupang, prices=(Decimal("759999999.00"), Decimal("760000000.00")))
    with pytest.raises(DomainError, match="under 80% of the HPS"):
        pass_all(world, world.bids[0])
    assert not BidEvaluation.objects.filter(bid=world.bids[0]).exists()
    evaluation = pass_all(world, world.bids[0], clarification_note="Harga satuan dijelaskan dan wajar")
    assert evaluation.clarification_required and evaluation.price_pass
    assert pass_all(world, world.bids[1]).clarification_required is False


def test_merit_points_combine_technical_and_price_scores_by_the_weights(kab_kupang):
    # Weights for nilai: technical 0.30, price 0.70 (settings).
    world = opened_world(kab_kupang, method=EvaluationMethod.MERIT_POINT)
    score_all(world, ["95", "80", "70"])
    # Price scores: 100×800/900=88.89, 100×800/850=94.12, 100; totals 90.72, 89.88, 91.00.
    assert ranked_bids(world) == [world.bids[2].pk, world.bids[0].pk, world.bids[1].pk]
    totals = dict(BidEvaluation.objects.values_list("bid_id", "total_score"))
    assert totals[world.bids[0].pk] == Decimal("90.72")
    assert totals[world.bids[2].pk] == Decimal("91.00")


def test_a_technical_score_below_the_passing_grade_fails(kab_kupang):
    world = opened_world(kab_kupang, method=EvaluationMethod.QUALITY, kind=CONSULTANCY)
    with pytest.raises(DomainError, match="only evaluated after"):
        score_all(world, ["69.99", "80", "75"])
    with pytest.raises(DomainError, match="reason"):
        services.evaluation_record(
            bid=world.bids[0],
            actor=world.chair,
            administrative_pass=True,
            qualification_pass=True,
            technical_score="69.99",
        )
    evaluation = services.evaluation_record(
        bid=world.bids[0],
        actor=world.chair,
        administrative_pass=True,
        qualification_pass=True,
        technical_score="69.99",
        notes="Metodologi lemah",
    )
    assert evaluation.technical_pass is False


def test_quality_ranks_by_technical_score(kab_kupang):
    world = opened_world(kab_kupang, method=EvaluationMethod.QUALITY, kind=CONSULTANCY)
    score_all(world, ["75", "90", "80"])
    assert ranked_bids(world) == [world.bids[1].pk, world.bids[2].pk, world.bids[0].pk]


@override_settings(PROCUREMENT_EVALUATION_WEIGHTS={"kualitas_biaya": {"technical": "0.8", "price": "0.2"}})
def test_quality_and_cost_uses_its_own_weights(kab_kupang):
    world = opened_world(kab_kupang, method=EvaluationMethod.QUALITY_COST, kind=CONSULTANCY)
    score_all(world, ["95", "80", "70"])
    # Totals: 0.8×95+0.2×88.89=93.78, 0.8×80+0.2×94.12=82.82, 0.8×70+0.2×100=76.
    assert ranked_bids(world) == [world.bids[0].pk, world.bids[1].pk, world.bids[2].pk]


def test_fixed_budget_ranks_by_technical_score(kab_kupang):
    world = opened_world(kab_kupang, method=EvaluationMethod.FIXED_BUDGET, kind=CONSULTANCY)
    score_all(world, ["70", "85", "90"])
    assert ranked_bids(world) == [world.bids[2].pk, world.bids[1].pk, world.bids[0].pk]


def test_least_cost_ranks_technically_passing_bids_by_price(kab_kupang):
    world = opened_world(kab_kupang, method=EvaluationMethod.LEAST_COST, kind=CONSULTANCY)
    score_all(world, ["95", "71", "70"])
    assert ranked_bids(world) == [world.bids[2].pk, world.bids[1].pk, world.bids[0].pk]


def test_life_cycle_cost_ranks_by_the_cost_the_pokja_entered(kab_kupang):
    world = opened_world(kab_kupang, method=EvaluationMethod.LIFE_CYCLE_COST, kind=ProcurementKind.GOODS)
    with pytest.raises(DomainError, match="life-cycle cost"):
        pass_all(world, world.bids[0])
    for bid, cost in zip(world.bids, ["1100000000", "1300000000", "1200000000"], strict=True):
        pass_all(world, bid, life_cycle_cost=cost)
    assert ranked_bids(world) == [world.bids[0].pk, world.bids[2].pk, world.bids[1].pk]


def test_only_the_pokja_evaluates(kab_kupang):
    world = opened_world(kab_kupang)
    with pytest.raises(PermissionDenied):
        services.evaluation_record(bid=world.bids[0], actor=world.ppk, administrative_pass=True)


def test_changing_an_evaluation_clears_the_ranking_and_is_audited(kab_kupang):
    world = opened_world(kab_kupang)
    for bid in world.bids:
        pass_all(world, bid)
    ranked_bids(world)
    services.evaluation_record(bid=world.bids[0], actor=world.chair, administrative_pass=False, notes="Dokumen palsu")
    assert not BidEvaluation.objects.filter(rank__isnull=False).exists()
    assert AuditEntry.objects.filter(object_type="eprocurement.bidevaluation", reason="Dokumen palsu").exists()


def test_proof_of_qualification_only_for_the_best_ranked(kab_kupang):
    world = opened_world(kab_kupang, prices=(Decimal("900000000"),) * 4)
    with pytest.raises(DomainError, match="rank the bids first"):
        services.qualification_proof_record(bid=world.bids[0], actor=world.chair, proven=True)
    for bid in world.bids:
        pass_all(world, bid)
    assert ranked_bids(world) == [bid.pk for bid in world.bids]  # equal prices: first submitted first
    with pytest.raises(DomainError, match="3 best-ranked"):
        services.qualification_proof_record(bid=world.bids[3], actor=world.chair, proven=True)
    with pytest.raises(DomainError, match="reason"):
        services.qualification_proof_record(bid=world.bids[0], actor=world.chair, proven=False)
    evaluation = services.qualification_proof_record(bid=world.bids[0], actor=world.chair, proven=True)
    assert evaluation.qualification_proven is True
