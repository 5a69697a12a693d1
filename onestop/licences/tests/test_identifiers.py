"""The e-licence identifier (GB/T 36904), checked against python-stdnum's ISO 7064."""

import random

import pytest
from stdnum.iso7064 import mod_37_36

from onestop.core.errors import DomainError
from onestop.core.ids import uscc_generate
from onestop.licences.identifiers import (
    ALPHABET,
    identifier_make,
    identifier_parse,
)
from onestop.licences.identifiers import (
    mod_37_36 as ours,
)

TYPE_CODE = uscc_generate(random.Random(1), region_code="100000") + "001"
ISSUER = uscc_generate(random.Random(2), region_code="440100")


def test_check_character_agrees_with_stdnum_on_random_strings():
    # given
    rng = random.Random(36)
    samples = [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 80))) for _ in range(3000)
    ]

    # when / then
    assert [ours(s) for s in samples] == [mod_37_36.calc_check_digit(s) for s in samples]


def test_a_made_identifier_has_the_standard_form_and_verifies_with_stdnum():
    # when
    identifier = identifier_make(type_code=TYPE_CODE, issuer_uscc=ISSUER, serial=42, version=3)

    # then
    arc, rest = identifier[:14], identifier[15:]
    type_code, issuer, serial, version, check = rest.split(".")
    assert arc == "1.2.156.3005.2"
    assert (type_code, issuer, serial, version) == (TYPE_CODE, ISSUER, "0000000042", "003")
    assert mod_37_36.is_valid(type_code + issuer + serial + version + check)
    assert identifier_parse(identifier).version == 3


def _with_check(identifier: str, check: str) -> str:
    return identifier[:-1] + check


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda i: _with_check(i, "Z" if i[-1] != "Z" else "Y"), "check"),
        (lambda i: i.replace(".003.", ".03."), "version"),
        (lambda i: i.replace("1.2.156.3005.2.", "1.2.156.3005.3."), "arc"),
        (lambda i: i.rsplit(".", 1)[0], "format"),
        (lambda i: i.replace(ISSUER, ISSUER[:-1] + ("0" if ISSUER[-1] != "0" else "1")), "issuer"),
        (lambda i: i.replace(".0000000042.", ".00000-0042."), "serial"),
    ],
)
def test_a_bad_identifier_is_refused_with_its_reason(mutate, reason):
    # given
    identifier = identifier_make(type_code=TYPE_CODE, issuer_uscc=ISSUER, serial=42, version=3)

    # when
    with pytest.raises(DomainError) as refused:
        identifier_parse(mutate(identifier))

    # then
    assert refused.value.code == "invalid_licence_identifier"
    assert refused.value.params["reason"] == reason


def test_every_single_character_error_in_the_body_is_caught():
    # given
    identifier = identifier_make(type_code=TYPE_CODE, issuer_uscc=ISSUER, serial=7)
    body = TYPE_CODE + ISSUER + "0000000007" + "001"

    # when: each character of the serial and version replaced by every other character
    caught = 0
    tried = 0
    for position in range(len(TYPE_CODE) + len(ISSUER), len(body)):
        for char in ALPHABET:
            if char == body[position]:
                continue
            tried += 1
            changed = body[:position] + char + body[position + 1 :]
            caught += ours(changed) != identifier[-1]

    # then
    assert caught == tried
