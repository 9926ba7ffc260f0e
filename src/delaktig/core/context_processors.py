from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    from delaktig.organisation.rules import is_elected, is_official

    user = getattr(request, "user", None)
    return {
        "municipality": getattr(request, "municipality", None),
        "is_official": bool(user and is_official(user)),
        "is_elected": bool(user and is_elected(user)),
    }
