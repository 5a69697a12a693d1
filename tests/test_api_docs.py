"""The API's documentation page loads Swagger UI from the platform's own static files, so it
works with no network; and every page names the platform's icon."""

import json
import re

from django.contrib.staticfiles import finders


def test_the_api_docs_load_every_asset_from_the_platform(client):
    # when
    response = client.get("/api/v1/docs")

    # then every script and stylesheet is a static file the platform ships
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert response.status_code == 200
    assert len(assets) == 4
    assert [a for a in assets if not a.startswith("/static/")] == []
    assert [a for a in assets if finders.find(a.removeprefix("/static/")) is None] == []
    # and Swagger UI reads the schema here and calls no outside validator
    settings = json.loads(re.search(r'id="swagger-settings"[^>]*>(.*?)</script>', html).group(1))
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None


def test_pages_name_the_icon(client):
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("favicon.svg") is not None
