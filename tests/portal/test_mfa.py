"""Two-factor log-in (TOTP) for the roles that require it: set-up is forced before
anything else, and once set up, log-in asks for the code."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.factories import UserFactory
from tests.support.accounts import current_user, log_in
from tests.support.totp import fresh_totp_code, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

MFA_ROLES = ["kominfo_admin", "pokja", "signatory", "budget_verifier"]


def _wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.mark.parametrize("role", MFA_ROLES)
def test_role_without_authenticator_is_sent_to_set_it_up(client, make_member, kab_kupang_kominfo, role):
    client.force_login(make_member(kab_kupang_kominfo, role=role))
    response = client.get(reverse("portal:agencies"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", MFA_ROLES)
def test_role_without_authenticator_gets_403_from_the_api(client, make_member, kab_kupang_kominfo, role):
    client.force_login(make_member(kab_kupang_kominfo, role=role))
    response = client.get(reverse("api-me"), headers={"Accept-Language": "en"})
    assert response.status_code == 403 and "two-factor" in response.json()["detail"].lower()


def test_other_roles_need_no_second_factor(client, make_member, kab_kupang_kominfo):
    client.force_login(make_member(kab_kupang_kominfo, role="planner"))
    assert client.get(reverse("portal:agencies")).status_code == 200
    assert client.get(reverse("api-me")).status_code == 200


def test_superuser_is_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_set_up_follows_log_in_without_asking_the_password_again(client, make_member, kab_kupang_kominfo):
    log_in(client, make_member(kab_kupang_kominfo, role="pokja").email)
    response = client.get(reverse("portal:home"), follow=True)
    assert response.redirect_chain == [(reverse("mfa_activate_totp"), 302)]
    assert response.status_code == 200 and "totp_svg_data_uri" in response.context


def test_log_out_stays_open_before_set_up(client, make_member, kab_kupang_kominfo):
    client.force_login(make_member(kab_kupang_kominfo, role="pokja"))
    client.post(reverse("account_logout"))
    assert not current_user(client).is_authenticated


def test_set_up_long_after_log_in_asks_the_password_again(client, make_member, kab_kupang_kominfo):
    # A session left open is not enough to tie a stranger's phone to the account.
    client.force_login(make_member(kab_kupang_kominfo, role="pokja"))
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))


def test_htmx_request_is_told_to_navigate_to_set_up(client, make_member, kab_kupang_kominfo):
    client.force_login(make_member(kab_kupang_kominfo, role="signatory"))
    response = client.get(reverse("portal:agencies"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_role_granted_during_a_session_takes_effect_at_once(client, make_member, kab_kupang_kominfo):
    user = make_member(kab_kupang_kominfo, role="planner")
    client.force_login(user)
    assert client.get(reverse("portal:agencies")).status_code == 200
    user.memberships.create(agency=kab_kupang_kominfo, role="pokja", scope="region")
    assert client.get(reverse("portal:agencies"))["Location"] == reverse("mfa_activate_totp")


def test_setting_up_the_authenticator_opens_the_portal(
    client, make_member, kab_kupang_kominfo, django_capture_on_commit_callbacks
):
    # given a pokja member just logged in, on the set-up page
    user = make_member(kab_kupang_kominfo, role="pokja")
    log_in(client, user.email)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    # when they enter the code their app shows for the secret on the page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": fresh_totp_code(secret)})
    # then the authenticator is recorded (and audited) and the portal opens
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, actor=user, reason="authenticator added").exists()
    assert client.get(reverse("portal:agencies")).status_code == 200


def test_log_in_with_the_right_code(client, make_member, kab_kupang_kominfo, activate_totp):
    # given a pokja member with an authenticator app
    user = make_member(kab_kupang_kominfo, role="pokja")
    secret = activate_totp(user)
    # when they log in with their password, they are asked for the code first
    response = log_in(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not current_user(client).is_authenticated
    # then the code their app shows logs them in
    response = client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(secret)})
    assert response["Location"] == reverse("portal:home")
    assert current_user(client) == user
    assert client.get(reverse("portal:agencies")).status_code == 200


def test_log_in_with_a_wrong_code_is_refused_and_audited(client, make_member, kab_kupang_kominfo, activate_totp):
    user = make_member(kab_kupang_kominfo, role="budget_verifier")
    secret = activate_totp(user)
    log_in(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": _wrong(fresh_totp_code(secret))})
    assert response.status_code == 200 and response.context["form"].errors
    assert not current_user(client).is_authenticated
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.object_id == str(user.pk) and failed.reason == "second factor refused"


def test_a_code_cannot_be_used_twice(client, make_member, kab_kupang_kominfo, activate_totp):
    # Someone who saw the code over a shoulder cannot reuse it within its 30 seconds.
    user = make_member(kab_kupang_kominfo, role="kominfo_admin")
    secret = activate_totp(user)
    code = fresh_totp_code(secret, margin=5)
    log_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    log_in(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200 and not current_user(client).is_authenticated


def test_role_holder_cannot_switch_the_authenticator_off(client, make_member, kab_kupang_kominfo, activate_totp):
    user = make_member(kab_kupang_kominfo, role="signatory")
    secret = activate_totp(user)
    log_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(secret)})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200 and response.context["form"].errors
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_others_may_switch_their_authenticator_off(client, make_member, kab_kupang_kominfo, activate_totp):
    user = make_member(kab_kupang_kominfo, role="planner")
    secret = activate_totp(user)
    log_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(secret)})
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_totp_helper_follows_rfc_6238():
    # RFC 6238 appendix B, SHA-1, T = 59 s and 1111111109 s, last six of the eight digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # Base32 of "12345678901234567890"
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"
