"""Parallel registrations never overfill a meeting; parallel supports count once (PostgreSQL)."""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from delaktig.core.exceptions import DomainError
from delaktig.participation.ideas.actions import support_idea
from delaktig.participation.ideas.models import Idea, IdeaSupport
from delaktig.participation.meetings.actions import register
from delaktig.participation.meetings.models import Meeting, Registration
from delaktig.participation.models import Activity, Contribution

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel writers are tested on PostgreSQL")


def _in_thread(fn):  # type: ignore[no-untyped-def]
    def run(*args):  # type: ignore[no-untyped-def]
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return run


def test_parallel_registrations_respect_capacity(dialogue):
    activity = Activity.objects.create(dialogue=dialogue, method="cafe", title="Café", slug="c")
    starts = timezone.now() + datetime.timedelta(days=2)
    meeting = Meeting.objects.create(
        activity=activity,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        capacity=3,
    )

    @_in_thread
    def one(n: int) -> str:
        m = Meeting.objects.select_related("activity__dialogue").get(pk=meeting.pk)
        return register(
            meeting=m, user=None, participant_key=f"k{n}", name=f"P{n}", consent=True
        ).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(one, range(12)))
    assert sorted(statuses).count("confirmed") == 3
    assert Registration.objects.filter(status="confirmed").count() == 3
    assert Registration.objects.filter(status="waiting").count() == 9


def test_parallel_supports_by_one_participant_count_once(dialogue):
    activity = Activity.objects.create(
        dialogue=dialogue, method="idea_workshop", title="I", slug="i"
    )
    idea = Idea.objects.create(activity=activity, title="Skatepark", text="t")

    @_in_thread
    def one(_: int) -> str:
        i = Idea.objects.select_related("activity__dialogue__municipality").get(pk=idea.pk)
        try:
            return str(support_idea(idea=i, user=None, participant_key="same-person").pk)
        except DomainError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(10)))
    # Every request is answered with the one support that was counted.
    assert results == [str(IdeaSupport.objects.get().pk)] * 10
    assert IdeaSupport.objects.count() == 1
    assert Contribution.objects.filter(kind="support").count() == 1
