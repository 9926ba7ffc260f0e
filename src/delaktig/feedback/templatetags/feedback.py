"""Template helpers: `{% load feedback %}{% feedback_deadline dialogue as deadline %}`."""

from __future__ import annotations

from typing import Any

from django import template

from delaktig.feedback.selectors import DeadlineState, deadline_state

register = template.Library()


@register.simple_tag
def feedback_deadline(dialogue: Any) -> DeadlineState:
    return deadline_state(dialogue)


@register.simple_tag
def published_feedback(dialogue: Any) -> Any:
    """`{% published_feedback dialogue as fb %}`: the published feedback, or None."""
    from delaktig.feedback.selectors import published_feedback as find

    return find(dialogue)


@register.simple_tag
def feedback_reach(dialogue: Any) -> Any:
    """`{% feedback_reach dialogue as reach %}`: how far the feedback reached (F2)."""
    from delaktig.feedback.selectors import feedback_reach as count

    return count(dialogue)


@register.simple_tag
def feedback_opt_ins(user: Any) -> Any:
    """`{% feedback_opt_ins person as opt_ins %}`: the resident's "Mejla mig" opt-ins."""
    from delaktig.feedback.selectors import contacts_of

    return contacts_of(user)


@register.simple_tag
def feedback_awaited(user: Any) -> Any:
    """`{% feedback_awaited person as awaited %}`: dialogues whose feedback is still to come."""
    from delaktig.feedback.selectors import awaited_by_account

    return awaited_by_account(user)
