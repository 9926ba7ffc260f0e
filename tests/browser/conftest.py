"""Browser tests: one real Chromium per test session (Playwright, sync API) against
pytest-django's `live_server`, with the demo municipality built into the test database.

Chromium is never downloaded: it is /usr/bin/chromium (or $DELAKTIG_CHROMIUM). When no
Chromium is installed the browser tests are skipped, never faked.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.security.world import World, build_demo_world, build_world, demo_available

CHROMIUM = os.environ.get("DELAKTIG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the main thread; Django refuses sync ORM
# calls from a thread with a running loop unless told this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium saknas ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def context(browser: Any, live_server: Any) -> Iterator[Any]:
    ctx = browser.new_context(base_url=live_server.url, locale="sv-SE")
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


class PageProblems:
    """Console CSP violations and server errors seen by a page."""

    def __init__(self) -> None:
        self.csp: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    pg = context.new_page()
    problems = PageProblems()

    def on_console(msg: Any) -> None:
        text = msg.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            problems.csp.append(f"{pg.url}: {text}")
        elif msg.type == "error":
            problems.errors.append(f"{pg.url}: {text}")

    pg.on("console", on_console)
    pg.problems = problems
    yield pg
    pg.close()


@pytest.fixture
def demo(transactional_db: Any, request: pytest.FixtureRequest) -> World:
    """The lead's demo municipality (or, before it existed, a small world of our own).

    `transactional_db` flushes after every test, which also removes the policy profiles the
    migrations ship; they are synced back first."""
    from delaktig.organisation.profile_data import sync_profiles

    sync_profiles()
    if demo_available():
        try:
            with transaction.atomic():
                return build_demo_world()
        except Exception as exc:  # the demo has its own tests; keep crawling our own world
            warnings.warn(
                f"build_demo() misslyckades, egen testvärld används: {exc!r}", stacklevel=1
            )
    municipality = request.getfixturevalue("municipality")
    people = request.getfixturevalue("people")
    return build_world(municipality, people)


def login(page: Any, username: str, password: str) -> None:
    page.goto("/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/konto/logga-in/" not in page.url, f"inloggningen misslyckades för {username}"
