"""Parallel ballots from one person count exactly once (PostgreSQL, real threads, HTTP)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from delaktig.participation.budgets import actions
from delaktig.participation.budgets.models import Ballot
from delaktig.participation.models import Contribution

N = 8


def run_parallel(worker: Any) -> list[Any]:
    barrier = threading.Barrier(N)
    results: list[Any] = []
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            barrier.wait()
            results.append(worker(i))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_http_ballots_from_one_resident_count_once(make_budget, people, verify):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel transactions")
    budget = make_budget()
    resident = verify(people["resident"])
    pks = [p.pk for p in budget.projects.order_by("order")]
    url = reverse("budgets:activity", kwargs={"activity_id": budget.activity_id})

    def vote(i: int) -> int:
        client = Client()
        client.force_login(resident)
        return client.post(url, {"projekt": [pks[i % 3]], "action": "skicka"}).status_code

    statuses = run_parallel(vote)
    assert sorted(statuses) == [302] + [409] * (N - 1)
    assert Ballot.objects.filter(budget=budget).count() == 1
    assert Contribution.objects.filter(kind="ballot").count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_paper_entries_of_one_ballot_count_once(make_budget, people):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel transactions")
    budget = make_budget()
    pk = budget.projects.first().pk

    def enter(i: int) -> str:
        try:
            actions.enter_paper_ballot(
                budget=budget, by=people["official"], paper_number="42", choices=[(pk, 1)]
            )
        except actions.DomainError as exc:
            return exc.code
        return "ok"

    results = run_parallel(enter)
    assert sorted(results) == ["duplicate"] * (N - 1) + ["ok"]
    assert Ballot.objects.count() == 1
    assert Contribution.objects.filter(kind="ballot", channel="paper").count() == 1
