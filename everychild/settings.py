"""EveryChild settings. Everything that differs between machines comes from the environment.

EVERYCHILD_ENVIRONMENT   development | test | production (default development)
EVERYCHILD_SECRET_KEY    required in production
EVERYCHILD_DEBUG         1 to turn on Django's debug pages (never in production)
EVERYCHILD_ALLOWED_HOSTS comma-separated host names (production)
DATABASE_URL             e.g. postgres://user@host:5432/db; default embedded SQLite in var/
EVERYCHILD_RELAX_2FA     1 lets staff sign in without a second factor (demonstration only;
                         refused in production)
EVERYCHILD_DATA_DIR      where uploads and the SQLite database live (default ./var)
EVERYCHILD_AUDIT_CHECKPOINT_KEY   HMAC key signing the audit chain's checkpoints; required in
                         production, kept out of the database (a key is generated in the data
                         folder elsewhere)
EVERYCHILD_AUDIT_CHECKPOINT_FILE  the append-only checkpoint file (default
                         DATA_DIR/audit-checkpoints.jsonl)
EVERYCHILD_TRUSTED_PROXIES the reverse proxies in front: addresses or networks, comma-separated,
                         or a number of proxies every request passes; X-Forwarded-* are
                         believed only from them (none by default)
EVERYCHILD_API_TOKEN_RATE calls an API token may make, e.g. 600/minute (the default)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENT = os.environ.get("EVERYCHILD_ENVIRONMENT", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"EVERYCHILD_ENVIRONMENT must be development, test or production, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_flag("EVERYCHILD_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("EVERYCHILD_DEBUG must be off in production.")

SECRET_KEY = os.environ.get("EVERYCHILD_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("EVERYCHILD_SECRET_KEY must be set in production.")
    # Only ever used on a developer's machine or in tests.
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("EVERYCHILD_ALLOWED_HOSTS", "").split(",") if h.strip()
]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("EVERYCHILD_ALLOWED_HOSTS must be set in production.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

# Staff must use a second factor unless the demonstration relaxes it; production refuses that.
RELAX_2FA = env_flag("EVERYCHILD_RELAX_2FA", default=False)
if PRODUCTION and RELAX_2FA:
    raise ImproperlyConfigured("EVERYCHILD_RELAX_2FA cannot be used in production.")
REQUIRE_STAFF_2FA = not RELAX_2FA and not DEBUG

DATA_DIR = Path(os.environ.get("EVERYCHILD_DATA_DIR", BASE_DIR / "var"))

# Whatever the service creates (the SQLite database and its write-ahead log, uploaded
# documents, audit checkpoints) is readable by its own user only, whatever umask the shell or
# the process manager gave it (UK GDPR art. 32).
os.umask(0o077)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# The audit chain's head is signed and appended here at intervals (access/checkpoint.py). The
# key must not be something the application database holds, so it comes from the environment;
# `check --deploy` refuses production without it.
AUDIT_CHECKPOINT_KEY = os.environ.get("EVERYCHILD_AUDIT_CHECKPOINT_KEY", "")
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("EVERYCHILD_AUDIT_CHECKPOINT_FILE", DATA_DIR / "audit-checkpoints.jsonl")
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "everychild.core",
    "everychild.areas",
    "everychild.accounts",
    "everychild.access",
    "everychild.children",
    "everychild.casework",
    "everychild.plans",
    "everychild.timelines",
    "everychild.finance",
    "everychild.demo",
    "everychild.performance",
    "everychild.improvement",
    "everychild.returns",
    "django_tasks",
    "django_tasks_db",
    "everychild.notifications",
    "everychild.advice",
    "everychild.support",
    "everychild.dataprotection",
    "everychild.families",
    "everychild.schools",
    "everychild.staff",
    "everychild.home",
]

MIDDLEWARE = [
    # First: decides whether X-Forwarded-* are believed before anything reads them.
    "everychild.access.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "everychild.access.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "everychild.accounts.middleware.SessionIdleTimeoutMiddleware",
    "everychild.accounts.middleware.StaffTwoFactorMiddleware",
    # Last, so it sees the resolved view: refuses any view that has not declared its access.
    "everychild.access.middleware.AccessPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "everychild.urls"
WSGI_APPLICATION = "everychild.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "everychild" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "everychild.home.context_processors.service",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'everychild.sqlite3'}",
        conn_max_age=int(os.environ.get("EVERYCHILD_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, keeping the planner's statistics current (decision 0235).
    DATABASES["default"]["ENGINE"] = "everychild.core.sqlite"
    # SQLite creates the file but not its folder.
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    # WAL and a busy timeout let the demonstration serve reads while it writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    # Tests use an in-memory database, one per test process, as Django does for its own SQLite
    # backend: said outright, because pytest-xdist only recognises Django's backend by name and
    # would otherwise make each process a file named after the real database (decision 0225).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's cost of reading a page out of order, for this connection: PostgreSQL's
    # default (4) is for spinning disks, and made it scan every plan of an area rather than look
    # up a caseworker's few hundred by index (decision 0283). 1.1 suits data in memory or on SSD.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c random_page_cost=" + os.environ.get("EVERYCHILD_PG_RANDOM_PAGE_COST", "1.1")
    )
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "everychild.accounts.validators.CommonPasswordVariantValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password reset link works for an hour (issue 18; docs/decisions/0185): long enough for a
# slow e-mail, short for a credential sitting in an inbox.
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# The cache holds the API's rate-limit counts (DRF throttles). In the database, so every web
# worker counts together (issue 17: a per-process count multiplies the limit by the workers);
# the table is made by core's migration 0001.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "everychild_cache",
        # Rate-limit counts and API throttles live here: the default cull (a third of the
        # entries once 300 are held) would hand a guesser a fresh allowance.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 10},
    }
}

# The reverse proxies in front of the service (issue 17): comma-separated addresses or
# networks ("10.0.0.0/8,127.0.0.1"), or a number when every request passes that many proxies
# we run. Only then are X-Forwarded-For and X-Forwarded-Proto believed, and only from them.
_proxies = os.environ.get("EVERYCHILD_TRUSTED_PROXIES", "").strip()
EVERYCHILD_TRUSTED_PROXIES = (
    int(_proxies) if _proxies.isdigit() else [p for p in _proxies.split(",") if p.strip()]
)

# Sign-in lock-out (django-axes): after 5 failures for one address and account, locked for
# 15 minutes, doubling with each lock-out of the account from any address in the last 7 days,
# at most 24 hours (everychild.accounts.lockout; decision 0173). A try while locked neither
# counts nor lengthens the lock: the lock-outs make it grow, not the tries.
AXES_FAILURE_LIMIT = int(os.environ.get("EVERYCHILD_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = "everychild.accounts.lockout.cool_off"
AXES_HANDLER = "everychild.accounts.lockout.LockOutHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # we pass the e-mail address as username
AXES_LOCKOUT_CALLABLE = "everychild.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("EVERYCHILD_SESSION_IDLE_SECONDS", str(30 * 60)))
# However busy, a session ends this long after signing in (a working day and a bit).
SESSION_ABSOLUTE_LIFETIME_SECONDS = int(
    os.environ.get("EVERYCHILD_SESSION_ABSOLUTE_SECONDS", str(12 * 60 * 60))
)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("EVERYCHILD_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "everychild" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Outside production, serve static files straight from the app folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploads are stored outside the web root and only served through access-checked views.
MEDIA_ROOT = DATA_DIR / "uploads"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
        "everychild.access.api.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: an API view must name its access rule (see everychild.access).
    "DEFAULT_PERMISSION_CLASSES": ["everychild.access.api.PolicyPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "everychild.access.paging.Paging",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["everychild.access.api.ApiTokenRateThrottle"],
    "EXCEPTION_HANDLER": "everychild.access.api_errors.structured_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": "60/minute",
        "user": "600/minute",
        "timeline": "30/minute",
        # Per API token, whoever holds it (issue 17).
        "api_token": os.environ.get("EVERYCHILD_API_TOKEN_RATE", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EveryChild API",
    "DESCRIPTION": "SEND casework for a local area partnership. Every endpoint applies the same "
    "deny-by-default access policy as the pages, and every read of a child's record is audited.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH described with the same body as the call takes: `version` required (issue 17).
    "COMPONENT_SPLIT_PATCH": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "everychild.access.api_schema.describe_version_checks",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PlacementTypeEnum": "everychild.finance.models.PlacementType",
        "AdviceKindEnum": "everychild.casework.models.AdviceKind",
        "NeedTypeEnum": "everychild.children.codes.NeedType",
        "ReviewDecisionEnum": "everychild.plans.models.ReviewDecision",
        "DecisionEnum": "everychild.casework.models.Decision",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("EVERYCHILD_LOG_LEVEL", "WARNING")},
    # Audit checkpoints always reach the log stream: a second copy outside the database.
    "loggers": {"everychild.audit.checkpoint": {"level": "INFO"}},
}

EVERYCHILD_VERSION = "0.1.0"
SERVICE_NAME = "EveryChild"

# Background work (django-tasks; ARCHITECTURE.md "Real parts, embedded defaults"). The
# demonstration and the tests run tasks in-process as they are enqueued; production sets
# EVERYCHILD_TASK_BACKEND=database and runs `python manage.py db_worker` beside the web workers.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASK_BACKEND_NAME = os.environ.get("EVERYCHILD_TASK_BACKEND", "immediate")
if TASK_BACKEND_NAME not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"EVERYCHILD_TASK_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, "
        f"not {TASK_BACKEND_NAME!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND_NAME]}}

# Notifications: GOV.UK Notify when a key is set, otherwise the local backend (console and the
# message table an administrator can read). Notify holds one e-mail and one text message
# template each with ((subject)) and ((body)); our wording lives in the repository.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFICATIONS_BACKEND = os.environ.get(
    "EVERYCHILD_NOTIFICATIONS_BACKEND",
    "everychild.notifications.backends.NotifyBackend"
    if NOTIFY_API_KEY
    else "everychild.notifications.backends.LocalBackend",
)
# Where links in messages point (a sign-in link, never a child's details).
SERVICE_BASE_URL = os.environ.get("EVERYCHILD_BASE_URL", "http://127.0.0.1:8000")

# Retention (UK GDPR Art. 5(1)(e)): a child's record is made anonymous this many years after
# their date of birth (IRMS toolkit: SEN files, date of birth + 31 years). Never under 26: an
# EHC plan can run to a young person's 25th birthday.
RETENTION_YEARS_AFTER_BIRTH = int(os.environ.get("EVERYCHILD_RETENTION_YEARS_AFTER_BIRTH", "31"))
if RETENTION_YEARS_AFTER_BIRTH < 26:
    raise ImproperlyConfigured(
        "EVERYCHILD_RETENTION_YEARS_AFTER_BIRTH must be at least 26: a plan can run to 25."
    )
