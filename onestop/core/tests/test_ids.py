import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from onestop.core.enums import ErrorCode
from onestop.core.errors import DomainError
from onestop.core.ids import (
    PROVINCE_CODES,
    USCC_ALPHABET,
    is_valid_resident_id,
    is_valid_uscc,
    normalize_resident_id,
    normalize_uscc,
    organisation_code_check_char,
    resident_id_birth_date,
    resident_id_check_digit,
    resident_id_generate,
    resident_id_sex,
    uscc_check_char,
    uscc_check_organisation_code,
    uscc_generate,
)

# The example number printed in GB 11643-1999 itself.
STANDARD_EXAMPLE = "11010519491231002X"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _refusal(normalize: Callable[[str], str], value: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        normalize(value)
    return caught.value


# --- Agreement with python-stdnum --------------------------------------------------------------
#
# stdnum.cn.ric and the GB 11643 rules we apply differ on some classes of numbers; those are
# kept out of the agreement run and pinned by the specific tests further down:
# - stdnum looks the whole 6-digit county code up in a historical table, by birth year; we
#   check only the province (a number keeps the county code of its first registration).
#   So the valid numbers here use region codes its table knows for every year since 1900.
# - stdnum accepts birth dates in the future and before 1900; we refuse both.
# - stdnum does not know prefix 83 (Taiwan residents' residence permits), nor the 15-digit
#   form, and does not remove spaces inside a number.
# stdnum.cn.uscc demands digits in positions 1-8; GB 32100 assigns letter authorities
# (A, N, Y) and each authority numbers its own kinds, so positions 1-2 are letters in some
# real codes. stdnum accepts authority 0, which the standard does not assign. So the valid
# codes here have a digit authority 1-9 and a digit kind, and no variant recomputes the check
# character after changing position 1 or 2.

# Province-level codes, less 46 and 50 (their table dates them from 1988 and 1997) and the
# permits' 81-83 (it has no province-level entry for them), and county codes it knows for
# every year.
STDNUM_STABLE_REGIONS = sorted(
    {f"{p}0000" for p in PROVINCE_CODES - {"46", "50", "81", "82", "83"}}
    | {"110101", "110102", "310101", "330100", "420100", "440100", "510100"}
)
NOT_A_DIGIT = "ABCDEFGHIJKLMNOPQRSTUVWYZ*#/."
ORDINAL = date(1900, 1, 1).toordinal()


def _with_check_digit(first17: str) -> str:
    return first17 + resident_id_check_digit(first17)


def _ric_variants(rng: random.Random, number: str) -> Iterator[str]:
    yield number
    # one character changed (the last one may become X)
    i = rng.randrange(18)
    choices = "0123456789X" if i == 17 else "0123456789"
    yield number[:i] + rng.choice(choices.replace(number[i], "")) + number[i + 1 :]
    # two neighbours swapped
    i = rng.randrange(17)
    yield number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    # one character lost or one too many
    i = rng.randrange(18)
    yield number[:i] + number[i + 1 :]
    yield number[:i] + rng.choice("0123456789") + number[i:]
    # a character that is not a digit
    i = rng.randrange(17)
    yield number[:i] + rng.choice(NOT_A_DIGIT + "X") + number[i + 1 :]
    # a lower-case x, which both accept as X
    yield number[:17] + number[17].lower()
    # a date that does not exist, or a prefix that is no province, with a correct check digit
    yield _with_check_digit(number[:10] + rng.choice(("13", "00", "02")) + "30" + number[14:17])
    yield _with_check_digit(rng.choice(("00", "19", "99", "72")) + number[2:17])


def test_resident_id_agrees_with_stdnum_on_valid_and_corrupted_numbers():
    # given
    rng = random.Random(11643)
    today = timezone.localdate().toordinal()
    values: list[str] = []
    for _ in range(7_000):
        number = resident_id_generate(
            rng,
            region_code=rng.choice(STDNUM_STABLE_REGIONS),
            birth_date=date.fromordinal(rng.randrange(ORDINAL, today + 1)),
            sex=rng.choice("MF"),
        )
        values.extend(_ric_variants(rng, number))

    # when
    disagreements = [v for v in values if is_valid_resident_id(v) != stdnum_ric.is_valid(v)]

    # then
    verdicts = [is_valid_resident_id(v) for v in values]
    assert len(values) == 63_000
    assert verdicts.count(True) > 14_000
    assert verdicts.count(False) > 30_000
    assert disagreements == []


def _uscc_variants(rng: random.Random, code: str) -> Iterator[str]:
    yield code
    # one character changed, anywhere
    i = rng.randrange(18)
    yield code[:i] + rng.choice(USCC_ALPHABET.replace(code[i], "")) + code[i + 1 :]
    # two different neighbours swapped
    i = rng.randrange(17)
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    yield swapped if swapped != code else code[1:]
    # one character lost or one too many
    i = rng.randrange(18)
    yield code[:i] + code[i + 1 :]
    yield code[:i] + rng.choice(USCC_ALPHABET) + code[i:]
    # a character outside the alphabet
    i = rng.randrange(18)
    yield code[:i] + rng.choice("IOSVZ*#.") + code[i + 1 :]
    # lower case, which both raise
    yield code.lower()
    # a letter in the region code, with a correct check character
    i = rng.randrange(2, 8)
    damaged = code[:i] + rng.choice("ABCDEFGHJKLMNPQRTUWXY") + code[i + 1 : 17]
    yield damaged + uscc_check_char(damaged)
    # a broken embedded organisation code, with a correct final check character: both accept
    body = code[:16] + rng.choice("0123456789X".replace(code[16], ""))
    yield body + uscc_check_char(body)


def test_uscc_agrees_with_stdnum_on_valid_and_corrupted_codes():
    # given
    rng = random.Random(32100)
    values: list[str] = []
    for _ in range(6_000):
        code = uscc_generate(
            rng,
            region_code=f"{rng.randrange(1_000_000):06d}",
            authority=rng.choice("123456789"),
            kind=rng.choice("0123456789"),
        )
        values.extend(_uscc_variants(rng, code))

    # when
    disagreements = [v for v in values if is_valid_uscc(v) != stdnum_uscc.is_valid(v)]

    # then
    verdicts = [is_valid_uscc(v) for v in values]
    assert len(values) == 54_000
    assert verdicts.count(True) > 17_000
    assert verdicts.count(False) > 30_000
    assert disagreements == []


# --- Resident ID: normalisation and its refusals -----------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        STANDARD_EXAMPLE,
        "11010519491231002x",
        " 1101 0519 4912 3100 2X ",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width, as a Chinese input method types it
    ],
)
def test_normalize_resident_id_accepts_the_ways_people_type_it(typed):
    # when
    number = normalize_resident_id(typed)

    # then
    assert number == STANDARD_EXAMPLE


def test_a_15_digit_number_becomes_its_18_digit_form():
    # when
    number = normalize_resident_id("110105491231002")

    # then
    assert number == STANDARD_EXAMPLE


def test_a_15_digit_number_keeps_sex_and_birth_date():
    # given
    old = "440106900517137"

    # when
    number = normalize_resident_id(old)

    # then
    assert number[:6] == "440106"
    assert number[6:17] == "19900517137"
    assert resident_id_birth_date(number) == date(1990, 5, 17)
    assert resident_id_sex(number) == "M"


@pytest.mark.parametrize(
    ("value", "reason", "words"),
    [
        ("11010519491231002", "length", "has 18 characters (or 15 in the old format)"),
        ("11010519491231002XX", "length", "this one has 19"),
        ("1101051949123100A2", "characters", "The character A at position 17 is not allowed"),
        ("X10105194912310021", "characters", "The character X at position 1"),
        ("11010549123100X", "characters", "A 15-digit resident ID number has digits only"),
        ("110105194913310029", "birth_date", "The birth date 19491331"),
        ("110105199002300012", "birth_date", "19900230 in the resident ID number is not a real"),
        ("440524188001010014", "birth_date_too_early", "1880-01-01 in the resident ID number is"),
        ("110105209901010011", "birth_date_future", "2099-01-01 in the resident ID number is in"),
        ("99010519491231002X", "region", "starts with 99, which is not a province code"),
        ("110105194912310021", "check_digit", "wrong: expected X, found 1"),
        ("440106891231997", "birth_date_too_early", "sequence number 997, kept for people"),
    ],
)
def test_normalize_resident_id_says_what_is_wrong(value, reason, words):
    # when
    error = _refusal(normalize_resident_id, value)

    # then
    assert error.code == ErrorCode.INVALID_RESIDENT_ID
    assert error.params["reason"] == reason
    assert words in error.message


def test_a_birth_date_is_judged_by_the_day_in_china_not_in_utc():
    # given: 01:00 on 1 March in Beijing is still 28 February in UTC
    born_today = _with_check_digit("44010620260301002")
    born_tomorrow = _with_check_digit("44010620260302002")

    # when
    with time_machine.travel(datetime(2026, 2, 28, 17, 0, tzinfo=UTC), tick=False):
        accepted = normalize_resident_id(born_today)
        refused = _refusal(normalize_resident_id, born_tomorrow)

    # then
    assert accepted == born_today
    assert refused.params["reason"] == "birth_date_future"


def test_is_valid_resident_id_takes_the_18_character_form_only():
    # when
    verdicts = (
        is_valid_resident_id(STANDARD_EXAMPLE),
        is_valid_resident_id("110105491231002"),
        is_valid_resident_id("110105194912310021"),
        is_valid_resident_id(""),
    )

    # then
    assert verdicts == (True, False, False, False)


def test_residence_permit_prefix_83_is_a_region():
    # given
    number = _with_check_digit("83000019900101002")

    # when
    normalized = normalize_resident_id(number)

    # then
    assert normalized == number


@pytest.mark.parametrize(
    ("number", "sex", "born"),
    [
        (STANDARD_EXAMPLE, "F", date(1949, 12, 31)),
        ("360426199101010071", "M", date(1991, 1, 1)),
    ],
)
def test_sex_and_birth_date_come_from_the_number(number, sex, born):
    # then
    assert resident_id_sex(number) == sex
    assert resident_id_birth_date(number) == born


def test_deriving_from_an_invalid_number_is_refused():
    # when
    error = _refusal(resident_id_sex, "110105194912310021")

    # then
    assert error.code == ErrorCode.INVALID_RESIDENT_ID


def test_generated_numbers_are_valid_with_the_asked_region_birth_date_and_sex():
    # given
    rng = random.Random(7)
    born = date(2001, 2, 28)

    # when
    numbers = [
        resident_id_generate(rng, region_code="440106", birth_date=born, sex=sex)
        for sex in "MF" * 200
    ]

    # then
    assert all(is_valid_resident_id(n) for n in numbers)
    assert {n[:6] for n in numbers} == {"440106"}
    assert {resident_id_birth_date(n) for n in numbers} == {born}
    assert [resident_id_sex(n) for n in numbers] == list("MF" * 200)
    assert len(set(numbers)) > 300


def test_generating_with_a_birth_date_in_the_future_is_refused():
    # when / then
    with pytest.raises(ValueError, match="in the future"):
        resident_id_generate(
            random.Random(1),
            region_code="440106",
            birth_date=timezone.localdate() + timedelta(days=1),
            sex="F",
        )


# --- USCC: normalisation and its refusals ------------------------------------------------------


def test_normalize_uscc_removes_spaces_and_raises_letters():
    # when
    code = normalize_uscc(" 9111 0000 6000 3734 1l ")

    # then
    assert code == "91110000600037341L"


@pytest.mark.parametrize(
    ("value", "reason", "words"),
    [
        ("9111000060003734", "length", "has 18 characters; this one has 16"),
        ("91110000600O37341L", "characters", "The character O at position 12 is not used"),
        ("01110000600037341L", "authority", "The first character 0 is not a registration"),
        ("911100A0600037341L", "region", "must be digits, not 1100A0"),
        ("91110000600037341M", "check_char", "wrong: expected L, found M"),
    ],
)
def test_normalize_uscc_says_what_is_wrong(value, reason, words):
    # when
    error = _refusal(normalize_uscc, value)

    # then
    assert error.code == ErrorCode.INVALID_USCC
    assert error.params["reason"] == reason
    assert words in error.message


def test_letter_authorities_of_the_standard_are_accepted():
    # given: authority Y (other), kind 1, a valid body
    first17 = "Y1440106" + "MA5ABCDE" + organisation_code_check_char("MA5ABCDE")

    # when
    code = normalize_uscc(first17 + uscc_check_char(first17))

    # then
    assert code.startswith("Y1440106")


def test_a_wrong_embedded_organisation_code_passes_the_lenient_check_only():
    # given: the final check character is right, the organisation code's is not
    body = "91440106" + "60003734" + "2"
    code = body + uscc_check_char(body)

    # when
    lenient = is_valid_uscc(code)
    error = _refusal(uscc_check_organisation_code, code)

    # then
    assert lenient is True
    assert error.params["reason"] == "organisation_code"
    assert "600037342 inside" in error.message
    assert "expected 1, found 2" in error.message


@pytest.mark.parametrize("code", ["91110000600037341L", "12440600MB2C07549J"])
def test_real_codes_pass_the_strict_check(code):
    # then
    assert uscc_check_organisation_code(code) == code


def test_generated_codes_pass_the_strict_check_and_keep_their_parts():
    # given
    rng = random.Random(3)

    # when
    codes = [uscc_generate(rng, region_code="440106", authority="9", kind="2") for _ in range(500)]

    # then
    assert all(uscc_check_organisation_code(c) == c for c in codes)
    assert {c[:8] for c in codes} == {"92440106"}
    assert len(set(codes)) == 500


def test_generating_with_an_unassigned_authority_is_refused():
    # when / then
    with pytest.raises(ValueError, match="registration-authority"):
        uscc_generate(random.Random(1), region_code="440106", authority="0")
