"""A resident's row and its Contribution are written together or not at all
(participation.actions.record_with_contribution), alone and inside a caller's transaction,
the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from delaktig.participation.actions import record_with_contribution
from delaktig.participation.ideas.models import Idea, IdeaSupport
from delaktig.participation.models import Activity, Contribution

# transaction=True: "alone" must really be outside any transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def idea(dialogue: Any) -> Idea:
    activity = Activity.objects.create(
        dialogue=dialogue, method="idea_workshop", title="Idéer", slug="ideer"
    )
    return Idea.objects.create(activity=activity, title="Fler bänkar", text="Vid dammen.")


def support(idea: Idea, key: str, user: Any = None) -> IdeaSupport:
    return record_with_contribution(
        source=IdeaSupport(idea=idea, participant_key=key, user=user),
        activity=idea.activity,
        kind="support",
        data={"idea_id": idea.pk},
        author=user,
        participant_key=key,
    )


@pytest.mark.parametrize("in_transaction", [False, True], ids=["alone", "in a transaction"])
def test_both_rows_are_written_and_linked(idea: Idea, people: Any, in_transaction: bool) -> None:
    resident = people["resident"]
    with transaction.atomic() if in_transaction else nullcontext():
        saved = support(idea, "k1", user=resident)
    assert saved.pk is not None and not saved._state.adding
    stored = IdeaSupport.objects.get()
    assert (stored.pk, stored.idea_id, stored.participant_key, stored.user_id) == (
        saved.pk,
        idea.pk,
        "k1",
        resident.pk,
    )
    assert stored.created_at == saved.created_at
    contribution = Contribution.objects.get()
    assert (contribution.source_type, contribution.source_id) == (
        "ideas.IdeaSupport",
        str(saved.pk),
    )
    assert (contribution.dialogue_id, contribution.activity_id) == (
        idea.activity.dialogue_id,
        idea.activity_id,
    )
    assert (contribution.kind, contribution.channel, contribution.status) == (
        "support",
        "digital",
        "published",
    )
    assert contribution.author_id == resident.pk and contribution.participant_key == "k1"
    assert contribution.data == {"idea_id": idea.pk} and contribution.language == "sv"
    assert contribution.created_at is not None and contribution.entered_by_id is None


@pytest.mark.parametrize("in_transaction", [False, True], ids=["alone", "in a transaction"])
def test_a_second_row_for_the_same_person_keeps_nothing(idea: Idea, in_transaction: bool) -> None:
    support(idea, "k1")
    with pytest.raises(IntegrityError), transaction.atomic() if in_transaction else nullcontext():
        support(idea, "k1")
    assert IdeaSupport.objects.count() == 1
    assert Contribution.objects.count() == 1
    # The connection is usable afterwards (no aborted transaction is left behind).
    support(idea, "k2")
    assert Contribution.objects.filter(participant_key="k2").count() == 1


def test_it_is_the_orm_in_one_transaction_on_every_database(idea: Idea) -> None:
    with CaptureQueriesContext(connection) as queries:
        support(idea, "k1")
    statements = [q["sql"] for q in queries.captured_queries]
    inserts = [sql for sql in statements if sql.startswith("INSERT INTO")]
    assert len(inserts) == 2, statements
    assert '"ideas_ideasupport"' in inserts[0] and '"participation_contribution"' in inserts[1]
    assert not any("SAVEPOINT" in sql for sql in statements)
