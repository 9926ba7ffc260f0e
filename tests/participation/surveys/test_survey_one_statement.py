"""A one-page survey sent at once is stored the same whichever way it is written: in one
statement on PostgreSQL outside a transaction (delaktig.core.statements), or by the ORM
inside one (and always on SQLite)."""

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

# transaction=True: the one-statement path only runs outside a transaction.
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


def test_on_postgresql_alone_it_is_two_round_trips(qs: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("bara PostgreSQL")
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
    assert len(statements) == 2, statements
    assert statements[0].startswith("SELECT nextval(pg_get_serial_sequence(")
    assert statements[1].startswith("WITH w0 AS (INSERT INTO")
