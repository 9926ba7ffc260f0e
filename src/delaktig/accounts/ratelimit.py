"""Abuse protection: fixed-window counters in Django's cache (Redis in production).

Each scope is limited per browser session and per IP address. IP addresses are
never stored: only an HMAC of the address (keyed with SECRET_KEY) is used as a
cache key, and it expires with the window. Limits (count, seconds) can be
overridden with the setting DELAKTIG_RATE_LIMITS = {scope: {"session": (n, s), "ip": (n, s)}}.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from delaktig.core.client_ip import client_ip
from delaktig.core.sessions import ensure_session_key

DEFAULT_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    # Anonymous input (no account, or a pupil in a school session) to any activity.
    "contribution": {"session": (30, 3600), "ip": (300, 3600)},
    "login": {"session": (10, 600), "ip": (50, 600)},
    "register": {"session": (5, 3600), "ip": (20, 3600)},
    "password_reset": {"session": (5, 3600), "ip": (20, 3600)},
    "school_code": {"session": (10, 600), "ip": (60, 600)},
}


def limits(scope: str) -> dict[str, tuple[int, int]]:
    configured = getattr(settings, "DELAKTIG_RATE_LIMITS", {}) or {}
    return {**DEFAULT_LIMITS.get(scope, {}), **configured.get(scope, {})}


def ip_hash(request: HttpRequest) -> str:
    address = client_ip(request)
    return hmac.new(
        settings.SECRET_KEY.encode(), f"ip|{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def _session_id(request: HttpRequest) -> str:
    return hashlib.sha256(ensure_session_key(request.session).encode()).hexdigest()[:32]


def _count(key: str, period: int) -> int:
    cache.add(key, 0, timeout=period)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        return 1


def _counts(keys: list[tuple[str, int]]) -> list[int]:
    # The Redis cache counts all keys in one round trip (delaktig.core.cache_backend).
    count_hits = getattr(cache, "count_hits", None)
    if count_hits is not None:
        return list(count_hits(keys))
    return [_count(key, period) for key, period in keys]


def hit(request: HttpRequest, scope: str) -> bool:
    """Count one attempt in `scope`; False when the session or the IP is over its limit."""
    now = int(time.time())
    keys: list[tuple[str, int]] = []
    allowed_counts: list[int] = []
    for kind, (count, period) in limits(scope).items():
        ident = _session_id(request) if kind == "session" else ip_hash(request)
        keys.append((f"delaktig:rl:{scope}:{kind}:{ident}:{now // period}", period))
        allowed_counts.append(count)
    return all(n <= allowed for n, allowed in zip(_counts(keys), allowed_counts, strict=True))
