"""Text spacing (WCAG 1.4.12): with the spacing a reader may set — line height 1.5, space
after paragraphs 2 × the font size, letter spacing 0.12 and word spacing 0.16 × the font
size — no text on any page the crawl visits is cut off by a box that hides its overflow."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login
from tests.browser.crawl import Finding, crawl
from tests.browser.test_accessibility import switch_language
from tests.security.world import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROLES = {"resident": "/mina-uppgifter/", "official": "/handlaggning/"}

# Set through the CSSOM (allowed under the page's CSP, unlike an injected style sheet),
# then look for boxes that hide what no longer fits. Visually hidden text (1 px, clipped on
# purpose) is left out.
SPACED_AND_CLIPPED = """() => {
  for (const el of document.body.querySelectorAll('*')) {
    el.style.setProperty('line-height', '1.5', 'important');
    el.style.setProperty('letter-spacing', '0.12em', 'important');
    el.style.setProperty('word-spacing', '0.16em', 'important');
    if (el.tagName === 'P') el.style.setProperty('margin-bottom', '2em', 'important');
  }
  const hides = v => v === 'hidden' || v === 'clip';
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    const b = el.getBoundingClientRect();
    if (b.width <= 1 || b.height <= 1 || !el.innerText || !el.innerText.trim()) continue;
    const cs = getComputedStyle(el);
    const x = hides(cs.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const y = hides(cs.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (x || y) clipped.push(name(el));
  }
  return clipped.slice(0, 5);
}"""


def spacing_findings(page: Any, url: str) -> list[Finding]:
    clipped = page.evaluate(SPACED_AND_CLIPPED)
    if not clipped:
        return []
    return [Finding(url, "text-spacing", "serious", "text skärs av med större avstånd", clipped)]


@pytest.mark.parametrize("role", list(ROLES))
def test_no_text_is_cut_off_with_wider_text_spacing(
    page: Any, live_server: Any, demo: World, role: str
) -> None:
    username, password = demo.logins[role]
    login(page, username, password)
    switch_language(page, "sv")
    page.set_viewport_size({"width": 1280, "height": 800})
    result = crawl(page, live_server.url, ["/", ROLES[role]], "sv", check=spacing_findings)
    report = "\n".join(result.problems())
    print(f"\n{role}: {len(result.visited)} sidor med större textavstånd")
    assert len(result.visited) >= 5, result.visited
    assert not result.problems(), f"{len(result.problems())} problem ({role}):\n{report}"


def test_text_spacing_check_sees_cut_off_text(page: Any, live_server: Any, demo: World) -> None:
    """The check is real: a fixed-height box that hides its overflow is found."""
    page.goto("/")
    page.evaluate(
        "() => { const d = document.createElement('div');"
        " d.textContent = 'Text som ska synas. '.repeat(3);"
        " d.style.height = '1.2em'; d.style.overflow = 'hidden'; d.style.width = '8em';"
        " document.querySelector('main').append(d); }"
    )
    assert [f.rule for f in spacing_findings(page, "/")] == ["text-spacing"]
