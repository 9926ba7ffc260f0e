"""Reads that span models: the public register and the back office."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from delaktig.governance import lifecycle
from delaktig.governance.models import Dialogue, DialogueStatus
from delaktig.organisation.selectors import current_municipality


def public_dialogues() -> Any:
    municipality = current_municipality()
    qs = Dialogue.objects.public().select_related("owner_body", "municipality")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs


def dialogues_by_status(qs: QuerySet[Dialogue]) -> dict[str, int]:
    rows = qs.values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in DialogueStatus.values}


@dataclass
class NextAction:
    transition: lifecycle.Transition
    blockers: list[str] = field(default_factory=list)
    # What stands in the way but may be overridden with a reason (e.g. opening early).
    overridable: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blockers


def next_actions(dialogue: Dialogue) -> list[NextAction]:
    return [
        NextAction(
            t,
            lifecycle.transition_blockers(dialogue, t.name),
            lifecycle.overridable_blockers(dialogue, t.name),
        )
        for t in lifecycle.available_transitions(dialogue)
    ]


def backoffice_rows(user: Any, municipality: Any) -> list[dict[str, Any]]:
    """Every dialogue with its owner and the next thing to do."""
    qs = (
        Dialogue.objects.filter(municipality=municipality)
        .select_related("owner_body", "office")
        .prefetch_related("team__user")
        .exclude(status=DialogueStatus.ARCHIVED)
        .order_by("feedback_due", "-created_at")
    )
    today = timezone.localdate()
    rows = []
    for dialogue in qs:
        leaders = [m.user for m in dialogue.team.all() if m.role == "process_leader"]
        actions = lifecycle.available_transitions(dialogue)
        rows.append(
            {
                "dialogue": dialogue,
                "leader": leaders[0] if leaders else None,
                "next": actions[0].label if actions else "",
                "overdue": dialogue.is_feedback_overdue,
                "days_to_feedback": (dialogue.feedback_due - today).days
                if dialogue.feedback_due
                else None,
            }
        )
    return rows


def mine_filter(user: Any) -> Q:
    return Q(team__user=user)
