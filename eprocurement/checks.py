"""System checks for sealed bidding: a production deployment must configure a master key."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def sealing_master_key_check(app_configs, **kwargs):
    """``check --deploy`` warns when bids cannot be sealed (no key) and fails on a bad key."""
    if not getattr(settings, "PORTAL_SEALING_MASTER_KEY", ""):
        return [
            Warning(
                "No sealing master key is configured: vendors cannot submit bids.",
                hint="Set SEALING_MASTER_KEY (32 random bytes, base64) or SEALING_MASTER_KEY_FILE; "
                "see eprocurement/sealing.py for how to generate one.",
                id="eprocurement.W001",
            )
        ]
    from .sealing import new_package_key

    try:
        new_package_key()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="eprocurement.E001")]
    return []
