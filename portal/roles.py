"""Questions about a person's roles, answered from their cached reach."""

from django.conf import settings

from .scoping import reach_of

_HAS_TOTP_ATTR = "_portal_has_totp"


def has_role(user, *roles: str) -> bool:
    return bool(reach_of(user).roles & set(roles))


def requires_second_factor(user) -> bool:
    """True when the person must log in with a TOTP code: they hold a role in
    PORTAL_MFA_REQUIRED_ROLES, or they are a superuser (who can do everything)."""
    return bool(getattr(user, "is_superuser", False) or has_role(user, *settings.PORTAL_MFA_REQUIRED_ROLES))


def has_totp(user) -> bool:
    """True when the person has an authenticator app set up; asked once per request."""
    cached = getattr(user, _HAS_TOTP_ATTR, None)
    if cached is None:
        # Imported here: this module is imported while apps load, before models are.
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
        setattr(user, _HAS_TOTP_ATTR, cached)
    return cached


def needs_second_factor(user) -> bool:
    """True when the person's roles require TOTP and they have not set it up yet.

    Token-authenticated API clients are system accounts: Django's session middleware
    does not see their token, so this is never asked for them.
    """
    return requires_second_factor(user) and not has_totp(user)
