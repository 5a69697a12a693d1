"""Settings shared by every profile, all read from the environment (12-factor).

Profiles (dev, test, production) only override. Nothing here needs a server: with no
environment at all the platform runs on a SQLite file under var/.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    # For its bundled API documentation page: served from our static files, not a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "onestop.core",
    "onestop.identity",
    "onestop.notifications",
    "onestop.catalog",
    "onestop.search",
    "onestop.centres",
    "onestop.appointments",
    "onestop.hall",
    "onestop.licences",
    "onestop.ratings",
    "onestop.hotline",
    "onestop.cases",
    "onestop.delivery",
    "onestop.hall_statistics",
    "onestop.portal",
    "onestop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "onestop.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "onestop.core.security.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onestop.core.middleware.RequestContextMiddleware",
    "onestop.identity.middleware.DenyByDefaultMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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
                "onestop.portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'onestop.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A web process answers HTTP on a fixed pool of threads (config/http.py), so a
    # connection kept per thread stays bounded: no reconnect and no PRAGMAs per request.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=600))
else:
    # Django's own psycopg pool (decision 0013): a request borrows a connection and gives it
    # back when it ends, instead of opening one (a TCP and authentication round trip) each
    # time. Each process keeps its own pool; size max_size to the web process's threads,
    # and the server's max_connections to the sum over every process. DB_POOL=false goes
    # back to a connection per request (behind PgBouncer in transaction mode, say).
    if env.bool("DB_POOL", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=16),
            # A request waits this long for a connection before it fails.
            "timeout": env.int("DB_POOL_TIMEOUT", default=10),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    else:
        DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Web process ------------------------------------------------------------------------------
# Threads that answer HTTP in each web process (config/http.py): requests served at once,
# and on PostgreSQL at most as many pooled connections in use.
ONESTOP_HTTP_THREADS = env.int("ONESTOP_HTTP_THREADS", default=8)

# --- Cache and realtime --------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py's default 5 s socket timeout equals channels-redis's blocking wait,
            # so an idle WebSocket (a call board between calls) would drop every 5 s.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background tasks ----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Client address ------------------------------------------------------------------------
# The proxies (addresses or networks, e.g. "10.0.0.0/8,127.0.0.1") whose X-Forwarded-For
# entries are believed; the client is the rightmost hop that is not one of them. Empty: the
# header is ignored and the socket's peer is the client (onestop/core/client_address.py).
ONESTOP_TRUSTED_PROXIES = env.list("ONESTOP_TRUSTED_PROXIES", default=[])

# --- Browser security ---------------------------------------------------------------------
# Added to the Content-Security-Policy (onestop/core/security.py), e.g.
# "img-src https://tiles.example.gov.cn; connect-src https://tiles.example.gov.cn".
ONESTOP_CSP_EXTRA = env("ONESTOP_CSP_EXTRA", default="")

# --- Identity ------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = ["onestop.identity.auth_backends.StaffPasswordBackend"]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Sign-in throttle (onestop/identity/services/throttle.py, decision 0014), all counted within
# the window and per sign-in method: an account from one address slows down after
# MAX_FAILURES misses (DELAY_SECONDS, doubling with each further miss); an address stops after
# MAX_FAILURES_PER_ADDRESS misses over all accounts; an account stops after
# MAX_FAILURES_PER_ACCOUNT misses over all addresses, except from addresses it signed in from
# within KNOWN_ADDRESS_DAYS.
ONESTOP_SIGNIN_WINDOW_SECONDS = env.int("ONESTOP_SIGNIN_WINDOW_SECONDS", default=15 * 60)
ONESTOP_SIGNIN_MAX_FAILURES = env.int("ONESTOP_SIGNIN_MAX_FAILURES", default=5)
ONESTOP_SIGNIN_DELAY_SECONDS = env.int("ONESTOP_SIGNIN_DELAY_SECONDS", default=60)
ONESTOP_SIGNIN_MAX_FAILURES_PER_ADDRESS = env.int(
    "ONESTOP_SIGNIN_MAX_FAILURES_PER_ADDRESS", default=30
)
ONESTOP_SIGNIN_MAX_FAILURES_PER_ACCOUNT = env.int(
    "ONESTOP_SIGNIN_MAX_FAILURES_PER_ACCOUNT", default=20
)
ONESTOP_SIGNIN_KNOWN_ADDRESS_DAYS = env.int("ONESTOP_SIGNIN_KNOWN_ADDRESS_DAYS", default=30)
ONESTOP_SMS_CODE_TTL_SECONDS = env.int("ONESTOP_SMS_CODE_TTL_SECONDS", default=5 * 60)
# SMS sign-in codes: one per number a minute, and at most this many per number a day and per
# client address an hour and a day (a hall's shared address may need more).
ONESTOP_SMS_CODES_PER_PHONE_PER_DAY = env.int("ONESTOP_SMS_CODES_PER_PHONE_PER_DAY", default=10)
ONESTOP_SMS_CODES_PER_ADDRESS_PER_HOUR = env.int(
    "ONESTOP_SMS_CODES_PER_ADDRESS_PER_HOUR", default=10
)
ONESTOP_SMS_CODES_PER_ADDRESS_PER_DAY = env.int("ONESTOP_SMS_CODES_PER_ADDRESS_PER_DAY", default=30)
# API tokens expire: after these many days when the issuer names no expiry (a citizen's
# token from a partner channel's sign-in always gets its default), and never later than
# ONESTOP_TOKEN_MAX_DAYS after issue, whatever is asked for or was stored before.
ONESTOP_CITIZEN_TOKEN_DAYS = env.int("ONESTOP_CITIZEN_TOKEN_DAYS", default=30)
ONESTOP_STAFF_TOKEN_DAYS = env.int("ONESTOP_STAFF_TOKEN_DAYS", default=30)
ONESTOP_MACHINE_TOKEN_DAYS = env.int("ONESTOP_MACHINE_TOKEN_DAYS", default=180)
ONESTOP_TOKEN_MAX_DAYS = env.int("ONESTOP_TOKEN_MAX_DAYS", default=365)
# Full identifiers (onestop/identity/services/reveal.py): attempts per actor an hour and a
# day, refused ones included; refusals for want of a purpose within an hour that raise the
# alarm to platform admins and data stewards (so does reaching a limit).
ONESTOP_REVEAL_MAX_PER_HOUR = env.int("ONESTOP_REVEAL_MAX_PER_HOUR", default=30)
ONESTOP_REVEAL_MAX_PER_DAY = env.int("ONESTOP_REVEAL_MAX_PER_DAY", default=100)
ONESTOP_REVEAL_ALARM_REFUSALS = env.int("ONESTOP_REVEAL_ALARM_REFUSALS", default=5)
ONESTOP_CARD_READER = env(
    "ONESTOP_CARD_READER", default="onestop.identity.card_reader.SimulatedCardReader"
)
# People one kiosk or clerk may register from cards seen for the first time, per hour.
ONESTOP_CARD_REGISTRATIONS_PER_HOUR = env.int("ONESTOP_CARD_REGISTRATIONS_PER_HOUR", default=60)

# --- Appointments --------------------------------------------------------------------------
# City-wide booking rules, read from ONESTOP_BOOKING_<NAME> when set; the defaults and what
# each means are in onestop/appointments/rules.py, and a centre overrides its own in the admin.
for _name in (
    "OPEN_DAYS_AHEAD",
    "CANCEL_CUTOFF_MINUTES",
    "RELEASE_HOLD_MINUTES",
    "CHECKIN_EARLY_MINUTES",
    "CHECKIN_LATE_MINUTES",
    "MAX_OPEN",
    "NO_SHOW_LIMIT",
    "NO_SHOW_WINDOW_DAYS",
    "BLOCK_DAYS",
):
    if f"ONESTOP_BOOKING_{_name}" in os.environ:
        globals()[f"ONESTOP_BOOKING_{_name}"] = env.int(f"ONESTOP_BOOKING_{_name}")
for _name in ("OPEN_TIME", "REMINDER_TIME"):
    if f"ONESTOP_BOOKING_{_name}" in os.environ:
        globals()[f"ONESTOP_BOOKING_{_name}"] = env(f"ONESTOP_BOOKING_{_name}")

# --- Hall --------------------------------------------------------------------------------
# Days after a visit in which it may still be rated (好差评).
ONESTOP_RATING_PERIOD_DAYS = env.int("ONESTOP_RATING_PERIOD_DAYS", default=7)
# What call boards say; the default is in onestop/hall/pages.py.
if "ONESTOP_HALL_CALL_SPEECH" in os.environ:
    ONESTOP_HALL_CALL_SPEECH = env("ONESTOP_HALL_CALL_SPEECH")

# --- Search ----------------------------------------------------------------------------------
# A server loads the search index and its dictionaries before it takes requests (ASGI
# lifespan, config/lifespan.py), so the first search after a start is not the slow one.
SEARCH_WARM_AT_START = env.bool("SEARCH_WARM_AT_START", default=True)

# --- Personal data -------------------------------------------------------------------------
# "kid:base64key,kid:base64key": the first key encrypts, every listed key decrypts.
ONESTOP_PII_KEYS = env("ONESTOP_PII_KEYS", default="")
# The blind-index key never rotates with the encryption keys: rotating it means re-indexing.
ONESTOP_PII_INDEX_KEY = env("ONESTOP_PII_INDEX_KEY", default="")

# --- Audit log ----------------------------------------------------------------------------
# `onestop audit anchor` appends each audit stream's signed head here (JSON lines) and to the
# `onestop.audit.anchor` logger; `onestop audit verify` reads it back. Keep it where the
# database's administrators cannot rewrite it (docs/operations.md).
ONESTOP_AUDIT_ANCHOR_FILE = env(
    "ONESTOP_AUDIT_ANCHOR_FILE", default=str(VAR_DIR / "audit" / "anchors.jsonl")
)
# "kid:base64key,kid:base64key": the first key signs anchors, every listed key verifies.
ONESTOP_AUDIT_ANCHOR_KEY = env("ONESTOP_AUDIT_ANCHOR_KEY", default="")

# --- Public address ---------------------------------------------------------------------------
# Where citizens reach the platform, for links read outside a request: in an SMS, on paper.
ONESTOP_PUBLIC_URL = env("ONESTOP_PUBLIC_URL", default="http://localhost:8000").rstrip("/")

# --- E-licences ------------------------------------------------------------------------------
# The issuer of e-licences (SD-JWT VC `iss`): the platform's public address, where
# /.well-known/jwt-vc-issuer and the JWKS are served (decision 0028).
ONESTOP_LICENCE_ISSUER_URL = env("ONESTOP_LICENCE_ISSUER_URL", default=ONESTOP_PUBLIC_URL)
# "kid:base64(PEM),...": ES256 private keys, the first signs; when empty, the key files in
# ONESTOP_LICENCE_KEY_DIR are used, and a first key is generated there if allowed.
ONESTOP_LICENCE_SIGNING_KEYS = env("ONESTOP_LICENCE_SIGNING_KEYS", default="")
ONESTOP_LICENCE_KEY_DIR = env("ONESTOP_LICENCE_KEY_DIR", default=str(VAR_DIR / "licence-keys"))
ONESTOP_LICENCE_KEY_GENERATE = env.bool("ONESTOP_LICENCE_KEY_GENERATE", default=True)
# How long a published status list may be cached (its `ttl`), in seconds.
ONESTOP_LICENCE_STATUS_TTL = env.int("ONESTOP_LICENCE_STATUS_TTL", default=60)

# --- Notifications -------------------------------------------------------------------------
ONESTOP_SMS_BACKEND = env("ONESTOP_SMS_BACKEND", default="console")
ONESTOP_SMS_GATEWAY_URL = env("ONESTOP_SMS_GATEWAY_URL", default="")
ONESTOP_SMS_GATEWAY_KEY = env("ONESTOP_SMS_GATEWAY_KEY", default="")
ONESTOP_SMS_FILE_DIR = env("ONESTOP_SMS_FILE_DIR", default=str(VAR_DIR / "sms"))
ONESTOP_OUTBOX_MAX_ATTEMPTS = env.int("ONESTOP_OUTBOX_MAX_ATTEMPTS", default=8)
ONESTOP_OUTBOX_BACKOFF_SECONDS = env.int("ONESTOP_OUTBOX_BACKOFF_SECONDS", default=30)
ONESTOP_OUTBOX_LEASE_SECONDS = env.int("ONESTOP_OUTBOX_LEASE_SECONDS", default=60)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@onestop.invalid")

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Tokens in URLs (a ticket's phone page, its status API, its WebSocket) are the only key
    # to what they open: every line passes this filter, which blanks them out of paths.
    "filters": {
        "redact_tokens": {
            "()": "onestop.core.log_redaction.RedactTokensFilter",
            "websocket_routes": "config.routing.websocket_urlpatterns",
        }
    },
    # The handler's level, not only the root's: Django's own loggers (django.request logs
    # every 4xx) propagate to it whatever the root's level is.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
            "level": env("LOG_LEVEL", default="INFO"),
        },
        "audit_anchor": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Audit anchors are the copy of each stream's head that the central logs keep: they
        # are written whatever LOG_LEVEL quietens.
        "onestop.audit.anchor": {
            "handlers": ["audit_anchor"],
            "level": "INFO",
            "propagate": False,
        },
        # The web server's request and connection lines carry paths too: send them through
        # the filtered handler instead of the server's own (their levels stay as the server
        # set them).
        "uvicorn": {"handlers": [], "propagate": True},
        "uvicorn.access": {"handlers": [], "propagate": True},
        "_granian": {"handlers": [], "propagate": True},
        "granian.access": {"handlers": [], "propagate": True},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
