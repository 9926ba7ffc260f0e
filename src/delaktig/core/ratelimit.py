"""The one rate limiter: every write a visitor can make is counted, by URL, before its view.

`WriteLimitMiddleware` counts each POST, PUT, PATCH and DELETE that the URL conf resolves,
in the scope `URL_SCOPES` names for the URL (login, e-mail-sending account forms, school
codes, statement votes) or, for every other URL, in "contribution" for residents and
anonymous visitors and "official" for officials. A middleware, not a decorator per view:
a new view is limited from its first line, and `tests/security/test_write_limits.py`
posts to every write URL through the real URL conf to prove it.

Each scope has limits per kind of key:
- "client": the signed-in account, else the browser session (no key without a session:
  a cookie-less client is one of many at its address, and is counted there),
- "ip": the address (`delaktig.core.client_ip`), so a client that drops its cookies is
  still counted,
- "username": the account name a login form names, so guessing one person's password
  from many addresses is refused too.

Counters are fixed windows that start at a key's first hit and live in Django's cache
(Redis in production, shared by all app processes). Nothing readable is stored: each key
is an HMAC (keyed with SECRET_KEY) of the session, account, address or username, and it
expires with its window. Over a limit the request gets 429 in Swedish with Retry-After,
JSON for the API, and its view never runs: nothing is saved. Limits can be changed with
the setting DELAKTIG_RATE_LIMITS = {scope: [(kind, count, seconds), ...]}.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from delaktig.core.client_ip import client_ip

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Limit:
    kind: str  # "client", "ip" or "username"
    count: int
    seconds: int


def _limits(*rules: tuple[str, int, int]) -> tuple[Limit, ...]:
    return tuple(Limit(kind, count, seconds) for kind, count, seconds in rules)


# The limits, per scope. A class of 30 pupils behind one school address must fit under the
# address limits; one person clicking fast must not notice the client limits.
SCOPES: dict[str, tuple[Limit, ...]] = {
    # Passwords: 5 tries per account name in 5 minutes, from any number of addresses.
    "login": _limits(("client", 10, 600), ("username", 5, 300), ("ip", 50, 600)),
    # Forms that send an e-mail (new account, new confirmation link, forgotten password).
    "account_mail": _limits(("client", 5, 3600), ("ip", 20, 3600)),
    "school_code": _limits(("client", 10, 600), ("ip", 60, 600)),
    # Every other write of a resident or anonymous visitor: ideas, comments, answers,
    # supports, votes, ballots, registrations, follows, evaluations, own data.
    "contribution": _limits(("client", 20, 300), ("ip", 100, 60), ("ip", 1000, 3600)),
    # Taking a position on statements is one click per statement, many in a row.
    "statement_vote": _limits(("client", 150, 300), ("ip", 600, 60)),
    # Officials are signed in and audited; the limit only stops a runaway script.
    "official": _limits(("client", 300, 300)),
}

# The URLs (namespace:name) whose writes have a scope of their own.
URL_SCOPES: dict[str, str] = {
    "accounts:login": "login",
    "admin:login": "login",
    "accounts:register": "account_mail",
    "accounts:resend_verification": "account_mail",
    "accounts:password_reset": "account_mail",
    "accounts:school": "school_code",
    "opinions:vote": "statement_vote",
}

# Asked of the signed-in user to tell an official from a resident (a rules permission).
OFFICIAL_PERMISSION = "organisation.view_backoffice"


def limits(scope: str) -> tuple[Limit, ...]:
    configured = (getattr(settings, "DELAKTIG_RATE_LIMITS", None) or {}).get(scope)
    found = _limits(*configured) if configured is not None else SCOPES[scope]
    scale = getattr(settings, "DELAKTIG_RATE_LIMIT_SCALE", 1)
    if scale == 1:
        return found
    return tuple(Limit(lim.kind, lim.count * scale, lim.seconds) for lim in found)


def _digest(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]


def ip_hash(request: HttpRequest) -> str:
    return _digest(f"ip|{client_ip(request)}")


def _key(request: HttpRequest, kind: str) -> str | None:
    if kind == "ip":
        return ip_hash(request)
    if kind == "username":
        name = request.POST.get("username", "")
        return _digest(f"username|{name.strip().lower()[:150]}") if name.strip() else None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _digest(f"user|{user.pk}")
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    return _digest(f"session|{session_key}") if session_key else None


def _count(key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def _counts(keys: list[tuple[str, int]]) -> list[int]:
    # The Redis cache counts all keys in one round trip (delaktig.core.cache_backend).
    count_hits = getattr(cache, "count_hits", None)
    if count_hits is not None:
        return list(count_hits(keys))
    return [_count(key, seconds) for key, seconds in keys]


def hit(request: HttpRequest, scope: str) -> int | None:
    """Count one write in `scope`; the seconds to wait when a limit is exceeded, else None."""
    keys: list[tuple[str, int]] = []
    counted: list[Limit] = []
    for limit in limits(scope):
        ident = _key(request, limit.kind)
        if ident is None:
            continue
        keys.append((f"delaktig:rl:{scope}:{limit.kind}:{limit.seconds}:{ident}", limit.seconds))
        counted.append(limit)
    over = [
        limit.seconds for n, limit in zip(_counts(keys), counted, strict=True) if n > limit.count
    ]
    return max(over) if over else None


def scope_for(request: HttpRequest, url_name: str) -> str:
    """The scope a write to `url_name` (namespace:name) by this request's person counts in."""
    scope = URL_SCOPES.get(url_name)
    if scope is not None:
        return scope
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.has_perm(OFFICIAL_PERMISSION):
        return "official"
    return "contribution"


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = _(
        "Du har skickat för många förfrågningar på kort tid. Vänta en stund och försök igen. "
        "Det du skrev finns kvar om du går tillbaka till förra sidan."
    )
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(
            {"fel": {"kod": "for_manga_anrop", "meddelande": message}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        body = render_to_string("core/too_many.html", {"message": message}, request=request)
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


class WriteLimitMiddleware:
    """Counts every write the URL conf resolves and refuses it over its scope's limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in WRITE_METHODS:
            return None
        match = request.resolver_match
        url_name = match.view_name if match is not None else ""
        retry_after = hit(request, scope_for(request, url_name))
        if retry_after is not None:
            return too_many(request, retry_after)
        return None
