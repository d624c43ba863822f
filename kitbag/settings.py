"""Kitbag settings. One module: every difference between deployments comes from the environment.

See the configuration table in README.md for every variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

# A plain module: WhiteNoise wants the function itself, not its dotted path.
from kitbag.core.static_headers import add_static_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KITBAG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "local" serves plain HTTP on the loopback address for `make run`; "production" turns on every
# deployment protection and refuses to start without a real SECRET_KEY.
ENVIRONMENT = os.environ.get("KITBAG_ENVIRONMENT", "local")
if ENVIRONMENT not in {"local", "production"}:
    raise ImproperlyConfigured("KITBAG_ENVIRONMENT must be 'local' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    # Debug pages show settings, source and every request's data to whoever causes an error.
    raise ImproperlyConfigured("DEBUG must be off in production (KITBAG_ENVIRONMENT=production).")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
    # Local use: one random key kept under var/ so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")


def _default_data_dir() -> str:
    sibling = BASE_DIR.parent / "shared" / "data"
    return str(sibling) if sibling.is_dir() else ""


# Where importers read the open data from; empty means "download from each source's public URL".
KITBAG_DATA_DIR = os.environ.get("KITBAG_DATA_DIR", _default_data_dir())

INSTALLED_APPS = [
    # First, so that its `createsuperuser` (which also confirms the staff account's address, so
    # that allauth lets it sign in) replaces django.contrib.auth's: the first app listed wins.
    # Before allauth too: template lookup follows this order, and Kitbag's GOV.UK versions of
    # allauth's pages and elements (kitbag/accounts/templates/) must win over allauth's own.
    "kitbag.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "csp",
    "kitbag.core",
    "kitbag.registry",
    "kitbag.search",
    "kitbag.vocabularies",
    "kitbag.cases",
    "kitbag.semantic",
    "kitbag.meetings",
    "kitbag.consultations",
    "kitbag.performance",
    "kitbag.projects",
    "kitbag.conversations",
    "kitbag.events",
    "kitbag.resources",
    "kitbag.follows",
    "kitbag.network",
    "kitbag.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "kitbag.urls"
WSGI_APPLICATION = "kitbag.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kitbag.core.context_processors.service",
            ],
        },
    }
]

# Database: SQLite file under var/ by default, anything dj-database-url understands otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kitbag.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers carry on while an import writes; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts: sign-in by email through django-allauth (docs/decisions/0010-accounts-allauth.md).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_ADAPTER = "kitbag.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "kitbag.accounts.forms.KitbagSignupForm",
    "login": "kitbag.accounts.forms.KitbagLoginForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kitbag] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Failed sign-ins are throttled per address and per account (allauth's cache-based limits).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "login": "30/m/ip",
}

# Email: printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kitbag <no-reply@kitbag.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# NCSC guidance: length over complexity, no composition rules, block common passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "kitbag" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end build output (GOV.UK Frontend compiled by `npm run build`); never committed.
STATICFILES_DIRS = [d for d in [BASE_DIR / "var" / "build"] if d.is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Tests and a checkout without `collectstatic` still work: missing files fall back to their names.
WHITENOISE_MANIFEST_STRICT = False
# WhiteNoise answers before the middleware that adds CSP and frame protection: it adds its own.
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_headers
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Security: Django's protections stay on; production adds transport security.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
# Content-Security-Policy: nothing inline, nothing from elsewhere (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SILENCED_SYSTEM_CHECKS = [] if not PRODUCTION or SECURE_HSTS_PRELOAD else ["security.W021"]

# Background work: in-process unless a broker is configured (see kitbag/core/tasks.py).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "remind-owners-of-stale-cases": {
        "task": "kitbag.cases.tasks.remind_owners_of_stale_cases",
        "schedule": 24 * 60 * 60,
    },
    # At 3am London time, when councils' servers are quiet; pages tell people when a failed
    # sync will be tried again from this entry (kitbag/meetings/calendar/schedule.py).
    "sync-meetings-calendars": {
        "task": "kitbag.meetings.tasks.sync_all_meetings",
        "schedule": crontab(hour=3, minute=0),
    },
    # At 2am, before the coordinators' working day: new overlapping projects wait in their queue.
    "find-duplicate-projects": {
        "task": "kitbag.projects.tasks.find_duplicate_projects",
        "schedule": crontab(hour=2, minute=0),
    },
    "fetch-consultation-posts-elsewhere": {
        "task": "kitbag.consultations.tasks.fetch_posts_elsewhere",
        "schedule": 6 * 60 * 60,
    },
    # At 4am London time: the library's links, politely, a week after each was last checked.
    "check-resource-links": {
        "task": "kitbag.resources.tasks.check_links",
        "schedule": crontab(hour=4, minute=0),
    },
    # Early morning London time: a daily digest covers the day before, a weekly one the week
    # before (Monday to Sunday); a second run in the same period sends nothing.
    "send-daily-digests": {
        "task": "kitbag.follows.tasks.send_digests",
        "schedule": crontab(hour=6, minute=30),
        "kwargs": {"frequency": "daily"},
    },
    "send-weekly-digests": {
        "task": "kitbag.follows.tasks.send_digests",
        "schedule": crontab(hour=6, minute=45, day_of_week="mon"),
        "kwargs": {"frequency": "weekly"},
    },
    # After the night's imports and before the digests: happenings older than a year go.
    "prune-happenings": {
        "task": "kitbag.follows.tasks.prune_happenings",
        "schedule": crontab(hour=5, minute=0),
    },
}

# Redis when several machines serve the site; otherwise files under var/, which every gunicorn
# worker and command on this machine share (an import's "registry changed" reaches the server).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
# Rate limits are one table in kitbag/core/rate_limits.py; a deployment may change any of them
# without a release: KITBAG_RATE_LIMITS="api-anonymous=300/m,case-writes=100/h".
KITBAG_RATE_LIMITS = dict(
    item.split("=", 1) for item in env_list("KITBAG_RATE_LIMITS", "") if "=" in item
)
# How long public pages built from imported data are kept; 0 turns the page cache off.
KITBAG_PAGE_CACHE_SECONDS = int(os.environ.get("KITBAG_PAGE_CACHE_SECONDS", "300"))

REST_FRAMEWORK = {
    # A Bearer token first, so that a request with no credentials hears 401 and how to send them;
    # the session after it, for the browser.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kitbag.accounts.authentication.KitbagTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "kitbag.api.pagination.KitbagPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # One throttle for every endpoint, reading the rate table in kitbag/core/rate_limits.py.
    "DEFAULT_THROTTLE_CLASSES": ["kitbag.api.throttles.ApiRateThrottle"],
    "EXCEPTION_HANDLER": "kitbag.api.exceptions.handle_api_exception",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kitbag API",
    "DESCRIPTION": "Open data about UK public bodies and what they do. Read-only for the public.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kitbag.api.schema.every_operation_may_be_throttled",
    ],
    # Choice sets that share a field name ("kind") or serve two fields get one clear name each.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "kitbag.registry.models.OrganisationKind",
        "AssetKindEnum": "kitbag.cases.models.Asset.Kind",
        "BenefitKindEnum": "kitbag.cases.models.BenefitItem.Kind",
        "CaseSourceEnum": "kitbag.cases.models.CaseSource",
        "CaseRecordStatusEnum": "kitbag.api.cases.serializers.PUBLIC_STATUS_CHOICES",
        "PolicyStatusEnum": "kitbag.meetings.models.PolicyStatus",
        "LegalPositionEnum": "kitbag.meetings.models.LegalPosition",
        "ConsultationStatusEnum": "kitbag.consultations.models.ConsultationStatus",
        "ModerationModeEnum": "kitbag.consultations.models.ModerationMode",
        "EventKindEnum": "kitbag.events.models.EventKind",
        "EventAttendanceEnum": "kitbag.events.models.Attendance",
        "EventBookingEnum": "kitbag.events.models.Booking",
        "EventStatusEnum": "kitbag.api.events.serializers.LISTED_STATUS_CHOICES",
        "PerformanceVisibilityEnum": "kitbag.performance.models.Visibility",
        "ComparisonGroupVisibilityEnum": "kitbag.performance.models.GroupVisibility",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

SERVICE_NAME = "Kitbag"
# Where vulnerabilities are reported (served in /.well-known/security.txt; docs/security.md).
KITBAG_SECURITY_CONTACT = os.environ.get(
    "KITBAG_SECURITY_CONTACT", "mailto:security@kitbag.example"
)

# The site's own address, for links in emails and feeds sent outside a request.
SITE_URL = os.environ.get("KITBAG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Meetings calendar syncs (kitbag/meetings, docs/decisions/0018-meetings-calendar.md). Councils'
# servers see who is asking and how to reach us; at most one request a second goes to each host.
KITBAG_SYNC_CONTACT = os.environ.get("KITBAG_SYNC_CONTACT", "data@kitbag.example")
KITBAG_SYNC_USER_AGENT = os.environ.get(
    "KITBAG_SYNC_USER_AGENT",
    f"Kitbag/0.1 (open council meetings calendar; +{SITE_URL}; {KITBAG_SYNC_CONTACT})",
)
KITBAG_SYNC_MIN_INTERVAL_SECONDS = float(os.environ.get("KITBAG_SYNC_MIN_INTERVAL_SECONDS", "1.0"))
KITBAG_SYNC_TIMEOUT_SECONDS = float(os.environ.get("KITBAG_SYNC_TIMEOUT_SECONDS", "60"))
KITBAG_SYNC_RETRIES = int(os.environ.get("KITBAG_SYNC_RETRIES", "3"))
KITBAG_SYNC_BACKOFF_SECONDS = float(os.environ.get("KITBAG_SYNC_BACKOFF_SECONDS", "2.0"))
KITBAG_SYNC_DAYS_BACK = int(os.environ.get("KITBAG_SYNC_DAYS_BACK", "28"))
KITBAG_SYNC_DAYS_FORWARD = int(os.environ.get("KITBAG_SYNC_DAYS_FORWARD", "120"))

# Finding by meaning (kitbag/semantic, decision 0027): "on" uses all-MiniLM-L6-v2 when its package
# is installed, "off" ranks by words and codes alone, "hashing" is a small stand-in for tests.
KITBAG_SEMANTIC = os.environ.get("KITBAG_SEMANTIC", "on")
