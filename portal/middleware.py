import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .request_context import client_ip, client_ip_var, request_id, request_id_var
from .roles import needs_second_factor

_LAST_SEEN_KEY = "portal_last_seen"
# Writing the session on every request would cost a write each time; a minute's
# precision is plenty for an idle timeout of many minutes.
_TOUCH_EVERY_SECONDS = 60
_MFA_OK_KEY = "portal_mfa_ok"


class RequestContextMiddleware:
    """Gives each request an id and a trustworthy client address, for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id(request.META)
        request.client_ip = client_ip(request.META)
        tokens = request_id_var.set(request.id), client_ip_var.set(request.client_ip)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(tokens[0])
            client_ip_var.reset(tokens[1])
        response["X-Request-ID"] = request.id
        return response


class IdleSessionTimeoutMiddleware:
    """Logs a person out after SESSION_IDLE_SECONDS without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif now - last_seen >= _TOUCH_EVERY_SECONDS or _LAST_SEEN_KEY not in request.session:
                request.session[_LAST_SEEN_KEY] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Holders of the roles in PORTAL_MFA_REQUIRED_ROLES must set up TOTP before
    anything else; until then every page sends them to the set-up page."""

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/healthz/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and not request.session.get(_MFA_OK_KEY)
        ):
            if not needs_second_factor(request.user):
                request.session[_MFA_OK_KEY] = True
                return self.get_response(request)
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": str(_mfa_message())}, status=403)
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _mfa_message():
    from django.utils.translation import gettext_lazy as _

    return _("Your role requires two-factor authentication. Set up an authenticator app first.")
