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
    "onestop.ratings",
    "onestop.hall_statistics",
    "onestop.portal",
    "onestop.demo",
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
else:
    # Under ASGI each request may run on a different thread: persistent connections would
    # pile up one per thread, so the default is a connection per request (use a pooler,
    # e.g. PgBouncer, in production).
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
# Sign-in throttle: this many failures per account or per address within the window lock
# further attempts until the window passes.
ONESTOP_SIGNIN_MAX_FAILURES = env.int("ONESTOP_SIGNIN_MAX_FAILURES", default=5)
ONESTOP_SIGNIN_WINDOW_SECONDS = env.int("ONESTOP_SIGNIN_WINDOW_SECONDS", default=15 * 60)
ONESTOP_SMS_CODE_TTL_SECONDS = env.int("ONESTOP_SMS_CODE_TTL_SECONDS", default=5 * 60)
# How long a citizen's token from a partner channel's sign-in lasts.
ONESTOP_CITIZEN_TOKEN_DAYS = env.int("ONESTOP_CITIZEN_TOKEN_DAYS", default=30)
ONESTOP_CARD_READER = env(
    "ONESTOP_CARD_READER", default="onestop.identity.card_reader.SimulatedCardReader"
)

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
    # The handler's level, not only the root's: Django's own loggers (django.request logs
    # every 4xx) propagate to it whatever the root's level is.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "level": env("LOG_LEVEL", default="INFO"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

NINJA_PAGINATION_PER_PAGE = 50
