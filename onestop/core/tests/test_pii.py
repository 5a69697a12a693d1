import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from onestop.core import pii
from onestop.core.errors import DomainError
from onestop.core.pii import PiiKind


@pytest.fixture
def fresh_keyring(settings):
    pii.keyring.cache_clear()
    yield settings
    pii.keyring.cache_clear()


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_masks_show_only_the_ends():
    assert pii.mask(PiiKind.RESIDENT_ID, "44010619900101123X") == "4401**********123X"
    assert pii.mask(PiiKind.PHONE, "13812341234") == "138****1234"
    assert pii.mask(PiiKind.SOCIAL_SECURITY_NO, "A12345678") == "A1***5678"


def test_ciphertext_is_not_the_value_and_differs_each_time():
    # when
    first = pii.encrypt(PiiKind.PHONE, "13812341234")
    second = pii.encrypt(PiiKind.PHONE, "13812341234")

    # then
    assert "13812341234" not in first
    assert first != second
    assert pii.decrypt(PiiKind.PHONE, first) == "13812341234"


def test_a_ciphertext_cannot_be_read_as_another_kind():
    sealed = pii.encrypt(PiiKind.PHONE, "13812341234")
    with pytest.raises(DomainError) as excinfo:
        pii.decrypt(PiiKind.RESIDENT_ID, sealed)
    assert excinfo.value.code == "pii_unreadable"


def test_blind_index_is_stable_and_keyed(fresh_keyring):
    # given
    before = pii.blind_index(PiiKind.PHONE, "13812341234")

    # when the index key changes
    fresh_keyring.ONESTOP_PII_INDEX_KEY = _key()
    pii.keyring.cache_clear()

    # then
    assert pii.blind_index(PiiKind.PHONE, "13812341234") != before
    assert len(before) == 64


def test_old_values_stay_readable_after_a_new_key_is_put_first(fresh_keyring):
    # given
    old_ring = fresh_keyring.ONESTOP_PII_KEYS
    sealed = pii.encrypt(PiiKind.PHONE, "13812341234")

    # when
    fresh_keyring.ONESTOP_PII_KEYS = f"new:{_key()},{old_ring}"
    pii.keyring.cache_clear()

    # then
    assert pii.decrypt(PiiKind.PHONE, sealed) == "13812341234"
    assert pii.sealed_kid(pii.encrypt(PiiKind.PHONE, "13812341234")) == "new"


def test_a_missing_key_is_a_clear_error(fresh_keyring):
    # given
    sealed = pii.encrypt(PiiKind.PHONE, "13812341234")
    kid = pii.sealed_kid(sealed)

    # when
    fresh_keyring.ONESTOP_PII_KEYS = f"other:{_key()}"
    pii.keyring.cache_clear()

    # then
    with pytest.raises(DomainError) as excinfo:
        pii.decrypt(PiiKind.PHONE, sealed)
    assert excinfo.value.code == "pii_key_missing"
    assert kid in excinfo.value.message


@pytest.mark.parametrize(
    "keys",
    ["", "nocolon", "k1:not-base64!", f"k1:{base64.b64encode(b'short').decode()}"],
)
def test_bad_key_configuration_is_refused(fresh_keyring, keys):
    fresh_keyring.ONESTOP_PII_KEYS = keys
    with pytest.raises(ImproperlyConfigured):
        pii.keyring()
