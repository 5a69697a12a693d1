"""What every API operation holds its callers to: JSON bodies that say so, of the types the
schema declares, within the size limit; every refusal as problem+json and declared."""

import json

import pytest

from onestop.core.access import Role
from onestop.identity.models import ApiToken, Person
from onestop.identity.tests.factories import machine, platform_admin, staff

pytestmark = pytest.mark.django_db

SMS_CODE = "/api/v1/identity/signin/sms-code"
PERSONS = "/api/v1/identity/persons"
TOKENS = "/api/v1/identity/tokens"


def test_a_body_over_the_limit_is_413_for_a_public_operation_and_a_page(client, settings):
    # given
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = json.dumps({"phone": "1" * 2000})

    # when
    api = client.post(SMS_CODE, big, content_type="application/json")
    page = client.post("/account/login/", {"username": "x" * 2000, "password": "y"})

    # then
    assert api.status_code == page.status_code == 413
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "request_too_large"


def test_a_json_body_sent_as_text_is_415(client):
    # when
    response = client.post(
        SMS_CODE, json.dumps({"phone": "13800138000"}), content_type="text/plain"
    )

    # then
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_json_subtype_is_accepted(client):
    # when
    response = client.post(
        SMS_CODE,
        json.dumps({"phone": "13800138000"}),
        content_type="application/merge-patch+json; charset=utf-8",
    )

    # then
    assert response.status_code == 202


def test_malformed_json_is_400(client):
    # when
    response = client.post(SMS_CODE, '{"phone": ', content_type="application/json")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


@pytest.mark.parametrize("user_id", [True, "1", 1.5])
def test_an_id_must_be_a_json_integer(client, user_id):
    # given: an admin issuing a token, naming the owner by id
    client.force_login(platform_admin())
    machine()

    # when
    response = client.post(
        TOKENS, {"name": "kiosk", "user_id": user_id}, content_type="application/json"
    )

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "user_id"]
    assert not ApiToken.objects.exists()


def test_text_fields_take_strings_only(client):
    # given
    client.force_login(staff(Role.WINDOW_CLERK))

    # when
    response = client.post(
        PERSONS, {"name": "张三", "id_number": 440106199003071231}, content_type="application/json"
    )

    # then
    assert response.status_code == 422
    assert not Person.objects.exists()


def test_every_operation_declares_its_problems_with_the_shared_schema(client):
    # when
    schema = client.get("/api/v1/openapi.json").json()

    # then: a signed-in write with a path declares the lot; a public read what it can give
    assert schema["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "code",
    ]
    rotate = schema["paths"]["/api/v1/identity/tokens/{token_id}/rotate"]["post"]["responses"]
    assert {"401", "403", "404", "409", "422"} <= set(rotate)
    sms = schema["paths"][SMS_CODE]["post"]["responses"]
    assert {"400", "413", "415", "422", "429"} <= set(sms)
    assert "401" not in sms
    problem = sms["429"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
