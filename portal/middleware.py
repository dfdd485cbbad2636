import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .request_context import client_ip, client_ip_var, request_id, request_id_var
from .roles import needs_second_factor

_LAST_SEEN_KEY = "portal_last_seen"
# Writing the session on every request would cost a write each time; a minute's
# precision is plenty for an idle timeout of many minutes.
_TOUCH_EVERY_SECONDS = 60
# Read by portal.signals, so the audit entry says why the session ended.
IDLE_LOGOUT_REASON = "idle timeout"


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
    """Logs a person out after SESSION_IDLE_SECONDS without a request.

    Runs after the message middleware, so the person is told why on the log-in page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                self._log_out(request)
            elif now - last_seen >= _TOUCH_EVERY_SECONDS or _LAST_SEEN_KEY not in request.session:
                request.session[_LAST_SEEN_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _log_out(request):
        request.portal_logout_reason = IDLE_LOGOUT_REASON
        logout(request)
        minutes = max(settings.SESSION_IDLE_SECONDS // 60, 1)
        messages.info(
            request,
            _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
            % {"minutes": minutes},
            fail_silently=True,
        )


class RequireTwoFactorMiddleware:
    """Holders of the roles in PORTAL_MFA_REQUIRED_ROLES (and superusers) must set up
    TOTP before anything else; until then every page sends them to the set-up page
    and the API answers 403.

    Asked on every request rather than remembered in the session: a role granted, or
    an authenticator removed, during a session takes effect at once.
    """

    # The account pages include the TOTP set-up itself and logging out.
    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/healthz/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and needs_second_factor(request.user)
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        message = _("Your role requires two-factor authentication. Set up an authenticator app first.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(message)}, status=403)
        messages.warning(request, message, fail_silently=True)
        setup_url = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request"):
            # An HTMX swap would put the set-up page inside a fragment; make it navigate.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = setup_url
            return response
        return redirect(setup_url)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Bahasa Indonesia first: pages speak Indonesian until the person picks another
    language with the switcher (a cookie), whatever their browser's language is.
    API clients may still ask for a language with Accept-Language."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
