"""A verifier written against the specifications with code we did not write: the sd-jwt
reference implementation (which checks the signature and the disclosures, through
jwcrypto) and jwcrypto for the JWKS and the status list. It adds the checks the reference
verifier skips: typ, alg, exp, nbf, vct and the Token Status List.

It reads the issuer's keys and status lists over the site's public URLs, as an outside
verifier would, through Django's test client.
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import datetime
from typing import Any

from jwcrypto.jwk import JWK, JWKSet
from jwcrypto.jws import JWS
from sd_jwt.verifier import SDJWTVerifier

ISSUER = "https://onestop.test"


class Failed(Exception):
    pass


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _keys(client: Any) -> JWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return JWKSet.from_json(response.content)


def _key(keys: JWKSet, kid: Any) -> JWK:
    key = keys.get_key(kid) if isinstance(kid, str) else None
    if key is None:
        raise Failed("unknown_issuer")
    return key


def _status(client: Any, keys: JWKSet, reference: dict[str, Any]) -> int:
    uri, index = reference["uri"], reference["idx"]
    assert uri.startswith(ISSUER)
    response = client.get(uri[len(ISSUER) :])
    assert response["Content-Type"] == "application/statuslist+jwt"
    token = JWS()
    token.deserialize(response.content.decode())
    header = token.jose_header
    if header.get("typ") != "statuslist+jwt" or header.get("alg") != "ES256":
        raise Failed("tampered")
    token.verify(_key(keys, header.get("kid")), alg="ES256")
    claims = json.loads(token.payload)
    assert claims["sub"] == uri
    bits = claims["status_list"]["bits"]
    array = zlib.decompress(_b64(claims["status_list"]["lst"]))
    # The draft's bit order: index i at bit (i * bits) % 8 of byte (i * bits) // 8, counted
    # from the least significant bit.
    return (array[index * bits // 8] >> (index * bits % 8)) & ((1 << bits) - 1)


def verify(client: Any, credential: str, *, now: datetime) -> tuple[str, dict[str, Any]]:
    """(result, the verified claims with the disclosed ones folded in)."""
    keys = _keys(client)
    header = json.loads(_b64(credential.split("~", maxsplit=1)[0].split(".", maxsplit=1)[0]))
    if header.get("alg") != "ES256" or header.get("typ") != "dc+sd-jwt":
        return "tampered", {}
    try:
        verifier = SDJWTVerifier(
            credential,
            lambda issuer, header: (
                _key(keys, header.get("kid"))
                if issuer == ISSUER
                else (_ for _ in ()).throw(Failed("unknown_issuer"))
            ),
        )
        claims = verifier.get_verified_payload()
    except Failed as failed:
        return str(failed), {}
    except Exception:
        return "tampered", {}
    if not claims.get("vct", "").startswith(f"{ISSUER}/licences/types/"):
        return "tampered", claims
    moment = now.timestamp()
    if claims.get("nbf", 0) > moment or ("exp" in claims and claims["exp"] <= moment):
        return "expired", claims
    status = _status(client, keys, claims["status"]["status_list"])
    return {0: "valid", 1: "revoked", 2: "suspended"}[status], claims
