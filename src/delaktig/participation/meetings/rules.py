"""Who may do what with meetings. Tested as a role × action matrix."""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.governance.models import Dialogue
from delaktig.governance.states import Feature, allows
from delaktig.organisation.rules import is_official
from delaktig.participation.ideas.rules import can_manage_activity
from delaktig.participation.identity import Refusal, participation_refusal
from delaktig.participation.models import Activity


def registration_refusal(user: Any, meeting: Any) -> Refusal | None:
    """Why this person may not register for the meeting now, or None.

    Registration opens when the dialogue is announced, before the meeting itself takes
    place, so the activity's own open/closed window does not apply; identity level,
    residency and age rules do (checked by participation_refusal).
    """
    activity = meeting.activity
    if meeting.cancelled_at is not None:
        return Refusal("cancelled", _("Mötet är inställt."))
    if (
        not allows(activity.dialogue, Feature.REGISTRATION_OPEN)
        or not meeting.registration_open
        or meeting.starts_at <= timezone.now()
    ):
        return Refusal("closed", _("Anmälan till mötet är stängd."))
    as_open = Activity(
        dialogue=Dialogue(status="open"),
        identity_level=activity.identity_level,
        residency_rule=activity.residency_rule,
        min_age=activity.min_age,
    )
    return participation_refusal(user, as_open)


@rules.predicate
def may_register(user: Any, activity: Any) -> bool:
    meeting = getattr(activity, "meeting", None) if activity is not None else None
    return meeting is not None and registration_refusal(user, meeting) is None


rules.add_perm("meetings.register", may_register)
rules.add_perm("meetings.manage_activity", can_manage_activity)
rules.add_perm("meetings.document_meeting", can_manage_activity)
rules.add_perm("meetings.view_registrations", can_manage_activity)
rules.add_perm("meetings.view_backoffice", is_official)
