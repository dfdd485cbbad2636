"""The Musrenbang lists cost the same number of queries whatever their length (N-1 vs N)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ebudgeting.choices import DocumentStatus
from eplanning.choices import ProposalStage, ProposalStatus
from eplanning.models import CommunityProposal
from eplanning.outcomes import _providers
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory
from tests.eplanning.factories import PlanItemFactory
from tests.eplanning.factories_musrenbang import ProposalFactory, musrenbang_world
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kab(kab_kupang):
    return musrenbang_world(kab_kupang)


def _accepted_and_budgeted(kab):
    """One more accepted proposal, on its own plan item of its own agency, with a DPA line."""
    agency = AgencyFactory(region=kab.region)
    plan_item = PlanItemFactory(agency=agency, fiscal_year=kab.year)
    document = BudgetDocumentFactory(agency=agency, fiscal_year=kab.year, status=DocumentStatus.APPROVED)
    BudgetLineFactory(document=document, plan_item=plan_item, realized=Decimal("1000.00"))
    ProposalFactory(
        region=kab.region,
        fiscal_year=kab.year,
        stage=ProposalStage.REGION,
        status=ProposalStatus.ACCEPTED,
        plan_item=plan_item,
    )
    ProposalFactory(region=kab.region, fiscal_year=kab.year, status=ProposalStatus.REJECTED, rejection_reason="x")


def test_the_public_list_with_the_budget_provider_registered(client, kab, django_assert_num_queries):
    # Given E-Budgeting's provider is registered (EbudgetingConfig.ready) and N-1 outcomes
    assert any(p.__module__ == "ebudgeting.outcomes" for p in _providers)
    for _ in range(3):
        _accepted_and_budgeted(kab)
    url = reverse("eplanning:musrenbang_public")
    # The paginator's count; the page of proposals with region, year, target agency and
    # plan item with its agency and sub-activity; one aggregate over the page's plan items
    # from each provider (E-Budgeting, E-Procurement, E-Monev); the regions and the fiscal
    # years of the filters
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    # When one more accepted, budgeted proposal arrives, the page costs the same
    _accepted_and_budgeted(kab)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["page"]) == 8 and sum(bool(p.outcomes) for p in response.context["page"]) == 4


def test_the_public_detail(client, kab, django_assert_num_queries):
    _accepted_and_budgeted(kab)
    accepted = CommunityProposal.objects.get(status=ProposalStatus.ACCEPTED)
    # the proposal with its relations; its reviews; the budget, procurement and progress aggregates
    with django_assert_num_queries(5):
        assert client.get(reverse("eplanning:musrenbang_public_detail", args=[accepted.pk])).status_code == 200


def test_the_staff_review_list(client, kab, django_assert_num_queries):
    # Given Bappeda and N-1 proposals in the region round
    for score in (10, 20, 30):
        ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.REGION, score=score)
    client.force_login(kab.verifier)
    url = reverse("eplanning:musrenbang_list") + "?round=region"
    client.get(url)  # sets up the session; measure a steady request
    # user, reach (memberships; the session is in the cache); the paginator's count; the
    # ranked page with region, year and target agency; the bell's unread count; the
    # header's primary membership
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.REGION, score=40)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert [p.rank for p in response.context["page"]] == [1, 2, 3, 4]
