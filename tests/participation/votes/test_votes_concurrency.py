"""Parallel HTTP votes by one person count once (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from delaktig.participation.models import Contribution
from delaktig.participation.votes.models import VoteBallot


@pytest.mark.django_db(transaction=True)
def test_parallel_votes_count_once(make_vote, people, verify):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel transactions")
    vote = make_vote("single")
    resident = verify(people["resident"])
    pks = [o.pk for o in vote.options.all()]
    url = reverse("votes:activity", kwargs={"activity_id": vote.activity_id})
    barrier = threading.Barrier(8)
    statuses: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            client = Client()
            client.force_login(resident)
            barrier.wait()
            statuses.append((i, client.post(url, {"alternativ": [pks[i % 3]]}).status_code))
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
    assert VoteBallot.objects.count() == 1
    # One ballot counted; the same choice sent again is answered as that ballot (302),
    # another choice is refused (409).
    counted = VoteBallot.objects.get().choices
    assert sorted(statuses) == [(i, 302 if [pks[i % 3]] == counted else 409) for i in range(8)]
    assert Contribution.objects.filter(kind="vote").count() == 1
