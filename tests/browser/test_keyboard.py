"""Keyboard-only journeys (Tab, Shift+Tab, Enter, Space, typing): propose an idea, take part
in an open activity, switch language. Every element that gets focus shows it visibly."""

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
