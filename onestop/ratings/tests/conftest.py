import pytest

from onestop.identity import middleware
from onestop.ratings.urls import PUBLIC_URL_NAMES


@pytest.fixture(autouse=True)
def public_rating_page(monkeypatch):
    """The rating page on the public list, as onestop.identity.public will have it."""
    monkeypatch.setattr(
        middleware, "PUBLIC_URL_NAMES", middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES
    )
