"""OpenID Connect relying party for Swedish e-ID brokers (BankID, Freja eID+).

Authorization code flow with PKCE (S256), `state` and `nonce`; the ID token's
signature is checked against the provider's JWKS (fetched from the discovery
document), and `iss`, `aud`, `azp`, `exp`, `iat` and `nonce` are validated.

Configuration (environment variables, or settings of the same names):
  OIDC_ISSUER         the broker's issuer URL (discovery at /.well-known/openid-configuration)
  OIDC_CLIENT_ID      our client id at the broker
  OIDC_CLIENT_SECRET  our client secret (client_secret_basic, or _post if that is all it offers)
  OIDC_SCOPES         optional, default "openid"
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from delaktig.core.exceptions import DomainError
from delaktig.core.parsing import parse_int

SESSION_KEY = "delaktig_oidc"
ALGORITHMS = ["RS256", "PS256", "ES256"]
HTTP_TIMEOUT = 10
LEEWAY = 60
# Claims some Swedish brokers use for the personnummer. Only the birth year is read from it.
PERSONNUMMER_CLAIMS = (
    "https://id.oidc.se/claim/personalIdentityNumber",
    "personal_identity_number",
    "personnummer",
)


class OidcError(DomainError):
    def __init__(self, message: str, code: str = "oidc") -> None:
        super().__init__(message, code=code)


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "") or default)


def configuration() -> dict[str, str]:
    return {
        "issuer": _setting("OIDC_ISSUER").rstrip("/"),
        "client_id": _setting("OIDC_CLIENT_ID"),
        "client_secret": _setting("OIDC_CLIENT_SECRET"),
        "scopes": _setting("OIDC_SCOPES", "openid"),
    }


def is_configured() -> bool:
    conf = configuration()
    return bool(conf["issuer"] and conf["client_id"])


def provider_metadata(issuer: str) -> dict[str, Any]:
    key = "delaktig:oidc:meta:" + hashlib.sha256(issuer.encode()).hexdigest()
    meta = cache.get(key)
    if meta is None:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=HTTP_TIMEOUT
            )
            response.raise_for_status()
            meta = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise OidcError(
                _("E-legitimationstjänsten svarar inte just nu."), "unavailable"
            ) from exc
        if meta.get("issuer", "").rstrip("/") != issuer:
            raise OidcError(_("E-legitimationstjänsten är felaktigt inställd."), "issuer")
        cache.set(key, meta, 3600)
    return meta


def _keyset(jwks_uri: str, *, refresh: bool = False) -> KeySet:
    key = "delaktig:oidc:jwks:" + hashlib.sha256(jwks_uri.encode()).hexdigest()
    data = None if refresh else cache.get(key)
    if data is None:
        try:
            response = requests.get(jwks_uri, timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise OidcError(
                _("E-legitimationstjänsten svarar inte just nu."), "unavailable"
            ) from exc
        cache.set(key, data, 600)
    return KeySet.import_key_set(data)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def begin(request: HttpRequest, *, redirect_uri: str, next_url: str = "") -> str:
    """Store state, nonce and PKCE verifier in the session; return the authorization URL."""
    conf = configuration()
    if not is_configured():
        raise OidcError(_("Inloggning med e-legitimation är inte inställd."), "not_configured")
    meta = provider_metadata(conf["issuer"])
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    request.session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "next": next_url,
        "started": int(time.time()),
    }
    query = urlencode(
        {
            "response_type": "code",
            "client_id": conf["client_id"],
            "redirect_uri": redirect_uri,
            "scope": conf["scopes"],
            "state": state,
            "nonce": nonce,
            "code_challenge": _b64url(hashlib.sha256(verifier.encode()).digest()),
            "code_challenge_method": "S256",
        }
    )
    return f"{meta['authorization_endpoint']}?{query}"


def complete(request: HttpRequest) -> tuple[dict[str, Any], str]:
    """Handle the redirect back: check state, exchange the code, validate the ID token.

    Returns the ID token's claims and the `next` URL stored at the start.
    """
    pending = request.session.pop(SESSION_KEY, None)
    returned_state = request.GET.get("state", "")
    if (
        not pending
        or not returned_state
        or not secrets.compare_digest(str(pending["state"]), returned_state)
    ):
        raise OidcError(_("Inloggningen kunde inte kontrolleras. Försök igen."), "state")
    if time.time() - pending["started"] > 900:
        raise OidcError(_("Inloggningen tog för lång tid. Försök igen."), "expired")
    if request.GET.get("error"):
        raise OidcError(_("Inloggningen avbröts."), "cancelled")
    code = request.GET.get("code", "")
    if not code:
        raise OidcError(_("Inloggningen kunde inte kontrolleras. Försök igen."), "code")
    conf = configuration()
    meta = provider_metadata(conf["issuer"])
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending["redirect_uri"],
        "code_verifier": pending["verifier"],
    }
    auth = None
    methods = meta.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
    if "client_secret_basic" in methods:
        auth = (conf["client_id"], conf["client_secret"])
    else:
        form.update(client_id=conf["client_id"], client_secret=conf["client_secret"])
    try:
        response = requests.post(
            meta["token_endpoint"],
            data=form,
            auth=auth,
            headers={"Accept": "application/json"},
            timeout=HTTP_TIMEOUT,
        )
        tokens = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError(_("E-legitimationstjänsten svarar inte just nu."), "unavailable") from exc
    if response.status_code != 200 or "id_token" not in tokens:
        raise OidcError(_("Inloggningen godkändes inte av e-legitimationstjänsten."), "token")
    claims = validate_id_token(tokens["id_token"], meta=meta, nonce=pending["nonce"])
    return claims, pending.get("next", "")


def validate_id_token(id_token: str, *, meta: dict[str, Any], nonce: str) -> dict[str, Any]:
    conf = configuration()
    try:
        try:
            token = jwt.decode(id_token, _keyset(meta["jwks_uri"]), algorithms=ALGORITHMS)
        except (ValueError, KeyError, JoseError):
            # The provider may have rotated its keys: fetch the JWKS once more.
            token = jwt.decode(
                id_token, _keyset(meta["jwks_uri"], refresh=True), algorithms=ALGORITHMS
            )
    except (ValueError, KeyError, JoseError) as exc:
        raise OidcError(
            _("Inloggningen kunde inte kontrolleras (fel signatur)."), "signature"
        ) from exc
    claims = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": conf["issuer"]},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OidcError(_("Inloggningen kunde inte kontrolleras. Försök igen."), "claims") from exc
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if conf["client_id"] not in audiences:
        raise OidcError(_("Inloggningen var inte avsedd för den här tjänsten."), "audience")
    if len(audiences) > 1 and claims.get("azp") != conf["client_id"]:
        raise OidcError(_("Inloggningen var inte avsedd för den här tjänsten."), "audience")
    return claims


def birth_year_from_claims(claims: dict[str, Any]) -> int | None:
    """The birth year from `birthdate`, or from a personnummer claim (never stored)."""
    birthdate = str(claims.get("birthdate") or "")
    if len(birthdate) >= 4 and parse_int(birthdate[:4]) is not None and birthdate[0] != " ":
        return int(birthdate[:4])
    for name in PERSONNUMMER_CLAIMS:
        digits = "".join(ch for ch in str(claims.get(name) or "") if ch in "0123456789")
        if len(digits) == 12:
            return int(digits[:4])
    return None
