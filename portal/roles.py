"""Questions about a person's roles, answered from their cached reach."""

from django.conf import settings

from .scoping import reach_of


def has_role(user, *roles: str) -> bool:
    return bool(reach_of(user).roles & set(roles))


def needs_second_factor(user) -> bool:
    """True when the person's roles require TOTP and they have not set it up yet.

    Token-authenticated API clients are system accounts and are checked when their
    token is issued, not here.
    """
    if not (has_role(user, *settings.PORTAL_MFA_REQUIRED_ROLES) or user.is_superuser):
        return False
    cached = getattr(user, "_portal_has_totp", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._portal_has_totp = cached
    return not cached
