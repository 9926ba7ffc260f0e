"""What every page's frame needs: the municipality and whether to show the staff menus."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "municipality": getattr(request, "municipality", None),
        "is_official": bool(user and user.has_perm("organisation.view_backoffice")),
        "is_elected": bool(user and user.has_perm("organisation.view_member_pages")),
    }
