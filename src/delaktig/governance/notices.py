"""Who hears of a dialogue's move: its proposer (G1), its dialogue group (G7) and, once
decided, the participants with an account (a notice on their page, F2).

Each move happens once (the transition locks the row and checks the state), so each
notice is sent once. Mail goes after commit through `core.mail.notify`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from delaktig.core.links import absolute
from delaktig.core.mail import notify
from delaktig.governance.models import Dialogue, DialogueStatus

# The outcomes a proposer is told of: what happened to their idea.
PROPOSER_OUTCOMES = {
    DialogueStatus.APPROVED: _("Din idé blir en medborgardialog"),
    DialogueStatus.REJECTED: _("Din idé blir ingen medborgardialog"),
    DialogueStatus.CANCELLED: _("Dialogen om din idé är avbruten"),
    DialogueStatus.DECIDED: _("Beslutet om din idé är fattat"),
}


def proposer_address(dialogue: Dialogue) -> Any:
    """The proposer's own account when signed in, else the address they left, else nobody."""
    initiative = getattr(dialogue, "initiative", None)
    if initiative is None:
        return None
    if initiative.proposer_id and initiative.proposer.email:
        return initiative.proposer
    return initiative.proposer_email or None


def dialogue_moved(*, dialogue: Dialogue, source: str, actor: Any, note: str) -> None:
    context = {
        "dialogue": dialogue,
        "status": DialogueStatus(dialogue.status).label,
        "previous": DialogueStatus(source).label,
        "note": note,
        "public_url": absolute(reverse("governance:dialogue", args=[dialogue.slug])),
        "manage_url": absolute(reverse("governance:manage", args=[dialogue.pk])),
    }
    subject = PROPOSER_OUTCOMES.get(dialogue.status)  # type: ignore[call-overload]
    proposer = proposer_address(dialogue)
    if subject and proposer is not None and getattr(proposer, "pk", None) != actor.pk:
        notify(
            proposer,
            subject,
            "governance/email/proposer_outcome.txt",
            context,
            stream=f"initiative:{dialogue.initiative.pk}",
        )
    for member in dialogue.team.select_related("user").exclude(user=actor):
        notify(
            member.user,
            _("Dialogen har gått vidare: %(title)s") % {"title": dialogue.title},
            "governance/email/team_moved.txt",
            {**context, "role": member.get_role_display()},
        )
