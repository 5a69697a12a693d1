"""Fixtures of the search tests: the catalog's (regions and departments, a platform admin, a
citizen, English messages), and building the index the way the engine does."""

from onestop.catalog.tests.conftest import citizen, english, platform_admin, reference
from onestop.search.services import search_index_rebuild

__all__ = ["citizen", "english", "index_build", "platform_admin", "reference"]


def index_build() -> None:
    search_index_rebuild()
