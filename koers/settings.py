"""Django settings for Koers. Every variable is listed in .env.example."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from koers import secret_key
from koers.env import env_bool, env_choice, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KOERS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("KOERS_DEBUG", False)
KOERS_PRODUCTION = env_bool("KOERS_PRODUCTION", False)
# From KOERS_SECRET_KEY; without it (never in production) a random key kept in var/.
SECRET_KEY = secret_key.secret_key(VAR_DIR, production=KOERS_PRODUCTION)
KOERS_SECRET_KEY_FROM_ENV = bool(secret_key.from_environment())
ALLOWED_HOSTS = env_list("KOERS_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("KOERS_CSRF_TRUSTED_ORIGINS", [])

# HTTPS, on by default in production. The documented set-up (docs/web.md) ends HTTPS at a
# reverse proxy that passes X-Forwarded-Proto: without trusting that header every request
# would look like plain HTTP, and the redirect to HTTPS would never end.
SECURE_SSL_REDIRECT = env_bool("KOERS_SSL_REDIRECT", KOERS_PRODUCTION)
if env_bool("KOERS_PROXY_SSL_HEADER", KOERS_PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int(
    "KOERS_HSTS_SECONDS", 365 * 24 * 3600 if KOERS_PRODUCTION else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KOERS_HSTS_INCLUDE_SUBDOMAINS", KOERS_PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("KOERS_HSTS_PRELOAD", KOERS_PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("KOERS_SECURE_COOKIES", KOERS_PRODUCTION)
# Scripts and styles only from Koers' own files; no inline script, no other site, no frames
# (docs/security.md). Empty: no policy is sent.
KOERS_CONTENT_SECURITY_POLICY = env_str(
    "KOERS_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-elem 'self';"
    " style-src-attr 'unsafe-inline'; img-src 'self' data:; object-src 'none';"
    " base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# The reverse proxies in front of Koers (addresses or networks). A request from one of them
# is counted for the client it names in X-Forwarded-For; anyone else's header is ignored.
KOERS_TRUSTED_PROXIES = env_networks("KOERS_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "koers.relations",
    "koers.giving",
    "koers.groups",
    "koers.imports",
    "koers.journeys",
    "koers.touchpoints",
    "koers.calendar",
    "koers.feedback",
    "koers.insights",
    "koers.channels",
    "koers.clock",
    "koers.demo",
    "koers.web",
    "js_lib_htmx",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "koers.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "koers.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "koers.web.sessions.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "koers.web.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "koers.urls"
WSGI_APPLICATION = "koers.wsgi.application"

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
                "django.template.context_processors.i18n",
                "koers.web.context.navigation",
            ],
        },
    },
]

_DEFAULT_DB = f"sqlite:///{VAR_DIR / 'koers.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _DEFAULT_DB))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while an import or the worker writes; IMMEDIATE
    # transactions avoid "database is locked" upgrades from read to write locks. A 512 MiB
    # page cache (taken only as it is used) keeps the indexes a tick writes in memory;
    # memory-mapped reads skip a copy per page. Temporary tables stay on disk, because an
    # import's staging table in memory took the 5,000,000-gift benchmark over 2 GB.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-524288;"
            " PRAGMA mmap_size=8589934592;"
        ),
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for another writer before "database is locked".
        "timeout": env_int("KOERS_SQLITE_TIMEOUT", 30, minimum=1),
    }
else:
    # A new PostgreSQL connection per request costs about 10 ms of CPU; keep them open
    # (seconds; 0 closes each after its request) and check them before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("KOERS_DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Statements run through koers.db.prepared_cursor are prepared on their fifth run on a
    # connection (Django's own cursors bind in the client and are never prepared). Behind a
    # pooler in transaction mode (PgBouncer before 1.21), set KOERS_DB_PREPARE=false.
    if env_bool("KOERS_DB_PREPARE", True):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (the year overview with the journeys) go through Django's Tasks API, queued
# in the database and run by `koers db_worker` (docs/decisions/0012-background-tasks.md).
# "immediate" runs each job at once in the process that asks for it: for a trial without a
# worker, and for tests.
KOERS_TASKS = env_choice("KOERS_TASKS", "database", ("database", "immediate"))
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[KOERS_TASKS]
    }
}

# A password like the user name (analist123 for analist), short, common or all digits is
# refused wherever one is set: the admin's forms, `koers changepassword`, the password form.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "koers.web.passwords.MinimumLength",
        "OPTIONS": {"min_length": env_int("KOERS_PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every login goes through the lockout (docs/security.md): after KOERS_LOGIN_ATTEMPTS wrong
# passwords for one user name from one client, that pair waits KOERS_LOGIN_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = ["koers.web.login.ThrottledModelBackend"]
KOERS_LOGIN_ATTEMPTS = env_int("KOERS_LOGIN_ATTEMPTS", 5, minimum=1)
KOERS_LOGIN_LOCKOUT_MINUTES = env_int("KOERS_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# A session ends after KOERS_SESSION_IDLE_MINUTES without a request, and in any case
# KOERS_SESSION_HOURS after logging in (one working day): a computer left unlocked in an
# office, or a stolen cookie, does not keep its access for the two weeks Django allows.
KOERS_SESSION_IDLE_MINUTES = env_int("KOERS_SESSION_IDLE_MINUTES", 30, minimum=1)
KOERS_SESSION_HOURS = env_int("KOERS_SESSION_HOURS", 9, minimum=1)
SESSION_COOKIE_AGE = KOERS_SESSION_HOURS * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_choice("KOERS_LANGUAGE", "nl", ("nl", "en"))
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "koers" / "locale"]
TIME_ZONE = env_str("KOERS_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

KOERS_IMPORT_MAX_ERRORS = env_int("KOERS_IMPORT_MAX_ERRORS", 1000, minimum=1)
# The longest cell an import accepts, in characters: the longest field (a proof of consent,
# a comment) is 2,000; a cell far longer is a broken file, and is refused before it is held.
KOERS_IMPORT_MAX_CELL = env_int("KOERS_IMPORT_MAX_CELL", 10_000, minimum=100)
# The largest Excel file an import opens, in MB once unpacked (checked before unpacking).
# Reading Excel takes several times its unpacked size in memory; CSV reads in flat memory.
KOERS_IMPORT_MAX_XLSX_MB = env_int("KOERS_IMPORT_MAX_XLSX_MB", 100, minimum=1)

# The organisation, as its relations know it: in texts, letters and the sender of e-mail.
KOERS_ORGANISATION = env_str("KOERS_ORGANISATION", "Stichting Koers")
# The address the web interface is reached on, for links in e-mail and on paper.
KOERS_BASE_URL = env_str("KOERS_BASE_URL", "http://localhost:8000").rstrip("/")
# Requests a minute one client may make to the public pages: survey answers, thanks and
# unsubscribing (0: no limit).
KOERS_FEEDBACK_PER_MINUTE = env_int("KOERS_FEEDBACK_PER_MINUTE", 60, minimum=0)
# The cache the web processes share; the answer pages count each client's requests in it.
# Empty: every process keeps its own, which is right for one process, but with N processes
# a client may make up to N times the limit. A Redis address (redis://127.0.0.1:6379/0)
# gives all processes one count.
KOERS_CACHE_URL = env_str("KOERS_CACHE_URL", "")
if KOERS_CACHE_URL:
    if not KOERS_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "KOERS_CACHE_URL must be a Redis address such as redis://127.0.0.1:6379/0,"
            f" got {KOERS_CACHE_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": KOERS_CACHE_URL,
            "KEY_PREFIX": "koers",
            # A Redis that does not answer costs a request at most this long (seconds).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
DEFAULT_FROM_EMAIL = env_str("KOERS_FROM_EMAIL", "Stichting Koers <info@koers.localhost>")
# E-mail: SMTP in production; the default writes messages to the console.
EMAIL_BACKEND = env_str("KOERS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("KOERS_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("KOERS_SMTP_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("KOERS_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("KOERS_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KOERS_SMTP_STARTTLS", False)
EMAIL_TIMEOUT = 30
# Phone calls and staff work are released on business days within these hours (local time).
KOERS_BUSINESS_HOURS = env_str("KOERS_BUSINESS_HOURS", "09:00-17:00")
# The secret webhooks are signed with (HMAC-SHA256); empty means the secret key.
KOERS_WEBHOOK_SECRET = env_str("KOERS_WEBHOOK_SECRET", "")
# Where letters and cards for the print house are written.
KOERS_PRINT_DIR = VAR_DIR / "print"
# Where the SMS channel leaves its messages for the provider (koers.channels.sms).
KOERS_SMS_DIR = VAR_DIR / "sms"
# Seconds after which a worker's claim on touchpoints that it no longer renews counts as
# abandoned (the worker died): they are then reconciled (docs/journeys.md, "Workers").
KOERS_CLAIM_TIMEOUT = env_int("KOERS_CLAIM_TIMEOUT", 900, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KOERS_LOG_LEVEL", "WARNING")},
}

# Plug-ins, each by its dotted path (docs/architecture.md, "Registries"). The contact
# forecasts are the planners whose contacts the calendar's year overview counts alongside
# its own moments when asked "with the journeys" (koers.touchpoints.forecasts).
KOERS_CONTACT_FORECASTS = ["koers.journeys.forecast.JOURNEYS"]
# The channels a contact can go through, in the order every list shows them
# (koers.channels.base). A new channel is one module and one line here.
KOERS_CHANNELS = [
    "koers.channels.email.Email",
    "koers.channels.letter.Letter",
    "koers.channels.card.Card",
    "koers.channels.phone.Phone",
    "koers.channels.task.Task",
    "koers.channels.webhook.Webhook",
]
# Also complete, not on by default: "koers.channels.sms.Sms" (docs/journeys.md, "sms"). Once
# listed, relations with only an sms consent count as reachable in the calendar's checks.
# The kinds of step a journey is made of (koers.journeys.steps.base).
KOERS_STEP_KINDS = [
    "koers.journeys.steps.action.Action",
    "koers.journeys.steps.wait.Wait",
    "koers.journeys.steps.branch.Branch",
    "koers.journeys.steps.split.Split",
    "koers.journeys.steps.wait_for_event.WaitForEvent",
    "koers.journeys.steps.exit.Exit",
]
