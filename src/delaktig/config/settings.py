"""Settings from environment variables.

SQLite (WAL) by default; PostgreSQL when DATABASE_URL is set; Redis for cache,
sessions and tasks when REDIS_URL is set. DELAKTIG_ENV=production turns on the
secure defaults and refuses to start without a secret key.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("DELAKTIG_VAR_DIR", PROJECT_DIR / "var"))

ENVIRONMENT = os.environ.get("DELAKTIG_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
TESTING = (
    ENVIRONMENT == "test"
    or "pytest" in os.environ.get("_", "")
    or bool(os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("PYTEST_VERSION"))
)

DEBUG = os.environ.get("DJANGO_DEBUG", "0" if PRODUCTION else "1") == "1" and not TESTING
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if TESTING:
    ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "delaktig.core",
    "delaktig.accounts",
    "delaktig.organisation",
    "delaktig.governance",
    "delaktig.participation",
    "delaktig.participation.surveys",
    "delaktig.participation.ideas",
    "delaktig.participation.discussions",
    "delaktig.participation.meetings",
    "delaktig.participation.votes",
    "delaktig.participation.budgets",
    "delaktig.participation.opinions",
    "delaktig.results",
    "delaktig.feedback",
    "delaktig.followup",
    "delaktig.reports",
    "delaktig.api",
]

MIDDLEWARE = [
    # First: a load balancer's probe is answered before HTTPS redirects and the host check.
    "delaktig.core.health.HealthMiddleware",
    "delaktig.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "delaktig.core.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "delaktig.organisation.middleware.MunicipalityMiddleware",
    # Last, so it sees the signed-in person and the resolved URL (and CSRF refuses first).
    "delaktig.core.ratelimit.WriteLimitMiddleware",
]

if PRODUCTION:
    # Static files from the app process itself, compressed and cache-busted.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "delaktig.config.urls"
WSGI_APPLICATION = "delaktig.config.wsgi.application"
ASGI_APPLICATION = "delaktig.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "delaktig.organisation.context_processors.site",
                "delaktig.accounts.context_processors.simple_language",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
        )
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, with a health check that costs no round trip.
        DATABASES["default"]["ENGINE"] = "delaktig.core.postgresql"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "delaktig.sqlite3")),
            # WAL + synchronous=NORMAL doubled write throughput and removed "database is
            # locked" up to 128 writers (shared/PERFORMANCE.md); IMMEDIATE avoids
            # upgrade deadlocks between concurrent writers.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks ------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "delaktig.core.cache_backend.DelaktigRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Signed-in sessions in the database and the cache, anonymous ones in the cache only.
    SESSION_ENGINE = "delaktig.core.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Reverse proxies in front of the app (nginx: 1). Rate limits then count the resident's
# address from X-Forwarded-For instead of the proxy's (delaktig.core.client_ip).
DELAKTIG_TRUSTED_PROXIES = int(os.environ.get("DELAKTIG_TRUSTED_PROXIES", "0"))
# Multiplies every rate limit's count (delaktig.core.ratelimit). A load test sends every
# client from one address; with a large factor the counters still run but never refuse.
DELAKTIG_RATE_LIMIT_SCALE = int(os.environ.get("DELAKTIG_RATE_LIMIT_SCALE", "1"))
# Seconds the public pages' rendered content and the municipality stay cached
# (delaktig.core.public_cache). Off in production without Redis: each app process would
# have a cache of its own and not see the others' changes.
PUBLIC_CACHE_SECONDS = int(
    os.environ.get("DELAKTIG_PUBLIC_CACHE_SECONDS", "300" if REDIS_URL or not PRODUCTION else "0")
)

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DELAKTIG_TASK_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if (TESTING or not PRODUCTION)
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "governance:home"
LOGOUT_REDIRECT_URL = "governance:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- i18n -----------------------------------------------------------------
# Source strings are Swedish (the product's first language); English comes from
# the catalogue in locale/en.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
# One date style per language: `{{ value|date:"DATE_FORMAT" }}` in every template.
FORMAT_MODULE_PATH = ["delaktig.formats"]
USE_I18N = True
USE_TZ = True

# --- Static -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
# The shared stylesheet lives outside any app; without this collectstatic misses it.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Email ----------------------------------------------------------------
# Django 6.1 mailers. SMTP in production; the console in development. Tests set
# EMAIL_HOST/EMAIL_PORT to a real local SMTP server they start themselves.
_smtp = {
    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "OPTIONS": {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": os.environ.get("EMAIL_USE_TLS", "0") == "1",
        "timeout": 10,
    },
}
MAILERS = {
    "default": _smtp
    if PRODUCTION or os.environ.get("EMAIL_HOST")
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
# Absolute links in emails (feedback, verification, follow-ups).
DELAKTIG_SITE_URL = os.environ.get("DELAKTIG_SITE_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "medborgardialog@example.se")

# --- Security ---------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# LOG_FORMAT=json: one JSON object per line with the request id (delaktig.core.logs), for
# journald or a log collector; text for a developer's terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "delaktig.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "delaktig.core.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# /readyz reports the task worker as down when a task has waited longer than this.
DELAKTIG_TASK_STALE_SECONDS = int(os.environ.get("DELAKTIG_TASK_STALE_SECONDS", "300"))

# --- Delaktig -----------------------------------------------------------------
DELAKTIG_MUNICIPALITY_SLUG = os.environ.get("DELAKTIG_MUNICIPALITY", "")
# Demographic figures are never shown for groups smaller than this.
DELAKTIG_MIN_GROUP_SIZE = int(os.environ.get("DELAKTIG_MIN_GROUP_SIZE", "5"))

from delaktig.accounts.settings_fragment import *  # noqa: E402, F403
