"""Who may do what with meetings. Tested as a role × action matrix."""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.governance.states import Feature
from delaktig.participation.eligibility import Refusal, refusal_for
from delaktig.participation.ideas.rules import can_manage_activity


def registration_refusal(user: Any, meeting: Any) -> Refusal | None:
    """Why this person may not register for the meeting now, or None.

    Registration opens when the dialogue is announced, before the meeting itself takes
    place, so the state must allow registration rather than participation; identity
    level, residency and age apply as for every method (the eligibility gate).
    """
    if meeting.cancelled_at is not None:
        return Refusal("cancelled", _("Mötet är inställt."))
    if not meeting.registration_open or meeting.starts_at <= timezone.now():
        return Refusal("closed", _("Anmälan till mötet är stängd."))
    return refusal_for(user, meeting.activity, feature=Feature.REGISTRATION_OPEN)


@rules.predicate
def may_register(user: Any, activity: Any) -> bool:
    meeting = getattr(activity, "meeting", None) if activity is not None else None
    return meeting is not None and registration_refusal(user, meeting) is None


rules.add_perm("meetings.register", may_register)
rules.add_perm("meetings.manage_activity", can_manage_activity)
rules.add_perm("meetings.document_meeting", can_manage_activity)
rules.add_perm("meetings.view_registrations", can_manage_activity)
