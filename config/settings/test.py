"""Test profile: fresh random keys per run, fast hashing, no network but loopback.

Keys go into the environment so that processes a test starts (workers it kills, servers
it runs) read the same ones.
"""

import base64
import os
import secrets
import tempfile

for _name, _value in {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ONESTOP_PII_KEYS": f"t1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
    "ONESTOP_PII_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    "ONESTOP_AUDIT_ANCHOR_KEY": f"t1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
    # Anchors a run writes stay out of var/; tests that anchor give each test a file of its own.
    "ONESTOP_AUDIT_ANCHOR_FILE": os.path.join(
        tempfile.gettempdir(), f"onestop-test-anchors-{secrets.token_hex(8)}.jsonl"
    ),
    # Licence signing keys generated for the run, outside var/.
    "ONESTOP_LICENCE_KEY_DIR": os.path.join(
        tempfile.gettempdir(), f"onestop-test-licence-keys-{secrets.token_hex(8)}"
    ),
}.items():
    os.environ.setdefault(_name, _value)

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import env  # noqa: E402

SECRET_KEY = env("SECRET_KEY")
ONESTOP_PII_KEYS = env("ONESTOP_PII_KEYS")
ONESTOP_PII_INDEX_KEY = env("ONESTOP_PII_INDEX_KEY")
ONESTOP_AUDIT_ANCHOR_KEY = env("ONESTOP_AUDIT_ANCHOR_KEY")
ONESTOP_LICENCE_KEY_DIR = env("ONESTOP_LICENCE_KEY_DIR")
ONESTOP_PUBLIC_URL = "https://onestop.test"
ONESTOP_LICENCE_ISSUER_URL = ONESTOP_PUBLIC_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ONESTOP_SMS_BACKEND = env("ONESTOP_SMS_BACKEND", default="memory")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LANGUAGE_CODE = "en"  # messages raised outside a request read the same on every machine
if REDIS_URL:  # noqa: F405
    # Test runs and their workers each use a database of their own; their cached values
    # (catalog counts, theme names) must not cross over in a shared Redis either.
    CACHES["default"]["KEY_PREFIX"] = "test:{}:{}".format(  # noqa: F405
        DATABASES["default"].get("NAME", ""),  # noqa: F405
        os.environ.get("PYTEST_XDIST_WORKER", "main"),
    )
