"""A DPA has thousands of lines: the document page lists them a page at a time, while
its subtotals and totals stay the whole document's."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ebudgeting.models import BudgetLine
from ebudgeting.views.documents import LINES_PER_PAGE
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, budget_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def document_with_a_page_and_one_line(client, kab_kupang):
    world = budget_world(kab_kupang, ceiling=Decimal("1e12"), plan_ceiling=Decimal("1e11"))
    document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    for _ in range(LINES_PER_PAGE + 1):
        BudgetLineFactory(document=document, plan_item=world.plan_item)
    client.force_login(world.officer)
    return document


def test_second_page_lists_the_rest_and_the_whole_total(client, document_with_a_page_and_one_line):
    document = document_with_a_page_and_one_line
    url = reverse("ebudgeting:document-detail", args=[document.pk])
    total = sum(BudgetLine.objects.filter(document=document).values_list("amount", flat=True))

    first, second = client.get(url), client.get(url, {"page": 2})

    assert len(first.context["tree"].page.object_list) == LINES_PER_PAGE
    assert len(second.context["tree"].page.object_list) == 1
    last = LINES_PER_PAGE + 1
    assert f"Rincian {last}–{last} dari {last}" in second.content.decode()  # pages speak Bahasa Indonesia
    assert first.context["tree"].totals["amount"] == second.context["tree"].totals["amount"] == total
