"""Sessions end when a person is idle too long, and when their account is closed."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import translation

from portal import services
from portal.choices import AuditAction
from portal.middleware import IDLE_LOGOUT_REASON
from portal.models import AuditEntry
from tests.factories import UserFactory
from tests.support.accounts import current_user, log_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

LAST_SEEN = "portal_last_seen"


def _last_seen_ago(client, seconds):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def _login_url(next_path):
    return f"{reverse('account_login')}?next={next_path}"


def test_idle_session_is_logged_out(client):
    # given a person whose last request was longer ago than the idle limit
    user = UserFactory()
    log_in(client, user.email)
    client.get(reverse("portal:home"))
    _last_seen_ago(client, settings.SESSION_IDLE_SECONDS + 1)
    # when they come back
    response = client.get(reverse("portal:agencies"))
    # then they are logged out, sent to log in, and the log-out is audited with its cause
    assert response["Location"] == _login_url(reverse("portal:agencies"))
    assert not current_user(client).is_authenticated
    assert AuditEntry.objects.get(action=AuditAction.LOGOUT, actor=user).reason == IDLE_LOGOUT_REASON


def test_idle_log_out_tells_the_person_why(client):
    log_in(client, UserFactory().email)
    client.get(reverse("portal:home"))
    _last_seen_ago(client, settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(reverse("portal:agencies"), follow=True)
    with translation.override("id"):
        told = [str(m) for m in response.context["messages"]]
    assert any(str(settings.SESSION_IDLE_SECONDS // 60) in m for m in told)


def test_session_within_the_idle_limit_stays(client):
    user = UserFactory()
    log_in(client, user.email)
    client.get(reverse("portal:home"))
    _last_seen_ago(client, settings.SESSION_IDLE_SECONDS - 5)
    assert client.get(reverse("portal:agencies")).status_code == 200
    assert current_user(client) == user


def test_each_request_restarts_the_idle_clock(client):
    log_in(client, UserFactory().email)
    client.get(reverse("portal:home"))
    _last_seen_ago(client, settings.SESSION_IDLE_SECONDS - 5)
    client.get(reverse("portal:home"))
    assert client.session[LAST_SEEN] >= int(time.time()) - 1


def test_closing_an_account_ends_its_sessions(client, django_capture_on_commit_callbacks):
    # given a person logged in, and a Kominfo admin
    user, admin = UserFactory(), UserFactory()
    log_in(client, user.email)
    session_key = client.session.session_key
    # when the admin closes the account
    with django_capture_on_commit_callbacks(execute=True):
        services.user_deactivate(user_id=user.pk, actor=admin, reason="Pindah tugas ke provinsi lain")
    # then the session is gone, and the next request is sent to log in
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("portal:agencies"))["Location"] == _login_url(reverse("portal:agencies"))
    assert log_in(client, user.email)["Location"] == reverse("account_inactive")
