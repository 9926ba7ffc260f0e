"""Who may do what with ideas and e-proposals. Tested as a role × action matrix."""

from __future__ import annotations

from typing import Any

import rules

from delaktig.governance.rules import can_manage_dialogue
from delaktig.participation.eligibility import may_take_part


@rules.predicate
def can_manage_activity(user: Any, activity: Any) -> bool:
    """Officials who may manage the activity's dialogue (governance.manage_dialogue)."""
    if activity is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(can_manage_dialogue(user, activity.dialogue))


rules.add_perm("ideas.participate", may_take_part)
rules.add_perm("ideas.manage_activity", can_manage_activity)
