"""The small test override: fast hashing, quiet e-mail, no manifest for static files."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# pytest swaps in locmem anyway; a Celery worker a test starts with these settings
# brings its own stand-in mail server (tests/support/mail.py) through the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files from the apps' folders, as runserver would; nothing is collected.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Tests share one cache across the run: throttling is proven in its own test.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"}}  # noqa: F405
# Sealed bids: a test that seals sets its own master key (the pytest-django `settings`
# fixture); the development key DEBUG would take from var/ never leaks into the suite, so
# `make test` (which exports DEBUG=1) and a bare pytest run behave the same.
PORTAL_SEALING_MASTER_KEY = ""
PORTAL_SEALING_OLD_MASTER_KEYS = []
