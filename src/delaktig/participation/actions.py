"""Writes shared by every participation method."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from delaktig.core.actions import record_audit
from delaktig.participation.models import Activity, Channel, Contribution, ContributionStatus


# Always part of the submission it records: no savepoint of its own (two extra round trips
# on every submission); if it fails, the whole submission is rolled back.
@transaction.atomic(savepoint=False)
def record_contribution(
    *,
    activity: Activity,
    kind: str,
    text: str = "",
    data: dict[str, Any] | None = None,
    author: Any = None,
    participant_key: str = "",
    channel: str = Channel.DIGITAL,
    entered_by: Any = None,
    source: Any = None,
    language: str = "sv",
    status: str = ContributionStatus.PUBLISHED,
) -> Contribution:
    """Every method's input becomes one Contribution, digital or entered by an official."""
    contribution = Contribution.objects.create(
        dialogue_id=activity.dialogue_id,
        activity=activity,
        kind=kind,
        channel=channel,
        author=author if getattr(author, "is_authenticated", False) else None,
        participant_key=participant_key,
        text=text,
        data=data or {},
        language=language,
        status=status,
        entered_by=entered_by,
        source_type=source._meta.label if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
    if entered_by is not None:
        # Officials entering paper or meeting input is an official action (C2, C3).
        record_audit(
            actor=entered_by,
            action="contribution.entered",
            obj=contribution,
            summary=f"{contribution.get_kind_display()} ({contribution.get_channel_display()})",
        )
    return contribution


def _unique_activity_slug(dialogue_id: int, title: str) -> str:
    from django.utils.text import slugify

    base = slugify(title)[:200] or "aktivitet"
    slug, n = base, 2
    while Activity.objects.filter(dialogue_id=dialogue_id, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_activity(*, actor: Any, dialogue: Any, **fields: Any) -> Activity:
    """Add a method at a time and place (C1, C2) to a dialogue that is not yet closed."""
    from django.utils.translation import gettext as _

    from delaktig.core.exceptions import DomainError, NotAllowed
    from delaktig.governance.models import DialogueStatus

    if not actor.has_perm("governance.manage_dialogue", dialogue):
        raise NotAllowed()
    closed = {
        DialogueStatus.COMPILING,
        DialogueStatus.FEEDBACK,
        DialogueStatus.DECIDED,
        DialogueStatus.EVALUATED,
        DialogueStatus.ARCHIVED,
        DialogueStatus.REJECTED,
    }
    if dialogue.status in closed:
        raise DomainError(_("Dialogen är stängd för nya aktiviteter."))
    activity = Activity.objects.create(
        dialogue=dialogue,
        slug=_unique_activity_slug(dialogue.pk, fields["title"]),
        order=dialogue.activities.count(),
        **fields,
    )
    record_audit(
        actor=actor,
        action="activity.created",
        obj=dialogue,
        summary=activity.title,
        data={"activity": activity.pk, "method": activity.method},
    )
    return activity
