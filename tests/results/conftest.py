"""Fixtures for the compilation tests: a closed dialogue with free-text contributions."""

from __future__ import annotations

from typing import Any

import pytest

from delaktig.governance.models import Dialogue, DialogueStatus, InfluenceLevel
from delaktig.participation.actions import record_contribution
from delaktig.participation.models import Activity, Channel, ContributionKind, Method
from delaktig.results import sample_texts


@pytest.fixture
def dialogue(municipality: Any, people: dict[str, Any]) -> Dialogue:
    from delaktig.governance.models import DialogueTeamMember, TeamRole
    from delaktig.organisation.models import Office

    d = Dialogue.objects.create(
        municipality=municipality,
        office=Office.objects.get(municipality=municipality, name="Samhällsbyggnadsförvaltningen"),
        title="Trygghet i Stationsområdet",
        slug="trygghet-i-stationsomradet",
        status=DialogueStatus.COMPILING,
        question="Vad behövs för att du ska känna dig trygg runt stationen?",
        influence_level=InfluenceLevel.KONSULTATION,
        input_use="Synpunkterna blir underlag när nämnden beslutar om åtgärder.",
    )
    DialogueTeamMember.objects.create(
        dialogue=d, user=people["process_leader"], role=TeamRole.PROCESS_LEADER
    )
    return d


@pytest.fixture
def activity(dialogue: Dialogue) -> Activity:
    return Activity.objects.create(
        dialogue=dialogue, method=Method.SURVEY, title="Enkät", slug="enkat"
    )


def add_comments(activity: Activity, n: int, *, seed: int = 1, **extra: Any) -> list[Any]:
    out = []
    for i, (_topic, text) in enumerate(sample_texts.generate(n, seed=seed)):
        out.append(
            record_contribution(
                activity=activity,
                kind=ContributionKind.COMMENT,
                text=text,
                participant_key=f"p{seed}-{i}",
                channel=Channel.DIGITAL if i % 4 else Channel.PAPER,
                **extra,
            )
        )
    return out


@pytest.fixture
def comments(activity: Activity) -> list[Any]:
    return add_comments(activity, 80)
