"""Write the API's current OpenAPI document to tests/openapi.json (`make openapi`)."""

import json
import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.test import Client  # noqa: E402

schema = Client(SERVER_NAME="localhost").get("/api/v1/openapi.json").json()
target = Path(__file__).resolve().parent.parent / "tests" / "openapi.json"
target.write_text(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
print(f"wrote {target}")  # noqa: T201
