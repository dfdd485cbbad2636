"""Log-ins, log-outs and failed log-ins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .choices import AuditAction


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted address is kept, never the password.
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="portal.user", object_label=attempted)
