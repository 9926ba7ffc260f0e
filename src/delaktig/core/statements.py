"""New rows of several models that point at each other, written together inside a
transaction, on SQLite and PostgreSQL alike (a one-page survey answer: the response, its
answers and its Contribution; participation/surveys/actions.py says why not the ORM).

The ids are drawn first (`draw_ids`), so rows can point at each other without an UPDATE
afterwards; then `insert_together` writes them, one statement on PostgreSQL (`WITH …
INSERT`) and one per model on SQLite, which has no INSERT inside WITH. Statements are
built from each model's concrete fields and columns (a migration that adds a field changes
them too); every value is a parameter, prepared by its field as `Model.save()` would
(`pre_save`, `get_db_prep_save`), and the `pre_save`/`post_save` signals are sent as
`save()` sends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models.signals import post_save, pre_save

Field = models.Field[Any, Any]


def fields_of(
    model: type[models.Model], *, with_pk: bool, leave_out: Sequence[str] = ()
) -> list[Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if (with_pk or not f.primary_key) and f.name not in leave_out
    ]


def columns(fields: Sequence[Field]) -> str:
    return ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def pk_column(model: type[models.Model]) -> str:
    return connection.ops.quote_name(_pk_name(model))


def _pk_name(model: type[models.Model]) -> str:
    pk = model._meta.pk
    assert pk is not None and pk.column is not None
    return pk.column


def db_values(obj: models.Model, fields: Sequence[Field]) -> list[Any]:
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


def before_insert(objs: Sequence[models.Model]) -> None:
    for obj in objs:
        pre_save.send(
            sender=type(obj), instance=obj, raw=False, using="default", update_fields=None
        )


def after_insert(objs: Sequence[models.Model]) -> None:
    for obj in objs:
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


def draw_ids(*model_classes: type[models.Model]) -> list[int]:
    """The next primary key of each model, drawn before its row is written, inside the
    caller's transaction. PostgreSQL: from each table's sequence, in one round trip.
    SQLite: from `sqlite_sequence` (Django's SQLite tables are AUTOINCREMENT); the
    transaction holds the database's write lock from its start (IMMEDIATE, settings.py),
    so no other writer draws the same id."""
    if not connection.in_atomic_block:
        raise RuntimeError("draw_ids needs a transaction")
    if connection.vendor == "postgresql":
        draws = ", ".join(["nextval(pg_get_serial_sequence(%s, %s))"] * len(model_classes))
        params = [value for m in model_classes for value in (m._meta.db_table, _pk_name(m))]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {draws}", params)  # noqa: S608  # placeholders only
            return list(cursor.fetchone())
    ids = []
    with connection.cursor() as cursor:
        for model in model_classes:
            name = model._meta.db_table
            # A table that never had a row has no sequence row yet.
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, "  # noqa: S608
                f"COALESCE((SELECT MAX({pk_column(model)}) FROM {table(model)}), 0) "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                [name, name],
            )
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = %s RETURNING seq", [name]
            )
            ids.append(cursor.fetchone()[0])
    return ids


def insert_together(objs: Sequence[models.Model]) -> None:
    """Insert new rows of several models together, inside the caller's transaction. A row
    whose primary key is set (from `draw_ids`) is written with it; the others get theirs
    from the database and are not read back. Django's foreign keys are deferred to the
    commit, so the order of the rows does not matter."""
    groups: dict[type[models.Model], list[models.Model]] = {}
    for obj in objs:
        groups.setdefault(type(obj), []).append(obj)
    parts: list[str] = []
    params: list[list[Any]] = []
    for model, rows in groups.items():
        fields = fields_of(model, with_pk=all(r.pk is not None for r in rows))
        row_sql = f"({', '.join(['%s'] * len(fields))})"
        # Identifiers from the models' own metadata, quoted; every value is a parameter.
        parts.append(
            f"INSERT INTO {table(model)} ({columns(fields)}) "  # noqa: S608
            f"VALUES {', '.join([row_sql] * len(rows))}"
        )
        params.append([value for row in rows for value in db_values(row, fields)])
    before_insert(objs)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            *first, last = parts
            ctes = ", ".join(f"w{i} AS ({part})" for i, part in enumerate(first))
            cursor.execute(
                f"WITH {ctes} {last}" if ctes else last, [p for ps in params for p in ps]
            )
        else:
            for part, part_params in zip(parts, params, strict=True):
                cursor.execute(part, part_params)
    after_insert(objs)
