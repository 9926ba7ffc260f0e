from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from delaktig.accounts.actions import SCHOOL_SESSION_KEY


def simple_language(request: HttpRequest) -> dict[str, Any]:
    """`simple_language`: show texts in lätt svenska. `school_class`: the pupil's class label."""
    session = getattr(request, "session", None)
    if session is None:
        return {"simple_language": False, "school_class": ""}
    school = session.get(SCHOOL_SESSION_KEY) or {}
    return {
        "simple_language": bool(session.get("simple_language")),
        "school_class": school.get("class_label", ""),
    }
