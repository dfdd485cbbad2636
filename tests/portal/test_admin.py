"""What a Kominfo admin does in the admin goes through the services, and is audited."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from portal.models import Agency, AuditEntry, Membership, User
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.support.admin_forms import unchanged_post_data

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "email": "Staf.Baru@KupangKab.go.id",
    "full_name": "Staf Baru",
    "usable_password": "true",
    "password1": "Sandi-Kuat-2026!",
    "password2": "Sandi-Kuat-2026!",
}


@pytest.fixture
def kab_admin(client, make_admin, kab_kupang_kominfo):
    user = make_admin(kab_kupang_kominfo)
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client):
    root = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(root, generate_totp_secret())
    client.force_login(root)
    return root


def _change_url(obj):
    return reverse(f"admin:portal_{obj._meta.model_name}_change", args=[obj.pk])


def test_new_account_comes_with_its_first_role(client, kab_admin, kab_kupang_kominfo):
    # Given Kab. Kupang's Kominfo admin
    # When they add a person with a planner role in their agency
    data = NEW_PERSON | {"agency": kab_kupang_kominfo.pk, "role": "planner"}
    response = client.post(reverse("admin:portal_user_add"), data)

    # Then the account exists under its lower-case address, the role was granted and
    # audited in the admin's name, and the admin goes on to the new person's page
    person = User.objects.get(email="staf.baru@kupangkab.go.id")
    assert response.status_code == 302 and response["Location"] == _change_url(person)
    assert person.memberships.get().role == "planner"
    assert AuditEntry.objects.filter(action="grant", actor=kab_admin, changes__user=person.email).exists()


def test_kominfo_admin_must_give_a_new_account_a_role(client, kab_admin):
    response = client.post(reverse("admin:portal_user_add"), NEW_PERSON)
    assert response.status_code == 200 and "agency" in response.context["adminform"].form.errors
    assert not User.objects.filter(full_name="Staf Baru").exists()


def test_an_address_taken_in_another_case_is_refused(client, kab_admin, kab_kupang_kominfo):
    UserFactory(email="staf.baru@kupangkab.go.id")
    data = NEW_PERSON | {"agency": kab_kupang_kominfo.pk, "role": "planner"}
    response = client.post(reverse("admin:portal_user_add"), data)
    assert response.status_code == 200 and "email" in response.context["adminform"].form.errors


def test_kominfo_admin_cannot_make_anyone_superuser(client, kab_admin, make_member, kab_kupang_kominfo):
    # Given a planner of the admin's region
    planner = make_member(kab_kupang_kominfo, "planner")
    page = client.get(_change_url(planner))

    # When the admin posts the change form with superuser, staff and active flags set
    data = unchanged_post_data(page) | {"is_superuser": "on", "is_staff": "on", "full_name": "Nama Baru"}
    response = client.post(_change_url(planner), data)

    # Then the name changed and the flags did not: the form has no such fields for them
    assert response.status_code == 302
    planner.refresh_from_db()
    assert planner.full_name == "Nama Baru"
    assert not planner.is_superuser and not planner.is_staff


def test_role_added_inline_is_granted_through_the_service(client, kab_admin, make_member, kab_kupang):
    # Given a planner of one agency and a second agency of the region
    pupr = AgencyFactory(region=kab_kupang, code="PUPR", name="Dinas PUPR")
    planner = make_member(AgencyFactory(region=kab_kupang), "planner")
    page = client.get(_change_url(planner))

    # When the admin adds a row granting a PPK role in Dinas PUPR, with the usual reach
    data = unchanged_post_data(page)
    data |= {"memberships-TOTAL_FORMS": "2", "memberships-1-agency": pupr.pk, "memberships-1-role": "ppk"}
    data |= {"memberships-1-scope": "", "memberships-1-user": planner.pk}
    response = client.post(_change_url(planner), data)

    # Then the role is granted with its default reach, and audited
    assert response.status_code == 302
    granted = Membership.objects.get(user=planner, agency=pupr)
    assert (granted.role, granted.scope) == ("ppk", "agency")
    assert AuditEntry.objects.filter(action="grant", actor=kab_admin, object_id=str(granted.pk)).exists()


def test_granted_role_is_not_edited_inline(client, kab_admin, make_member, kab_kupang_kominfo):
    # Given a planner
    planner = make_member(kab_kupang_kominfo, "planner")
    page = client.get(_change_url(planner))

    # When the admin posts the inline row with another role
    data = unchanged_post_data(page) | {"memberships-0-role": "kominfo_admin"}
    client.post(_change_url(planner), data)

    # Then the role stayed: a role is revoked and another granted, never edited
    assert planner.memberships.get().role == "planner"


def test_revoke_action_revokes_through_the_service(client, kab_admin, make_member, kab_kupang_kominfo):
    # Given a planner
    membership = make_member(kab_kupang_kominfo, "planner").memberships.get()

    # When the admin revokes it from the list
    response = client.post(
        reverse("admin:portal_membership_changelist"), {"action": "revoke", "_selected_action": [membership.pk]}
    )

    # Then it is gone and the audit log says who revoked it
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="revoke", actor=kab_admin, object_id=str(membership.pk)).exists()


def test_superuser_deleting_a_role_revokes_it(client, superuser, make_member, kab_kupang_kominfo):
    membership = make_member(kab_kupang_kominfo, "planner").memberships.get()
    client.post(reverse("admin:portal_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert AuditEntry.objects.filter(action="revoke", actor=superuser, object_id=str(membership.pk)).exists()


def test_deactivate_action_closes_only_accounts_in_reach(client, kab_admin, make_member, kab_kupang_kominfo):
    # Given a planner of the region, and one who also works in Kota Kupang
    planner = make_member(kab_kupang_kominfo, "planner")
    shared = make_member(kab_kupang_kominfo, "planner")
    MembershipFactory(user=shared, agency=AgencyFactory(region__code="53.71"), role="planner")

    # When the admin closes both from the list
    client.post(
        reverse("admin:portal_user_changelist"), {"action": "deactivate", "_selected_action": [planner.pk, shared.pk]}
    )

    # Then the first is closed, with an audit entry; the second is out of reach
    planner.refresh_from_db()
    shared.refresh_from_db()
    assert not planner.is_active and shared.is_active
    assert AuditEntry.objects.filter(action="deactivate", actor=kab_admin, object_id=str(planner.pk)).exists()


def test_adding_an_agency_is_audited(client, kab_admin, kab_kupang):
    # Given Kab. Kupang's Kominfo admin
    # When they add an agency in their region
    data = {"region": kab_kupang.pk, "code": "DINKES", "name": "Dinas Kesehatan", "is_active": "on"}
    response = client.post(reverse("admin:portal_agency_add"), data | {"phone": "0380-1"})

    # Then it exists, and the audit log records its creation by them
    assert response.status_code == 302
    agency = Agency.objects.get(region=kab_kupang, code="DINKES")
    assert agency.phone == "0380-1"
    assert AuditEntry.objects.filter(action="create", actor=kab_admin, object_id=str(agency.pk)).exists()


def test_contact_details_changed_in_the_admin_are_audited(client, kab_admin, kab_kupang_kominfo):
    page = client.get(_change_url(kab_kupang_kominfo))
    client.post(_change_url(kab_kupang_kominfo), unchanged_post_data(page) | {"phone": "0380-2"})
    entry = AuditEntry.objects.get(action="update", object_id=str(kab_kupang_kominfo.pk))
    assert entry.actor == kab_admin and entry.changes == {"phone": ["", "0380-2"]}


def test_superuser_moving_a_unit_still_audits_its_contact_change(client, superuser, kab_kupang):
    # Given a unit and the agency it moves under
    unit, new_parent = AgencyFactory(region=kab_kupang), AgencyFactory(region=kab_kupang)
    page = client.get(_change_url(unit))

    # When a superuser changes its parent and its phone in one save
    client.post(_change_url(unit), unchanged_post_data(page) | {"parent": new_parent.pk, "phone": "0380-3"})

    # Then both are saved, and the phone change is in the audit log
    unit.refresh_from_db()
    assert (unit.parent, unit.phone) == (new_parent, "0380-3")
    assert AuditEntry.objects.get(action="update", object_id=str(unit.pk)).changes == {"phone": ["", "0380-3"]}


def test_admin_of_one_agency_adds_units_of_it_only(client, make_admin, kab_kupang):
    # Given a Kominfo admin whose reach is their own agency only
    own = AgencyFactory(region=kab_kupang, code="DISKOMINFO")
    client.force_login(make_admin(own, scope="agency"))
    url = reverse("admin:portal_agency_add")

    # When they add a stand-alone agency, then a unit of their own
    alone = client.post(url, {"region": kab_kupang.pk, "code": "LEPAS", "name": "Dinas Lepas"})
    unit = client.post(url, {"region": kab_kupang.pk, "code": "UPTD", "name": "UPTD Data", "parent": own.pk})

    # Then the first is refused, the second made
    assert "parent" in alone.context["adminform"].form.errors
    assert unit.status_code == 302
    assert list(Agency.objects.filter(region=kab_kupang).values_list("code", flat=True)) == ["DISKOMINFO", "UPTD"]


def test_changing_an_address_in_the_admin_moves_the_log_in_to_it(client, kab_admin, kab_kupang_kominfo):
    from allauth.account.models import EmailAddress

    # Given a planner of Kab. Kupang who logs in with their old address
    person = UserFactory(email="lama@kupangkab.go.id")
    MembershipFactory(user=person, agency=kab_kupang_kominfo, role="planner")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    url = _change_url(person)
    data = unchanged_post_data(client.get(url)) | {"email": "baru@kupangkab.go.id", "full_name": "Nama Baru"}

    # When their Kominfo admin changes the address and the name
    response = client.post(url, data)

    # Then the new address is the only one that logs in, and the change is audited
    assert response.status_code == 302
    assert list(EmailAddress.objects.filter(user=person).values_list("email", flat=True)) == ["baru@kupangkab.go.id"]
    client.logout()
    login = reverse("account_login")
    assert client.post(login, {"login": "lama@kupangkab.go.id", "password": "rahasia-uji-123"}).status_code == 200
    assert client.post(login, {"login": "baru@kupangkab.go.id", "password": "rahasia-uji-123"}).status_code == 302
    entry = AuditEntry.objects.get(action="update", object_id=str(person.pk))
    assert entry.changes["email"] == ["lama@kupangkab.go.id", "baru@kupangkab.go.id"]
    assert entry.actor == kab_admin
