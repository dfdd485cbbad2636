"""E-Planning's demo data, loaded by ``manage.py load_demo`` after the kernel's."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import translation

from eplanning.choices import PlanStatus, ProposalStage, ProposalStatus
from eplanning.demo import load_planning_demo
from eplanning.models import (
    AgencyCeiling,
    CommunityProposal,
    PlanIndicator,
    PlanItem,
    ProposalReview,
    RpjmdGoal,
    RpjmdIndicator,
    RpjmdObjective,
    RpjmdTarget,
)
from portal.demo_data import demo_loaders
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db

MODELS = (
    RpjmdGoal,
    RpjmdObjective,
    RpjmdIndicator,
    RpjmdTarget,
    AgencyCeiling,
    PlanItem,
    PlanIndicator,
    CommunityProposal,
    ProposalReview,
    AuditEntry,
)


def load() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    return load()


def statuses(region_code):
    rows = PlanItem.objects.filter(region__code=region_code).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def test_the_loader_is_registered_with_the_kernel():
    assert load_planning_demo in [loader for _label, loader in demo_loaders()]


def test_each_region_gets_an_rpjmd_2025_2029_with_five_yearly_targets(demo):
    for code in ("53", "53.01"):
        goals = RpjmdGoal.objects.filter(region__code=code)
        assert {(g.period_start, g.period_end) for g in goals} == {(2025, 2029)}
        assert goals.count() == 2
        indicators = RpjmdIndicator.objects.filter(objective__goal__region__code=code)
        assert indicators.exists()
        years = RpjmdTarget.objects.filter(indicator__in=indicators).values_list("indicator", "year")
        assert {year for _i, year in years} == set(range(2025, 2030))
        assert len(years) == 5 * indicators.count()
    assert (
        RpjmdObjective.objects.filter(statement="Meningkatnya kualitas pelayanan publik berbasis elektronik").count()
        == 2
    )


def test_ceilings_for_2027_for_pupr_and_kominfo_of_both_regions(demo):
    ceilings = set(AgencyCeiling.objects.values_list("agency__region__code", "agency__code", "fiscal_year__year"))
    assert ceilings == {(r, a, 2027) for r in ("53", "53.01") for a in ("DPUPR", "DISKOMINFO")}


def test_plan_items_in_several_statuses_on_real_codes_of_the_region_variant(demo):
    assert statuses("53") == {PlanStatus.APPROVED: 3, PlanStatus.SUBMITTED: 2, PlanStatus.DRAFT: 1}
    assert statuses("53.01") == {PlanStatus.APPROVED: 1, PlanStatus.SUBMITTED: 1, PlanStatus.DRAFT: 1}
    for item in PlanItem.objects.select_related("sub_activity", "region", "objective__goal"):
        assert item.sub_activity.level == "sub_kegiatan" and item.sub_activity.is_active
        variant = "1" if item.region.code == "53" else "2"
        assert item.sub_activity.code.split(".")[3] == variant
        assert item.objective.goal.region_id == item.region_id
        assert item.fiscal_year.year == 2027 and item.indicators.count() == 1
    kominfo = PlanItem.objects.filter(region__code="53", agency__code="DISKOMINFO")
    assert all(code.startswith("2.16.02.1.01.") for code in kominfo.values_list("sub_activity__code", flat=True))


def test_workflow_steps_are_audited_as_transitions_by_the_demo_accounts(demo):
    approved = PlanItem.objects.filter(status=PlanStatus.APPROVED).first()
    steps = AuditEntry.objects.filter(object_type="eplanning.planitem", object_id=str(approved.pk), action="transition")
    assert list(steps.order_by("seq").values_list("new_status", flat=True)) == ["submitted", "verified", "approved"]
    assert not steps.filter(actor__isnull=True).exists()


def test_musrenbang_proposals_in_different_rounds_and_outcomes(demo):
    proposals = CommunityProposal.objects.all()
    assert proposals.count() == 6
    outcome = set(proposals.values_list("stage", "status"))
    assert (ProposalStage.VILLAGE, ProposalStatus.IN_REVIEW) in outcome
    assert (ProposalStage.DISTRICT, ProposalStatus.IN_REVIEW) in outcome
    assert (ProposalStage.REGION, ProposalStatus.IN_REVIEW) in outcome
    assert (ProposalStage.VILLAGE, ProposalStatus.REJECTED) in outcome
    accepted = proposals.filter(status=ProposalStatus.ACCEPTED).select_related("plan_item")
    assert accepted.count() == 2
    assert all(p.plan_item.region_id == p.region_id and p.plan_item.status == "approved" for p in accepted)
    assert ProposalReview.objects.filter(decision="forwarded").count() == 7


def test_a_second_run_adds_nothing(demo):
    before = {model: model.objects.count() for model in MODELS}

    output = load()

    assert {model: model.objects.count() for model in MODELS} == before
    assert "nothing changed" in output
    assert "E-Planning demo data added" in demo and "E-Planning" not in output
