import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.demo import DEMO_TOTP_SECRET


def current_code(secret: str, now: float | None = None) -> tuple[str, int]:
    """The RFC 6238 code for ``secret`` at ``now``, and the seconds it stays valid."""
    now = time.time() if now is None else now
    counter, elapsed = divmod(int(now), app_settings.TOTP_PERIOD)
    return format_hotp_value(hotp_value(secret, counter)), app_settings.TOTP_PERIOD - elapsed


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (their shared TOTP secret)."

    def handle(self, *args, **options):
        code, seconds = current_code(DEMO_TOTP_SECRET)
        self.stdout.write(code)
        self.stderr.write(_("Valid for another %(seconds)d seconds.") % {"seconds": seconds})
