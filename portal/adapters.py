"""How allauth fits the portal: who may sign up, whose address counts as verified,
and who may switch their second factor off."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _

from .roles import requires_second_factor


class AccountAdapter(DefaultAccountAdapter):
    """Self-registration is open (vendors register themselves) and must verify its
    e-mail address; staff accounts are made by Kominfo admins, whose roles are granted,
    never chosen at sign-up."""

    def is_open_for_signup(self, request):
        return True

    def pre_login(self, request, user, **kwargs):
        response = super().pre_login(request, user, **kwargs)
        if response is None:
            vouch_for_admin_created_address(user)
        return response

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Changing one's second factor asks for the password again, unless it was
        entered moments ago to log in: a person sent straight from log-in to set up
        their authenticator app is not asked twice."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa":
            return not _logged_in_moments_ago(self.request or context.request)
        return required


def _logged_in_moments_ago(request) -> bool:
    if request is None or not request.user.is_authenticated:
        return False
    logins = [r for r in get_authentication_records(request, request.user) if r.get("method") == "password"]
    return bool(logins) and time.time() - logins[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


def vouch_for_admin_created_address(user) -> None:
    """Record the address of an account made by an administrator as verified.

    Sign-up always records the address, unverified until the link in the e-mail is
    followed. An account without any recorded address was made by an administrator
    (the admin, ``createsuperuser``, an import), who vouches for the address; without
    this, mandatory verification would lock every such account out.
    """
    if EmailAddress.objects.filter(user=user).exists():
        return
    EmailAddress.objects.get_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email.lower(), "verified": True, "primary": True},
    )


def verify_address_proven_by_password_reset(user) -> None:
    """Record the address a password-reset link went to as verified: following the
    link proves the person reads that mailbox.

    Asking for the link records the account's address (unverified) when it had none,
    so an account made by an administrator whose first step is "forgot password" would
    otherwise be asked to verify the same address again. Only a single address is
    certain to be the one the link went to; with several, verification stays as it was.
    """
    addresses = list(EmailAddress.objects.filter(user=user)[:2])
    if len(addresses) == 1 and not addresses[0].verified:
        address = addresses[0]
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


class MFAAdapter(DefaultMFAAdapter):
    """Holders of a role that requires a second factor keep their authenticator app."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your role requires two-factor authentication, so the authenticator app cannot be switched off."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and requires_second_factor(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
