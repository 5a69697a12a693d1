"""What data migrations seed, put back after a committing test's flush emptied it.

A `transaction=True` test ends by flushing every table, including the rows that migrations
seeded (hall categories and themes with their names, default ticket prefixes, synonyms,
items' English names, rating reasons), and later tests in the same process would find them
gone. The suite's conftest runs
`migration_seeds_restore()` after every flush; it runs each seed exactly as its migration
does.
"""

import importlib

from django.apps import apps

SEEDING_MIGRATIONS = (
    "onestop.catalog.migrations.0002_seed_categories_and_themes",
    "onestop.catalog.migrations.0004_names_in_other_languages",
    "onestop.hall.migrations.0002_default_prefixes",
    "onestop.search.migrations.0003_seed_synonyms",
    "onestop.search.migrations.0005_seed_item_names",
    "onestop.ratings.migrations.0002_seed_reasons",
)


def migration_seeds_restore() -> None:
    for module in SEEDING_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)
