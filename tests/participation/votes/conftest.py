"""Fixtures for votes: an open dialogue with alternatives and a vote activity."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from delaktig.governance.models import Alternative, Dialogue
from delaktig.participation.models import Activity
from delaktig.participation.votes import actions


@pytest.fixture
def dialogue(municipality: Any, people: Any) -> Dialogue:
    d = Dialogue.objects.create(
        municipality=municipality,
        title="Ungas fritid",
        slug="ungas-fritid",
        status="open",
        influence_level="medbeslutande",
        input_use="Alternativet som vinner genomförs.",
    )
    for i, title in enumerate(["Skatepark", "Musikstudio", "Fritidsgård"]):
        Alternative.objects.create(dialogue=d, title=title, order=i)
    return d


@pytest.fixture
def verify() -> Any:
    def make(user: Any) -> Any:
        user.email_verified_at = timezone.now()
        user.connected_to_municipality = True
        user.save()
        return user

    return make


@pytest.fixture
def make_vote(dialogue: Dialogue, people: Any) -> Any:
    def make(vote_type: str = "single", **fields: Any) -> Any:
        act = Activity.objects.create(
            dialogue=dialogue,
            method="vote",
            title="Omröstning",
            slug=f"omr-{vote_type}",
            identity_level="email",
            **fields,
        )
        return actions.create_vote(
            activity=act,
            by=people["official"],
            question="Vad ska byggas?",
            vote_type=vote_type,
            use_alternatives=True,
        )

    return make
