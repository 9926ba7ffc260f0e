"""Who may do what with a vote."""

from __future__ import annotations

from typing import Any

import rules

from delaktig.participation.identity import participation_refusal


@rules.predicate
def may_vote(user: Any, activity: Any) -> bool:
    return (
        activity is not None
        and participation_refusal(user, activity) is None
        and getattr(user, "is_authenticated", False)
        and user.identity_level != "anonymous"
    )


rules.add_perm("votes.cast", may_vote)
