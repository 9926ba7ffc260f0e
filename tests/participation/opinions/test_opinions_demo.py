"""The demo loads a real Polis conversation and a live Swedish statement activity."""

from __future__ import annotations

from typing import Any

import pytest

from delaktig.governance.demo_context import DemoContext
from delaktig.governance.models import Dialogue
from delaktig.participation.opinions import demo
from delaktig.participation.opinions.models import Statement, StatementStatus, StatementVote
from delaktig.participation.opinions.selectors import activity_opinion_map

pytestmark = pytest.mark.django_db


def test_demo_load(municipality: Any, people: Any, dialogue: Dialogue) -> None:
    compiling = Dialogue.objects.create(
        municipality=municipality,
        title="Trygghet i Stationsområdet",
        slug="trygghet",
        status="compiling",
    )
    ctx = DemoContext(
        municipality=municipality,
        users={"strateg": people["strategist"], "invanare": people["resident"]},
        dialogues={"compiling": compiling, "open": dialogue},
    )
    demo.load(ctx)
    live = dialogue.activities.get(method="opinions")
    assert live.statements.filter(status=StatementStatus.PUBLISHED).count() == 10
    assert live.statements.filter(status=StatementStatus.PENDING).count() == 1
    finished = compiling.activities.filter(method="opinions").first()
    if finished is None:
        pytest.skip("shared Polis data absent")
    assert "CC BY 4.0" in finished.description
    assert StatementVote.objects.filter(statement__activity=finished).count() == 638
    assert Statement.objects.filter(activity=finished).count() == 39
    assert activity_opinion_map(finished).result.k >= 2
