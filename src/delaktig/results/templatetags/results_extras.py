from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """0.123 → "12 %"; None → "–"."""
    if value is None or value == "":
        return "–"
    return f"{round(float(value) * 100)} %"


@register.filter
def dec(value: Any) -> str:
    """3.456 → "3,5" (Swedish decimal comma); None → "–"."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.1f}".replace(".", ",")
