"""The one guard of an action: a rules permission, asked of the acting person."""

from __future__ import annotations

from typing import Any

from delaktig.core.exceptions import NotAllowed


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Refuse unless `user` holds `perm` (a django-rules permission) on `obj`.

    Actions are called by views, commands and the demo builder alike, so the actor may be
    missing or anonymous: that is a refusal, not an error.
    """
    if not (getattr(user, "is_authenticated", False) and user.has_perm(perm, obj)):
        raise NotAllowed()
