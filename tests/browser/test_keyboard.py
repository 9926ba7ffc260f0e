"""Keyboard-only journeys (Tab, Shift+Tab, Enter, Space, typing): propose an idea, take part
in an open activity, switch language, Enter in a survey step, the error summary after a
failed submit, an announced message, the skip link. Every element that gets focus shows it
visibly."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login
from tests.security.world import World

pytestmark = pytest.mark.browser

FOCUS_INFO = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const visible = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0)
                  || (cs.boxShadow && cs.boxShadow !== 'none');
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
          id: el.id || '', href: el.getAttribute('href') || '',
          text: (el.innerText || el.value || '').trim().slice(0, 60), visible,
          inMainForm: !!el.closest('main form[method=post]')};
}"""


def tab(page: Any, *, back: bool = False) -> dict[str, Any]:
    page.keyboard.press("Shift+Tab" if back else "Tab")
    info = page.evaluate(FOCUS_INFO)
    assert info is not None, "fokus försvann"
    assert info["visible"], f"fokus syns inte på {info}"
    return info


def tab_until(page: Any, predicate: Any, limit: int = 80) -> dict[str, Any]:
    for _ in range(limit):
        info = tab(page)
        if predicate(info):
            return info
    raise AssertionError("hittade inte elementet med tangentbordet")


def test_propose_an_idea_with_keyboard_only(page: Any, live_server: Any, demo: World) -> None:
    from delaktig.governance.models import Initiative

    before = Initiative.objects.count()
    page.goto("/")
    # The skip link comes first.
    first = tab(page)
    assert first["href"] == "#innehall"
    tab_until(page, lambda i: i["href"].endswith("/foresla/"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/foresla/")
    tab_until(page, lambda i: i["id"] == "id_title")
    page.keyboard.type("Belysning i tunneln vid stationen")
    tab_until(page, lambda i: i["id"] == "id_description")
    page.keyboard.type("Det är mörkt och otryggt på kvällarna.")
    tab_until(page, lambda i: i["id"] == "id_proposer_name")
    page.keyboard.type("Kim")
    tab_until(page, lambda i: i["tag"] == "button" and i["inMainForm"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Initiative.objects.count() == before + 1, page.inner_text("main")[:500]
    assert Initiative.objects.filter(dialogue__title="Belysning i tunneln vid stationen").exists()
    assert page.locator("h1").count() == 1


def _participation_page(page: Any, demo: World) -> Any:
    """The first open activity whose page has a form with a free-text field."""
    from delaktig.participation.models import Activity

    for activity in Activity.objects.open_now().order_by("pk"):
        url = activity.get_absolute_url()
        if "#" in url:
            continue
        page.goto(url)
        if page.locator("main form[method=post] textarea").count():
            return activity
    return None


def test_take_part_in_an_activity_with_keyboard_only(
    page: Any, live_server: Any, demo: World
) -> None:
    from delaktig.participation.models import Contribution

    username, password = demo.logins["resident"]
    login(page, username, password)
    activity = _participation_page(page, demo)
    if activity is None:
        pytest.skip("ingen öppen aktivitet med ett textfält finns ännu")
    before = Contribution.objects.filter(activity=activity).count()
    page.locator("main").focus()
    typed = False
    for _ in range(120):
        info = tab(page)
        if not info["inMainForm"]:
            continue
        if info["tag"] == "textarea" or (info["tag"] == "input" and info["type"] == "text"):
            if not typed or info["tag"] == "textarea":
                page.keyboard.type("Fler sittplatser och bättre belysning.")
                typed = True
        elif info["type"] in ("radio", "checkbox"):
            page.keyboard.press("Space")
        elif (info["tag"] == "button" or info["type"] == "submit") and typed:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    assert typed
    assert Contribution.objects.filter(activity=activity).count() > before, page.url


def test_switch_language_with_keyboard_only(page: Any, live_server: Any, demo: World) -> None:
    page.goto("/")
    assert page.get_attribute("html", "lang") == "sv"
    tab_until(page, lambda i: i["name"] == "language")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.get_attribute("html", "lang") == "en"
    tab_until(page, lambda i: i["name"] == "language")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == "sv"


ANSWER_REQUIRED = """() => {
  const form = document.querySelector('main form[method=post]');
  const names = new Set([...form.querySelectorAll('input[type=radio][required]')].map(i => i.name));
  for (const name of names) form.querySelector(`input[type=radio][name="${name}"]`).checked = true;
  for (const input of form.querySelectorAll('input[type=text][required], textarea[required]'))
    if (!input.value) input.value = '1';
}"""


def wait_until(page: Any, script: str, seconds: float = 5) -> None:
    """Poll with evaluate: wait_for_function evaluates a string, which the CSP refuses."""
    for _ in range(int(seconds * 20)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"väntade förgäves på {script}")


def _survey_step_two(page: Any) -> Any:
    """An open survey at its second step, which has "Föregående", a required choice and a
    one-line text field."""
    from delaktig.participation.models import Activity

    form = "main form[method=post]"
    for activity in Activity.objects.open_now().order_by("pk"):
        url = activity.get_absolute_url()
        if "/enkat/" not in url:
            continue
        page.goto(url)
        if not page.locator(f"{form} button.button[value=next]").count():
            continue
        page.evaluate(ANSWER_REQUIRED)
        with page.expect_navigation():
            page.locator(f"{form} button.button[value=next]").click()
        if (
            page.locator(f"{form} button[value=prev]").count()
            and page.locator(f"{form} input[type=text]").count()
            and page.locator(f"{form} input[type=radio][required]").count()
        ):
            return activity
    raise AssertionError("ingen öppen enkät har ett andra steg med ett textfält och ett krav")


def _step(page: Any) -> str:
    return page.inner_text("main p.steps")


def test_enter_in_a_survey_field_goes_to_the_next_step(
    page: Any, live_server: Any, demo: World
) -> None:
    """Enter in a text field sends the step's primary action (Nästa), never "Föregående"."""
    _survey_step_two(page)
    assert _step(page).startswith("Steg 2 av")
    page.evaluate(ANSWER_REQUIRED)
    field = page.locator("main form[method=post] input[type=text]").first
    field.focus()
    page.keyboard.type("10")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _step(page).startswith("Steg 3 av"), _step(page)
    assert not page.locator(".error-summary").count()


def test_failed_submit_moves_focus_to_the_error_summary(
    page: Any, live_server: Any, demo: World
) -> None:
    """After a failed submit the error summary has focus; its link takes focus to the field."""
    _survey_step_two(page)
    page.locator("main form[method=post] input[type=text]").first.focus()
    page.keyboard.type("10")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _step(page).startswith("Steg 2 av")
    wait_until(page, "() => document.activeElement.matches('.error-summary')")
    link = tab(page)
    assert link["tag"] == "a" and link["href"].startswith("#fraga-"), link
    page.keyboard.press("Enter")
    focused = page.evaluate(FOCUS_INFO)
    assert focused["tag"] == "input" and focused["type"] == "radio", focused
    question = link["href"][1:]
    assert page.evaluate(
        f"document.getElementById('{question}').contains(document.activeElement)"
    ), focused
    assert focused["visible"], focused


# Records what the page's live regions hold when the page has loaded and what is put in them
# afterwards: only a change after load is announced by a screen reader.
WATCH_LIVE_REGIONS = """
window.__live = {atLoad: null, later: []};
document.addEventListener('DOMContentLoaded', () => {
  const regions = [...document.querySelectorAll('[role=status], [role=alert], [aria-live]')];
  window.__live.atLoad = regions.map(r => r.textContent.trim());
  const seen = new MutationObserver(() => {
    for (const r of regions) {
      const text = r.textContent.trim();
      if (text) window.__live.later.push(text);
    }
  });
  regions.forEach(r => seen.observe(r, {childList: true, subtree: true, characterData: true}));
});
"""


def test_success_message_is_announced_after_load(page: Any, live_server: Any, demo: World) -> None:
    username, password = demo.logins["resident"]
    login(page, username, password)
    page.add_init_script(WATCH_LIVE_REGIONS)
    page.goto("/konto/mina-uppgifter/")
    tab_until(page, lambda i: i["type"] == "checkbox" and i["name"] == "attested")
    page.keyboard.press("Space")
    tab_until(page, lambda i: i["tag"] == "button" and i["inMainForm"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    message = page.inner_text("main .messages")
    assert "Dina uppgifter är sparade." in message
    wait_until(page, "() => window.__live.later.length > 0")
    live = page.evaluate("window.__live")
    assert all(text == "" for text in live["atLoad"]), live
    assert any("Dina uppgifter är sparade." in text for text in live["later"]), live


def test_skip_link_jumps_past_the_header_and_covers_nothing(
    page: Any, live_server: Any, demo: World
) -> None:
    username, password = demo.logins["official"]
    login(page, username, password)
    page.goto("/")
    skip = tab(page)
    assert skip["href"] == "#innehall"
    boxes = page.evaluate(
        "() => { const s = document.querySelector('.skip-link').getBoundingClientRect();"
        " const h = document.querySelector('.site-header').getBoundingClientRect();"
        " return {skipBottom: s.bottom, skipHeight: s.height, headerTop: h.top}; }"
    )
    assert boxes["skipHeight"] > 0 and boxes["headerTop"] >= boxes["skipBottom"] - 0.5, boxes
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innehall"
    after = tab(page)
    assert page.evaluate("!!document.activeElement.closest('main')"), after
