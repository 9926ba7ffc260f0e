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
    "resident": "resident",
}
# Where each signed-in role's own pages start.
ROLE_START = {
    "elected": "/mina-organ/",
    "secretary": "/mina-organ/",
    "resident": "/konto/mina-uppgifter/",
}


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


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_too_many_writes_page_passes_axe_in_both_languages(
    page: Any, live_server: Any, demo: World, lang: str, settings: Any
) -> None:
    """What a resident sees when the write limiter refuses them (core/ratelimit.py)."""
    from delaktig.participation.models import Activity
    from tests.browser.crawl import run_axe

    switch_language(page, lang)
    ideas = Activity.objects.filter(method="idea_workshop", dialogue__status="open").first()
    assert ideas is not None
    page.goto(f"/delta/ideer/{ideas.pk}/")
    settings.DELAKTIG_RATE_LIMITS = {"contribution": [("ip", 0, 60)]}
    form = page.locator("form", has=page.locator("input[name=title]")).first
    form.locator("input[name=title]").fill("Fler bänkar")
    form.locator("textarea[name=text]").fill("Vid ån.")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.locator("button[type=submit]").first.click()
    assert answer.value.status == 429
    page.wait_for_load_state()
    assert page.inner_text("h1") == {"sv": "För många försök", "en": "Too many attempts"}[lang]
    assert (page.get_attribute("html", "lang") or "").startswith(lang)
    assert run_axe(page) == []


def _opt_in_by_browser(page: Any, email: str) -> str:
    """A resident gives an idea with "Mejla mig när återkopplingen kommer"; the token of
    the stop link their receipt carries."""
    from delaktig.feedback.models import FeedbackContact
    from delaktig.participation.models import Activity

    ideas = Activity.objects.filter(method="idea_workshop", dialogue__status="open").first()
    assert ideas is not None
    page.goto(f"/delta/ideer/{ideas.pk}/")
    form = page.locator("form", has=page.locator("input[name=feedback_email]")).first
    form.locator("input[name=title]").fill("Fler bänkar")
    form.locator("textarea[name=text]").fill("Vid ån, i skuggan.")
    form.locator("input[name=feedback_optin]").check()
    form.locator("input[name=feedback_email]").fill(email)
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    return FeedbackContact.objects.get(email=email).token


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_unsubscribe_pages_pass_axe_in_both_languages(
    page: Any, live_server: Any, demo: World, lang: str
) -> None:
    """The stop links of every resident's mail: the question, the confirmation and a bad link."""
    from tests.browser.crawl import run_axe

    switch_language(page, lang)
    token = _opt_in_by_browser(page, f"axe-{lang}@exempel.se")
    heading = {"sv": "Sluta få mejl om dialogen", "en": "Stop getting email about the dialogue"}
    response = page.goto(f"/aterkoppling/mejl/{token}/sluta/")
    assert response is not None and response.status == 200
    assert page.inner_text("h1") == heading[lang]
    assert (page.get_attribute("html", "lang") or "").startswith(lang)
    assert run_axe(page) == []
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main a").count() >= 1  # back to the dialogue
    assert run_axe(page) == []
    response = page.goto("/aterkoppling/mejl/finns-inte/sluta/")
    assert response is not None and response.status == 404
    assert page.locator(".error-summary").count() == 1
    assert run_axe(page) == []
    # The stop link of the other residents' mail (a proposal's outcome, a meeting registration).
    from delaktig.core.mail import stop_url

    link = stop_url(f"axe-{lang}@exempel.se", "initiative:1")
    response = page.goto("/" + link.split("://", 1)[-1].split("/", 1)[-1])
    assert response is not None and response.status == 200
    assert page.inner_text("h1") == {"sv": "Sluta få mejl", "en": "Stop getting emails"}[lang]
    assert run_axe(page) == []
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert run_axe(page) == []
    response = page.goto("/mejl/sluta/finns-inte/")
    assert response is not None and response.status == 404
    assert page.locator(".error-summary").count() == 1
    assert run_axe(page) == []
    assert not page.problems.csp


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_secretarys_decision_error_page_passes_axe_in_both_languages(
    page: Any, live_server: Any, demo: World, lang: str
) -> None:
    """A committee secretary submits the decision form without the facts: a 400 page with
    the error summary and each field's error, in the visitor's language."""
    from tests.browser.crawl import run_axe

    username, password = demo.logins["secretary"]
    login(page, username, password)
    switch_language(page, lang)
    page.goto("/mina-organ/")
    page.locator("a.button[href*='/beslut/']").first.click()
    page.wait_for_load_state()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").click()
    assert posted.value.status == 400
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert (page.get_attribute("html", "lang") or "").startswith(lang)
    assert run_axe(page) == []
    assert not page.problems.csp
