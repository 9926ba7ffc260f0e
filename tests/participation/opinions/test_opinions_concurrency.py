"""Parallel votes by the same participant count once (PostgreSQL, real threads)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from delaktig.participation.models import Contribution
from delaktig.participation.opinions import actions
from delaktig.participation.opinions.models import Statement, StatementVote


@pytest.mark.django_db(transaction=True)
def test_parallel_votes_count_once(activity: Any, people: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real row locks")
    statement = actions.add_seed_statement(
        activity=activity, actor=people["official"], text="Fler bänkar"
    )
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            fresh = Statement.objects.select_related("activity__dialogue").get(pk=statement.pk)
            actions.cast_vote(
                statement=fresh, user=None, participant_key="same-person", value=(i % 3) - 1
            )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert StatementVote.objects.filter(statement=statement).count() == 1
    assert Contribution.objects.filter(kind="statement_vote").count() == 1
    vote = StatementVote.objects.get()
    assert Contribution.objects.get(kind="statement_vote").data["vote"] == vote.value
