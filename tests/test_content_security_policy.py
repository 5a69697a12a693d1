"""Every response carries a strict Content-Security-Policy, and no template needs an
exception to it: no inline script, style or event handler anywhere."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.templates import template_files

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/account/login/", "/services/", "/api/v1/openapi.json"])
def test_pages_and_the_api_carry_a_strict_policy(client, path):
    # when
    policy = _policy(client.get(path))

    # then
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "ws://testserver" in policy["connect-src"]


def test_the_api_docs_get_inline_styles_only_and_are_served_from_our_own_files(client):
    # when
    response = client.get("/api/v1/docs")

    # then
    policy = _policy(response)
    assert response.status_code == 200
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]
    assert "cdn" not in response.content.decode()


def test_an_installation_adds_sources(client, settings):
    # given
    settings.ONESTOP_CSP_EXTRA = "img-src https://tiles.example.gov.cn"

    # when
    policy = _policy(client.get("/"))

    # then
    assert policy["img-src"] == ["'self'", "data:", "https://tiles.example.gov.cn"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")
HANDLER = re.compile(r"\son[a-z]+=")


def test_no_template_has_inline_script_style_or_handlers():
    # given
    templates = template_files()
    assert len(templates) > 20

    # then
    offenders = [
        str(path.relative_to(ROOT))
        for path in templates
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, HANDLER)
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_ninja_is_installed_for_its_local_docs_assets():
    assert "ninja" in settings.INSTALLED_APPS


def test_only_djangos_debug_error_pages_may_inline_and_only_in_debug(client, settings):
    # given: Django's technical 404 page (DEBUG only) styles and scripts itself inline
    settings.DEBUG = True

    # when
    debug_404 = _policy(client.get("/no-such-page/"))
    debug_200 = _policy(client.get("/"))
    settings.DEBUG = False
    live_404 = _policy(client.get("/no-such-page/"))

    # then
    assert "'unsafe-inline'" in debug_404["style-src"]
    assert debug_200["style-src"] == live_404["style-src"] == ["'self'"]
