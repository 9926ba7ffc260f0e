"""Every page a resident, an official and a strategist can reach, in Swedish and English,
passes axe-core's WCAG 2.1 A and AA rules, never answers 500 and never breaks the CSP."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from tests.browser.conftest import login
from tests.browser.crawl import crawl
from tests.security.world import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROLES = {
    "anonymous": None,
    "official": "official",
    "strategist": "strategist",
    "elected": "elected",
    "secretary": "secretary",
}
# Where each signed-in role's own pages start.
ROLE_START = {"elected": "/mina-organ/", "secretary": "/mina-organ/"}


def switch_language(page: Any, lang: str) -> None:
    """Use the header's language button (a POST form), as a visitor would."""
    page.goto("/")
    current = page.get_attribute("html", "lang") or ""
    if current.startswith(lang):
        return
    page.locator("form.lang-switch button[type=submit]").click()
    page.wait_for_load_state()
    assert (page.get_attribute("html", "lang") or "").startswith(lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_crawl_axe_wcag21aa(page: Any, live_server: Any, demo: World, role: str, lang: str) -> None:
    starts = ["/"]
    if ROLES[role]:
        username, password = demo.logins[ROLES[role]]
        login(page, username, password)
        starts.append(ROLE_START.get(role, "/handlaggning/"))
    switch_language(page, lang)
    result = crawl(page, live_server.url, starts, lang)
    report = "\n".join(result.problems())
    print(f"\n{role}/{lang}: {len(result.visited)} sidor")
    print(report)
    if result.forbidden:
        print("403:", *result.forbidden, sep="\n  ")
    if result.not_found:
        print("404:", *result.not_found, sep="\n  ")
    out = os.environ.get("DELAKTIG_A11Y_REPORT")
    if out:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(
                json.dumps(
                    {
                        "role": role,
                        "lang": lang,
                        "visited": result.visited,
                        "problems": result.problems(),
                        "not_found": result.not_found,
                        "forbidden": result.forbidden,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    assert len(result.visited) >= 5, result.visited
    assert not result.problems(), f"{len(result.problems())} problem ({role}, {lang}):\n{report}"


def test_csp_violation_detector_works(page: Any, live_server: Any, demo: World) -> None:
    """The crawl's CSP check is real: an inline style injected into a served page is
    refused by the browser and reported."""
    page.goto("/")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<div style=\"color:red\">x</div>')"
    )
    page.wait_for_timeout(200)
    assert any("style-src" in c for c in page.problems.csp), page.problems.csp


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/dialoger/?status=%00", 400, {"sv": "Felaktig förfrågan", "en": "Bad request"}),
        ("/finns-inte/", 404, {"sv": "Sidan finns inte", "en": "The page does not exist"}),
    ],
)
def test_error_pages_pass_axe_in_both_languages(
    page: Any,
    live_server: Any,
    demo: World,
    lang: str,
    path: str,
    status: int,
    heading: dict[str, str],
) -> None:
    """The crawl never lands on an error page, so they are checked here."""
    from tests.browser.crawl import run_axe

    switch_language(page, lang)
    response = page.goto(path)
    assert response is not None and response.status == status
    assert (page.get_attribute("html", "lang") or "").startswith(lang)
    assert page.inner_text("h1") == heading[lang]
    assert run_axe(page) == []
