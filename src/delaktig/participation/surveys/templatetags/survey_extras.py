"""Small formatting filters for survey pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(share: Any) -> str:
    """0.423 → "42 %" (Swedish style, non-breaking space)."""
    if share is None:
        return ""
    return f"{round(float(share) * 100)}\u00a0%"


@register.filter
def decimal(value: Any) -> str:
    """2.456 → "2,5"."""
    if value is None:
        return "–"
    return f"{float(value):.1f}".replace(".", ",")


@register.filter
def at(sequence: Any, index: int) -> Any:
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return None
