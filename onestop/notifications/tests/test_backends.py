import json
import logging
import subprocess
import sys

import httpx
import pytest
from django.conf import settings

from onestop.notifications.backends import (
    ConsoleSmsBackend,
    FileSmsBackend,
    HttpSmsBackend,
    TemporaryFailure,
    get_sms_backend,
)

PHONE = "13812341234"


def test_the_console_backend_logs_the_text_and_a_masked_number(caplog):
    with caplog.at_level(logging.INFO, logger="onestop.notifications.sms"):
        gateway_id = ConsoleSmsBackend().send("7", PHONE, "code 482913", "k-7")
    assert gateway_id == "console-7"
    assert "138****1234" in caplog.text
    assert "code 482913" in caplog.text
    assert PHONE not in caplog.text


def test_the_file_backend_appends_one_json_line_per_message(tmp_path):
    # given
    backend = FileSmsBackend(tmp_path)

    # when
    backend.send("1", PHONE, "第一条", "k-1")
    backend.send("2", PHONE, "second", "k-2")

    # then
    [path] = tmp_path.glob("sms-*.jsonl")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(line["message_id"], line["text"]) for line in lines] == [
        ("1", "第一条"),
        ("2", "second"),
    ]
    assert lines[0]["to"] == "138****1234"
    assert PHONE not in path.read_text(encoding="utf-8")


def test_an_unwritable_directory_is_a_temporary_failure(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(TemporaryFailure):
        FileSmsBackend(blocker / "sms").send("1", PHONE, "x", "k-1")


def test_the_backend_is_chosen_by_setting(settings):
    settings.ONESTOP_SMS_BACKEND = "console"
    assert isinstance(get_sms_backend(), ConsoleSmsBackend)
    settings.ONESTOP_SMS_BACKEND = "onestop.notifications.backends.FileSmsBackend"
    assert isinstance(get_sms_backend(), FileSmsBackend)


def _start_gateway(state, key: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.sms_gateway", "--state", str(state), "--key", key],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("listening on "), line
    return process, line.removeprefix("listening on ").strip()


def test_the_gateway_runs_as_a_process_and_keeps_its_state_across_restarts(tmp_path):
    # given a gateway process that received one message
    state = tmp_path / "gateway.json"
    process, url = _start_gateway(state, "k")
    try:
        first_id = HttpSmsBackend(url, "k").send("1", PHONE, "hello", "k-1")
        control = httpx.post(url.replace("/sms", "/_control"), json={"fail_next": 1})
        with pytest.raises(TemporaryFailure, match="503"):
            HttpSmsBackend(url, "k").send("2", PHONE, "again", "k-2")
    finally:
        process.terminate()
        process.wait(timeout=10)

    # when it is restarted and the first message is sent again
    process, url = _start_gateway(state, "k")
    try:
        resent_id = HttpSmsBackend(url, "k").send("1", PHONE, "hello", "k-1")
        seen = httpx.get(url.replace("/sms", "/_state")).json()
    finally:
        process.terminate()
        process.wait(timeout=10)

    # then
    assert control.status_code == 200
    assert resent_id == first_id
    assert [sms["idempotency_key"] for sms in seen["messages"]] == ["k-1"]
    assert (seen["duplicates"], seen["failed"]) == (1, 1)
