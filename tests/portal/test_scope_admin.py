"""Scope in the Django admin: a Kominfo admin manages their own region only."""

import pytest
from django.urls import reverse

from portal.models import Agency, AuditEntry, Membership
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.support.admin_forms import unchanged_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def kab_admin(client, make_admin, kab_kupang_kominfo):
    user = make_admin(kab_kupang_kominfo)
    client.force_login(user)
    return user


@pytest.fixture
def kota_staff(make_member, kota_kupang_kominfo):
    return make_member(kota_kupang_kominfo, "planner")


def _changelist(model, client):
    response = client.get(reverse(f"admin:portal_{model}_changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def _change_url(obj):
    return reverse(f"admin:portal_{obj._meta.model_name}_change", args=[obj.pk])


def test_changelists_exclude_another_region(client, kab_admin, kab_kupang_kominfo, kota_kupang_kominfo, kota_staff):
    # Given Kab. Kupang's Kominfo admin, and a planner of Kota Kupang
    # When they list agencies, memberships and users
    agencies = _changelist("agency", client)
    memberships = _changelist("membership", client)
    users = _changelist("user", client)

    # Then they see Kab. Kupang's only
    assert agencies == [kab_kupang_kominfo]
    assert {m.agency for m in memberships} == {kab_kupang_kominfo}
    assert users == [kab_admin]


def test_another_regions_change_pages_answer_as_missing(client, kab_admin, kota_kupang_kominfo, kota_staff):
    # Given Kab. Kupang's Kominfo admin
    membership = kota_staff.memberships.get()
    password_url = reverse("admin:auth_user_password_change", args=[kota_staff.pk])

    # When they open Kota Kupang's agency, membership and user, and the user's password page
    # Then each answers like a missing record: a redirect to the index, or 404
    for obj in (kota_kupang_kominfo, membership, kota_staff):
        response = client.get(_change_url(obj))
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(password_url).status_code == 404


def test_posting_another_regions_change_form_changes_nothing(client, kab_admin, kota_kupang_kominfo, kota_staff):
    # Given Kab. Kupang's Kominfo admin
    # When they post new details to a Kota Kupang agency, and a new name to its planner
    agency_post = client.post(_change_url(kota_kupang_kominfo), {"name": "Diambil alih", "phone": "1"})
    user_post = client.post(_change_url(kota_staff), {"email": "saya@example.go.id", "full_name": "Diambil"})

    # Then neither is saved, nor audited
    assert agency_post.status_code == 302 and user_post.status_code == 302
    kota_kupang_kominfo.refresh_from_db()
    kota_staff.refresh_from_db()
    assert kota_kupang_kominfo.name == "Dinas Komunikasi dan Informatika"
    assert kota_staff.email != "saya@example.go.id"
    assert not AuditEntry.objects.filter(object_type="portal.agency").exists()


def test_cannot_add_an_agency_in_another_region(client, kab_admin, kota_kupang):
    # Given Kab. Kupang's Kominfo admin
    # When they add an agency in Kota Kupang
    response = client.post(
        reverse("admin:portal_agency_add"), {"region": kota_kupang.pk, "code": "BARU", "name": "Dinas Baru"}
    )

    # Then the form refuses the region and nothing is created
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert not Agency.objects.filter(code="BARU").exists()


def test_cannot_grant_a_role_in_another_regions_agency(client, kab_admin, kota_kupang_kominfo):
    # Given Kab. Kupang's Kominfo admin and one of their staff
    # When they grant that person a role in a Kota Kupang agency
    response = client.post(
        reverse("admin:portal_membership_add"),
        {"user": kab_admin.pk, "agency": kota_kupang_kominfo.pk, "role": "planner", "scope": ""},
    )

    # Then the form refuses the agency and no role is granted
    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(agency=kota_kupang_kominfo).exists()


def test_autocomplete_offers_only_agencies_one_may_change(client, make_admin, province, kab_kupang_kominfo):
    # Given the province's Kominfo admin, who reads Kab. Kupang's agencies but does not run them
    own = AgencyFactory(region=province, code="DISKOMINFO", name="Dinas Kominfo Provinsi")
    client.force_login(make_admin(own, scope="province"))

    # When they look for an agency to grant a role in
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "portal", "model_name": "membership", "field_name": "agency", "term": "Dinas"},
    )

    # Then only the province's own agency is offered
    assert [row["id"] for row in response.json()["results"]] == [str(own.pk)]


@pytest.fixture
def province_admin(client, make_admin, province):
    own = AgencyFactory(region=province, code="DISKOMINFO", name="Dinas Kominfo Provinsi")
    user = make_admin(own, scope="province")
    client.force_login(user)
    return user


def test_province_coordinator_reads_regency_agency_but_cannot_change_it(client, province_admin, kab_kupang_kominfo):
    # Given the province's Kominfo admin
    # When they open a Kab. Kupang agency in the admin, then post a change to it
    page = client.get(_change_url(kab_kupang_kominfo))
    posted = client.post(_change_url(kab_kupang_kominfo), {"name": "Diubah provinsi", "phone": "1"})

    # Then the page is read-only, the post is refused, and the agency is as it was
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert posted.status_code == 403
    kab_kupang_kominfo.refresh_from_db()
    assert kab_kupang_kominfo.name == "Dinas Komunikasi dan Informatika"


def test_person_with_a_role_elsewhere_is_read_only(client, kab_admin, kab_kupang_kominfo, kota_kupang_kominfo):
    # Given someone who works in Kab. Kupang and also holds Kota Kupang's Kominfo admin role
    person = UserFactory()
    MembershipFactory(user=person, agency=kab_kupang_kominfo, role="planner")
    MembershipFactory(user=person, agency=kota_kupang_kominfo, role="kominfo_admin")

    # When Kab. Kupang's admin opens them, and posts a new e-mail address
    page = client.get(_change_url(person))
    data = unchanged_post_data(page) | {"email": "ambil-alih@example.go.id"}
    posted = client.post(_change_url(person), data)

    # Then they may look, not change: whoever sets the e-mail would hold Kota Kupang's role
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert posted.status_code == 403
    person.refresh_from_db()
    assert person.email != "ambil-alih@example.go.id"


def test_superuser_is_out_of_a_kominfo_admins_reach(client, kab_admin, kab_kupang_kominfo):
    # Given a superuser who also holds a role in Kab. Kupang
    root = UserFactory(is_superuser=True, is_staff=True)
    MembershipFactory(user=root, agency=kab_kupang_kominfo, role="planner")

    # When Kab. Kupang's admin tries to set the superuser's password
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Sandi-Baru-12345", "password2": "Sandi-Baru-12345"},
    )

    # Then it is refused
    assert response.status_code == 403
    root.refresh_from_db()
    assert not root.check_password("Sandi-Baru-12345")
