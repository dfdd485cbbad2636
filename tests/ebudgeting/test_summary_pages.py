"""Budget / committed / realized / available per agency and per regency, in SQL."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetLine
from ebudgeting.totals import refresh_document_totals
from portal.models import Membership
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, budget_world, member
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budgets(kab_kupang, kota_kupang):
    worlds = []
    for region, committed in ((kab_kupang, "1000000"), (kota_kupang, "3000000")):
        world = budget_world(region)
        world.document = BudgetDocumentFactory(
            agency=world.agency, fiscal_year=world.year, status=DocumentStatus.APPROVED
        )
        line = BudgetLineFactory(document=world.document, plan_item=world.plan_item)
        BudgetLine.objects.filter(pk=line.pk).update(committed=Decimal(committed), realized=Decimal("500000"))
        refresh_document_totals(world.document.pk)  # as the ledger services keep them
        # a draft elsewhere does not count: only DPAs in force
        draft = BudgetDocumentFactory(agency=AgencyFactory(region=region), fiscal_year=world.year)
        BudgetLineFactory(document=draft)
        worlds.append(world)
    return worlds


@pytest.fixture
def leader(province):
    user = member(AgencyFactory(region=province, code="SETDA"), "leader")
    Membership.objects.filter(user=user).update(scope="province")
    return user


def test_province_summary_per_regency(client, leader, province, budgets, django_assert_num_queries):
    kab, kota = budgets
    client.force_login(leader)
    response = client.get(reverse("ebudgeting:summary"), {"region": province.pk, "year": kab.year.pk})
    rows = {row.subject.pk: row for row in response.context["rows"]}
    assert (rows[kab.agency.region_id].budget, rows[kab.agency.region_id].available) == (
        Decimal("12000000.00"),
        Decimal("10500000.00"),
    )
    assert rows[kota.agency.region_id].committed == Decimal("3000000.00")
    assert response.context["totals"].budget == Decimal("24000000.00")


def test_province_summary_in_two_queries(leader, province, budgets, django_assert_num_queries):
    from ebudgeting.selectors.documents import province_summary
    from portal.scoping import reach_of

    reach_of(leader)  # computed once per request, before the page's own queries
    with django_assert_num_queries(2):  # the regions; the DPAs' running totals grouped by region
        rows = province_summary(leader, province, budgets[0].year)
    assert len(rows) == 3


def test_region_summary_per_agency_for_a_regency_officer(client, budgets):
    kab, _kota = budgets
    client.force_login(kab.officer)
    response = client.get(reverse("ebudgeting:summary"))
    assert [row.subject for row in response.context["rows"]] == [kab.agency]
    assert response.context["rows"][0].budget == Decimal("12000000.00")


def test_a_regency_cannot_open_another_regions_summary(client, budgets):
    kab, kota = budgets
    client.force_login(kab.officer)
    response = client.get(reverse("ebudgeting:summary"), {"region": kota.agency.region_id})
    assert response.status_code == 404
