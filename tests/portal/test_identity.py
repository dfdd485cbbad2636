"""Logging in by e-mail, logging out, resetting a password, registering, and the admin's
log-in, through allauth's pages as a person meets them."""

import re

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.adapters import verify_address_proven_by_password_reset
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.factories import UserFactory
from tests.support.accounts import current_user, log_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _link_in_last_mail(path_fragment):
    body = mail.outbox[-1].body
    return re.search(rf"https?://[^/\s]+(/\S*{path_fragment}\S*)", body).group(1)


def test_right_password_logs_in_and_is_audited(client):
    # given an account made by an administrator (no address recorded by allauth)
    user = UserFactory(email="yohanes@kupangkab.go.id")
    # when the person logs in with their e-mail address, in any letter case
    response = log_in(client, "Yohanes@KupangKab.go.id")
    # then they are logged in, the address counts as verified, and the log-in is audited
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert current_user(client) == user
    assert EmailAddress.objects.get(user=user).verified
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=user).count() == 1


def test_wrong_password_is_refused_and_audited(client):
    user = UserFactory()
    response = log_in(client, user.email, "not-the-password")
    assert response.status_code == 200 and response.context["form"].errors
    assert not current_user(client).is_authenticated
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.object_label == user.email and failed.actor_id is None
    assert "not-the-password" not in str(failed.changes) + failed.reason


def test_inactive_account_is_refused(client):
    user = UserFactory(is_active=False)
    response = log_in(client, user.email)
    assert response.status_code == 302 and response["Location"] == reverse("account_inactive")
    assert not current_user(client).is_authenticated


def test_log_out_ends_the_session_and_is_audited(client):
    user = UserFactory()
    log_in(client, user.email)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not current_user(client).is_authenticated
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=user).exists()


def test_password_reset_by_e_mail(client):
    # given a person who forgot their password
    user = UserFactory()
    # when they ask for a reset, follow the link in the e-mail and choose a new one
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert mail.outbox[-1].to == [user.email]
    form_url = client.get(_link_in_last_mail("/password/reset/key/"))["Location"]
    new_password = "Sasando-Rote-2026!"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_from_key_done")
    # then the old password no longer works and the new one does
    assert log_in(client, user.email).status_code == 200
    assert log_in(client, user.email, new_password)["Location"] == reverse("portal:home")
    assert current_user(client) == user


def test_self_registration_logs_in_only_after_the_address_is_verified(client):
    # given a vendor who registers themselves
    email, password = "cv.flobamora@example.com", "Tenun-Ikat-2026!"
    client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})
    client.post(reverse("account_logout"))
    # when they log in before following the link, they are sent to verify first
    response = log_in(client, email, password)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not current_user(client).is_authenticated
    # then once the link in the e-mail is followed, the log-in works
    client.post(_link_in_last_mail("/confirm-email/"))
    client.post(reverse("account_logout"))
    assert log_in(client, email, password)["Location"] == reverse("portal:home")
    assert current_user(client).email == email


def test_admin_sends_to_the_portal_log_in(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_admin_log_in_form_cannot_be_used_to_log_in(client):
    # The admin's own form would skip the second factor and the rate limits.
    user = UserFactory(is_staff=True)
    response = client.post("/admin/login/", {"username": user.email, "password": "rahasia-uji-123"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not current_user(client).is_authenticated


def test_staff_is_taken_back_to_the_admin_after_log_in(client):
    user = UserFactory(is_staff=True)
    response = log_in(client, user.email, next="/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def _too_many_attempts_message():
    # Pages are in Bahasa Indonesia unless the person chose otherwise.
    with translation.override("id"):
        return str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])


def test_repeated_failed_log_ins_lock_the_account_out(client):
    # given five wrong passwords for one account within five minutes
    user = UserFactory()
    for _attempt in range(5):
        log_in(client, user.email, "tebak-tebakan")
    # when the right password is tried next
    response = log_in(client, user.email)
    # then it is refused too, and the person is told why
    assert response.status_code == 200
    assert _too_many_attempts_message() in response.content.decode()
    assert not current_user(client).is_authenticated


def test_lock_out_holds_one_account_only(client):
    locked, other = UserFactory(), UserFactory()
    for _attempt in range(5):
        log_in(client, locked.email, "tebak-tebakan")
    assert log_in(client, other.email)["Location"] == reverse("portal:home")


def test_fewer_failed_log_ins_do_not_lock_out(client):
    user = UserFactory()
    for _attempt in range(4):
        log_in(client, user.email, "tebak-tebakan")
    assert log_in(client, user.email)["Location"] == reverse("portal:home")


def test_password_reset_leaves_verification_alone_when_the_link_could_have_gone_elsewhere():
    # given an account with a verified address and a second one never confirmed
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    second = EmailAddress.objects.create(user=user, email="lain@example.com", verified=False)
    # when its password is reset, the link went to one of the two, nobody knows which
    verify_address_proven_by_password_reset(user)
    # then the unconfirmed address stays unconfirmed
    second.refresh_from_db()
    assert not second.verified
