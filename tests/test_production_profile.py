"""The production profile refuses to start without its secrets and passes check --deploy."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ONESTOP_", "DATABASE_URL", "SECRET_KEY"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _secrets() -> dict[str, str]:
    key = base64.b64encode(os.urandom(32)).decode()
    return {
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "ONESTOP_PII_KEYS": f"p1:{key}",
        "ONESTOP_PII_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        "ONESTOP_AUDIT_ANCHOR_KEY": f"a1:{base64.b64encode(os.urandom(32)).decode()}",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/onestop_prod_check",
        "ALLOWED_HOSTS": "onestop.example.gov.cn",
        "ONESTOP_PUBLIC_URL": "https://onestop.example.gov.cn",
    }


def test_refuses_to_start_without_secrets():
    # when
    result = _run({}, "check")

    # then
    assert result.returncode != 0
    assert "must be set in production" in result.stderr


@pytest.mark.parametrize("missing", ["ONESTOP_AUDIT_ANCHOR_KEY", "ONESTOP_PUBLIC_URL"])
def test_refuses_to_start_without_a_required_setting(missing):
    # given
    secrets = _secrets()
    del secrets[missing]

    # when
    result = _run(secrets, "check")

    # then
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_passes_check_deploy_with_its_secrets():
    # when
    result = _run(_secrets(), "check", "--deploy", "--fail-level", "WARNING")

    # then
    assert result.returncode == 0, result.stderr
