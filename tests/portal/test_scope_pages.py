"""Scope on the staff site: a person reads and changes only what their roles reach."""

import pytest
from django.urls import reverse

from portal.models import AuditEntry
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Dinas Diubah",
    "short_name": "",
    "address": "Jl. Lain 1",
    "phone": "0380-1",
    "email": "",
    "head_name": "",
}


def _detail(agency):
    return reverse("portal:agency_detail", args=[agency.pk])


def _edit(agency):
    return reverse("portal:agency_edit", args=[agency.pk])


def _unchanged(agency):
    before = agency.name, agency.address
    agency.refresh_from_db()
    changed_entries = AuditEntry.objects.filter(object_type="portal.agency", object_id=str(agency.pk))
    return (agency.name, agency.address) == before and not changed_entries.exists()


@pytest.mark.parametrize("role", ["planner", "kominfo_admin"])
def test_kab_kupang_staff_cannot_read_a_kota_kupang_agency(
    client, make_member, make_admin, role, kab_kupang_kominfo, kota_kupang_kominfo
):
    # Given a staff member of Kab. Kupang (the agency's planner, or its Kominfo admin)
    user = make_admin(kab_kupang_kominfo) if role == "kominfo_admin" else make_member(kab_kupang_kominfo, role)
    client.force_login(user)

    # When they open a Kota Kupang agency's page and its edit page
    # Then both answer as if it did not exist
    assert client.get(_detail(kota_kupang_kominfo)).status_code == 404
    assert client.get(_edit(kota_kupang_kominfo)).status_code == 404


def test_kab_kupang_admin_posting_a_kota_kupang_edit_changes_nothing(
    client, make_admin, kab_kupang_kominfo, kota_kupang_kominfo
):
    # Given Kab. Kupang's Kominfo admin, who may edit agencies of their own region
    client.force_login(make_admin(kab_kupang_kominfo))

    # When they post the edit form of a Kota Kupang agency
    response = client.post(_edit(kota_kupang_kominfo), CONTACT)

    # Then it is not found, and the agency is as it was, with no audit entry
    assert response.status_code == 404
    assert _unchanged(kota_kupang_kominfo)


def test_agency_list_shows_only_own_region(client, make_member, kab_kupang_kominfo, kota_kupang_kominfo):
    # Given a planner of Kab. Kupang's Kominfo office
    client.force_login(make_member(kab_kupang_kominfo, "planner"))

    # When they list agencies
    agencies = list(client.get(reverse("portal:agencies")).context["page"])

    # Then Kota Kupang's is not among them
    assert agencies == [kab_kupang_kominfo]


@pytest.fixture
def province_admin(make_admin, province):
    diskominfo = AgencyFactory(region=province, code="DISKOMINFO", name="Dinas Kominfo Provinsi NTT")
    return make_admin(diskominfo, scope="province")


def test_province_coordinator_reads_regency_agency_but_cannot_change_it(client, province_admin, kab_kupang_kominfo):
    # Given the province's Kominfo admin, whose reach covers the regencies read-only
    client.force_login(province_admin)

    # When they open a Kab. Kupang agency, its edit page, and post the edit form
    detail = client.get(_detail(kab_kupang_kominfo))
    edit_page = client.get(_edit(kab_kupang_kominfo))
    posted = client.post(_edit(kab_kupang_kominfo), CONTACT)

    # Then they read it, without an edit button, and may not change it
    assert detail.status_code == 200 and not detail.context["can_edit"]
    assert edit_page.status_code == 403 and posted.status_code == 403
    assert _unchanged(kab_kupang_kominfo)


def test_own_region_admin_edits_and_the_change_is_audited(client, make_admin, kab_kupang_kominfo):
    # Given Kab. Kupang's Kominfo admin
    client.force_login(make_admin(kab_kupang_kominfo))

    # When they save new contact details of their agency
    response = client.post(_edit(kab_kupang_kominfo), CONTACT)

    # Then the agency has them, and the audit log says who changed what
    assert response.status_code == 302
    kab_kupang_kominfo.refresh_from_db()
    assert kab_kupang_kominfo.address == "Jl. Lain 1"
    entry = AuditEntry.objects.get(object_type="portal.agency", object_id=str(kab_kupang_kominfo.pk))
    assert entry.changes["address"] == ["", "Jl. Lain 1"]


@pytest.fixture
def bappeda_and_pupr(kab_kupang):
    return (
        AgencyFactory(region=kab_kupang, code="BAPPEDA", name="Bappeda Kabupaten Kupang"),
        AgencyFactory(region=kab_kupang, code="PUPR", name="Dinas PUPR Kabupaten Kupang"),
    )


def test_planner_does_not_see_another_agency_of_the_same_region(client, make_member, bappeda_and_pupr):
    # Given a planner of Dinas PUPR
    bappeda, pupr = bappeda_and_pupr
    client.force_login(make_member(pupr, "planner"))

    # When they open their own agency's page and Bappeda's
    # Then they see their own only
    assert client.get(_detail(pupr)).status_code == 200
    assert client.get(_detail(bappeda)).status_code == 404


def test_region_wide_role_sees_every_agency_of_the_region(client, make_member, bappeda_and_pupr):
    # Given a plan verifier of Bappeda, a role that serves the whole region
    bappeda, pupr = bappeda_and_pupr
    client.force_login(make_member(bappeda, "plan_verifier"))

    # When they open Dinas PUPR's page
    # Then they see it
    assert client.get(_detail(pupr)).status_code == 200


@pytest.mark.parametrize("url_name", ["portal:agencies", "portal:agency_detail", "portal:agency_edit"])
def test_anonymous_visitor_is_sent_to_log_in(client, url_name, kab_kupang_kominfo):
    # Given nobody logged in
    # When they open an internal page
    args = [] if url_name == "portal:agencies" else [kab_kupang_kominfo.pk]
    response = client.get(reverse(url_name, args=args))

    # Then they are sent to the log-in page
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
