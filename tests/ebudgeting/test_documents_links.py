"""The budget document page leads on to what a person does next with it: the realization
against the cash plan, the RKA/DPA as PDF, and each line's ledger."""

import pytest
from django.urls import reverse
from django.utils import translation

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetDocument
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, budget_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages speak Bahasa Indonesia first
    with translation.override("en"):
        yield


@pytest.fixture
def world(kab_kupang):
    world = budget_world(kab_kupang)
    world.document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    world.line = BudgetLineFactory(document=world.document, plan_item=world.plan_item)
    return world


def _page(client, world):
    client.force_login(world.officer)
    return client.get(reverse("ebudgeting:document-detail", args=[world.document.pk])).content.decode()


def test_document_page_links_to_its_realization_and_pdf(client, world):
    # given a draft RKA, when its officer opens it
    html = _page(client, world)
    # then the header offers the realization page and the RKA's PDF, and both pages open
    realization = reverse("ebudgeting:realization_document", args=[world.document.pk])
    pdf = reverse("ebudgeting:pdf_document", args=[world.document.pk])
    assert f'href="{realization}"' in html
    assert f'href="{pdf}"' in html
    assert "RKA as PDF" in html
    assert client.get(realization).status_code == 200
    assert client.get(pdf).status_code == 200


def test_approved_document_offers_the_dpa_pdf(client, world):
    BudgetDocument.objects.filter(pk=world.document.pk).update(status=DocumentStatus.APPROVED)
    html = _page(client, world)
    assert "DPA as PDF" in html
    assert "RKA as PDF" not in html


def test_each_line_links_to_its_ledger(client, world):
    # given two lines, when the page is read, then each line links to its own ledger page
    other = BudgetLineFactory(document=world.document, plan_item=world.plan_item)
    html = _page(client, world)
    for line in (world.line, other):
        ledger = reverse("ebudgeting:ledger_line", args=[line.pk])
        assert f'href="{ledger}"' in html
        assert client.get(ledger).status_code == 200
