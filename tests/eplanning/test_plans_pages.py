"""The plan pages through the browser's eyes: workflow, locking, scope, HTMX rows,
export, and constant query counts on the list and tree pages."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from tests.eplanning.factories import PlanItemFactory, SubActivityFactory
from tests.eplanning.plans_support import given_item, given_region_staff, indicator_row
from tests.factories import AgencyFactory


@pytest.fixture
def staff(kab_kupang, make_member):
    return given_region_staff(kab_kupang, make_member)


@pytest.fixture
def kota(kota_kupang, make_member):
    return given_region_staff(kota_kupang, make_member)


def _form_data(staff, **overrides):
    row = indicator_row()
    data = {
        "agency": staff.agency.pk,
        "fiscal_year": staff.year.pk,
        "sub_activity_code": "2.16.02.2.01.0026",
        "title": "Diseminasi informasi",
        "indicative_ceiling": "100000000",
        "priority": "medium",
        **{f"ind_{k}": v for k, v in row.items()},
    }
    return {**data, **overrides}


def test_planner_creates_an_item_through_the_form(client, staff):
    SubActivityFactory()
    client.force_login(staff.planner)

    response = client.post(reverse("eplanning:plan_create"), _form_data(staff))

    item = PlanItem.objects.get()
    assert response.status_code == 302 and response.url == reverse("eplanning:plan_detail", args=[item.pk])
    assert item.indicators.get().target_year == Decimal("40")


def test_bad_input_on_the_form_shows_the_error_and_saves_nothing(client, staff):
    SubActivityFactory()
    client.force_login(staff.planner)

    response = client.post(
        reverse("eplanning:plan_create"), _form_data(staff, sub_activity_code="9.99", ind_target_q2="1")
    )

    assert response.status_code == 200
    assert "not a sub-activity code" in response.text or "bukan kode sub kegiatan" in response.text
    assert not PlanItem.objects.exists()


def test_htmx_adds_an_indicator_row_as_a_fragment(client, staff):
    client.force_login(staff.planner)
    data = {**_form_data(staff), "indicator_action": "add"}

    fragment = client.post(reverse("eplanning:plan_create"), data, HTTP_HX_REQUEST="true")
    full_page = client.post(reverse("eplanning:plan_create"), data)

    assert fragment.text.count('data-test="indicator-row"') == 2 and "<html" not in fragment.text
    assert full_page.text.count('data-test="indicator-row"') == 2 and "<html" in full_page.text
    assert not PlanItem.objects.exists()


def test_htmx_removes_an_indicator_row(client, staff):
    client.force_login(staff.planner)
    data = {**_form_data(staff), "indicator_action": "remove-0"}

    fragment = client.post(reverse("eplanning:plan_create"), data, HTTP_HX_REQUEST="true")

    assert fragment.text.count('data-test="indicator-row"') == 1  # an empty row stays to type in
    assert 'value="Jumlah konten' not in fragment.text


def test_workflow_through_the_pages(client, staff):
    item = given_item(staff)
    client.force_login(staff.planner)
    client.post(reverse("eplanning:plan_transition", args=[item.pk, "submit"]))
    client.force_login(staff.verifier)
    page = client.get(reverse("eplanning:plan_detail", args=[item.pk]))
    assert 'data-test="verify"' in page.text and 'data-test="submit"' not in page.text

    client.post(reverse("eplanning:plan_transition", args=[item.pk, "verify"]))
    client.post(reverse("eplanning:plan_transition", args=[item.pk, "approve"]))

    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.APPROVED


def test_return_without_comment_on_the_page_shows_an_error(client, staff):
    item = given_item(staff, status=PlanStatus.SUBMITTED)
    client.force_login(staff.verifier)

    response = client.post(reverse("eplanning:plan_transition", args=[item.pk, "return"]), {"comment": ""}, follow=True)

    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.SUBMITTED
    assert 'class="msg error"' in response.text


def test_approved_item_cannot_be_edited_through_the_page(client, staff):
    item = given_item(staff, status=PlanStatus.APPROVED)
    client.force_login(staff.planner)

    response = client.post(reverse("eplanning:plan_edit", args=[item.pk]), _form_data(staff, indicative_ceiling="1"))

    assert response.status_code == 302
    assert PlanItem.objects.get(pk=item.pk).indicative_ceiling == item.indicative_ceiling


def test_revision_page_shows_the_approved_version(client, staff):
    item = given_item(staff, status=PlanStatus.APPROVED)
    client.force_login(staff.planner)

    client.post(reverse("eplanning:plan_transition", args=[item.pk, "revise"]), {"comment": "Pergeseran"})
    page = client.get(reverse("eplanning:plan_detail", args=[item.pk]))

    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.DRAFT
    assert page.text.count('data-test="version"') == 1


# --- Scope ---------------------------------------------------------------------------


def test_kab_kupang_cannot_read_nor_change_kota_kupang_items(client, staff, kota):
    foreign = given_item(kota)
    mine = given_item(staff)
    client.force_login(staff.verifier)

    listing = client.get(reverse("eplanning:plan_list"))
    assert client.get(reverse("eplanning:plan_detail", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("eplanning:plan_transition", args=[foreign.pk, "submit"])).status_code == 404
    client.force_login(staff.planner)
    assert client.get(reverse("eplanning:plan_edit", args=[foreign.pk])).status_code == 404

    assert mine.title in listing.text and foreign.title not in listing.text


def test_province_coordinator_reads_regency_items_but_cannot_change_them(client, staff, province, make_member):
    item = given_item(staff, status=PlanStatus.SUBMITTED)
    coordinator = make_member(AgencyFactory(region=province), "plan_verifier", scope="province")
    client.force_login(coordinator)

    page = client.get(reverse("eplanning:plan_detail", args=[item.pk]))
    client.post(reverse("eplanning:plan_transition", args=[item.pk, "verify"]))

    assert page.status_code == 200 and 'data-test="verify"' not in page.text
    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.SUBMITTED


def test_export_contains_only_visible_filtered_items(client, staff, kota):
    given_item(staff, title="Milik Kabupaten")
    given_item(staff, title="Sudah disetujui", status=PlanStatus.APPROVED)
    given_item(kota, title="Milik Kota")
    client.force_login(staff.verifier)

    response = client.get(reverse("eplanning:plan_export"), {"status": "draft"})

    assert response["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[5] for r in rows[1:]] == ["Milik Kabupaten"]


def test_ceiling_page_shows_used_and_remaining(client, staff):
    given_item(staff, status=PlanStatus.SUBMITTED, indicative_ceiling=Decimal("120000000"))
    client.force_login(staff.planner)

    page = client.get(reverse("eplanning:ceiling_list"))

    # Bahasa Indonesia writes decimals with a comma
    assert '<td class="num">120.000.000,00</td><td class="num">380.000.000,00</td>' in page.text


def test_bappeda_sets_a_ceiling_on_the_page(client, staff):
    client.force_login(staff.verifier)

    client.post(
        reverse("eplanning:ceiling_list"), {"agency": staff.agency.pk, "fiscal_year": staff.year.pk, "amount": "7"}
    )

    staff.ceiling.refresh_from_db()
    assert staff.ceiling.amount == Decimal("7.00")


# --- Constant query counts -------------------------------------------------------------


def _items(staff, n):
    for i in range(n):
        other = SubActivityFactory(code=f"2.16.03.2.{i + 1:02d}.0001") if i % 2 else None
        PlanItemFactory(agency=staff.agency, fiscal_year=staff.year, **({"sub_activity": other} if other else {}))


@pytest.mark.parametrize("n", [3, 4])
def test_list_page_runs_a_constant_number_of_queries(client, staff, django_assert_num_queries, n):
    _items(staff, n)
    client.force_login(staff.planner)
    client.get(reverse("eplanning:plan_list"))  # warm the session
    # user, memberships (reach), the agencies' units, the page's count, can_create (one
    # EXISTS), unread count, the header's memberships, open years and the scoped agencies
    # for the filters, and the page's rows with region/agency/year/sub-activity joined:
    # 10, whatever the rows
    with django_assert_num_queries(_LIST_QUERIES):
        response = client.get(reverse("eplanning:plan_list"))
    assert response.text.count("/perencanaan/rencana/") >= n


@pytest.mark.parametrize("n", [3, 4])
def test_tree_page_runs_a_constant_number_of_queries(client, staff, django_assert_num_queries, n):
    _items(staff, n)
    client.force_login(staff.planner)
    client.get(reverse("eplanning:plan_tree"))
    # user, memberships (reach), the agencies' units, regions, open years, ONE grouped
    # query for the whole tree, unread count, the header's memberships: 8, whatever the nodes
    with django_assert_num_queries(_TREE_QUERIES):
        response = client.get(reverse("eplanning:plan_tree"))
    assert response.text.count('data-test="tree-leaf"') == 1 + n // 2
    assert f'data-test="tree-items">{n}<' in response.text


_LIST_QUERIES = 10
_TREE_QUERIES = 8


def test_an_item_on_a_replaced_code_keeps_it_and_points_to_its_successor(client, kab_kupang):
    from eplanning.models import Nomenclature
    from tests.eplanning.factories import PlanItemFactory
    from tests.factories import MembershipFactory, UserFactory

    # Given a plan item whose sub-activity a newer list no longer carries
    item = PlanItemFactory(region=kab_kupang)
    Nomenclature.objects.filter(pk=item.sub_activity_id).update(is_active=False)
    planner = UserFactory()
    MembershipFactory(user=planner, agency=item.agency, role="planner")
    client.force_login(planner)

    # When the planner opens it
    html = client.get(f"/perencanaan/rencana/{item.pk}/").content.decode()

    # Then the code is still there, marked, and links to the page listing its successors
    assert item.sub_activity.code in html and 'data-test="code-replaced"' in html
    assert f'href="/perencanaan/nomenklatur/{item.sub_activity.code}/"' in html
