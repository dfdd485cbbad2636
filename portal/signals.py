"""Log-ins, log-outs, failed log-ins and changes to a person's second factor go to
the audit log."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .adapters import verify_address_proven_by_password_reset
from .audit import audit_record
from .choices import AuditAction

# Audit reasons are evidence, stored as written (like a status), not translated.
SECOND_FACTOR_REFUSED = "second factor refused"
AUTHENTICATOR_ADDED = "authenticator added"
AUTHENTICATOR_REMOVED = "authenticator removed"


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "portal_logout_reason", "")
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, reason=reason)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted address is kept, never the password.
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="portal.user", object_label=attempted)


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs):
    verify_address_proven_by_password_reset(user)


@receiver(mfa_signals.authentication_failed)
def _second_factor_failed(sender, request, user, **kwargs):
    # The password was right, so the account is known; nobody is logged in yet.
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, obj=user, reason=SECOND_FACTOR_REFUSED)


@receiver(mfa_signals.authenticator_added)
def _authenticator_added(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        reason=AUTHENTICATOR_ADDED,
        changes={"type": authenticator.type},
    )


@receiver(mfa_signals.authenticator_removed)
def _authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        reason=AUTHENTICATOR_REMOVED,
        changes={"type": authenticator.type},
    )
