"""Who may do what in discussions and text reviews. Tested as a role × action matrix."""

from __future__ import annotations

from typing import Any

import rules

from delaktig.organisation.rules import is_official
from delaktig.participation.eligibility import may_take_part
from delaktig.participation.ideas.rules import can_manage_activity

rules.add_perm("discussions.participate", may_take_part)
rules.add_perm("discussions.manage_activity", can_manage_activity)
rules.add_perm("discussions.view_moderation_queue", is_official)


@rules.predicate
def can_report(user: Any, activity: Any) -> bool:
    """Any participant may report a comment, signed in or not, also after closing."""
    return activity is not None


rules.add_perm("discussions.report_comment", can_report)
