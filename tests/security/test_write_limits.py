"""The one rate limiter, through the real URL conf and the project's middleware.

Every write URL is counted (a matrix over the whole URL conf), each scope refuses at its
stated limit with a Swedish 429 and nothing saved, and the address is the resident's,
not the proxy's. The limits are `delaktig.core.ratelimit.SCOPES`; docs/security.md lists
them per URL.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from delaktig.core import ratelimit
from delaktig.participation.ideas.models import Idea
from tests.governance.walk import Walk

pytestmark = pytest.mark.django_db

PASSWORD = "lösenord-123"


def _patterns(resolver: Any = None, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    """(namespace:name, a concrete path) for every URL pattern with converters only."""
    found: list[tuple[str, str]] = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):  # a regular expression (the admin's catch-alls)
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            found += _patterns(pattern, prefix + route, inner)
        elif isinstance(pattern, URLPattern):
            path = re.sub(r"<int:\w+>", "1", prefix + route)
            path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
            found.append((f"{ns}{pattern.name or ''}", "/" + path))
    return found


def _zero_limits() -> dict[str, list[tuple[str, int, int]]]:
    return {scope: [("ip", 0, 60)] for scope in ratelimit.SCOPES}


def test_the_limiter_is_in_the_production_middleware() -> None:
    code = (
        "import os; os.environ.update(DELAKTIG_ENV='production', DJANGO_SECRET_KEY='x'*50,"
        " DJANGO_ALLOWED_HOSTS='kommun.example');"
        "from delaktig.config import settings as s;"
        "print(s.MIDDLEWARE[-1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "delaktig.core.ratelimit.WriteLimitMiddleware"
    assert django_settings.MIDDLEWARE[-1] == out


def test_every_write_url_is_counted(municipality: Any, people: Any, settings: Any) -> None:
    """With every limit at zero, every POST to every URL is refused before its view runs,
    for anonymous visitors, residents and officials alike; a GET never is."""
    settings.DELAKTIG_RATE_LIMITS = _zero_limits()
    urls = _patterns()
    assert len(urls) > 100
    signed_in = Client()
    signed_in.force_login(people["resident"])
    official = Client()
    official.force_login(people["official"])
    for name, path in urls:
        for client in (Client(), signed_in, official):
            response = client.post(path, {"username": "resident"})
            assert response.status_code == 429, (name, path, response.status_code)
            assert int(response["Retry-After"]) >= 1
    assert Client().get("/konto/logga-in/").status_code == 200


def test_every_declared_url_scope_names_a_real_url_and_scope() -> None:
    names = {name for name, _path in _patterns()} | {"admin:login"}
    for url_name, scope in ratelimit.URL_SCOPES.items():
        assert url_name in names, url_name
        assert scope in ratelimit.SCOPES, scope


def test_login_limited_per_username(municipality: Any, people: Any) -> None:
    """Five wrong passwords for one account, each from another address: the sixth try is
    refused, even with the right password; another account is not affected."""
    codes = [
        Client()
        .post(
            "/konto/logga-in/",
            {"username": "resident", "password": "fel"},
            REMOTE_ADDR=f"10.0.0.{i}",
        )
        .status_code
        for i in range(5)
    ]
    assert codes == [400] * 5
    refused = Client().post(
        "/konto/logga-in/", {"username": "Resident ", "password": PASSWORD}, REMOTE_ADDR="10.0.1.1"
    )
    assert refused.status_code == 429
    assert "För många försök" in refused.content.decode()
    ok = Client().post(
        "/konto/logga-in/", {"username": "official", "password": PASSWORD}, REMOTE_ADDR="10.0.1.2"
    )
    assert ok.status_code == 302


def test_login_limited_per_ip(municipality: Any) -> None:
    """Many account names from one address: 50 tries in 10 minutes, then 429."""
    codes = [
        Client()
        .post("/konto/logga-in/", {"username": f"u{i}", "password": "x"}, REMOTE_ADDR="10.1.1.1")
        .status_code
        for i in range(52)
    ]
    assert codes[:50] == [400] * 50 and codes[50:] == [429, 429]
    assert Client().get("/konto/logga-in/", REMOTE_ADDR="10.1.1.1").status_code == 200


@pytest.fixture
def open_ideas(municipality: Any) -> int:
    """An open idea workshop, set up through the back office's forms."""
    walk = Walk.begin(municipality, "Ny lekplats i Exempelby")
    return walk.to_open()


def _idea(client: Client, activity: int, n: int, **extra: Any) -> int:
    return client.post(
        f"/delta/ideer/{activity}/",
        {"title": f"Idé nummer {n}", "text": "En gunga till."},
        **extra,
    ).status_code


def test_anonymous_contributions_are_limited_per_browser(open_ideas: int) -> None:
    client = Client()
    codes = [_idea(client, open_ideas, n) for n in range(23)]
    # The first idea gives the browser its session; from then on 20 in 5 minutes.
    assert codes[:21] == [302] * 21 and codes[21:] == [429, 429]
    assert Idea.objects.filter(activity_id=open_ideas).count() == 21  # nothing saved
    refused = client.post(
        f"/delta/ideer/{open_ideas}/",
        {"title": "En till", "text": "x"},
        HTTP_ACCEPT="application/json",
    )
    assert json.loads(refused.content)["fel"]["kod"] == "for_manga_anrop"
    # Another browser at another address has its own allowance; reading is never limited.
    assert _idea(Client(), open_ideas, 99, REMOTE_ADDR="198.51.100.7") == 302
    assert client.get(f"/delta/ideer/{open_ideas}/").status_code == 200


def test_the_scale_multiplies_every_limit(open_ideas: int, settings: Any) -> None:
    settings.DELAKTIG_RATE_LIMITS = {"contribution": [("client", 2, 300)]}
    settings.DELAKTIG_RATE_LIMIT_SCALE = 2
    assert ratelimit.limits("contribution") == (ratelimit.Limit("client", 4, 300),)
    client = Client()
    codes = [_idea(client, open_ideas, n) for n in range(6)]
    assert codes == [302] * 5 + [429]  # the first write has no session yet


def test_signed_in_contributions_are_limited_per_account(open_ideas: int, people: Any) -> None:
    """Per account, not per browser: a second browser of the same person shares the count."""
    first, second = Client(), Client()
    first.force_login(people["resident"])
    second.force_login(people["resident"])
    codes = [_idea(first, open_ideas, n) for n in range(20)]
    assert codes == [302] * 20
    assert _idea(second, open_ideas, 20) == 429


def test_cookie_less_clients_are_counted_at_their_address(open_ideas: int) -> None:
    codes = [_idea(Client(), open_ideas, n, REMOTE_ADDR="203.0.113.9") for n in range(101)]
    assert codes[:100] == [302] * 100 and codes[100] == 429


def test_officials_have_an_allowance_of_their_own(open_ideas: int, people: Any) -> None:
    assert ratelimit.scope_for(RequestFactory().post("/"), "ideas:activity") == "contribution"
    official = Client()
    official.force_login(people["official"])
    codes = [_idea(official, open_ideas, n) for n in range(25)]
    assert codes == [302] * 25


def test_api_gets_json_429() -> None:
    request = RequestFactory().get("/api/dialoger/")
    response = ratelimit.too_many(request, 30)
    assert response.status_code == 429
    assert json.loads(response.content)["fel"]["kod"] == "for_manga_anrop"
    assert response["Retry-After"] == "30"


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


def test_behind_a_proxy_each_resident_has_an_own_allowance(open_ideas: int, settings: Any) -> None:
    """Behind nginx every request comes from the proxy's address; the limit must count the
    residents' addresses, and a forged X-Forwarded-For entry must not reset it."""
    settings.DELAKTIG_TRUSTED_PROXIES = 1
    settings.DELAKTIG_RATE_LIMITS = {"contribution": [("ip", 5, 60)]}
    codes = [
        _idea(
            Client(),
            open_ideas,
            n,
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
        )
        for n in range(6)
    ]
    assert codes == [302] * 5 + [429]
    other = _idea(
        Client(), open_ideas, 7, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert other == 302  # another resident behind the same proxy
