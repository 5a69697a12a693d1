"""Production profile: refuses to start without its secrets and passes check --deploy."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env

for _required in (
    "SECRET_KEY",
    "ONESTOP_PII_KEYS",
    "ONESTOP_PII_INDEX_KEY",
    "ONESTOP_AUDIT_ANCHOR_KEY",
    "DATABASE_URL",
    "ONESTOP_PUBLIC_URL",
):
    if not env(_required, default=""):
        raise ImproperlyConfigured(f"{_required} must be set in production")

SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Licence signing keys come from the environment or an operator's key files, never generated
# by a production process.
ONESTOP_LICENCE_KEY_GENERATE = env.bool("ONESTOP_LICENCE_KEY_GENERATE", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
