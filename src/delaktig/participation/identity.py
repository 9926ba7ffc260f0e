"""A stable, privacy-preserving participant key, school sessions and what may be kept about
the participant. Who may take part is `delaktig.participation.eligibility`."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from delaktig.accounts.actions import SCHOOL_SESSION_KEY
from delaktig.accounts.models import User
from delaktig.accounts.selectors import consented_demographics
from delaktig.core.sessions import ensure_session_key
from delaktig.participation.models import Activity


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


# --- School sessions ------------------------------------------------------------------


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
    return consented_demographics(cast(User, user))  # authenticated: a User
