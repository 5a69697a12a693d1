"""Development and demo profile: runs with nothing configured.

Secrets the developer did not set are generated once into var/dev-secrets.env, so a demo
database stays readable across restarts and no secret ever lives in the repository.
"""

import base64
import os
import secrets

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR, env

_secrets_file = VAR_DIR / "dev-secrets.env"
_generated = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "ONESTOP_PII_KEYS": lambda: f"dev1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
    "ONESTOP_PII_INDEX_KEY": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    "ONESTOP_AUDIT_ANCHOR_KEY": lambda: (
        f"dev1:{base64.b64encode(secrets.token_bytes(32)).decode()}"
    ),
}
_present = (
    {line.split("=", 1)[0] for line in _secrets_file.read_text().splitlines() if "=" in line}
    if _secrets_file.exists()
    else set()
)
# A secret added after the file was first written is appended; existing ones never change,
# so a demo database stays readable.
_missing = [name for name in _generated if name not in _present]
if _missing:
    with _secrets_file.open("a") as _file:
        _file.writelines(f"{name}={_generated[name]()}\n" for name in _missing)
    os.chmod(_secrets_file, 0o600)
env.read_env(str(_secrets_file), overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY")
ONESTOP_PII_KEYS = env("ONESTOP_PII_KEYS")
ONESTOP_PII_INDEX_KEY = env("ONESTOP_PII_INDEX_KEY")
ONESTOP_AUDIT_ANCHOR_KEY = env("ONESTOP_AUDIT_ANCHOR_KEY")

# Serve static files straight from the source folders: no collectstatic in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
