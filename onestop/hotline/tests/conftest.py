import pytest

from onestop.hotline.tests import factories


@pytest.fixture
def city(db, tmp_path):
    return factories.city(tmp_path)
