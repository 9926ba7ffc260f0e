"""A one-page survey sent at once (surveys.actions.submit_at_once) is stored whole, alone
or inside a caller's transaction, the same way on SQLite and PostgreSQL: the ids drawn,
then the response, its answers and its Contribution inserted together
(delaktig.core.statements)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from delaktig.participation.models import Contribution
from delaktig.participation.surveys import actions
from delaktig.participation.surveys.models import Answer, Response, ResponseStatus

from .test_survey_actions import full_answers

# transaction=True: "alone" must really be outside any transaction.
pytestmark = pytest.mark.django_db(transaction=True)

DEMOGRAPHICS = {"age_band": "25-34", "gender": "kvinna", "district": "Centrum"}


def send(qs: dict[str, Any], key: str, *, in_transaction: bool) -> Response:
    with transaction.atomic() if in_transaction else nullcontext():
        response, new = actions.submit_at_once(
            survey=qs["survey"],
            questions=list(qs["survey"].questions.all()),
            participant_key=key,
            author=None,
            answers=full_answers(qs),
            consent=True,
            demographics=DEMOGRAPHICS,
        )
    assert new is True
    return response


def stored(response: Response) -> dict[str, Any]:
    """What was stored for one response, without its ids and times."""
    row = Response.objects.get(pk=response.pk)
    contribution = Contribution.objects.get(pk=row.contribution_id)
    data = dict(contribution.data)
    assert data.pop("response_id") == row.pk
    assert (contribution.source_type, contribution.source_id) == ("surveys.Response", str(row.pk))
    assert row.submitted_at is not None and row.created_at is not None
    return {
        "response": (
            row.status,
            row.channel,
            row.demographics_consent,
            row.demographics,
            row.draft,
            len(row.resume_token),
        ),
        "answers": sorted(
            Answer.objects.filter(response=row).values_list(
                "question_id", "item", "option", "number", "text"
            ),
            key=repr,
        ),
        "contribution": (
            contribution.kind,
            contribution.channel,
            contribution.status,
            contribution.text,
            data,
            contribution.activity_id,
            contribution.dialogue_id,
            contribution.author_id,
            contribution.entered_by_id,
        ),
    }


def test_both_ways_store_the_same(qs: dict[str, Any]) -> None:
    alone = stored(send(qs, "p1", in_transaction=False))
    in_transaction = stored(send(qs, "p2", in_transaction=True))
    assert alone == in_transaction
    assert alone["response"][:4] == ("submitted", "digital", True, DEMOGRAPHICS)
    assert len(alone["answers"]) == Answer.objects.count() / 2 > 7
    assert alone["contribution"][4]["demographics"] == DEMOGRAPHICS


def test_sent_again_alone_it_is_counted_once(qs: dict[str, Any]) -> None:
    first = send(qs, "p1", in_transaction=False)
    again, new = actions.submit_at_once(
        survey=qs["survey"],
        questions=list(qs["survey"].questions.all()),
        participant_key="p1",
        author=None,
        answers=full_answers(qs),
        consent=False,
        demographics={},
    )
    assert (again.pk, new) == (first.pk, False)
    assert Response.objects.filter(status=ResponseStatus.SUBMITTED).count() == 1
    assert Contribution.objects.count() == 1
    assert Answer.objects.filter(response=first).count() == Answer.objects.count()


def test_ids_drawn_then_inserted_without_an_update(qs: dict[str, Any]) -> None:
    questions = list(qs["survey"].questions.all())
    with CaptureQueriesContext(connection) as queries:
        actions.submit_at_once(
            survey=qs["survey"],
            questions=questions,
            participant_key="p1",
            author=None,
            answers=full_answers(qs),
            consent=False,
            demographics={},
        )
    statements = [q["sql"] for q in queries.captured_queries]
    assert not any(sql.startswith('UPDATE "surveys_response"') for sql in statements)
    written = [sql for sql in statements if 'INSERT INTO "' in sql]
    assert len(written) == (1 if connection.vendor == "postgresql" else 3), statements
    row = Response.objects.get()
    assert Contribution.objects.get().pk == row.contribution_id
    # Ids drawn ahead do not collide with rows the ORM writes afterwards.
    assert (
        Contribution.objects.create(
            dialogue_id=row.survey.activity.dialogue_id,
            activity=row.survey.activity,
            kind="comment",
        ).pk
        > row.contribution_id
    )


def test_ids_are_only_drawn_inside_a_transaction() -> None:
    from delaktig.core import statements

    with pytest.raises(RuntimeError):
        statements.draw_ids(Response, Contribution)
    with transaction.atomic():
        first = statements.draw_ids(Response, Contribution)
        second = statements.draw_ids(Response, Contribution)
    assert [b - a for a, b in zip(first, second, strict=True)] == [1, 1]
