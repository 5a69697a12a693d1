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
if not _secrets_file.exists():
    _secrets_file.write_text(
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"ONESTOP_PII_KEYS=dev1:{base64.b64encode(secrets.token_bytes(32)).decode()}\n"
        f"ONESTOP_PII_INDEX_KEY={base64.b64encode(secrets.token_bytes(32)).decode()}\n"
    )
    os.chmod(_secrets_file, 0o600)
env.read_env(str(_secrets_file), overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY")
ONESTOP_PII_KEYS = env("ONESTOP_PII_KEYS")
ONESTOP_PII_INDEX_KEY = env("ONESTOP_PII_INDEX_KEY")

# Serve static files straight from the source folders: no collectstatic in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
