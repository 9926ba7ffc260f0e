"""Writes shared by every participation method."""

from __future__ import annotations

from contextlib import nullcontext
from functools import cache
from typing import Any

from django.db import connection, models, transaction

from delaktig.core import statements
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
    records it, both or neither. A unique constraint on `source` (one support, one ballot
    per person) raises IntegrityError and keeps nothing.

    On PostgreSQL outside a transaction both rows are written by one statement
    (delaktig.core.statements; with the socket health check, a support went from 2.4–3.7
    to 1.7–1.8 ms of CPU in bench/load/breakdown.py). Elsewhere, and inside a caller's
    transaction, the ORM saves both in a transaction (a savepoint when nested), as
    record_contribution does.
    """
    contribution = new_contribution(
        activity=activity,
        kind=kind,
        data=data,
        author=author,
        participant_key=participant_key,
        source=source,
    )
    if connection.vendor != "postgresql":
        with transaction.atomic():
            source.save(force_insert=True)
            contribution.source_id = str(source.pk)
            contribution.save(force_insert=True)
        return source
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        _insert_pair(source, contribution)
    return source


def _insert_pair(source: models.Model, contribution: Contribution) -> None:
    source_fields, contribution_fields, sql = _pair_statement(type(source))
    statements.before_insert([source, contribution])
    params = statements.db_values(source, source_fields)
    params += statements.db_values(contribution, contribution_fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        source.pk, contribution.pk = cursor.fetchone()
    contribution.source_id = str(source.pk)
    statements.after_insert([source, contribution])


@cache
def _pair_statement(
    source_model: type[models.Model],
) -> tuple[list[statements.Field], list[statements.Field], str]:
    """One source row and its Contribution, which points at it by the id the source row
    gets: `WITH s AS (INSERT … RETURNING id) INSERT … SELECT … FROM s`."""
    source_fields = statements.fields_of(source_model, with_pk=False)
    contribution_fields = statements.fields_of(Contribution, with_pk=False, leave_out=["source_id"])
    source_pk, pk = statements.pk_column(source_model), statements.pk_column(Contribution)
    source_id = connection.ops.quote_name(str(Contribution._meta.get_field("source_id").column))
    # Identifiers from the models' own metadata, quoted; every value is a parameter.
    sql = (
        f"WITH s AS (INSERT INTO {statements.table(source_model)} "  # noqa: S608
        f"({statements.columns(source_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(source_fields))}) RETURNING {source_pk}), "
        f"c AS (INSERT INTO {statements.table(Contribution)} "
        f"({statements.columns(contribution_fields)}, {source_id}) "
        f"SELECT {', '.join(['%s'] * len(contribution_fields))}, CAST(s.{source_pk} AS text) "
        f"FROM s RETURNING {pk}) "
        f"SELECT s.{source_pk}, c.{pk} FROM s, c"
    )
    return source_fields, contribution_fields, sql


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
