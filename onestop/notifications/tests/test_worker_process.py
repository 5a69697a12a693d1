"""The worker as a real process, killed and stopped the way production kills and stops it.

Each test runs `manage.py outbox_worker` against its own SQLite file and the local gateway.
The PII keys reach the child processes through the environment (config/settings/test.py).
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.sms_gateway import running_gateway

pytestmark = pytest.mark.slow

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
LEASE_SECONDS = 2
ENQUEUE = """
from django.db import transaction
from onestop.notifications.services import outbox_enqueue
with transaction.atomic():
    for n in range({count}):
        outbox_enqueue(
            channel="sms", template="sms_signin_code", context={{"code": "482913", "minutes": 5}},
            phone="13812341234", idempotency_key=f"signin:{{n}}",
        )
"""


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("outbox-template") / "template.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{path}",
    }
    subprocess.run(
        [sys.executable, MANAGE, "migrate", "--noinput"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return path


@pytest.fixture
def world(migrated_database, tmp_path):
    """A migrated database file of its own, a gateway, and the environment for children."""
    path = tmp_path / "outbox.sqlite3"
    shutil.copy(migrated_database, path)
    key = "gateway-test-key"
    with running_gateway(key=key) as gateway:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{path}",
            "ONESTOP_SMS_BACKEND": "http",
            "ONESTOP_SMS_GATEWAY_URL": gateway.url,
            "ONESTOP_SMS_GATEWAY_KEY": key,
            "ONESTOP_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        yield path, env, gateway


def _manage(env, *args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        **options,
    )


def _start_worker(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, MANAGE, "outbox_worker", "--interval", "0.2"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _rows(path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT status, attempts FROM notifications_outboxmessage ORDER BY id"
        ).fetchall()


def test_a_worker_killed_after_the_gateway_took_the_sms_does_not_send_it_twice(world, tmp_path):
    # given a gateway that holds its answer, and a worker that sends it one message
    path, env, gateway = world
    gateway.delay(30)
    _manage(env, "shell", "-c", ENQUEUE.format(count=1))
    worker = _start_worker(env, tmp_path / "worker.log")

    # when the worker is killed after the gateway received the SMS, before it could record it
    try:
        assert gateway.wait_for_requests(1, timeout=60)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    # then the message is left mid-delivery
    assert _rows(path) == [("sending", 1)]
    assert len(gateway.messages) == 1

    # when another worker runs once the lease has expired
    gateway.delay(0)
    time.sleep(LEASE_SECONDS + 0.5)
    _manage(env, "outbox_worker", "--once")

    # then it was sent again, and the gateway counted it once
    assert _rows(path) == [("sent", 2)]
    assert gateway.requests == 2
    assert gateway.duplicates == 1
    assert len(gateway.messages) == 1


def test_sigterm_finishes_the_message_in_flight_and_hands_back_the_rest(world, tmp_path):
    # given
    path, env, gateway = world
    gateway.delay(1)
    _manage(env, "shell", "-c", ENQUEUE.format(count=3))
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)

    # when
    try:
        assert gateway.wait_for_requests(1, timeout=60)
    finally:
        worker.send_signal(signal.SIGTERM)
        returncode = worker.wait(timeout=30)

    # then
    assert returncode == 0
    assert "outbox worker stopped" in log.read_text()
    assert _rows(path) == [("sent", 1), ("pending", 0), ("pending", 0)]
    assert len(gateway.messages) == 1
