"""CSRF, injection escaping, the CSP header, production settings, and fuzzing of forms."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.world import World

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "';alert(1);//",
    "{{ 7*7 }}{% debug %}",
    '<a href="javascript:alert(1)">klick</a>',
    "</textarea><script>alert(1)</script>",
]


def test_csrf_enforced_on_post(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    for path in ("/foresla/", "/konto/logga-in/", "/handlaggning/ny/"):
        response = client.post(path, {"title": "x"})
        assert response.status_code == 403, path
    client.force_login(world.people["official"])
    response = client.post("/handlaggning/ny/", {"title": "Ny", "description": "x"})
    assert response.status_code == 403


def test_csrf_token_lets_the_propose_form_through(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/foresla/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/foresla/",
        {
            "title": "Säkrare cykelväg",
            "description": "Till skolan.",
            "proposer_kind": "resident",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_in_propose_form_is_escaped(world: World, payload: str, client: Client) -> None:
    from delaktig.governance.models import Initiative

    response = client.post(
        "/foresla/",
        {
            "title": f"Förslag {payload}"[:200],
            "description": payload,
            "proposer_kind": "resident",
            "proposer_name": payload[:200],
        },
    )
    assert response.status_code == 200
    initiative = Initiative.objects.get(description=payload.strip())
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert "onerror=alert" not in body or "&lt;img" in body
    assert "<svg/onload" not in body
    # Where the text is shown later, to an official, it is escaped too.
    staff = Client()
    staff.force_login(world.people["strategist"])
    page = staff.get(f"/handlaggning/dialog/{initiative.dialogue.pk}/").content.decode()
    assert "<script>alert(1)" not in page
    assert "<svg/onload" not in page
    assert "<img src=x onerror" not in page


def test_csp_header_is_strict(client: Client, world: World) -> None:
    from django.conf import settings as dj

    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    # Scripts need the per-request nonce (added to the header when a page uses it).
    from django.utils.csp import CSP

    assert CSP.NONCE in dj.SECURE_CSP["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_csp_nonce_differs_per_request(client: Client, world: World) -> None:
    from django.http import HttpResponse
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import engines
    from django.test import RequestFactory

    template = engines["django"].from_string("<script nonce='{{ csp_nonce }}'></script>")

    def view(request: Any) -> HttpResponse:
        return HttpResponse(template.render({}, request))

    nonces = set()
    for _ in range(2):
        request = RequestFactory().get("/")
        response = ContentSecurityPolicyMiddleware(view)(request)
        header = response["Content-Security-Policy"]
        nonce = header.split("'nonce-")[1].split("'")[0]
        assert f"nonce='{nonce}'" in response.content.decode()
        nonces.add(nonce)
    assert len(nonces) == 2


def test_production_settings_are_secure() -> None:
    code = (
        "import json, django; from django.conf import settings as s; django.setup();"
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SESSION_COOKIE_HTTPONLY',"
        "'X_FRAME_OPTIONS','SECURE_CONTENT_TYPE_NOSNIFF']}))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_DEBUG")) and k != "_"
    }
    env.update(
        DELAKTIG_ENV="production",
        DJANGO_SECRET_KEY="a-real-secret-" + "k" * 40,
        DJANGO_SETTINGS_MODULE="delaktig.config.settings",
        DJANGO_ALLOWED_HOSTS="dialog.example.se",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    s = json.loads(out.stdout.strip().splitlines()[-1])
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["X_FRAME_OPTIONS"] == "DENY" and s["SECURE_CONTENT_TYPE_NOSNIFF"]
    # Without a secret key production refuses to start.
    env.pop("DJANGO_SECRET_KEY")
    failed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert failed.returncode != 0
    assert "DJANGO_SECRET_KEY" in failed.stderr


text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)


@given(
    title=text,
    description=st.one_of(text, st.text(max_size=6000)),
    kind=st.one_of(st.sampled_from(["resident", "organisation", "x", ""]), text),
    email=st.one_of(st.emails(), text),
)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_fuzz_propose_form(
    world: World, title: str, description: str, kind: str, email: str
) -> None:
    from delaktig.governance.forms import InitiativeForm
    from delaktig.governance.models import Dialogue, Initiative

    data = {
        "title": title,
        "description": description,
        "proposer_kind": kind,
        "proposer_email": email,
    }
    valid = InitiativeForm(data).is_valid()
    before = (Dialogue.objects.count(), Initiative.objects.count())
    response = Client(raise_request_exception=False).post("/foresla/", data)
    after = (Dialogue.objects.count(), Initiative.objects.count())
    assert response.status_code in (200, 400)
    if valid:
        assert response.status_code == 200 and after == (before[0] + 1, before[1] + 1)
    else:
        assert response.status_code == 400 and after == before
        assert (
            "error-summary" in response.content.decode() or "errorlist" in response.content.decode()
        )


@given(title=text, description=text)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_fuzz_new_dialogue_form(world: World, title: str, description: str) -> None:
    from delaktig.governance.forms import NewDialogueForm
    from delaktig.governance.models import Dialogue

    client = Client(raise_request_exception=False)
    client.force_login(world.people["official"])
    valid = NewDialogueForm({"title": title, "description": description}).is_valid()
    before = Dialogue.objects.count()
    response = client.post("/handlaggning/ny/", {"title": title, "description": description})
    assert response.status_code < 500
    assert Dialogue.objects.count() == before + (1 if valid else 0)


@pytest.mark.parametrize(
    ("path", "params", "login"),
    [
        ("/api/aktiviteter/", {"dialog": "\x00x", "metod": "interview"}, None),
        ("/api/dialoger/", {"status\x00": "pagar"}, None),
        ("/dialoger/", {"status": "open\x00"}, None),
        ("/handlaggning/logg/", {"atgard": "dialogue.\x00"}, "strategist"),
    ],
)
def test_nul_in_query_string_is_a_swedish_400(
    client: Client, world: World, path: str, params: dict[str, str], login: str | None
) -> None:
    """PostgreSQL refuses text with NUL; such a query must be a clear 400, never a 500."""
    if login:
        client.force_login(world.people[login])
    response = client.get(path, params)
    assert response.status_code == 400
    if path.startswith("/api/"):
        body = json.loads(response.content)
        assert body["fel"]["kod"] == "ogiltig_parameter"
        assert "ogiltigt tecken" in body["fel"]["meddelande"]
    else:
        assert "ogiltigt tecken" in response.content.decode()
    assert client.get(path, {"sida": "1"}).status_code == 200  # without NUL it answers
