"""The checklist section of the manage page reads each item's state from here."""

from __future__ import annotations

from django import template

from delaktig.governance import checklist
from delaktig.governance.models import Dialogue

register = template.Library()


@register.filter
def checklist_states(dialogue: Dialogue) -> list[checklist.ItemState]:
    return checklist.states(dialogue)
