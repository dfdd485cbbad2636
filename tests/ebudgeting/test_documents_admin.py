"""Budget documents and lines in the admin (scoped, status read-only), and the home
page's work items."""

import pytest
from django.urls import reverse

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetDocument
from ebudgeting.selectors.documents import documents_work_for
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, budget_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions(kab_kupang, kota_kupang):
    mine, theirs = budget_world(kab_kupang), budget_world(kota_kupang)
    for world in (mine, theirs):
        world.document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
        world.line = BudgetLineFactory(document=world.document, plan_item=world.plan_item)
    return mine, theirs


def test_kominfo_admin_lists_only_their_regions_documents_and_lines(client, make_admin, two_regions):
    mine, theirs = two_regions
    client.force_login(make_admin(mine.agency))
    documents = client.get(reverse("admin:ebudgeting_budgetdocument_changelist"))
    assert list(documents.context["cl"].queryset) == [mine.document]
    lines = client.get(reverse("admin:ebudgeting_budgetline_changelist"))
    assert list(lines.context["cl"].queryset) == [mine.line]
    other = client.get(reverse("admin:ebudgeting_budgetdocument_change", args=[theirs.document.pk]))
    assert other.status_code == 302  # answered like a missing record
    assert client.get(reverse("admin:ebudgeting_budgetline_change", args=[theirs.line.pk])).status_code == 302


def test_status_cannot_be_written_in_the_admin(client, make_admin, two_regions):
    mine, _theirs = two_regions
    client.force_login(make_admin(mine.agency))
    url = reverse("admin:ebudgeting_budgetdocument_change", args=[mine.document.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"status": "approved", "number": "X"})
    assert BudgetDocument.objects.get(pk=mine.document.pk).status == DocumentStatus.DRAFT


def test_superuser_moves_a_document_through_the_service(client, two_regions, django_user_model):
    mine, _theirs = two_regions
    admin = django_user_model.objects.create_superuser(email="root@example.go.id", password="x-rahasia-123")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    changelist = reverse("admin:ebudgeting_budgetdocument_changelist")
    client.post(changelist, {"action": "submit", "_selected_action": [mine.document.pk]})
    assert BudgetDocument.objects.get(pk=mine.document.pk).status == DocumentStatus.SUBMITTED
    client.post(changelist, {"action": "approve", "_selected_action": [mine.document.pk]})  # refused: not verified
    assert BudgetDocument.objects.get(pk=mine.document.pk).status == DocumentStatus.SUBMITTED


def test_work_items_for_verifier_and_officer(two_regions):
    mine, theirs = two_regions
    BudgetDocument.objects.filter(pk=mine.document.pk).update(status=DocumentStatus.SUBMITTED)
    BudgetDocument.objects.filter(pk=theirs.document.pk).update(status=DocumentStatus.RETURNED)
    assert [item.count for item in documents_work_for(mine.verifier)] == [1]
    assert documents_work_for(theirs.verifier) == []
    assert [item.count for item in documents_work_for(theirs.officer)] == [1]
    assert documents_work_for(mine.officer) == []
