"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live
server. The browser is never downloaded (tools/ensure-chromium installs the system one)."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One browser per test module. Playwright's sync API keeps an event loop running in
    this thread, which makes Django take every ORM call for one made from async code; the
    variable that says otherwise is set only while the browser runs, so it reaches neither
    other tests nor the processes they start (`check --deploy` refuses it)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "install Debian's chromium: tools/ensure-chromium"
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def context(browser):
    # A phone-sized window in Chinese, as most of the city's users arrive.
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=1
    )
    context.set_default_timeout(10_000)
    # Every journey doubles as a check of the Content-Security-Policy: the browser reports
    # what the policy blocked on the console, and a page that needs a blocked script or
    # style does not fully work.
    violations: list[str] = []

    def watch(page) -> None:
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    context.on("page", watch)
    yield context
    context.close()
    assert violations == [], "\n".join(violations)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def signed_in(context, live_server):
    """Sign a user in by session cookie, for journeys that are not about signing in."""

    def sign_in(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed journey's report says where the browser was and what it showed, and keeps a
    screenshot: a timeout alone does not tell a slow page from a wrong one."""
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.failed and call.when == "call" and page is not None and not page.is_closed():
        try:
            text = page.locator("main").first.inner_text(timeout=2_000)
        except Exception as error:  # the report must not fail in turn
            text = f"(no main text: {error.__class__.__name__})"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot: Path | None = SCREENSHOTS / f"failed-{item.name[:80]}.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
        except Exception:
            shot = None
        report.sections.append(
            ("browser", f"url: {page.url}\nscreenshot: {shot}\nmain text:\n{text[:1500]}")
        )
    return report
