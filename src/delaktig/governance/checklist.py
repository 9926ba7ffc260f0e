"""The dialogue's checklist (G8): items ticked by hand, or answered by the plan.

An item whose profile names `plan_fields` restates part of the plan: it is done when
those parts are filled in, and nobody ticks it by hand. Besides the plan form's own
fields, an item may be answered by the target groups and the named process roles,
which the manage page keeps next to the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.db import models
from django.utils.translation import gettext_lazy as _

from delaktig.governance.models import ChecklistItem, Dialogue, TeamRole
from delaktig.organisation.models import ChecklistCheckpoint as Checkpoint

# Which lifecycle transition each checkpoint blocks. A profile's item names the checkpoint
# in `required_for`; `lifecycle` puts the item's guard on that transition.
CHECKLIST_BLOCKS: dict[str, str] = {
    Checkpoint.INVESTIGATE: "approve_for_planning",
    Checkpoint.CONDUCT: "decide_to_conduct",
    Checkpoint.CLOSE_PARTICIPATION: "close_participation",
    Checkpoint.FINAL: "record_final_decision",
    Checkpoint.EVALUATE: "evaluate",
    Checkpoint.ARCHIVE: "archive",
}


def _has_role(role: str) -> Callable[[Dialogue], bool]:
    return lambda dialogue: dialogue.team.filter(role=role).exists()


# Parts of the plan that are not fields of the plan form, with their labels.
OTHER_ANSWERS: dict[str, tuple[object, Callable[[Dialogue], bool]]] = {
    "target_groups": (_("målgrupper"), lambda d: d.target_groups.exists()),
    "process_owner": (_("processägare"), _has_role(TeamRole.PROCESS_OWNER)),
    "process_leader": (_("processledare"), _has_role(TeamRole.PROCESS_LEADER)),
}


def answer_names() -> set[str]:
    """Every name a profile may put in `plan_fields`."""
    from delaktig.governance.forms import PlanForm

    return set(PlanForm.Meta.fields) | set(OTHER_ANSWERS)


def answer_label(name: str) -> str:
    if name in OTHER_ANSWERS:
        return str(OTHER_ANSWERS[name][0])
    return str(cast(models.Field, Dialogue._meta.get_field(name)).verbose_name)


def is_filled(dialogue: Dialogue, name: str) -> bool:
    if name in OTHER_ANSWERS:
        return OTHER_ANSWERS[name][1](dialogue)
    field = Dialogue._meta.get_field(name)
    if field.many_to_many:
        return getattr(dialogue, name).exists()
    value = getattr(dialogue, cast(models.Field, field).attname)
    return bool(value.strip()) if isinstance(value, str) else value is not None


@dataclass(frozen=True)
class ItemState:
    item: ChecklistItem
    done: bool
    by_plan: bool
    # Labels of the plan parts still empty (only for items answered by the plan).
    missing: tuple[str, ...]
    answers: tuple[str, ...]


def state(item: ChecklistItem, dialogue: Dialogue) -> ItemState:
    if not item.plan_fields:
        return ItemState(item, item.done, False, (), ())
    missing = tuple(answer_label(n) for n in item.plan_fields if not is_filled(dialogue, n))
    answers = tuple(answer_label(n) for n in item.plan_fields)
    return ItemState(item, not missing, True, missing, answers)


def states(dialogue: Dialogue) -> list[ItemState]:
    return [state(item, dialogue) for item in dialogue.checklist.all()]


def unfinished(dialogue: Dialogue, checkpoint: str) -> list[ItemState]:
    """Items that stop the dialogue at this checkpoint."""
    return [
        s
        for s in (state(i, dialogue) for i in dialogue.checklist.filter(required_for=checkpoint))
        if not s.done
    ]


def blocking(dialogue: Dialogue, transition_name: str) -> list[ItemState]:
    """Unfinished items that stop this transition, over every checkpoint it closes."""
    return [
        s
        for checkpoint, name in CHECKLIST_BLOCKS.items()
        if name == transition_name
        for s in unfinished(dialogue, checkpoint)
    ]
