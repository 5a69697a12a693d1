"""After seeding, no resident ID or phone number is in plaintext anywhere in the database:
not in the SQLite file (with its WAL), not in a PostgreSQL dump."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from onestop.core.pii import PiiKind, keyring, mask
from onestop.demo.people import demo_people
from onestop.demo.seed import CITIZENS, SEED

ROOT = Path(__file__).resolve().parent.parent


def _secrets_in(blob: bytes) -> list[str]:
    found = []
    for person in demo_people(CITIZENS, seed=SEED):
        for value in (person.id_number, person.phone, person.social_security_no):
            if value.encode() in blob:
                found.append(value[:4] + "…")
    return found


@pytest.mark.slow
def test_sqlite_file_holds_no_plaintext_identifiers(tmp_path):
    # given a demo database in a file of its own
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    for command in (["migrate", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )

    # when
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("demo.sqlite3*"))

    # then the people are there, masked and sealed, and nowhere in plaintext
    first = demo_people(1, seed=SEED)[0]
    assert mask(PiiKind.RESIDENT_ID, first.id_number).encode() in blob
    assert f"{keyring().current_kid}$".encode() in blob
    assert _secrets_in(blob) == []


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or not shutil.which("pg_dump"),
    reason="needs PostgreSQL and pg_dump",
)
@pytest.mark.django_db(transaction=True)
def test_postgres_dump_holds_no_plaintext_identifiers():
    # given
    from onestop.demo.seed import seed_demo

    seed_demo()
    db = settings.DATABASES["default"]

    # when
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-U",
            db["USER"] or "postgres",
            "-p",
            str(db["PORT"] or 5432),
            connection.settings_dict["NAME"],
        ],
        check=True,
        capture_output=True,
        timeout=300,
    ).stdout

    # then
    first = demo_people(1, seed=SEED)[0]
    assert mask(PiiKind.RESIDENT_ID, first.id_number).encode() in dump
    assert _secrets_in(dump) == []
