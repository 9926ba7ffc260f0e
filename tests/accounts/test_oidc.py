"""E-ID login through OpenID Connect, against a real provider served over HTTP."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from django.urls import reverse

from delaktig.accounts.models import EidIdentity, User
from tests.accounts.oidc_provider import LocalOidcProvider

PERSONNUMMER = "197501011234"
pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings: Any) -> Any:
    with LocalOidcProvider(
        subject="pairwise-abc-123",
        extra_claims={"https://id.oidc.se/claim/personalIdentityNumber": PERSONNUMMER},
    ) as op:
        settings.OIDC_ISSUER = op.issuer
        settings.OIDC_CLIENT_ID = op.client_id
        settings.OIDC_CLIENT_SECRET = op.client_secret
        yield op


def start(
    client: Any, provider: LocalOidcProvider, next_url: str = "/konto/mina-uppgifter/"
) -> str:
    response = client.get(reverse("accounts:eid_start"), {"next": next_url})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{provider.issuer}/authorize?")
    query = parse_qs(urlparse(location).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]
    assert query["redirect_uri"] == ["http://testserver/konto/e-legitimation/tillbaka/"]
    return location


def authorize(location: str) -> tuple[str, dict[str, str]]:
    """The browser's trip to the provider: it answers with a redirect back to us."""
    response = requests.get(location, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    back = urlparse(response.headers["Location"])
    assert back.netloc == "testserver"
    return back.path, {k: v[0] for k, v in parse_qs(back.query).items()}


def full_flow(client: Any, provider: LocalOidcProvider) -> Any:
    path, params = authorize(start(client, provider))
    return client.get(f"{path}?{urlencode(params)}")


def test_code_flow_creates_pseudonymised_eid_user(client: Any, provider: LocalOidcProvider) -> None:
    response = full_flow(client, provider)
    assert response.status_code == 302
    assert response["Location"] == "/konto/mina-uppgifter/"
    user = User.objects.get()
    assert user.eid_verified_at is not None
    assert user.identity_level == "eid"
    assert user.birth_year == 1975  # from the personnummer claim, which is not kept
    identity = EidIdentity.objects.get(user=user)
    assert identity.issuer == provider.issuer
    assert len(identity.subject_hash) == 64
    assert identity.subject_hash != "pairwise-abc-123"
    # Neither the sub nor the personnummer is stored anywhere on the person.
    stored = " ".join(str(v) for v in User.objects.values().get().values()) + " ".join(
        str(v) for v in EidIdentity.objects.values().get().values()
    )
    assert "pairwise-abc-123" not in stored
    assert PERSONNUMMER not in stored
    # The session is signed in.
    page = client.get(reverse("accounts:me"))
    assert page.status_code == 200
    assert "Ditt konto är kopplat till e-legitimation" in page.content.decode()
    # The token request carried the PKCE verifier and the registered redirect URI.
    token_request = provider.token_requests[0]
    assert token_request["code_verifier"]
    assert token_request["redirect_uri"] == "http://testserver/konto/e-legitimation/tillbaka/"


def test_second_login_finds_the_same_person(client: Any, provider: LocalOidcProvider) -> None:
    full_flow(client, provider)
    client.post(reverse("accounts:logout"))
    assert full_flow(client, provider).status_code == 302
    assert User.objects.count() == 1
    assert EidIdentity.objects.count() == 1


def test_replayed_callback_is_refused(client: Any, provider: LocalOidcProvider) -> None:
    path, params = authorize(start(client, provider))
    assert client.get(f"{path}?{urlencode(params)}").status_code == 302
    again = client.get(f"{path}?{urlencode(params)}")
    assert again.status_code == 400


def test_signed_in_email_user_gets_eid_linked(client: Any, provider: LocalOidcProvider, people):
    resident = people["resident"]
    client.force_login(resident)
    assert full_flow(client, provider).status_code == 302
    resident.refresh_from_db()
    assert resident.identity_level == "eid"
    assert EidIdentity.objects.get().user == resident


def test_bad_state_is_refused_before_any_token_request(client: Any, provider: LocalOidcProvider):
    path, params = authorize(start(client, provider))
    params["state"] = "forged-" + params["state"]
    response = client.get(f"{path}?{urlencode(params)}")
    assert response.status_code == 400
    assert "kunde inte kontrolleras" in response.content.decode()
    assert provider.token_requests == []
    assert not User.objects.exists()


def test_callback_without_a_started_login_is_refused(client: Any, provider: LocalOidcProvider):
    response = client.get(reverse("accounts:eid_callback"), {"code": "x", "state": "y"})
    assert response.status_code == 400
    assert not User.objects.exists()


def test_id_token_signed_with_unknown_key_is_refused(client: Any, provider: LocalOidcProvider):
    provider.mode = "bad_signature"
    response = full_flow(client, provider)
    assert response.status_code == 400
    assert "fel signatur" in response.content.decode()
    assert len(provider.token_requests) == 1
    assert not User.objects.exists()
    assert not EidIdentity.objects.exists()


def test_id_token_for_another_client_is_refused(client: Any, provider: LocalOidcProvider) -> None:
    provider.mode = "wrong_audience"
    response = full_flow(client, provider)
    assert response.status_code == 400
    assert "inte avsedd för den här tjänsten" in response.content.decode()
    assert not User.objects.exists()


def test_id_token_with_wrong_nonce_is_refused(client: Any, provider: LocalOidcProvider) -> None:
    provider.mode = "wrong_nonce"
    assert full_flow(client, provider).status_code == 400
    assert not User.objects.exists()


def test_wrong_client_secret_is_refused_by_the_provider(client, provider, settings) -> None:
    settings.OIDC_CLIENT_SECRET = "fel"
    response = full_flow(client, provider)
    assert response.status_code == 400
    assert not User.objects.exists()


def test_open_redirect_in_next_is_ignored(client: Any, provider: LocalOidcProvider) -> None:
    path, params = authorize(start(client, provider, next_url="https://evil.example/"))
    response = client.get(f"{path}?{urlencode(params)}")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:me")


def test_not_configured_explains(client: Any, settings: Any) -> None:
    settings.OIDC_ISSUER = ""
    settings.OIDC_CLIENT_ID = ""
    response = client.get(reverse("accounts:eid_start"))
    assert response.status_code == 503
    assert "inte inställd" in response.content.decode()
