"""Settings for the portal, read from environment variables.

With nothing configured the portal runs on the embedded default: SQLite under
``var/``, Celery tasks in process, e-mail written to files under ``var/``.
The full stack sets ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    CONN_MAX_AGE=(int, 60),
    SESSION_IDLE_SECONDS=(int, 30 * 60),
    SECURE_SSL=(bool, False),
    TRUSTED_PROXIES=(list, []),
    TRUSTED_PROXY_COUNT=(int, 1),
    NOTIFICATION_LEASE_SECONDS=(int, 300),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# Required whenever DEBUG is off: the processes that serve or run tasks (gunicorn
# through config.wsgi/asgi, the Celery worker and beat) refuse to start without it
# (config.startup), Django refuses to sign anything with an empty key, and
# `check --deploy` reports it. Commands that neither serve nor sign (makemigrations,
# makemessages) still run, so tooling works on any checkout.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 (DEBUG only)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    # The six e-services, upstream first (DESIGN.md: portal <- eplanning <- ...).
    "eplanning",
    "ebudgeting",
    "eprocurement",
    "emonev",
    "esurat",
    "ejadwal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it tells the person why they were logged out.
    "portal.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "portal.middleware.RequireTwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
# Widgets render through the project's templates (templates/partials/ has the shared ones).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------
# Embedded default: SQLite in WAL mode; IMMEDIATE transactions make concurrent
# writers queue for the write lock instead of failing half-way.
VAR_DIR.mkdir(parents=True, exist_ok=True)
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"),
            },
        }
    }
DATABASES["default"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache ----------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # One machine, several processes (gunicorn workers): a file cache is shared.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it finished: a worker that dies mid-task
# leaves it to be delivered again (services claim their work, so twice is safe).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="portal")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Asia/Makassar"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Identity ---------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Admin permissions follow portal roles; last, because it logs nobody in.
    "portal.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Portal] "
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # Five failed log-ins per account in five minutes lock it out for that period;
    # an address gets twenty a minute across accounts.
    "login_failed": "20/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Holders of the roles below cannot switch their authenticator off.
MFA_ADAPTER = "portal.adapters.MFAAdapter"
MFA_TOTP_ISSUER = "Portal NTT"
# Roles whose holders must log in with a second factor (issue 2).
PORTAL_MFA_REQUIRED_ROLES = ["kominfo_admin", "pokja", "signatory", "budget_verifier"]
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions end after SESSION_IDLE_SECONDS without a request, and after a working day
# at most; the cookie never outlives the browser.
SESSION_IDLE_SECONDS = env("SESSION_IDLE_SECONDS")
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Proxies and security -----------------------------------------------------------
# The client address is read from a proxy header only when the request comes from a
# proxy we trust; otherwise it is the socket's peer.
TRUSTED_PROXIES = env("TRUSTED_PROXIES")
TRUSTED_PROXY_COUNT = env("TRUSTED_PROXY_COUNT")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT if TRUSTED_PROXIES else 0
SECURE_SSL = env("SECURE_SSL")
if SECURE_SSL:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# --- E-mail -------------------------------------------------------------------------
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_BACKEND)  # noqa: F821
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Portal NTT <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 30
# A worker that claimed a notification and did not finish within this many seconds
# is taken to have died; the notification becomes deliverable again.
NOTIFICATION_LEASE_SECONDS = env("NOTIFICATION_LEASE_SECONDS")

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# A test points LOCALE_DIR elsewhere to check that no text lacks its translation.
LOCALE_PATHS = [Path(env.str("LOCALE_DIR", default=str(BASE_DIR / "locale")))]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per address for anonymous callers, per account otherwise; counted in the cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT if TRUSTED_PROXIES else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portal e-Government NTT API",
    "DESCRIPTION": "Planning, budgeting, procurement, monitoring, letters and schedules "
    "of the regional governments of Nusa Tenggara Timur.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would otherwise send the schema to validator.swagger.io from every browser.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status": each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "eplanning.choices.PlanStatus",
        "ProposalStatusEnum": "eplanning.choices.ProposalStatus",
        "NomenclatureLevelEnum": "eplanning.choices.NomenclatureLevel",
        "AccountLevelEnum": "ebudgeting.choices.AccountLevel",
        "PlanItemStatusEnum": "eprocurement.choices.PlanItemStatus",
        "ProcurementKindEnum": "eprocurement.choices.ProcurementKind",
    },
}

# --- Sealed bids (eprocurement/sealing.py) ------------------------------------------------
# The master key that wraps every package's bid key lives outside the database: in the
# environment, or in a file a key service or a mounted secret provides. Unset, DEBUG derives
# a development key from SECRET_KEY; with DEBUG off sealing refuses to work (the rest of the
# portal still starts). Production must set one. Old keys keep old packages openable after
# a rotation.
PORTAL_SEALING_MASTER_KEY = env.str("SEALING_MASTER_KEY", default="")
if not PORTAL_SEALING_MASTER_KEY and env.str("SEALING_MASTER_KEY_FILE", default=""):
    try:
        PORTAL_SEALING_MASTER_KEY = Path(env.str("SEALING_MASTER_KEY_FILE")).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"SEALING_MASTER_KEY_FILE cannot be read: {error}") from error
PORTAL_SEALING_OLD_MASTER_KEYS = env.list("SEALING_OLD_MASTER_KEYS", default=[])

# --- Procurement thresholds (eprocurement/services/plans.py) ----------------------------------
# Perpres 16/2018 on government procurement, as amended by Perpres 12/2021 and Perpres
# 46/2025: pengadaan langsung up to Rp200 juta for goods and other services, Rp400 juta for
# works (since 46/2025), Rp100 juta for consultancy; packages up to Rp15 miliar are reserved
# for small businesses. Configuration, not code: PROCUREMENT_DIRECT_LIMITS takes a JSON object
# of kind -> rupiah (e.g. '{"works": 500000000}'), merged over these defaults.
PROCUREMENT_DIRECT_LIMITS = {
    "goods": 200_000_000,
    "other_services": 200_000_000,
    "works": 400_000_000,
    "consultancy": 100_000_000,
    **env.json("PROCUREMENT_DIRECT_LIMITS", default={}),
}
PROCUREMENT_SMALL_BUSINESS_LIMIT = env.int("PROCUREMENT_SMALL_BUSINESS_LIMIT", default=15_000_000_000)

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Portal ----------------------------------------------------------------------------------
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
PORTAL_MAIL_DOMAIN = env.str("PORTAL_MAIL_DOMAIN", default="portal.localhost")

# --- E-Monev (emonev/) ------------------------------------------------------------------------
# A month's progress report is due on this day of the following month; later ones are taken
# but marked late. Deviation (actual − plan, percentage points of physical progress) at or
# above "behind" is on track, below it behind, below "far_behind" far behind.
MONEV_REPORT_DUE_DAY = env.int("MONEV_REPORT_DUE_DAY", default=10)
MONEV_EVIDENCE_MAX_BYTES = env.int("MONEV_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
MONEV_DEVIATION_THRESHOLDS = {"behind": -5, "far_behind": -10, **env.json("MONEV_DEVIATION_THRESHOLDS", default={})}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ProgressReportStatusEnum"] = "emonev.choices.ReportStatus"
