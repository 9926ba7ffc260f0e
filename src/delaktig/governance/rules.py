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
rules.add_perm("governance.record_decision", can_manage_dialogue | secretary_of_dialogue_body)
rules.add_perm("governance.view_dialogue_backoffice", is_official)
rules.add_perm("governance.create_dialogue", is_official)
rules.add_perm("governance.record_consideration", is_official)
