"""Absolute links for e-mail, which every app that writes to people needs."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """An absolute link for emails: DELAKTIG_SITE_URL (no trailing slash) + path."""
    base = getattr(settings, "DELAKTIG_SITE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + path
