"""Writes shared by every participation method."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from delaktig.core.actions import record_audit
from delaktig.core.permissions import require
from delaktig.governance.states import Feature, allows
from delaktig.participation.models import Activity, Channel, Contribution, ContributionStatus


def new_contribution(
    *, activity: Activity, kind: str, author: Any = None, source: Any = None, **fields: Any
) -> Contribution:
    """The Contribution that records `source`, not saved yet; `fields` are its own (text,
    data, participant_key, channel, entered_by, language, status)."""
    return Contribution(
        dialogue_id=activity.dialogue_id,
        activity=activity,
        kind=kind,
        author=author if getattr(author, "is_authenticated", False) else None,
        source_type=source._meta.label if source is not None else "",
        source_id=str(source.pk) if source is not None and source.pk is not None else "",
        **fields,
    )


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
    contribution = new_contribution(
        activity=activity,
        kind=kind,
        text=text,
        data=data or {},
        author=author,
        participant_key=participant_key,
        channel=channel,
        entered_by=entered_by,
        source=source,
        language=language,
        status=status,
    )
    contribution.save(force_insert=True)
    if entered_by is not None:
        # Officials entering paper or meeting input is an official action (C2, C3).
        record_audit(
            actor=entered_by,
            action="contribution.entered",
            obj=contribution,
            summary=f"{contribution.get_kind_display()} ({contribution.get_channel_display()})",
        )
    return contribution


def record_with_contribution[M: models.Model](
    *,
    source: M,
    activity: Activity,
    kind: str,
    data: dict[str, Any],
    author: Any,
    participant_key: str,
) -> M:
    """Save a resident's new `source` row (a support, a ballot) and the Contribution that
    records it, both or neither, with the ORM in one transaction on every database. A
    unique constraint on `source` (one support, one ballot per person) raises
    IntegrityError and keeps nothing (a savepoint inside a caller's transaction, so the
    caller can go on and read the row already counted).

    Why the ORM and not one hand-built statement: on PostgreSQL the two rows can be one
    `WITH … INSERT` statement, but that only saves the BEGIN and COMMIT while no
    transaction is open, so it was a second code path for one database and one calling
    context. Measured inside a transaction, the ORM keeps 0.90–0.96 of the statement's
    throughput (support 0.90 / 0.94 / 0.96, vote 0.96 / 0.95 / 0.92, three rounds of 1,500
    requests alternating in one process, 2026-12-03: `bench/bench_write_path.py`,
    docs/performance.md "One write path"): within 10 %, so one path.
    """
    contribution = new_contribution(
        activity=activity,
        kind=kind,
        data=data,
        author=author,
        participant_key=participant_key,
        source=source,
    )
    with transaction.atomic():
        source.save(force_insert=True)
        contribution.source_id = str(source.pk)
        contribution.save(force_insert=True)
    return source


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

    from delaktig.core.exceptions import DomainError

    require(actor, "governance.manage_dialogue", dialogue)
    if not allows(dialogue, Feature.ACTIVITIES_ADDABLE):
        raise DomainError(_("Dialogen är stängd för nya aktiviteter."))
    groups = list(fields.pop("target_groups", None) or [])
    if any(g.dialogue_id != dialogue.pk for g in groups):
        raise DomainError(_("Välj målgrupper som hör till dialogen."))
    activity = Activity.objects.create(
        dialogue=dialogue,
        slug=_unique_activity_slug(dialogue.pk, fields["title"]),
        order=dialogue.activities.count(),
        **fields,
    )
    activity.target_groups.set(groups)
    record_audit(
        actor=actor,
        action="activity.created",
        obj=dialogue,
        summary=activity.title,
        data={"activity": activity.pk, "method": activity.method},
    )
    return activity
