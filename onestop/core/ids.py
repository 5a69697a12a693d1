"""Chinese identifiers: the resident ID number (公民身份号码) and the Unified Social Credit
Code (统一社会信用代码, USCC).

Resident ID, GB 11643-1999: 6 digits of address code (the county where the number was first
registered), 8 of birth date (YYYYMMDD), 3 of sequence number (odd for men, even for women)
and a check character from ISO 7064 MOD 11-2 (0-9 or X). The older 15-digit form
(GB 11643-1989) has a 2-digit year and no check digit; `normalize_resident_id` converts it.
What is checked beyond the check digit, and what is not:

- the first two digits must be a province-level code (GB/T 2260, plus 81/82/83 used by the
  residence permits of Hong Kong, Macao and Taiwan residents). The other four digits are not
  looked up: a number keeps the county code of its first registration, counties are merged
  and renamed every year, and a stale table would refuse real people;
- the birth date must be a real date, not before 1900 and not after today (Asia/Shanghai).

USCC, GB 32100-2015: 18 characters from 0-9 and the capital letters without I, O, S, V, Z.
Position 1 is the registration authority (登记管理部门), 2 the kind of body (机构类别),
3-8 the region of the registering office (digits), 9-17 the body's organisation code
(主体标识码, GB 11714 with its own check character at position 17), 18 the check character
(weights 3^(i-1) mod 31, i.e. ISO 7064 MOD 31-3). The authority must be one that GB 32100
and its amendments assign (1-9, A, N, Y); the kind is only checked against the alphabet,
because each authority numbers its own kinds and adds new ones.

The embedded organisation code's check character is NOT enforced by `normalize_uscc`.
python-stdnum's `stdnum.cn.uscc` does not check it either (it checks length, alphabet and
the final check character only), and codes issued by some registries before the standard
was applied everywhere are reported not to follow GB 11714 inside. A code with a wrong
embedded check is still caught in practice when it was mistyped, because the final check
character detects every single-character error and every adjacent transposition. Callers
that mint or must vouch for a code can ask for the strict check with
`uscc_check_organisation_code`. We are stricter than stdnum on positions 1-2: it demands
digits there, which refuses the letter authorities (A, N, Y) the standard assigns, and it
accepts authority 0, which the standard does not assign.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.enums import ErrorCode
from onestop.core.errors import DomainError

# --- Resident ID number (GB 11643) -----------------------------------------------------------

# Province-level codes of GB/T 2260, with 71 (Taiwan) and 81/82/83 (residence permits of
# residents of Hong Kong, Macao and Taiwan).
PROVINCE_CODES = frozenset(
    {
        *("11", "12", "13", "14", "15"),  # North (华北)
        *("21", "22", "23"),  # Northeast (东北)
        *("31", "32", "33", "34", "35", "36", "37"),  # East (华东)
        *("41", "42", "43", "44", "45", "46"),  # Central-South (中南)
        *("50", "51", "52", "53", "54"),  # Southwest (西南)
        *("61", "62", "63", "64", "65"),  # Northwest (西北)
        *("71", "81", "82", "83"),  # Taiwan; permits of HK, Macao, Taiwan residents
    }
)
# 2^(17-i) mod 11 for positions 1..17.
_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK = "10X98765432"  # indexed by the weighted sum mod 11
_EARLIEST_BIRTH = date(1900, 1, 1)
# In the 15-digit form, sequence numbers 996-999 were kept for people aged 100 or more,
# whose 2-digit year means 18xx, not 19xx.
_CENTENARIAN_SEQUENCES = frozenset({"996", "997", "998", "999"})

_DIGITS = re.compile(r"[0-9]+")
_RIC18 = re.compile(r"[0-9]{17}[0-9X]")


def _compact(value: str) -> str:
    # NFKC folds full-width digits and letters typed with a Chinese input method.
    folded = unicodedata.normalize("NFKC", value)
    return "".join(folded.split()).upper()


def _ric_invalid(message: str, **params: Any) -> DomainError:
    return DomainError(ErrorCode.INVALID_RESIDENT_ID, message, **params)


def resident_id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _RIC_WEIGHTS, strict=True))
    return _RIC_CHECK[total % 11]


def _birth_date(yyyymmdd: str) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        raise _ric_invalid(
            _("The birth date %(digits)s in the resident ID number is not a real date.")
            % {"digits": yyyymmdd},
            reason="birth_date",
        ) from None
    if born < _EARLIEST_BIRTH:
        raise _ric_invalid(
            _("The birth date %(date)s in the resident ID number is before 1900.")
            % {"date": born.isoformat()},
            reason="birth_date_too_early",
        )
    if born > timezone.localdate():
        raise _ric_invalid(
            _("The birth date %(date)s in the resident ID number is in the future.")
            % {"date": born.isoformat()},
            reason="birth_date_future",
        )
    return born


def _check_region(number: str) -> None:
    if number[:2] not in PROVINCE_CODES:
        raise _ric_invalid(
            _(
                "The resident ID number starts with %(prefix)s, which is not a province code: "
                "the first six digits must be a region code such as 440106."
            )
            % {"prefix": number[:2]},
            reason="region",
        )


def _from_15(number: str) -> str:
    if not _DIGITS.fullmatch(number):
        raise _ric_invalid(_("A 15-digit resident ID number has digits only."), reason="characters")
    if number[12:15] in _CENTENARIAN_SEQUENCES:
        raise _ric_invalid(
            _(
                "The 15-digit number has the sequence number %(sequence)s, kept for people "
                "born before 1900; it cannot be converted. Use the 18-digit number."
            )
            % {"sequence": number[12:15]},
            reason="birth_date_too_early",
        )
    first17 = number[:6] + "19" + number[6:]
    return first17 + resident_id_check_digit(first17)


def normalize_resident_id(value: str) -> str:
    """The 18-character resident ID number, checked; raises DomainError saying what is wrong.

    Spaces are removed, full-width characters folded and a lower-case x raised; a 15-digit
    number (GB 11643-1989) becomes its 18-digit form (year 19xx, check digit computed).
    """
    number = _compact(value)
    converted = len(number) == 15
    if converted:
        number = _from_15(number)
    if len(number) != 18:
        raise _ric_invalid(
            _(
                "A resident ID number has 18 characters (or 15 in the old format); "
                "this one has %(length)d."
            )
            % {"length": len(number)},
            reason="length",
        )
    if not _RIC18.fullmatch(number):
        position, char = next(
            (i, c) for i, c in enumerate(number, start=1) if not (c.isascii() and c.isdigit())
        )
        raise _ric_invalid(
            _(
                "The character %(char)s at position %(position)d is not allowed: a resident "
                "ID number has 17 digits followed by a digit or X."
            )
            % {"char": char, "position": position},
            reason="characters",
        )
    _check_region(number)
    _birth_date(number[6:14])
    expected = resident_id_check_digit(number[:17])
    if number[17] != expected:
        raise _ric_invalid(
            _(
                "The check digit of the resident ID number is wrong: expected %(expected)s, "
                "found %(found)s. One of the digits is probably mistyped."
            )
            % {"expected": expected, "found": number[17]},
            reason="check_digit",
        )
    return number


def is_valid_resident_id(value: str) -> bool:
    """Whether `value` is a valid 18-character resident ID number (the 15-digit form is not)."""
    if len(_compact(value)) != 18:
        return False
    try:
        normalize_resident_id(value)
    except DomainError:
        return False
    return True


def resident_id_birth_date(id18: str) -> date:
    number = normalize_resident_id(id18)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def resident_id_sex(id18: str) -> str:
    """ "M" or "F": the sequence number is odd for men and even for women."""
    number = normalize_resident_id(id18)
    return "M" if int(number[16]) % 2 else "F"


def resident_id_generate(
    rng: random.Random, *, region_code: str, birth_date: date, sex: str
) -> str:
    """A valid, made-up 18-character number, for demos and tests."""
    if not (_DIGITS.fullmatch(region_code) and len(region_code) == 6):
        raise ValueError(f"region_code must be 6 digits, not {region_code!r}")
    if region_code[:2] not in PROVINCE_CODES:
        raise ValueError(f"region_code {region_code} does not start with a province code")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if not _EARLIEST_BIRTH <= birth_date <= timezone.localdate():
        raise ValueError(f"birth_date {birth_date} is before 1900 or in the future")
    # 001-999 odd for men, 002-998 even for women.
    sequence = 2 * rng.randrange(500) + 1 if sex == "M" else 2 * rng.randrange(1, 500)
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_digit(first17)


# --- Unified Social Credit Code (GB 32100) ---------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration authorities: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教,
# 8 工会, 9 市场监管 (formerly 工商), A 中央军委改革和编制办公室, N 农业农村, Y 其他.
USCC_AUTHORITIES = frozenset("123456789ANY")
# GB 11714-1997: digits keep their value, letters A-Z count 10-35.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _uscc_invalid(message: str, **params: Any) -> DomainError:
    return DomainError(ErrorCode.INVALID_USCC, message, **params)


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[-total % 31]


def organisation_code_check_char(first8: str) -> str:
    """The GB 11714 check character for the 8 body characters of an organisation code."""
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    remainder = -total % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_uscc(value: str) -> str:
    """The 18-character USCC, checked; raises DomainError saying what is wrong.

    Spaces are removed, full-width characters folded and letters raised to capitals.
    """
    code = _compact(value)
    if len(code) != 18:
        raise _uscc_invalid(
            _("A unified social credit code has 18 characters; this one has %(length)d.")
            % {"length": len(code)},
            reason="length",
        )
    bad = [(i, c) for i, c in enumerate(code, start=1) if c not in _USCC_VALUE]
    if bad:
        position, char = bad[0]
        raise _uscc_invalid(
            _(
                "The character %(char)s at position %(position)d is not used in unified "
                "social credit codes (digits and capital letters except I, O, S, V and Z)."
            )
            % {"char": char, "position": position},
            reason="characters",
        )
    if code[0] not in USCC_AUTHORITIES:
        raise _uscc_invalid(
            _("The first character %(char)s is not a registration-authority code (1-9, A, N or Y).")
            % {"char": code[0]},
            reason="authority",
        )
    if not _DIGITS.fullmatch(code[2:8]):
        raise _uscc_invalid(
            _("Characters 3 to 8 are a region code and must be digits, not %(region)s.")
            % {"region": code[2:8]},
            reason="region",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise _uscc_invalid(
            _(
                "The check character of the unified social credit code is wrong: expected "
                "%(expected)s, found %(found)s. One of the characters is probably mistyped."
            )
            % {"expected": expected, "found": code[17]},
            reason="check_char",
        )
    return code


def is_valid_uscc(value: str) -> bool:
    try:
        normalize_uscc(value)
    except DomainError:
        return False
    return True


def uscc_check_organisation_code(value: str) -> str:
    """`normalize_uscc` plus the GB 11714 check of the embedded organisation code.

    For codes the platform mints or must vouch for; see the module docstring for why
    `normalize_uscc` does not demand it.
    """
    code = normalize_uscc(value)
    expected = organisation_code_check_char(code[8:16])
    if code[16] != expected:
        raise _uscc_invalid(
            _(
                "The organisation code %(org)s inside the unified social credit code has a "
                "wrong check character: expected %(expected)s, found %(found)s."
            )
            % {"org": code[8:17], "expected": expected, "found": code[16]},
            reason="organisation_code",
        )
    return code


def uscc_generate(
    rng: random.Random, *, region_code: str, authority: str = "1", kind: str = "1"
) -> str:
    """A valid, made-up USCC (embedded organisation code valid too), for demos and tests."""
    if not (_DIGITS.fullmatch(region_code) and len(region_code) == 6):
        raise ValueError(f"region_code must be 6 digits, not {region_code!r}")
    if authority not in USCC_AUTHORITIES:
        raise ValueError(f"authority {authority!r} is not a registration-authority code")
    if len(kind) != 1 or kind not in _USCC_VALUE:
        raise ValueError(f"kind {kind!r} is not one character of the USCC alphabet")
    body = "".join(rng.choice(USCC_ALPHABET) for _ in range(8))
    first17 = authority + kind + region_code + body + organisation_code_check_char(body)
    return first17 + uscc_check_char(first17)
