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


can_manage_dialogue = is_admin | is_strategist | leads_dialogue | (is_official & in_dialogue_office)

rules.add_perm("governance.manage_dialogue", can_manage_dialogue)
rules.add_perm("governance.view_dialogue_backoffice", is_official)
rules.add_perm("governance.create_dialogue", is_official)
rules.add_perm("governance.record_consideration", is_official)
