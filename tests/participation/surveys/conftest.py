"""Fixtures for the survey tests: an open dialogue with a survey of every question kind."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from delaktig.governance.models import Dialogue
from delaktig.organisation.models import Office
from delaktig.participation.models import Activity, Method
from delaktig.participation.surveys import actions
from delaktig.participation.surveys.models import QuestionKind, Survey


def shared_data(*parts: str) -> Path:
    """A file in the shared real data folder (env DELAKTIG_SHARED_DATA overrides)."""
    base = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data"))
    path = base.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data missing: {path}")
    return path


@pytest.fixture
def dialogue(municipality: Any, people: Any) -> Dialogue:
    return Dialogue.objects.create(
        municipality=municipality,
        title="Framtidens Centrumpark",
        slug="framtidens-centrumpark",
        status="open",
        influence_level="konsultation",
        input_use="Svaren sammanställs och lämnas till samhällsbyggnadsnämnden före beslutet.",
        office=Office.objects.get(municipality=municipality, name="Samhällsbyggnadsförvaltningen"),
    )


@pytest.fixture
def activity(dialogue: Dialogue) -> Activity:
    return Activity.objects.create(
        dialogue=dialogue, method=Method.SURVEY, title="Enkät om parken", slug="enkat"
    )


def build_survey(activity: Activity, actor: Any, *, one_page: bool = False) -> dict[str, Any]:
    """A survey with every kind; q_often (page 2) shows only if q_visit is 'Ja'."""
    survey = actions.ensure_survey(activity=activity, actor=actor, one_page=one_page)
    add = actions.add_question
    q: dict[str, Any] = {"survey": survey}
    q["visit"] = add(
        survey=survey,
        actor=actor,
        kind=QuestionKind.SINGLE,
        label="Besöker du parken?",
        options=["Ja", "Nej"],
        required=True,
        page=1,
    )
    q["like"] = add(
        survey=survey,
        actor=actor,
        kind=QuestionKind.MULTIPLE,
        label="Vad gillar du?",
        options=["Träden", "Lekplatsen", "Bänkarna"],
        page=1,
    )
    q["often"] = add(
        survey=survey,
        actor=actor,
        kind=QuestionKind.SCALE,
        label="Hur trivs du i parken?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Inte alls",
        scale_max_label="Mycket",
        page=2,
        required=True,
        condition_question=q["visit"],
        condition_options=[1],
    )
    q["age"] = add(
        survey=survey,
        actor=actor,
        kind=QuestionKind.NUMBER,
        label="Hur många minuter går du dit?",
        number_min=0,
        number_max=600,
        page=2,
    )
    q["rank"] = add(
        survey=survey,
        actor=actor,
        kind=QuestionKind.RANKING,
        label="Rangordna förslagen",
        options=["Mer grönska", "Fler bänkar", "Bättre belysning"],
        page=3,
    )
    q["matrix"] = add(
        survey=survey,
        actor=actor,
        kind=QuestionKind.MATRIX,
        label="Hur trygg känner du dig?",
        matrix_rows=["På dagen", "På kvällen"],
        options=["Trygg", "Otrygg"],
        page=3,
    )
    q["text"] = add(
        survey=survey,
        actor=actor,
        kind=QuestionKind.TEXT,
        label="Något mer du vill säga?",
        simple_label="Vill du säga något mer?",
        max_length=200,
        page=3,
    )
    return q


@pytest.fixture
def qs(activity: Activity, people: Any) -> dict[str, Any]:
    return build_survey(activity, people["official"])


@pytest.fixture
def survey(qs: dict[str, Any]) -> Survey:
    return qs["survey"]


@pytest.fixture
def verify() -> Any:
    def make(user: Any, level: str = "email") -> Any:
        user.email_verified_at = timezone.now()
        if level == "eid":
            user.eid_verified_at = timezone.now()
        user.connected_to_municipality = True
        user.save()
        return user

    return make
