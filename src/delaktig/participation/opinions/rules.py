"""Who may moderate statements and see the opinion map (object: the Activity)."""

from __future__ import annotations

from typing import Any

import rules

from delaktig.governance.rules import can_manage_dialogue
from delaktig.organisation.rules import is_official


@rules.predicate
def manages_activity_dialogue(user: Any, activity: Any) -> bool:
    if activity is None:
        return False
    return bool(can_manage_dialogue.test(user, activity.dialogue))


rules.add_perm("opinions.moderate_statements", manages_activity_dialogue)
rules.add_perm("opinions.add_seed_statement", manages_activity_dialogue)
rules.add_perm("opinions.view_opinion_map", manages_activity_dialogue | is_official)
