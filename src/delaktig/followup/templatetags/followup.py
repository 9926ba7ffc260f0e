"""`{% load followup %}`: the handbook advice for a dialogue's step, and number formatting."""

from __future__ import annotations

from typing import Any

from django import template

from delaktig.followup.handbook import handbook_for_status

register = template.Library()


@register.inclusion_tag("followup/includes/handbook_advice.html")
def handbook_advice(dialogue: Any) -> dict[str, Any]:
    """Renders the handbook's advice for the step `dialogue` is in."""
    return {"advice": handbook_for_status(getattr(dialogue, "status", "") or "")}


@register.filter
def percent(value: Any) -> str:
    return "–" if value is None else f"{value} %"


@register.filter
def yesno_sv(value: Any) -> str:
    from django.utils.translation import gettext

    if value is None:
        return "–"
    return gettext("Ja") if value else gettext("Nej")
