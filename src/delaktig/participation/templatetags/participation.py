"""Template helpers: `{% load participation %}{% contributions_of person as contributions %}`.

Pages of lower apps (the resident's "Mina uppgifter" in accounts) show what a person did
here through these tags, so accounts needs no import of participation."""

from __future__ import annotations

from typing import Any

from django import template

from delaktig.participation.selectors import contributions_of as find_contributions

register = template.Library()


@register.simple_tag
def contributions_of(user: Any, limit: int = 500) -> Any:
    """The person's own contributions, newest first."""
    return find_contributions(user)[:limit]
