"""A server loads the search before it takes requests (the ASGI lifespan), so the first
search after a start is not the slow one; commands and tests that never search load none
of it."""

import asyncio
import os
import subprocess
import sys

import pytest
from django.conf import settings

from onestop.search import lexicon, segment
from onestop.search.lexicon import snapshot_forget
from onestop.search.selectors import search_warm
from onestop.search.services import search_index_rebuild
from onestop.search.tests.factories import small_catalog


@pytest.fixture
def catalog(transactional_db, reference):
    small_catalog()
    search_index_rebuild()
    snapshot_forget()
    yield
    snapshot_forget()


def _lifespan() -> list[dict]:
    """Start and stop the project's ASGI application as a server does."""
    from config.asgi import application

    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict] = []

    async def receive() -> dict:
        return messages.pop(0)

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(application({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))
    return sent


def test_warming_loads_the_index_and_its_dictionaries(catalog):
    # when
    report = search_warm()

    # then
    snapshot = lexicon._Process.snapshot
    assert snapshot is not None
    assert report.documents == len(snapshot.docs) > 0
    assert segment._Process.tokenizer is not None
    assert "suggest" in snapshot.cache and "bigrams" in snapshot.cache


def test_a_server_warms_the_search_before_it_takes_requests(catalog):
    # when
    sent = _lifespan()

    # then: startup completed only after the snapshot was loaded
    assert [m["type"] for m in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]
    assert lexicon._Process.snapshot is not None


def test_warming_can_be_turned_off(catalog, settings):
    settings.SEARCH_WARM_AT_START = False
    _lifespan()
    assert lexicon._Process.snapshot is None


def test_a_failed_warm_does_not_stop_the_server(transactional_db, monkeypatch, caplog):
    # given: a database the index cannot be read from
    def broken():
        raise RuntimeError("no search tables")

    monkeypatch.setattr("onestop.search.selectors.search_warm", broken)

    # when
    sent = _lifespan()

    # then
    assert sent[0]["type"] == "lifespan.startup.complete"
    assert "warming the search failed" in caplog.text


def test_commands_that_never_search_load_none_of_it():
    # when: a management command runs in a process of its own
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('check', verbosity=0);"
        "from onestop.search import lexicon, segment;"
        "print(segment._Process.tokenizer is None, lexicon._Process.snapshot is None)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )

    # then: neither jieba's dictionary nor the index was loaded
    assert done.stdout.split()[-2:] == ["True", "True"]
