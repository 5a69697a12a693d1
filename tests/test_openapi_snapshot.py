"""The published API changes only on purpose: the schema must match the committed snapshot.

After a deliberate change, refresh it with `make openapi` and review the diff.
"""

import json
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "openapi.json"


def test_openapi_matches_the_committed_snapshot(client):
    # when
    response = client.get("/api/v1/openapi.json")

    # then
    assert response.status_code == 200
    current = response.json()
    expected = json.loads(SNAPSHOT.read_text())
    assert current == expected, "the API changed: run `make openapi`, review and commit the diff"


def test_openapi_is_served_to_anonymous_callers(client):
    response = client.get("/api/v1/openapi.json")
    assert response.json()["info"]["title"] == "onestop"
