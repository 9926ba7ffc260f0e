"""Who may write, publish and report feedback, record how proposals were handled, and take
back an address given for the feedback."""

from __future__ import annotations

from typing import Any

import rules

from delaktig.governance.rules import can_manage_dialogue
from delaktig.organisation.rules import is_official

# Feedback is part of running the dialogue: the same people who may manage it.
rules.add_perm("feedback.manage_feedback", can_manage_dialogue)
rules.add_perm("feedback.view_overview", is_official)


@rules.predicate
def gave_the_address(user: Any, contact: Any) -> bool:
    """The address of a "Mejla mig när återkopplingen kommer" is the account's, verified:
    an unverified address could be anyone's."""
    email = getattr(user, "email", "") or ""
    return bool(
        contact is not None
        and getattr(user, "is_authenticated", False)
        and email
        and getattr(user, "email_verified_at", None)
        and email.lower() == contact.email.lower()
    )


rules.add_perm("feedback.withdraw_opt_in", gave_the_address)
