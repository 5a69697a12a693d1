"""What we issue verifies with code we did not write (tests/independent.py), and every way a
credential can be wrong gets its own answer, from our verifier and the independent one."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import ECKey
from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS

from onestop.licences import credentials, keys, selectors, services, statuslist
from onestop.licences.tests import factories, independent

pytestmark = pytest.mark.django_db


def _credential(licence) -> str:
    return selectors.licence_credential(licence)


def _parts(credential: str) -> tuple[dict, dict, list[str]]:
    jwt, *disclosures = credential.split("~")
    header, payload, _signature = jwt.split(".")
    return (
        json.loads(credentials.b64url_decode(header)),
        json.loads(credentials.b64url_decode(payload)),
        [d for d in disclosures if d],
    )


def _resign(credential: str, *, header: dict, payload: dict, key: ECKey) -> str:
    _h, _p, disclosures = _parts(credential)
    token = jws.serialize_compact(
        header, json.dumps(payload).encode(), key, algorithms=[header["alg"]]
    )
    return "~".join([token, *disclosures]) + "~"


def test_an_issued_licence_verifies_with_the_reference_verifier_and_jwcrypto(catalog, client):
    # given
    issued = factories.residence_permit()
    licence = issued.licence
    credential = _credential(licence)

    # when
    result, claims = independent.verify(client, credential, now=timezone.now())

    # then
    header, payload, disclosures = _parts(credential)
    assert result == "valid"
    assert (header["typ"], header["alg"]) == ("dc+sd-jwt", "ES256")
    assert claims["iss"] == "https://onestop.test"
    assert claims["jti"] == licence.identifier
    assert claims["vct"] == f"https://onestop.test/licences/types/{licence.licence_type_code}"
    assert claims["face"] == licence.face
    assert claims["holder_name"] == licence.holder_name
    assert claims["iat"] == credentials.day_start(licence.issued_on)
    assert licence.valid_until is not None
    assert claims["exp"] == credentials.day_start(licence.valid_until + timedelta(days=1))
    # the personal claims are only in disclosures, never in the signed payload itself
    assert "holder_code" not in payload
    assert "name" not in payload["face"]
    assert len(disclosures) == 3 + len(licence.face)


def test_a_second_jose_library_accepts_the_signature_with_the_published_key(catalog, client):
    # given
    credential = _credential(factories.residence_permit().licence)
    jwks = client.get("/.well-known/jwks.json").json()

    # when
    token = JWS()
    token.deserialize(credential.split("~")[0])
    key = JWK(**next(k for k in jwks["keys"] if k["kid"] == token.jose_header["kid"]))
    token.verify(key, alg="ES256")

    # then
    assert json.loads(token.payload)["jti"].startswith("1.2.156.3005.2.")


def test_a_presentation_discloses_only_the_chosen_fields(catalog):
    # given
    credential = _credential(factories.residence_permit().licence)

    # when
    presented = credentials.presentation_make(credential, {"holder_name", "face.address"})
    answer = selectors.licence_verify_credential(presented)

    # then
    assert answer.result == "valid"
    assert set(answer.disclosed) == {"holder_name"}
    assert set(answer.face) == {"address"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (services.licence_revoke, "revoked"),
        (services.licence_suspend, "suspended"),
    ],
)
def test_a_status_change_shows_in_the_status_list_and_both_verifiers(
    catalog, client, django_capture_on_commit_callbacks, change, expected
):
    # given
    issued = factories.residence_permit()
    credential = _credential(issued.licence)
    client.get(f"/licences/status/{issued.licence.status_list_id}")  # cached before the change

    # when
    with django_capture_on_commit_callbacks(execute=True):
        change(actor=issued.officer, licence_id=issued.licence.pk, reason="违反居住证管理规定")

    # then
    assert independent.verify(client, credential, now=timezone.now())[0] == expected
    ours = selectors.licence_verify_credential(credential)
    assert (ours.result, ours.reason) == (expected, "违反居住证管理规定")


def test_a_reinstated_licence_is_valid_again_in_the_status_list(catalog, client):
    # given
    issued = factories.residence_permit()
    services.licence_suspend(actor=issued.officer, licence_id=issued.licence.pk, reason="核查中")

    # when
    services.licence_reinstate(actor=issued.officer, licence_id=issued.licence.pk)

    # then
    assert independent.verify(client, _credential(issued.licence), now=timezone.now())[0] == "valid"


def test_a_renewed_licence_replaces_the_old_one_which_answers_superseded(catalog, client):
    # given
    issued = factories.residence_permit()
    old = _credential(issued.licence)

    # when
    new = services.licence_renew(actor=issued.officer, licence_id=issued.licence.pk)

    # then
    assert new.version == 2 and new.serial == issued.licence.serial
    assert new.identifier.split(".")[-2] == "002"
    answer = selectors.licence_verify_credential(old)
    assert (answer.result, answer.reason, answer.replaced_by) == (
        "revoked",
        "superseded",
        new.identifier,
    )
    assert independent.verify(client, old, now=timezone.now())[0] == "revoked"
    assert independent.verify(client, _credential(new), now=timezone.now())[0] == "valid"


def test_a_changed_licence_carries_the_new_face(catalog):
    # given
    issued = factories.residence_permit()

    # when
    new = services.licence_change(
        actor=issued.officer,
        licence_id=issued.licence.pk,
        face={"address": "广州市越秀区北京路2号"},
    )

    # then
    answer = selectors.licence_verify_credential(_credential(new))
    assert answer.face["address"] == "广州市越秀区北京路2号"
    assert new.valid_until == issued.licence.valid_until


def test_an_expired_licence_fails_in_both_verifiers(catalog, client):
    # given
    issued = factories.residence_permit()
    credential = _credential(issued.licence)
    later = timezone.now() + timedelta(days=400)

    # when
    with time_machine.travel(later, tick=False):
        ours = selectors.licence_verify_credential(credential)
        theirs = independent.verify(client, credential, now=later)[0]

    # then
    assert (ours.result, theirs) == ("expired", "expired")


def test_a_bit_flipped_credential_is_tampered_for_both(catalog, client):
    # given
    credential = _credential(factories.residence_permit().licence)
    jwt, rest = credential.split("~", 1)
    header, payload, signature = jwt.split(".")
    flipped = payload[:20] + ("A" if payload[20] != "A" else "B") + payload[21:]

    # when
    tampered = f"{header}.{flipped}.{signature}~{rest}"

    # then
    assert selectors.licence_verify_credential(tampered).result == "tampered"
    assert independent.verify(client, tampered, now=timezone.now())[0] == "tampered"


def test_a_truncated_credential_is_tampered(catalog):
    # given
    credential = _credential(factories.residence_permit().licence)
    jwt = credential.split("~")[0]

    # when
    answer = selectors.licence_verify_credential(jwt[: len(jwt) - 12])

    # then
    assert (answer.result, answer.reason) == ("tampered", "signature")


def test_a_changed_disclosure_is_tampered(catalog):
    # given
    credential = _credential(factories.residence_permit().licence)
    jwt, first, *rest = credential.split("~")
    salt, name, _value = json.loads(credentials.b64url_decode(first))
    forged = credentials.b64url(json.dumps([salt, name, "王五"]).encode())

    # when
    answer = selectors.licence_verify_credential("~".join([jwt, forged, *rest]))

    # then
    assert (answer.result, answer.reason) == ("tampered", "disclosure")


def test_the_same_claims_signed_by_another_key_are_caught(catalog, client):
    # given: the claims re-signed by a key of someone else's, under our key id
    credential = _credential(factories.residence_permit().licence)
    header, payload, _ = _parts(credential)
    forged = _resign(credential, header=header, payload=payload, key=ECKey.generate_key("P-256"))

    # when
    ours = selectors.licence_verify_credential(forged)
    theirs = independent.verify(client, forged, now=timezone.now())[0]

    # then
    assert ((ours.result, ours.reason), theirs) == (("tampered", "signature"), "tampered")


def test_a_key_we_never_published_is_an_unknown_issuer(catalog, client):
    # given
    credential = _credential(factories.residence_permit().licence)
    header, payload, _ = _parts(credential)
    forged = _resign(
        credential,
        header={**header, "kid": "theirs"},
        payload=payload,
        key=ECKey.generate_key("P-256"),
    )

    # when
    ours = selectors.licence_verify_credential(forged)
    theirs = independent.verify(client, forged, now=timezone.now())[0]

    # then
    assert ((ours.result, ours.reason), theirs) == (("unknown_issuer", "key"), "unknown_issuer")


def test_another_issuers_credential_is_an_unknown_issuer(catalog):
    # given
    credential = _credential(factories.residence_permit().licence)
    header, payload, _ = _parts(credential)
    key = ECKey.generate_key("P-256")
    forged = _resign(
        credential, header=header, payload={**payload, "iss": "https://elsewhere.example"}, key=key
    )

    # when
    answer = selectors.licence_verify_credential(forged)

    # then
    assert (answer.result, answer.reason) == ("unknown_issuer", "issuer")


def test_alg_none_is_refused_before_any_key(catalog):
    # given
    credential = _credential(factories.residence_permit().licence)
    header, payload, disclosures = _parts(credential)
    unsigned = ".".join(
        [
            credentials.b64url(json.dumps({**header, "alg": "none"}).encode()),
            credentials.b64url(json.dumps(payload).encode()),
            "",
        ]
    )

    # when
    answer = selectors.licence_verify_credential("~".join([unsigned, *disclosures]) + "~")

    # then
    assert (answer.result, answer.reason) == ("tampered", "algorithm_not_allowed")


def test_an_hmac_token_keyed_with_the_public_key_is_refused(catalog, client):
    # given: the classic confusion, HS256 with the published public key as the secret
    credential = _credential(factories.residence_permit().licence)
    header, payload, disclosures = _parts(credential)
    public = json.dumps(client.get("/.well-known/jwks.json").json()["keys"][0]).encode()
    signing_input = ".".join(
        [
            credentials.b64url(json.dumps({**header, "alg": "HS256"}).encode()),
            credentials.b64url(json.dumps(payload).encode()),
        ]
    )
    mac = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{credentials.b64url(mac)}~" + "~".join(disclosures) + "~"

    # when
    answer = selectors.licence_verify_credential(forged)

    # then
    assert (answer.result, answer.reason) == ("tampered", "algorithm_not_allowed")


def test_after_a_key_rotation_old_licences_still_verify_and_new_ones_use_the_new_key(
    catalog, client
):
    # given
    before = factories.residence_permit().licence
    old_kid = before.signing_kid

    # when
    new_kid = services.signing_key_rotate(actor=None)
    after = factories.residence_permit().licence

    # then
    published = {key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]}
    assert {old_kid, new_kid} <= published
    assert after.signing_kid == new_kid != old_kid
    assert independent.verify(client, _credential(before), now=timezone.now())[0] == "valid"
    assert independent.verify(client, _credential(after), now=timezone.now())[0] == "valid"
    metadata = client.get("/.well-known/jwt-vc-issuer").json()
    assert metadata["issuer"] == "https://onestop.test"
    assert {k["kid"] for k in metadata["jwks"]["keys"]} == published


def test_the_status_list_bit_order_is_the_drafts():
    # when: index 0 invalid, index 3 suspended, index 5 invalid (two bits each)
    array = statuslist.pack(8, 2, [(0, 1), (3, 2), (5, 1)])

    # then: byte 0 holds indices 0-3 from its lowest bits up, byte 1 indices 4-7
    assert array == bytes([0b10_00_00_01, 0b00_00_01_00])
    assert statuslist.decode(statuslist.encode(array)) == array
    assert [statuslist.status_at(array, i, 2) for i in range(8)] == [1, 0, 0, 2, 0, 1, 0, 0]


def test_a_status_list_that_inflates_too_far_is_refused():
    # given: a few kilobytes that inflate to 32 MB
    bomb = credentials.b64url(zlib_bomb := __import__("zlib").compress(bytes(32 * 1024 * 1024), 9))

    # when / then
    assert len(zlib_bomb) < 64 * 1024
    with pytest.raises(ValueError):
        statuslist.decode(bomb)


def test_a_signer_from_the_environment_signs_and_refuses_to_rotate(tmp_path):
    # given
    key = ECKey.generate_key("P-256", private=True)
    spec = "k1:" + base64.b64encode(key.as_pem(private=True)).decode()
    signer = keys.LocalSigner(env_keys=spec, key_dir=tmp_path, generate=False)

    # when
    token = signer.sign_compact({"typ": "x"}, b"{}")

    # then
    assert jws.deserialize_compact(token, key, algorithms=["ES256"]).headers()["kid"] == "k1"
    assert not list(tmp_path.iterdir())
    with pytest.raises(Exception, match="ONESTOP_LICENCE_SIGNING_KEYS"):
        signer.rotate()


def test_the_rotate_key_command_adds_a_current_key_and_keeps_the_old(catalog, client):
    # given
    from io import StringIO

    from django.core.management import call_command

    before = {key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]}
    out = StringIO()

    # when
    call_command("licences", "rotate-key", stdout=out)

    # then
    after = [key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]]
    assert before < set(after)
    assert after[0] == keys.signer().current_kid
    assert f"signing key {after[0]} is current" in out.getvalue()
