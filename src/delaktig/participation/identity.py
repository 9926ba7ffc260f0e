"""Who may take part in an activity, and a stable, privacy-preserving participant key."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.participation.models import Activity, IdentityLevel, ResidencyRule

LEVEL_RANK = {IdentityLevel.ANONYMOUS: 0, IdentityLevel.EMAIL: 1, IdentityLevel.EID: 2}


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def participation_refusal(user: Any, activity: Activity) -> Refusal | None:
    """Why this person may not take part now, or None when they may."""
    if not activity.is_open:
        return Refusal("closed", _("Aktiviteten är inte öppen för deltagande just nu."))
    required = LEVEL_RANK[IdentityLevel(activity.identity_level)]
    authenticated = getattr(user, "is_authenticated", False)
    have = LEVEL_RANK[IdentityLevel(user.identity_level)] if authenticated else 0
    if have < required:
        if activity.identity_level == IdentityLevel.EID:
            return Refusal("identity", _("Du behöver logga in med e-legitimation för att delta."))
        return Refusal("identity", _("Du behöver logga in med ett konto med verifierad e-post."))
    needs_connection = activity.residency_rule != ResidencyRule.ANYONE and required > 0
    if needs_connection and not (authenticated and user.connected_to_municipality):
        return Refusal(
            "residency",
            _("Den här aktiviteten är för dig som bor, arbetar, studerar eller vistas i kommunen."),
        )
    if activity.min_age and required > 0:
        birth_year = getattr(user, "birth_year", None) if authenticated else None
        if birth_year is None or timezone.localdate().year - birth_year < activity.min_age:
            return Refusal(
                "age",
                _("Du behöver vara minst %(age)s år för att delta.") % {"age": activity.min_age},
            )
    return None


def participant_key(request: HttpRequest, activity: Activity) -> str:
    """The same person gets the same key within a dialogue, and nobody can reverse it.

    Signed-in people are keyed by account; anonymous people by their session, which
    is created if needed.
    """
    user = request.user
    if getattr(user, "is_authenticated", False):
        raw = f"user:{user.pk}"
    else:
        if not request.session.session_key:
            request.session.save()
        raw = f"session:{request.session.session_key}"
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{activity.dialogue_id}|{raw}".encode(), hashlib.sha256
    ).hexdigest()
