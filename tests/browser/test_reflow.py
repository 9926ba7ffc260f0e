"""Reflow (WCAG 1.4.10): at 320 CSS px every page the accessibility crawl visits fits the
width — nothing makes the page scroll sideways and nothing sticks out past the edge. Only a
labelled, focusable scroll region (role="region", tabindex="0", overflow-x: auto) may be
wider inside, as the wide tables are."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login
from tests.browser.crawl import Finding, crawl
from tests.browser.test_accessibility import switch_language
from tests.security.world import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTH = 320

ROLES = {"resident": "/mina-uppgifter/", "official": "/handlaggning/", "elected": "/mina-organ/"}

# What sticks out past the right edge, outside an allowed scroll region. An element whose
# parent also sticks out is left out: the outermost one is the cause.
OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const region = el => el.closest('[role=region][tabindex="0"]');
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  // A region clips what it holds, except what is positioned against something outside it.
  const inRegion = el => {
    const r = region(el);
    if (!r || r === el || !scrolls(r)) return false;
    const position = getComputedStyle(el).position;
    if (position === 'fixed') return false;
    if (position !== 'absolute') return true;
    return !!el.offsetParent && r.contains(el.offsetParent);
  };
  const out = el => { const b = el.getBoundingClientRect();
                      return b.width > 0 && b.height > 0 && b.right > width + 1; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (inRegion(el) || !out(el) || (el.parentElement && out(el.parentElement))) continue;
    offenders.push(name(el) + ' ' + Math.round(el.getBoundingClientRect().right) + ' px');
  }
  const regions = [...document.querySelectorAll('[role=region][tabindex="0"]')]
    .filter(r => scrolls(r) && !r.getAttribute('aria-label') && !r.getAttribute('aria-labelledby'))
    .map(name);
  return {scrollWidth: root.scrollWidth, offenders: offenders.slice(0, 5), unlabelled: regions};
}"""


def reflow_findings(page: Any, url: str) -> list[Finding]:
    seen = page.evaluate(OVERFLOW)
    findings = []
    if seen["scrollWidth"] > WIDTH or seen["offenders"]:
        findings.append(
            Finding(
                url=url,
                rule="reflow",
                impact="serious",
                help=f"sidan är {seen['scrollWidth']} px bred vid {WIDTH} px",
                targets=seen["offenders"],
            )
        )
    if seen["unlabelled"]:
        findings.append(
            Finding(url, "region-label", "serious", "rullområde utan namn", seen["unlabelled"])
        )
    return findings


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_reflows_at_320_px(
    page: Any, live_server: Any, demo: World, role: str, lang: str
) -> None:
    username, password = demo.logins[role]
    login(page, username, password)
    switch_language(page, lang)
    page.set_viewport_size({"width": WIDTH, "height": 640})
    result = crawl(page, live_server.url, ["/", ROLES[role]], lang, check=reflow_findings)
    report = "\n".join(result.problems())
    print(f"\n{role}/{lang}: {len(result.visited)} sidor vid {WIDTH} px")
    print(report)
    assert len(result.visited) >= 5, result.visited
    assert not result.problems(), f"{len(result.problems())} problem ({role}, {lang}):\n{report}"


def test_reflow_check_sees_a_wide_page(page: Any, live_server: Any, demo: World) -> None:
    """The check is real: a wide table outside a scroll region is found, and the same table
    inside a labelled, focusable scroll region is allowed."""
    page.set_viewport_size({"width": WIDTH, "height": 640})
    page.goto("/")
    wide = "<table><tr>" + "<td>kolumn&nbsp;med&nbsp;lång&nbsp;text</td>" * 8 + "</tr></table>"
    page.evaluate(f"document.querySelector('main').insertAdjacentHTML('beforeend', '{wide}')")
    found = reflow_findings(page, "/")
    assert [f.rule for f in found] == ["reflow"] and found[0].targets, found
    page.evaluate(
        "() => { const t = document.querySelector('main > table:last-child');"
        " const r = document.createElement('div'); r.className = 'table-scroll';"
        " r.setAttribute('role', 'region'); r.setAttribute('tabindex', '0');"
        " r.setAttribute('aria-label', 'Tabell'); t.replaceWith(r); r.append(t); }"
    )
    assert reflow_findings(page, "/") == []
