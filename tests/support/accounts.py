"""Logging in the way a person does: through allauth's pages."""

from django.contrib import auth
from django.urls import reverse

PASSWORD = "rahasia-uji-123"  # what tests.factories.UserFactory sets


def log_in(client, email, password=PASSWORD, **extra):
    """Post the log-in form; the response is allauth's answer (a redirect on success)."""
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def current_user(client):
    """Who the client's session belongs to now (AnonymousUser when nobody)."""
    return auth.get_user(client)
