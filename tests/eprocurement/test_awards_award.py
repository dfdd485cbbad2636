"""Award, announcement, objections (sanggah and sanggah banding) and the SPPBJ."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from eprocurement.choices import ObjectionStatus, PackageStatus, ProcurementKind, TenderStage
from eprocurement.models import Award, BidEvaluation, Objection
from eprocurement.services import awards
from eprocurement.services import evaluation as services
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.eprocurement.factories_awards import DAY, HOUR, awarded, move_stage, opened_world, pass_all

pytestmark = pytest.mark.django_db


def rank_and_prove(world, *proofs):
    for bid in world.bids:
        pass_all(world, bid)
    ranking = services.evaluation_rank(package=world.package, actor=world.chair)
    for evaluation, proven in zip(ranking, proofs, strict=False):
        services.qualification_proof_record(
            bid=evaluation.bid, actor=world.chair, proven=proven, notes="" if proven else "SBU tidak asli"
        )
    return [e.bid for e in ranking]


def objection_open(world):
    now = timezone.now()
    move_stage(world.package, TenderStage.OBJECTION, now - HOUR, now + 4 * DAY)


def objection_over(world, *, appeal_open=False):
    now = timezone.now()
    move_stage(world.package, TenderStage.OBJECTION, now - 6 * DAY, now - DAY)
    if appeal_open:
        move_stage(world.package, TenderStage.APPEAL, now - HOUR, now + DAY)
    else:
        move_stage(world.package, TenderStage.APPEAL, now - DAY, now - HOUR)


def test_award_goes_to_the_first_ranked_with_proven_qualification(kab_kupang):
    world = opened_world(kab_kupang)
    first, second, _third = rank_and_prove(world, True, True)
    with pytest.raises(DomainError, match="better-ranked"):
        awards.award_decide(package=world.package, actor=world.chair, bid=second)
    award = awards.award_decide(package=world.package, actor=world.chair, bid=first)
    world.package.refresh_from_db()
    assert (award.vendor, award.value, world.package.status) == (first.vendor, first.opened_price, "awarded")
    assert Notification.objects.filter(recipient=world.ppk).exists()


def test_when_the_first_fails_its_proof_the_next_wins_with_a_reason(kab_kupang):
    world = opened_world(kab_kupang)
    first, second, _third = rank_and_prove(world, False, True)
    with pytest.raises(DomainError, match="proven first"):
        awards.award_decide(package=world.package, actor=world.chair, bid=first)
    with pytest.raises(DomainError, match="Say why"):
        awards.award_decide(package=world.package, actor=world.chair, bid=second)
    award = awards.award_decide(
        package=world.package, actor=world.chair, bid=second, reason="Peringkat 1 gugur pembuktian"
    )
    assert award.value == Decimal("850000000.00")


def test_only_the_pokja_decides(kab_kupang):
    world = opened_world(kab_kupang)
    first, *_rest = rank_and_prove(world, True)
    with pytest.raises(PermissionDenied):
        awards.award_decide(package=world.package, actor=world.ppk, bid=first)


def test_announcing_tells_every_bidder_and_refuses_once_the_objection_period_began(kab_kupang):
    world = opened_world(kab_kupang)
    award = awarded(world, announce=False)
    objection_open(world)
    with pytest.raises(DomainError, match="already begun"):
        awards.award_announce(package=world.package, actor=world.chair)
    move_stage(world.package, TenderStage.OBJECTION, timezone.now() + HOUR, timezone.now() + 5 * DAY)
    awards.award_announce(package=world.package, actor=world.chair)
    award.refresh_from_db()
    assert award.announced_at is not None
    for vendor in world.vendors:
        assert Notification.objects.filter(recipient=vendor.owner, kind="eprocurement.award").exists()


def test_objection_only_by_a_bidder_and_only_in_the_period(kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    loser = world.vendors[0]
    with pytest.raises(DomainError, match="objection period"):
        awards.objection_submit(package=world.package, vendor=loser, actor=loser.owner, text="Harga tidak wajar")
    objection_open(world)
    with pytest.raises(PermissionDenied):
        awards.objection_submit(package=world.package, vendor=loser, actor=world.vendors[1].owner, text="x")
    from tests.eprocurement.factories_vendors import VendorFactory

    outsider = VendorFactory(status="verified")
    with pytest.raises(DomainError, match="submitted a bid"):
        awards.objection_submit(package=world.package, vendor=outsider, actor=outsider.owner, text="x")
    objection = awards.objection_submit(
        package=world.package, vendor=loser, actor=loser.owner, text="Harga tidak wajar"
    )
    assert objection.status == ObjectionStatus.SUBMITTED
    objection_over(world)
    with pytest.raises(DomainError, match="objection period"):
        awards.objection_submit(package=world.package, vendor=world.vendors[1], actor=world.vendors[1].owner, text="x")


def test_an_upheld_objection_reopens_the_evaluation(kab_kupang):
    world = opened_world(kab_kupang)
    award = awarded(world)
    objection_open(world)
    loser = world.vendors[0]
    objection = awards.objection_submit(package=world.package, vendor=loser, actor=loser.owner, text="SBU palsu")
    with pytest.raises(PermissionDenied):
        awards.objection_answer(objection=objection, actor=world.ppk, upheld=True, answer="x")
    awards.objection_answer(objection=objection, actor=world.chair, upheld=True, answer="Terbukti, dievaluasi ulang")
    world.package.refresh_from_db()
    assert world.package.status == PackageStatus.OPENED
    assert not Award.objects.filter(pk=award.pk).exists()
    assert not BidEvaluation.objects.filter(rank__isnull=False).exists()
    entry = AuditEntry.objects.get(object_type="eprocurement.package", new_status=PackageStatus.OPENED)
    assert entry.changes["removed_award"]["vendor"] == award.vendor.name


def test_appeal_for_works_by_the_rejected_objector_in_the_appeal_period(kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    objection_open(world)
    loser, other = world.vendors[0], world.vendors[1]
    objection = awards.objection_submit(package=world.package, vendor=loser, actor=loser.owner, text="Tidak adil")
    awards.objection_answer(objection=objection, actor=world.chair, upheld=False, answer="Tidak terbukti")
    with pytest.raises(DomainError, match="appeal period"):
        awards.objection_appeal(objection=objection, actor=loser.owner, text="Banding")
    objection_over(world, appeal_open=True)
    with pytest.raises(PermissionDenied):
        awards.objection_appeal(objection=objection, actor=other.owner, text="Banding")
    appeal = awards.objection_appeal(objection=objection, actor=loser.owner, text="Banding")
    assert appeal.appeal_of == objection
    with pytest.raises(DomainError, match="already been appealed"):
        awards.objection_appeal(objection=objection, actor=loser.owner, text="Lagi")
    with pytest.raises(PermissionDenied):
        awards.objection_answer(objection=appeal, actor=world.chair, upheld=False, answer="x")
    awards.objection_answer(objection=appeal, actor=world.ppk, upheld=False, answer="Ditolak KPA")
    assert Objection.objects.get(pk=appeal.pk).status == ObjectionStatus.REJECTED


def test_no_appeal_for_goods(kab_kupang):
    world = opened_world(kab_kupang, kind=ProcurementKind.GOODS)
    awarded(world)
    objection_open(world)
    loser = world.vendors[0]
    objection = awards.objection_submit(package=world.package, vendor=loser, actor=loser.owner, text="Tidak adil")
    awards.objection_answer(objection=objection, actor=world.chair, upheld=False, answer="Tidak terbukti")
    objection_over(world, appeal_open=True)
    with pytest.raises(DomainError, match="construction works only"):
        awards.objection_appeal(objection=objection, actor=loser.owner, text="Banding")


def test_sppbj_after_the_periods_with_nothing_pending(kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    objection_open(world)
    loser = world.vendors[0]
    awards.objection_submit(package=world.package, vendor=loser, actor=loser.owner, text="Tidak adil")
    with pytest.raises(DomainError, match="has ended"):
        awards.award_appoint(package=world.package, actor=world.ppk, number="027/SPPBJ/1/2026")
    objection_over(world, appeal_open=True)
    with pytest.raises(DomainError, match="has ended"):  # works: the appeal period too
        awards.award_appoint(package=world.package, actor=world.ppk, number="027/SPPBJ/1/2026")
    objection_over(world)
    with pytest.raises(DomainError, match="waiting for its answer"):
        awards.award_appoint(package=world.package, actor=world.ppk, number="027/SPPBJ/1/2026")
    awards.objection_answer(objection=Objection.objects.get(), actor=world.chair, upheld=False, answer="Ditolak")
    with pytest.raises(PermissionDenied):
        awards.award_appoint(package=world.package, actor=world.chair, number="027/SPPBJ/1/2026")
    award = awards.award_appoint(package=world.package, actor=world.ppk, number="027/SPPBJ/1/2026")
    world.package.refresh_from_db()
    assert (award.appointment_number, world.package.status) == ("027/SPPBJ/1/2026", PackageStatus.APPOINTED)


def test_an_upheld_appeal_reopens_the_evaluation_too(kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    objection_open(world)
    loser = world.vendors[0]
    objection = awards.objection_submit(package=world.package, vendor=loser, actor=loser.owner, text="Tidak adil")
    awards.objection_answer(objection=objection, actor=world.chair, upheld=False, answer="Tidak terbukti")
    objection_over(world, appeal_open=True)
    appeal = awards.objection_appeal(objection=objection, actor=loser.owner, text="Banding")
    awards.objection_answer(objection=appeal, actor=world.ppk, upheld=True, answer="KPA: evaluasi ulang")
    world.package.refresh_from_db()
    assert world.package.status == PackageStatus.OPENED and not Award.objects.exists()
