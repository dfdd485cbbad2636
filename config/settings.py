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
        # The public tender site (issue 4): package statuses and tender stages.
        "PackageStatusEnum": "eprocurement.choices.PackageStatus",
        "TenderStageEnum": "eprocurement.choices.TenderStage",
        "PackageDocumentKindEnum": "eprocurement.choices.PackageDocumentKind",
        "ProposalStageEnum": "eplanning.choices.ProposalStage",
        "BidDocumentKindEnum": "eprocurement.choices.BidDocumentKind",
    },
}

# --- Sealed bids (eprocurement/sealing.py) ------------------------------------------------
# The master key that wraps every package's bid key lives outside the database: in the
# environment, or in a file a key service or a mounted secret provides. Unset, DEBUG uses a
# generated key kept under the var dir (below); with DEBUG off sealing refuses to work (the
# rest of the portal still starts). Production must set one. Old keys keep old packages openable after
# a rotation.
PORTAL_SEALING_MASTER_KEY = env.str("SEALING_MASTER_KEY", default="")
if not PORTAL_SEALING_MASTER_KEY and env.str("SEALING_MASTER_KEY_FILE", default=""):
    try:
        PORTAL_SEALING_MASTER_KEY = Path(env.str("SEALING_MASTER_KEY_FILE")).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"SEALING_MASTER_KEY_FILE cannot be read: {error}") from error
PORTAL_SEALING_OLD_MASTER_KEYS = env.list("SEALING_OLD_MASTER_KEYS", default=[])
# Embedded default (DEBUG, nothing configured): a random master key kept in a file under the
# var dir, outside the database and the media folder, created 0600 on first use — not one
# derived from the development SECRET_KEY, which is in the source. Never used with DEBUG
# off: then a missing key makes bidding refuse and `check --deploy` warn (eprocurement.checks).
PORTAL_SEALING_DEVELOPMENT_KEY_FILE = VAR_DIR / "sealing-master-key"
if not PORTAL_SEALING_MASTER_KEY and DEBUG:
    from eprocurement.sealing_dev_key import development_master_key

    PORTAL_SEALING_MASTER_KEY = development_master_key(PORTAL_SEALING_DEVELOPMENT_KEY_FILE)

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

# --- Open data (OCDS) and red flags (eprocurement/ocds/, eprocurement/redflags.py) -----------
# OCDS_PREFIX: the ocid prefix the Open Contracting Partnership's helpdesk registers for a
# publisher (data@open-contracting.org); every ocid is "{OCDS_PREFIX}-{package code}".
# "ocds-ntt000" is a PLACEHOLDER, not a registered prefix: replace it (environment
# OCDS_PREFIX) once the province has registered one, before publishing for real.
OCDS_PREFIX = env.str("OCDS_PREFIX", default="ocds-ntt000")
OCDS_PUBLISHER_NAME = env.str("OCDS_PUBLISHER_NAME", default="Pemerintah Provinsi Nusa Tenggara Timur")
OCDS_LICENSE = env.str("OCDS_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")
OCDS_BULK_PAGE_SIZE = env.int("OCDS_BULK_PAGE_SIZE", default=100)
# Red-flag thresholds for auditors (indicators to look into, not legal findings): a bid
# submission window shorter than PROCUREMENT_MIN_BID_DAYS days, or fewer than
# REDFLAG_MIN_NOTICE_DAYS days from announcement to the bid deadline; a winning price above
# REDFLAG_HIGH_PRICE_RATIO of the HPS; one vendor winning REDFLAG_REPEAT_WINNER_AWARDS or
# more awards of one agency in one fiscal year.
PROCUREMENT_MIN_BID_DAYS = env.int("PROCUREMENT_MIN_BID_DAYS", default=5)
REDFLAG_MIN_NOTICE_DAYS = env.int("REDFLAG_MIN_NOTICE_DAYS", default=7)
REDFLAG_HIGH_PRICE_RATIO = env.str("REDFLAG_HIGH_PRICE_RATIO", default="0.99")
REDFLAG_REPEAT_WINNER_AWARDS = env.int("REDFLAG_REPEAT_WINNER_AWARDS", default=3)
# --- Packages and their tender schedule (eprocurement/services/package_schedule.py) ---------
# Minimum length of each tender stage, in hours, per method. Sources: Perpres 16/2018 (as
# amended by Perpres 12/2021) and Peraturan LKPP 12/2021 (Lampiran II, tender pascakualifikasi):
# - announcement (pengumuman) at least 7 calendar days for a tender or a selection, 3 for
#   a quick tender (tender cepat); the selection documents can be downloaded as long;
# - explanation (pemberian penjelasan) starts at least 3 calendar days after the announcement
#   starts (1 for a quick tender) and runs at least one day for online questions;
# - bids are uploaded over at least 3 calendar days (1 for a quick tender);
# - masa sanggah: 5 calendar days after the winner is announced; sanggah banding (works
#   only): 5 calendar days;
# - the other stages at least what the pokja needs to do them in a working day.
# Configuration, not code: PROCUREMENT_STAGE_MIN_HOURS takes a JSON object
# method -> {stage -> hours} merged over these defaults (e.g. '{"tender": {"evaluation": 72}}').
_DAY = 24
_TENDER_MIN_HOURS = {
    "announcement": 7 * _DAY,
    "download": 7 * _DAY,
    "explanation": 1 * _DAY,
    "bid_submission": 3 * _DAY,
    "opening": 1,
    "evaluation": 1 * _DAY,
    "qualification_proof": 1 * _DAY,
    "winner_decision": 1 * _DAY,
    "winner_announcement": 1 * _DAY,
    "objection": 5 * _DAY,
    "appeal": 5 * _DAY,
    "appointment": 1 * _DAY,
    "contract_signing": 1 * _DAY,
}
PROCUREMENT_STAGE_MIN_DURATIONS = {
    "tender": dict(_TENDER_MIN_HOURS),
    "seleksi": dict(_TENDER_MIN_HOURS),
    "tender_cepat": {**_TENDER_MIN_HOURS, "announcement": 3 * _DAY, "download": 3 * _DAY, "bid_submission": 1 * _DAY},
}
for _method, _hours in env.json("PROCUREMENT_STAGE_MIN_HOURS", default={}).items():
    PROCUREMENT_STAGE_MIN_DURATIONS.setdefault(_method, dict(_TENDER_MIN_HOURS)).update(_hours)
# How long after the announcement starts the explanation may start, in hours, per method.
PROCUREMENT_EXPLANATION_MIN_DELAY = {"tender": 3 * _DAY, "seleksi": 3 * _DAY, "tender_cepat": 1 * _DAY}
# Addenda are issued up to 2 days before the bid deadline; one issued later extends the
# deadline so that this many days remain (DESIGN.md, Peraturan LKPP 12/2021).
PROCUREMENT_ADDENDUM_MIN_DAYS = env.int("PROCUREMENT_ADDENDUM_MIN_DAYS", default=2)
# How far in the past a schedule's announcement may start when the package is announced
# (the time it takes to fill in the form and press the button).
PROCUREMENT_ANNOUNCE_GRACE_MINUTES = 15
# Package documents (selection documents, HPS breakdown, drawings, addenda): PDF, ZIP,
# XLSX or DOCX up to this many bytes.
PROCUREMENT_DOCUMENT_MAX_BYTES = env.int("PROCUREMENT_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# --- Bid evaluation (eprocurement/services/evaluation.py) -------------------------------------
# The passing grade of a technical score (0-100) and the weights of technical and price scores
# for sistem nilai (goods, works, other services) and kualitas dan biaya (consultancy). The
# selection document fixes them per package within the ranges of Peraturan LKPP 12/2021;
# these are the portal's defaults, as configuration. A bid under the clarification share of
# the HPS needs a price clarification (DESIGN.md: 80%).
PROCUREMENT_TECHNICAL_PASSING_GRADE = env.int("PROCUREMENT_TECHNICAL_PASSING_GRADE", default=70)
PROCUREMENT_EVALUATION_WEIGHTS = {
    "nilai": {"technical": "0.30", "price": "0.70"},
    "kualitas_biaya": {"technical": "0.70", "price": "0.30"},
    **env.json("PROCUREMENT_EVALUATION_WEIGHTS", default={}),
}
PROCUREMENT_CLARIFICATION_SHARE = env.str("PROCUREMENT_CLARIFICATION_SHARE", default="0.80")

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
# Monthly reports and reminders (emonev reports part): the officers are reminded this many
# days before a month's report is due (MONEV_REPORT_DUE_DAY of the next month).
MONEV_REMINDER_DAYS_BEFORE = env.int("MONEV_REMINDER_DAYS_BEFORE", default=3)
