"""Checks the serving processes make before they take any work."""

from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    from django.conf import settings

    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses an empty key on access
        key = ""
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set whenever DEBUG is off.")
