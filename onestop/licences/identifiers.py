"""The e-licence identifier (电子证照标识, GB/T 36904) and the licence-type code (GB/T 36902).

    1.2.156.3005.2.<type code>.<issuer USCC>.<serial>.<version>.<check>

- `1.2.156.3005.2` is the object-identifier arc under which the standard registers
  e-licences (1.2.156 is China's ISO member arc);
- the type code (证照类型代码) is the defining authority's USCC followed by a 3-digit number;
- the issuer (颁发机构) is the issuing authority's USCC;
- the serial (顺序号) numbers the issuer's licences of the type; we mint 10 digits, and read
  1 to 20 characters of 0-9 and A-Z;
- the version (版本号) is 3 digits: 001 at issue, one more at each renewal or change of the
  same licence (its serial stays);
- the check character is ISO/IEC 7064 MOD 37,36 over the four segments joined without dots
  (`<type code><issuer USCC><serial><version>`), from the alphabet 0-9, A-Z.

`identifier_parse` refuses a malformed identifier with a message that says what is wrong,
before anything is looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from onestop.core.errors import DomainError
from onestop.core.ids import is_valid_uscc
from onestop.licences.enums import ErrorCode

ARC = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
SERIAL_DIGITS = 10
_TYPE_CODE = re.compile(r"[0-9A-Z]{18}[0-9]{3}")
_SERIAL = re.compile(r"[0-9A-Z]{1,20}")
_VERSION = re.compile(r"[0-9]{3}")


def mod_37_36(text: str) -> str:
    """The ISO/IEC 7064 MOD 37,36 check character of `text` (hybrid system, M = 36)."""
    modulus = len(ALPHABET)
    product = modulus
    for char in text:
        total = (product + _VALUE[char]) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return ALPHABET[(modulus + 1 - product) % modulus]


def _invalid(message: str, reason: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_IDENTIFIER, message, reason=reason)


def type_code_check(code: str) -> str:
    """A licence-type code, checked: a defining authority's valid USCC and 3 digits."""
    code = code.strip().upper()
    if not _TYPE_CODE.fullmatch(code) or not is_valid_uscc(code[:18]) or code[18:] == "000":
        raise DomainError(
            ErrorCode.INVALID_TYPE_CODE,
            _(
                "A licence-type code is the defining authority's unified social credit code "
                "followed by a 3-digit number from 001; %(code)s is not one."
            )
            % {"code": code},
        )
    return code


@dataclass(frozen=True)
class Identifier:
    type_code: str
    issuer_uscc: str
    serial: str
    version: int

    @property
    def body(self) -> str:
        return f"{self.type_code}{self.issuer_uscc}{self.serial}{self.version:03d}"

    @property
    def check(self) -> str:
        return mod_37_36(self.body)

    def __str__(self) -> str:
        return (
            f"{ARC}.{self.type_code}.{self.issuer_uscc}.{self.serial}.{self.version:03d}."
            f"{self.check}"
        )

    def next_version(self) -> Identifier:
        return Identifier(self.type_code, self.issuer_uscc, self.serial, self.version + 1)


def identifier_make(*, type_code: str, issuer_uscc: str, serial: int, version: int = 1) -> str:
    if not 1 <= version <= 999:
        raise ValueError(f"version {version} is not between 1 and 999")
    if not is_valid_uscc(issuer_uscc):
        raise ValueError(f"issuer {issuer_uscc!r} is not a valid USCC")
    return str(
        Identifier(type_code_check(type_code), issuer_uscc, f"{serial:0{SERIAL_DIGITS}d}", version)
    )


def identifier_parse(value: str) -> Identifier:
    """The identifier's segments, checked; DomainError invalid_licence_identifier says what is
    wrong (its `reason`: format, arc, type_code, issuer, serial, version, check)."""
    text = value.strip().upper() if isinstance(value, str) else ""
    if len(text) > 120:
        raise _invalid(_("This is too long to be an e-licence identifier."), "format")
    if not text.startswith(ARC + "."):
        raise _invalid(_("An e-licence identifier starts with %(arc)s.") % {"arc": ARC}, "arc")
    parts = text[len(ARC) + 1 :].split(".")
    if len(parts) != 5:
        raise _invalid(
            _(
                "An e-licence identifier has five parts after %(arc)s: type code, issuer, "
                "serial, version and check character."
            )
            % {"arc": ARC},
            "format",
        )
    type_code, issuer, serial, version, check = parts
    try:
        type_code_check(type_code)
    except DomainError:
        raise _invalid(
            _("The licence-type code %(code)s in the identifier is not valid.")
            % {"code": type_code},
            "type_code",
        ) from None
    if not is_valid_uscc(issuer):
        raise _invalid(
            _("The issuer %(code)s in the identifier is not a valid unified social credit code.")
            % {"code": issuer},
            "issuer",
        )
    if not _SERIAL.fullmatch(serial):
        raise _invalid(_("The serial number in the identifier is not valid."), "serial")
    if not _VERSION.fullmatch(version) or version == "000":
        raise _invalid(_("The version in the identifier must be 3 digits from 001."), "version")
    parsed = Identifier(type_code, issuer, serial, int(version))
    if len(check) != 1 or check != parsed.check:
        raise _invalid(
            _(
                "The check character of the identifier is wrong: expected %(expected)s, found "
                "%(found)s. One of its characters is probably mistyped."
            )
            % {"expected": parsed.check, "found": check},
            "check",
        )
    return parsed
