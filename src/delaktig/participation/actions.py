"""Writes shared by every participation method."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from delaktig.core.actions import record_audit
from delaktig.participation.models import Activity, Channel, Contribution, ContributionStatus


@transaction.atomic
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
