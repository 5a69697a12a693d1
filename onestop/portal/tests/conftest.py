import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # Pages answer in the browser's language; the tests read English unless they switch.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
