"""The budget document pages: reading, the HTMX line editor, workflow buttons, export,
scope, and constant query counts."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetDocument, BudgetLine
from tests.ebudgeting.factories import (
    BudgetDocumentFactory,
    BudgetLineFactory,
    PlanItemFactory,
    budget_world,
    member,
    sub_activity,
)
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(kab_kupang):
    world = budget_world(kab_kupang)
    world.document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    world.line = BudgetLineFactory(document=world.document, plan_item=world.plan_item)
    return world


def line_post(world, **overrides):
    data = {
        "plan_item": world.plan_item.pk,
        "account": world.account.code,
        "funding_source": world.funding.pk,
        "description": "Belanja cetak",
        "volume": "12",
        "unit": "eksemplar",
        "unit_price": "25000",
        **{f"month_{m}": "25000" for m in range(1, 13)},
    }
    data.update(overrides)
    return data


def test_document_page_shows_groups_subtotals_and_available(client, world):
    BudgetLine.objects.filter(pk=world.line.pk).update(committed=Decimal("2000000"), realized=Decimal("500000"))
    client.force_login(world.officer)
    response = client.get(reverse("ebudgeting:document-detail", args=[world.document.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    sub = world.plan_item.sub_activity
    for code in (sub.parent.parent.code, sub.parent.code, sub.code):
        assert code in html
    assert response.context["tree"].totals["available"] == Decimal("9500000.00")
    assert "9.500.000,00" in html  # pages speak Bahasa Indonesia first


def test_htmx_add_line_returns_the_lines_fragment(client, world):
    client.force_login(world.officer)
    url = reverse("ebudgeting:line-add", args=[world.document.pk])
    form = client.get(url, **HTMX)
    assert form.status_code == 200 and b'id="line-editor"' in form.content and b"<html" not in form.content
    response = client.post(url, line_post(world), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#lines"
    assert b'id="lines"' in response.content and b"Belanja cetak" in response.content
    line = BudgetLine.objects.get(description="Belanja cetak")
    assert line.amount == Decimal("300000.00")


def test_add_line_without_htmx_is_a_full_page_and_redirects(client, world):
    client.force_login(world.officer)
    url = reverse("ebudgeting:line-add", args=[world.document.pk])
    assert b"<html" in client.get(url).content
    response = client.post(url, line_post(world))
    assert response.status_code == 302


def test_cash_plan_not_adding_up_shows_the_error_and_saves_nothing(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.officer)
    url = reverse("ebudgeting:line-add", args=[world.document.pk])
    response = client.post(url, line_post(world, month_12="1"), **HTMX)
    assert response.status_code == 200
    assert b"The cash plan adds up to" in response.content  # the client asked for English
    assert not BudgetLine.objects.filter(description="Belanja cetak").exists()


def test_negative_price_is_refused_by_the_form(client, world):
    client.force_login(world.officer)
    url = reverse("ebudgeting:line-add", args=[world.document.pk])
    response = client.post(url, line_post(world, unit_price="-5"), **HTMX)
    assert b"errorlist" in response.content
    assert BudgetLine.objects.count() == 1


def test_edit_and_delete_in_place(client, world):
    client.force_login(world.officer)
    edit = reverse("ebudgeting:line-edit", args=[world.line.pk])
    assert b"month_1" in client.get(edit, **HTMX).content
    response = client.post(edit, line_post(world, description="Diubah"), **HTMX)
    assert response["HX-Retarget"] == "#lines"
    assert BudgetLine.objects.get(pk=world.line.pk).description == "Diubah"
    response = client.post(reverse("ebudgeting:line-delete", args=[world.line.pk]), **HTMX)
    assert response.status_code == 200 and not BudgetLine.objects.exists()


def test_workflow_buttons_go_through_the_services(client, world, activate_totp):
    client.force_login(world.officer)
    client.post(reverse("ebudgeting:document-action", args=[world.document.pk, "submit"]))
    assert BudgetDocument.objects.get(pk=world.document.pk).status == DocumentStatus.SUBMITTED
    activate_totp(world.verifier)
    client.force_login(world.verifier)
    response = client.post(reverse("ebudgeting:document-action", args=[world.document.pk, "return"]), {"reason": ""})
    assert response.status_code == 302
    assert BudgetDocument.objects.get(pk=world.document.pk).status == DocumentStatus.SUBMITTED
    client.post(reverse("ebudgeting:document-action", args=[world.document.pk, "verify"]))
    client.post(reverse("ebudgeting:document-action", args=[world.document.pk, "approve"]))
    assert BudgetDocument.objects.get(pk=world.document.pk).status == DocumentStatus.APPROVED


def test_lines_cannot_be_edited_after_approval(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    BudgetDocument.objects.filter(pk=world.document.pk).update(status=DocumentStatus.APPROVED)
    client.force_login(world.officer)
    page = client.get(reverse("ebudgeting:document-detail", args=[world.document.pk]))
    assert b'data-test="add-line"' not in page.content
    response = client.post(reverse("ebudgeting:line-edit", args=[world.line.pk]), line_post(world), **HTMX)
    assert b"draft or returned" in response.content
    assert BudgetLine.objects.get(pk=world.line.pk).description != "Belanja cetak"


def test_export_is_an_xlsx_of_the_lines(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("ebudgeting:document-export", args=[world.document.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="RKA-')
    sheet = load_workbook(BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert world.line.description in values
    assert world.plan_item.sub_activity.code in values


# --- Scope ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["document-detail", "document-export", "line-add", "line-edit", "line-delete", "document-action"]
)
def test_another_regions_officer_sees_nothing(client, world, kota_kupang, name):
    client.force_login(budget_world(kota_kupang).officer)
    args = {
        "line-edit": [world.line.pk],
        "line-delete": [world.line.pk],
        "document-action": [world.document.pk, "submit"],
    }.get(name, [world.document.pk])
    response = (
        client.post(reverse(f"ebudgeting:{name}", args=args))
        if name in ("line-delete", "document-action")
        else client.get(reverse(f"ebudgeting:{name}", args=args))
    )
    assert response.status_code == 404
    assert BudgetDocument.objects.get(pk=world.document.pk).status == DocumentStatus.DRAFT


def test_list_shows_only_own_documents(client, world, kota_kupang):
    other = budget_world(kota_kupang)
    BudgetDocumentFactory(agency=other.agency, fiscal_year=other.year)
    client.force_login(other.officer)
    response = client.get(reverse("ebudgeting:document-list"))
    assert [d.agency_id for d in response.context["page"]] == [other.agency.pk]


def test_province_coordinator_reads_but_cannot_change(client, world, province):
    leader = member(AgencyFactory(region=province, code="SETDA"), "leader")
    # a leader's region-wide grant reaches the province and reads below it
    from portal.models import Membership

    Membership.objects.filter(user=leader).update(scope="province")
    client.force_login(leader)
    assert client.get(reverse("ebudgeting:document-detail", args=[world.document.pk])).status_code == 200
    assert client.get(reverse("ebudgeting:line-add", args=[world.document.pk])).status_code == 403
    response = client.post(reverse("ebudgeting:document-action", args=[world.document.pk, "submit"]))
    assert response.status_code == 403
    assert BudgetDocument.objects.get(pk=world.document.pk).status == DocumentStatus.DRAFT


# --- Constant queries ------------------------------------------------------------------------


def _add_line_elsewhere(world, program):
    plan_item = PlanItemFactory(
        agency=world.agency, fiscal_year=world.year, sub_activity=sub_activity(program=program, number=program)
    )
    BudgetLineFactory(document=world.document, plan_item=plan_item)


def _assert_constant(client, url, grow, django_assert_num_queries):
    assert client.get(url).status_code == 200  # sets up the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
    return len(first.captured_queries)


def test_document_page_queries_do_not_grow_with_lines(client, world, django_assert_num_queries):
    # user, reach, the document, officer? verifier? (two exists), three grouped sums,
    # the lines (with plan item, sub-activity, activity, program, account, funding
    # source joined), the grand total, the versions, plus the header's own queries.
    client.force_login(world.officer)
    url = reverse("ebudgeting:document-detail", args=[world.document.pk])
    _add_line_elsewhere(world, 5)  # N-1 lines, two programs
    count = _assert_constant(client, url, lambda: _add_line_elsewhere(world, 6), django_assert_num_queries)
    assert count <= 20


def test_document_list_queries_do_not_grow_with_documents(client, world, django_assert_num_queries):
    # user, reach, can-create (agencies editable), the page count, the documents with
    # their totals (one grouped query), plus the header's own queries.
    client.force_login(world.officer)
    url = reverse("ebudgeting:document-list")

    def grow():
        BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year, version=9, is_current=False)

    _assert_constant(client, url, grow, django_assert_num_queries)
