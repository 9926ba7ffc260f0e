"""`{% load dialogue_states %}`: templates ask the state declaration too, never a status list."""

from __future__ import annotations

from typing import Any

from django import template

from delaktig.governance.states import Feature, allows, public_phase_label

register = template.Library()


@register.filter(name="allows")
def allows_filter(dialogue: Any, feature: str) -> bool:
    """`{% if dialogue|allows:"public" %}`: whether the dialogue's state has the feature."""
    return dialogue is not None and allows(dialogue, Feature(feature))


@register.filter(name="phase")
def phase_filter(dialogue: Any) -> str:
    """`{{ dialogue|phase }}`: what residents see of the state, e.g. "Pågår"."""
    return public_phase_label(dialogue) if dialogue is not None else ""
