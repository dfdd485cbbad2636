"""Admin permissions come from roles (portal.backends)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from portal import backends
from portal.models import AuditEntry, FiscalYear
from portal.services import membership_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KOMINFO_CAN = {
    "portal.view_region",
    "portal.view_agency",
    "portal.add_agency",
    "portal.change_agency",
    "portal.view_user",
    "portal.add_user",
    "portal.change_user",
    "portal.view_membership",
    "portal.add_membership",
    "portal.change_membership",
    "portal.view_fiscalyear",
    "portal.view_auditentry",
    "portal.view_notification",
}


def test_kominfo_admin_holds_exactly_the_portal_permissions(make_admin, kab_kupang_kominfo):
    # Given a Kominfo admin
    user = make_admin(kab_kupang_kominfo)

    # When Django asks for their permissions
    # Then the kernel's are the role's (the apps add their own), and nothing to delete
    # or to change reference data
    assert {p for p in user.get_all_permissions() if p.startswith("portal.")} == KOMINFO_CAN
    assert user.has_module_perms("portal")
    assert not user.has_perm("portal.change_region") and not user.has_perm("portal.delete_agency")


def test_other_roles_and_closed_accounts_hold_none(make_member, make_admin, kab_kupang_kominfo):
    # Given a planner, and a Kominfo admin whose account is closed
    planner = make_member(kab_kupang_kominfo, "planner")
    closed = make_admin(kab_kupang_kominfo)
    closed.is_active = False

    # Then neither holds an admin permission
    assert planner.get_all_permissions() == set() and not planner.has_module_perms("portal")
    assert not closed.has_perm("portal.view_agency")


def test_apps_add_permissions_for_a_role(monkeypatch, make_member, kab_kupang_kominfo):
    # Given an app that lets plan verifiers read the fiscal years in the admin
    monkeypatch.setattr(backends, "_role_permissions", {})
    backends.register_role_permissions("plan_verifier", ["portal.view_fiscalyear"])

    # When a plan verifier is asked about it
    verifier = make_member(kab_kupang_kominfo, "plan_verifier")

    # Then they hold it
    assert verifier.has_perm("portal.view_fiscalyear")


def test_granting_kominfo_admin_opens_the_admin_and_says_so(make_member, kab_kupang_kominfo):
    # Given a planner without admin access
    user = make_member(kab_kupang_kominfo, "planner")
    actor = UserFactory()

    # When they are granted the Kominfo admin role
    membership_grant(user=user, agency=kab_kupang_kominfo, role="kominfo_admin", actor=actor)

    # Then they may use the admin, and the grant's audit entry records it
    user.refresh_from_db()
    assert user.is_staff
    entry = AuditEntry.objects.get(action="grant", actor=actor)
    assert entry.changes["is_staff"] == [False, True]


@pytest.fixture
def kab_admin(client, make_admin, kab_kupang_kominfo):
    user = make_admin(kab_kupang_kominfo)
    client.force_login(user)
    return user


def test_reference_data_is_read_only_for_kominfo(client, kab_admin, kab_kupang):
    # Given a Kominfo admin
    url = reverse("admin:portal_region_change", args=[kab_kupang.pk])

    # When they open a region and post a new name
    page = client.get(url)
    posted = client.post(url, {"code": "53.01", "name": "Diubah", "kind": "regency"})

    # Then they read it and may not change it
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert posted.status_code == 403
    kab_kupang.refresh_from_db()
    assert kab_kupang.name == "Kabupaten Kupang"


def test_fiscal_years_are_read_only_for_kominfo(client, kab_admin):
    response = client.post(reverse("admin:portal_fiscalyear_add"), {"year": 2031, "is_open": "on"})
    assert response.status_code == 403
    assert not FiscalYear.objects.exists()


def test_audit_log_is_read_only_even_for_a_superuser(client, kab_kupang_kominfo):
    # Given a superuser and one audit entry
    root = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(root, generate_totp_secret())
    entry = membership_grant(user=UserFactory(), agency=kab_kupang_kominfo, role="planner", actor=root)
    audit = AuditEntry.objects.get(object_id=str(entry.pk))
    client.force_login(root)
    url = reverse("admin:portal_auditentry_change", args=[audit.pk])

    # When they try to add, change or delete an entry
    added = client.get(reverse("admin:portal_auditentry_add"))
    changed = client.post(url, {"reason": "dihapus jejaknya"})
    deleted = client.post(reverse("admin:portal_auditentry_delete", args=[audit.pk]), {"post": "yes"})

    # Then all three are refused and the entry is as it was
    assert (added.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    audit.refresh_from_db()
    assert audit.reason == ""


def test_kominfo_admin_sees_own_regions_audit_entries(client, kab_admin, kab_kupang_kominfo, kota_kupang_kominfo):
    # Given a role granted in each region
    membership_grant(user=UserFactory(), agency=kab_kupang_kominfo, role="planner", actor=None)
    membership_grant(user=UserFactory(), agency=kota_kupang_kominfo, role="planner", actor=None)

    # When Kab. Kupang's admin lists the audit log
    entries = list(client.get(reverse("admin:portal_auditentry_changelist")).context["cl"].result_list)

    # Then only Kab. Kupang's entries are there
    assert entries and {e.region_id for e in entries} == {kab_kupang_kominfo.region_id}


def test_kominfo_admin_without_authenticator_is_sent_to_set_it_up(client, make_member, kab_kupang_kominfo):
    # Given a Kominfo admin who has no authenticator app yet
    user = make_member(kab_kupang_kominfo, "kominfo_admin", is_staff=True)
    client.force_login(user)

    # When they open the admin
    response = client.get(reverse("admin:portal_agency_changelist"))

    # Then they are sent to set up TOTP first
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_revoking_the_last_kominfo_admin_role_closes_the_admin(kab_kupang_kominfo, kota_kupang_kominfo):
    from portal.services import membership_grant, membership_revoke
    from tests.factories import UserFactory

    person = UserFactory()
    first = membership_grant(user=person, agency=kab_kupang_kominfo, role="kominfo_admin", actor=None)
    second = membership_grant(user=person, agency=kota_kupang_kominfo, role="kominfo_admin", actor=None)

    membership_revoke(membership_id=first.pk, actor=None)
    person.refresh_from_db()
    assert person.is_staff

    membership_revoke(membership_id=second.pk, actor=None)
    person.refresh_from_db()
    assert not person.is_staff
