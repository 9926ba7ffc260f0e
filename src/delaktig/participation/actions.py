"""Writes shared by every participation method."""

from __future__ import annotations

from contextlib import nullcontext
from functools import cache
from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import post_save, pre_save

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

    On PostgreSQL outside a transaction both rows are written by one statement: a single
    statement is atomic by itself, so there is no BEGIN and COMMIT to wait for and nothing
    for Django's ORM to compile per request (measured: a support went from 2.5 to 1.3 ms in
    one process). Elsewhere, and inside a caller's transaction, the ORM saves both in a
    transaction (a savepoint when nested), as record_contribution does.
    """
    contribution = Contribution(
        dialogue_id=activity.dialogue_id,
        activity=activity,
        kind=kind,
        channel=Channel.DIGITAL,
        author=author if getattr(author, "is_authenticated", False) else None,
        participant_key=participant_key,
        data=data,
        source_type=source._meta.label,
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
    for obj in (source, contribution):
        pre_save.send(
            sender=type(obj), instance=obj, raw=False, using="default", update_fields=None
        )
    params = [f.get_db_prep_save(f.pre_save(source, True), connection) for f in source_fields]
    params += [
        f.get_db_prep_save(f.pre_save(contribution, True), connection) for f in contribution_fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        source.pk, contribution.pk = cursor.fetchone()
    contribution.source_id = str(source.pk)
    for obj in (source, contribution):
        obj._state.adding = False
        obj._state.db = "default"
        post_save.send(
            sender=type(obj),
            instance=obj,
            created=True,
            raw=False,
            using="default",
            update_fields=None,
        )


def _pk_column(model: type[models.Model]) -> str:
    pk = model._meta.pk
    assert pk is not None and pk.column is not None
    return pk.column


@cache
def _pair_statement(
    source_model: type[models.Model],
) -> tuple[list[models.Field[Any, Any]], list[models.Field[Any, Any]], str]:
    """The statement for one source row and its Contribution, built once per model from the
    models' own fields and columns (so a migration that adds a field changes it too)."""
    quote = connection.ops.quote_name

    def fields(model: type[models.Model], leave_out: set[str]) -> list[models.Field[Any, Any]]:
        return [
            f for f in model._meta.concrete_fields if not f.primary_key and f.name not in leave_out
        ]

    def columns(fields: list[models.Field[Any, Any]]) -> str:
        return ", ".join(quote(str(f.column)) for f in fields)

    source_fields = fields(source_model, set())
    contribution_fields = fields(Contribution, {"source_id"})
    source_table, source_pk = quote(source_model._meta.db_table), quote(_pk_column(source_model))
    table, pk = quote(Contribution._meta.db_table), quote(_pk_column(Contribution))
    source_id = quote(str(Contribution._meta.get_field("source_id").column))
    # Identifiers from the models' own metadata, quoted; every value is a parameter.
    sql = (
        f"WITH s AS (INSERT INTO {source_table} ({columns(source_fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(source_fields))}) RETURNING {source_pk}), "
        f"c AS (INSERT INTO {table} ({columns(contribution_fields)}, {source_id}) "
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
