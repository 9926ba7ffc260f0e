"""Who may do what with a dialogue. One predicate per question, tested as a matrix."""

from __future__ import annotations

from typing import Any

import rules

from delaktig.organisation.rules import is_admin, is_official, is_strategist


@rules.predicate
def leads_dialogue(user: Any, dialogue: Any) -> bool:
    if dialogue is None or not getattr(user, "is_authenticated", False):
        return False
    return dialogue.team.filter(user=user, role__in=["process_owner", "process_leader"]).exists()


@rules.predicate
def in_dialogue_office(user: Any, dialogue: Any) -> bool:
    """Officials of the office that runs the dialogue (any office while none is set)."""
    if dialogue is None or not getattr(user, "is_authenticated", False):
        return False
    roles = user.staff_roles.all()
    if dialogue.office_id is None:
        return roles.exists()
    return roles.filter(office_id=dialogue.office_id).exists()


@rules.predicate
def secretary_of_dialogue_body(user: Any, dialogue: Any) -> bool:
    """A committee secretary (nämndsekreterare) of a body that decides or owns the dialogue."""
    if dialogue is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(secretary_bodies(user, dialogue))


def secretary_bodies(user: Any, dialogue: Any) -> set[int]:
    """The bodies of this dialogue whose decisions this user records as their secretary."""
    from delaktig.governance import lifecycle
    from delaktig.organisation.models import BodyMembership, Gate

    mine = set(
        BodyMembership.objects.filter(
            user=user, kind=BodyMembership.Kind.SECRETARY, body__municipality=dialogue.municipality
        ).values_list("body_id", flat=True)
    )
    if not mine:
        return set()
    bodies = {dialogue.owner_body_id} | {
        pk for gate in Gate.values for pk in lifecycle.expected_bodies(dialogue, gate)
    }
    return mine & bodies


can_manage_dialogue = is_admin | is_strategist | leads_dialogue | (is_official & in_dialogue_office)

rules.add_perm("governance.manage_dialogue", can_manage_dialogue)
# A school code lets a class in without accounts: only those who run the dialogue (its
# office, its team, the strategist) hand them out.
rules.add_perm("governance.create_school_code", can_manage_dialogue)

# Who may take each step of the lifecycle (`lifecycle.Transition.permission`). The team and
# the office run the process; stopping a dialogue is for those who lead it or the
# strategist; the archive is kept by the strategist and the administrator, not by whoever
# runs the dialogue. Recording a body's decision is `governance.record_decision` (above).
TRANSITION_HOLDERS: dict[str, Any] = {
    "start_assessment": can_manage_dialogue,
    "reject": can_manage_dialogue,
    "approve_for_planning": can_manage_dialogue,
    "start_planning": can_manage_dialogue,
    "decide_to_conduct": can_manage_dialogue,
    "announce": can_manage_dialogue,
    "replan": can_manage_dialogue,
    "open": can_manage_dialogue,
    "close_participation": can_manage_dialogue,
    "start_feedback": can_manage_dialogue,
    "record_final_decision": can_manage_dialogue,
    "evaluate": can_manage_dialogue,
    "cancel": leads_dialogue | is_strategist | is_admin,
    "archive": is_strategist | is_admin,
}
for _name, _holders in TRANSITION_HOLDERS.items():
    rules.add_perm(f"governance.{_name}", _holders)
rules.add_perm("governance.record_decision", can_manage_dialogue | secretary_of_dialogue_body)
rules.add_perm("governance.view_dialogue_backoffice", is_official)
rules.add_perm("governance.create_dialogue", is_official)
rules.add_perm("governance.record_consideration", is_official)
