"""Rate limits: too many login attempts or submissions get 429 in Swedish, nothing saved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from delaktig.core import ratelimit
from tests.security.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _within_one_window(attempt: Any, expected: Any) -> Any:
    """django-ratelimit counts in fixed one-minute windows; on a loaded machine a burst can
    straddle a window boundary and start counting afresh. Retry the burst in that case."""
    for _ in range(3):
        cache.clear()
        result = attempt()
        if expected(result):
            return result
    return result


@pytest.mark.urls("tests.security.ratelimit_urls")
def test_login_limited_per_username(world: World) -> None:
    client = Client()

    def burst() -> list[int]:
        return [
            client.post(
                "/konto/logga-in/",
                {"username": "resident", "password": "fel"},
                REMOTE_ADDR=f"10.0.0.{i}",
            ).status_code
            for i in range(7)
        ]

    statuses = _within_one_window(burst, lambda s: s[5:] == [429, 429])
    assert statuses[:5] == [200] * 5  # wrong password: the form again
    assert statuses[5:] == [429, 429]
    # Even the right password is refused while limited: guessing cannot continue.
    response = client.post("/konto/logga-in/", {"username": "resident", "password": "lösenord-123"})
    assert response.status_code == 429
    assert "För många" in response.content.decode()
    assert int(response["Retry-After"]) >= 1
    # Another account from another address is not affected.
    ok = Client().post(
        "/konto/logga-in/",
        {"username": "official", "password": "lösenord-123"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert ok.status_code == 302


@pytest.mark.urls("tests.security.ratelimit_urls")
def test_login_limited_per_ip(world: World) -> None:
    client = Client()

    def burst() -> list[int]:
        return [
            client.post(
                "/konto/logga-in/", {"username": f"u{i}", "password": "x"}, REMOTE_ADDR="10.1.1.1"
            ).status_code
            for i in range(22)
        ]

    codes = _within_one_window(burst, lambda c: c.count(429) == 2)
    assert codes.count(429) == 2 and codes[-1] == 429
    assert client.get("/konto/logga-in/", REMOTE_ADDR="10.1.1.1").status_code == 200


def test_contribution_limit_by_user_else_ip(world: World) -> None:
    calls: list[int] = []

    @ratelimit.limit_contributions
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return HttpResponse("ok")

    rf = RequestFactory()
    from django.contrib.auth.models import AnonymousUser

    codes = []
    for _ in range(32):
        request = rf.post("/delta/x/", REMOTE_ADDR="10.2.2.2")
        request.user = AnonymousUser()
        codes.append(view(request).status_code)
    assert codes[:30] == [200] * 30 and codes[30:] == [429, 429]
    assert len(calls) == 30  # the view (and its save) never ran when limited
    # A signed-in resident on the same IP (a school) has their own allowance.
    request = rf.post("/delta/x/", REMOTE_ADDR="10.2.2.2")
    request.user = world.people["resident"]
    assert view(request).status_code == 200
    # Reading is never limited.
    request = rf.get("/delta/x/", REMOTE_ADDR="10.2.2.2")
    request.user = AnonymousUser()
    assert view(request).status_code == 200


def test_api_gets_json_429() -> None:
    request = RequestFactory().get("/api/dialoger/")
    response = ratelimit.too_many(request, 30)
    assert response.status_code == 429
    assert json.loads(response.content)["fel"]["kod"] == "for_manga_anrop"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.9.9.9", "", "10.9.9.9"),
        (0, "10.9.9.9", "1.2.3.4", "10.9.9.9"),  # no proxy trusted: the header is ignored
        (1, "10.9.9.9", "1.2.3.4", "1.2.3.4"),
        (1, "10.9.9.9", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client wrote 6.6.6.6 itself
        (2, "10.9.9.9", "6.6.6.6, 1.2.3.4, 10.8.8.8", "1.2.3.4"),
        (1, "10.9.9.9", "", "10.9.9.9"),  # a request past the proxy keeps its own address
        (2, "10.9.9.9", "1.2.3.4", "10.9.9.9"),  # fewer entries than proxies: not trusted
        (0, "", "", "unknown"),
    ],
)
def test_client_ip_matrix(
    settings: Any, proxies: int, remote: str, forwarded: str, expected: str
) -> None:
    from delaktig.core.client_ip import client_ip

    settings.DELAKTIG_TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **extra)
    assert client_ip(request) == expected


def test_behind_a_proxy_each_resident_has_an_own_allowance(world: World, settings: Any) -> None:
    """Behind nginx every request comes from the proxy's address; the limit must count the
    residents' addresses, and a forged X-Forwarded-For entry must not reset it."""
    from django.contrib.auth.models import AnonymousUser

    settings.DELAKTIG_TRUSTED_PROXIES = 1

    @ratelimit.limit_contributions
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    def post(forwarded: str) -> int:
        request = RequestFactory().post(
            "/delta/x/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        )
        request.user = AnonymousUser()
        return view(request).status_code

    codes = _within_one_window(
        lambda: [post(f"203.0.113.{i}, 198.51.100.7") for i in range(31)],
        lambda c: c[30] == 429,
    )
    assert codes[:30] == [200] * 30 and codes[30] == 429
    assert post("198.51.100.8") == 200  # another resident behind the same proxy
