"""Who may do what in a medborgarbudget. Tested as a role × action matrix."""

from __future__ import annotations

from typing import Any

import rules

from delaktig.governance.rules import can_manage_dialogue
from delaktig.participation.eligibility import may_take_part


@rules.predicate
def can_manage_budget(user: Any, activity: Any) -> bool:
    """Officials who manage the dialogue: review projects, enter paper ballots, count."""
    if activity is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(can_manage_dialogue(user, activity.dialogue))


rules.add_perm("budgets.manage", can_manage_budget)
rules.add_perm("budgets.review_project", can_manage_budget)
rules.add_perm("budgets.enter_paper_ballot", can_manage_budget)
rules.add_perm("budgets.count", can_manage_budget)
rules.add_perm("budgets.participate", may_take_part)
