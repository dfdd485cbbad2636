"""Musrenbang test data: proposals, and the people of a region who record and review them."""

from decimal import Decimal
from types import SimpleNamespace

import factory

from eplanning.choices import ProposalCategory, ProposalStage, ProposalStatus
from eplanning.models import CommunityProposal
from tests.eplanning.factories import FiscalYearFactory, PlanItemFactory
from tests.factories import AgencyFactory, MembershipFactory, RegionFactory, UserFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal in the village round, under review; ``stage``/``status`` may be set
    directly (tests of the rounds themselves go through the services)."""

    class Meta:
        model = CommunityProposal

    region = factory.SubFactory(RegionFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    category = ProposalCategory.INFRASTRUCTURE
    title = factory.Sequence(lambda n: f"Perbaikan jalan desa {n}")
    description = "Jalan desa rusak sepanjang 2 km, sulit dilalui saat musim hujan."
    district = "Kupang Tengah"
    village = "Oelnasi"
    estimated_cost = Decimal("250000000.00")
    proposer = "Kepala Desa Oelnasi"
    proposer_contact = "0812-3456-7890"
    stage = ProposalStage.VILLAGE
    status = ProposalStatus.IN_REVIEW


def _member(agency, role):
    user = UserFactory()
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def musrenbang_world(region):
    """A region's Bappeda with a plan verifier, an agency with a planner, the open
    fiscal year and a plan item of that agency and year."""
    bappeda = AgencyFactory(region=region, code=f"BAPPEDA-{region.code}", name=f"Bappeda {region.name}")
    agency = AgencyFactory(region=region, code=f"PUPR-{region.code}", name=f"Dinas PUPR {region.name}")
    year = FiscalYearFactory()
    return SimpleNamespace(
        region=region,
        bappeda=bappeda,
        agency=agency,
        year=year,
        verifier=_member(bappeda, "plan_verifier"),
        planner=_member(agency, "planner"),
        plan_item=PlanItemFactory(agency=agency, fiscal_year=year),
    )
