"""Crawl every same-origin page from a start page and check it: status, CSP violations in
the console, the page language, and one check per page (axe-core WCAG 2.1 A/AA unless
another is given, e.g. reflow at a narrow width)."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SKIP_PREFIXES = ("/django-admin/", "/static/", "/media/", "/jsi18n/", "/i18n/", "/api/")
SKIP_SUFFIXES = (".pdf", ".csv", ".xlsx", ".ics", ".json", ".zip", ".odt", ".docx", ".txt")
SKIP_WORDS = ("logga-ut", "logout", "ladda-ner", "export")
MAX_PER_ROUTE = 5  # distinct paths per URL pattern (bounded; states differ on dialogue pages)
MAX_PAGES = 300


@dataclass
class Finding:
    url: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        return f"{self.url} [{self.rule}, {self.impact}] {self.help}: {', '.join(self.targets)}"


@dataclass
class CrawlResult:
    visited: list[str] = field(default_factory=list)
    violations: list[Finding] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    wrong_language: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        out = [f"500: {u}" for u in self.server_errors]
        out += [f"CSP: {c}" for c in self.csp]
        out += [f"fel språk: {u}" for u in self.wrong_language]
        out += [str(v) for v in self.violations]
        return out


def route_of(path: str) -> str:
    try:
        return resolve(path).route or path
    except Resolver404:
        return path


def should_visit(href: str, origin: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.lower().endswith(SKIP_SUFFIXES):
        return None
    if any(w in path for w in SKIP_WORDS):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def run_axe(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return result.response["violations"]


def axe_findings(page: Any, url: str) -> list[Finding]:
    return [
        Finding(
            url=url,
            rule=v["id"],
            impact=v.get("impact") or "",
            help=v["help"],
            targets=[" ".join(map(str, n["target"])) for n in v["nodes"]][:5],
        )
        for v in run_axe(page)
    ]


def crawl(
    page: Any,
    origin: str,
    starts: list[str],
    lang: str,
    check: Callable[[Any, str], list[Finding]] = axe_findings,
) -> CrawlResult:
    result = CrawlResult()
    queue: deque[str] = deque(starts)
    seen: set[str] = set(starts)
    per_route: dict[str, set[str]] = defaultdict(set)
    query_for_path: dict[str, str] = {}
    while queue and len(result.visited) < MAX_PAGES:
        target = queue.popleft()
        csp_before = len(page.problems.csp)
        try:
            response = page.goto(target)
        except Exception as exc:  # a link that downloads a file is not a page
            if "Download is starting" in str(exc):
                continue
            raise
        result.visited.append(target)
        status = response.status if response else 0
        if status >= 500:
            result.server_errors.append(f"{target} ({status})")
            continue
        if status == 404:
            result.not_found.append(target)
            continue
        if status == 403:  # a link to a page this role may not see (reported, not a page)
            result.forbidden.append(target)
            continue
        content_type = (response.headers.get("content-type", "") if response else "") or ""
        if "text/html" not in content_type:
            continue
        result.csp += page.problems.csp[csp_before:]
        html_lang = page.get_attribute("html", "lang") or ""
        if not html_lang.startswith(lang):
            result.wrong_language.append(f"{target} (lang={html_lang!r})")
        result.violations += check(page, target)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            link = should_visit(urljoin(page.url, href.split("#")[0]), origin)
            if not link or link in seen:
                continue
            path, _, query = link.partition("?")
            if query:
                # Only the first query-string variant of each path.
                if path in query_for_path:
                    continue
                query_for_path[path] = query
            else:
                route = route_of(path)
                if len(per_route[route]) >= MAX_PER_ROUTE:
                    continue
                per_route[route].add(path)
            seen.add(link)
            queue.append(link)
    return result
