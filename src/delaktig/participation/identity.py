"""Who may take part in an activity, and a stable, privacy-preserving participant key."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.core.sessions import ensure_session_key
from delaktig.participation.models import Activity, IdentityLevel, ResidencyRule

if TYPE_CHECKING:
    from delaktig.accounts.models import User

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

    Pupils in a school session are keyed by their random pupil key; signed-in people
    by account; anonymous people by their session, which is created if needed.
    """
    user = request.user
    school = school_session_for(request, activity)
    if school is not None:
        # A pupil: a random key drawn when the code was entered, nothing about the child.
        raw = f"pupil:{school['pupil_key']}"
    elif getattr(user, "is_authenticated", False):
        raw = f"user:{user.pk}"
    else:
        raw = f"session:{ensure_session_key(request.session)}"
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{activity.dialogue_id}|{raw}".encode(), hashlib.sha256
    ).hexdigest()


# --- School sessions, request-based eligibility and abuse protection ----------------

SCHOOL_SESSION_KEY = "delaktig_school"


def school_session_for(request: HttpRequest, activity: Activity) -> dict[str, Any] | None:
    """The pupil's school session (stored in the browser session) if it covers `activity`."""
    data = getattr(request, "session", {}).get(SCHOOL_SESSION_KEY)
    if not data:
        return None
    if data.get("dialogue_id") != activity.dialogue_id:
        return None
    if data.get("activity_id") and data["activity_id"] != activity.pk:
        return None
    valid_until = datetime.datetime.fromisoformat(data["valid_until"])
    if valid_until <= timezone.now():
        return None
    return data


def participation_refusal_for_request(
    request: HttpRequest, activity: Activity, *, submitting: bool = False
) -> Refusal | None:
    """Like `participation_refusal`, and also accepts a school session code.

    A school session replaces identity level, residency and age (the school vouches
    for the class). With `submitting=True` an anonymous submission (no account, or a
    pupil) is counted against the per-session and per-IP limits in
    `delaktig.accounts.ratelimit` (scope "contribution").
    """
    from delaktig.accounts import ratelimit

    if not activity.is_open:
        return Refusal("closed", _("Aktiviteten är inte öppen för deltagande just nu."))
    school = school_session_for(request, activity)
    if school is None:
        refusal = participation_refusal(request.user, activity)
        if refusal is not None:
            return refusal
    anonymous = school is not None or not getattr(request.user, "is_authenticated", False)
    if submitting and anonymous and not ratelimit.hit(request, "contribution"):
        return Refusal(
            "rate_limit",
            _(
                "Du har skickat in väldigt många bidrag på kort tid. "
                "Vänta en stund och försök igen."
            ),
        )
    return None


def participant_demographics(request: HttpRequest, activity: Activity) -> dict[str, str]:
    """What may go in `Contribution.data["demographics"]` for this participant.

    A pupil: only the class's age band. A signed-in person: age band from the birth
    year and their own answers, only while they consent (purpose "demographics").
    """
    school = school_session_for(request, activity)
    if school is not None:
        return {"age_band": school["age_band"]}
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return {}
    from delaktig.accounts.selectors import consented_demographics

    return consented_demographics(cast("User", user))  # authenticated: a User
