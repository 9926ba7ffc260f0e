"""The survey demo loads: every kind in "open", Väsby in "compiling", youth survey."""

from __future__ import annotations

from typing import Any

import pytest

from delaktig.governance.demo_context import DemoContext
from delaktig.governance.models import Dialogue
from delaktig.participation.surveys import demo
from delaktig.participation.surveys.models import QuestionKind, Survey
from delaktig.participation.surveys.stats import compile_survey

from .conftest import shared_data

pytestmark = pytest.mark.django_db


def test_demo_surveys(municipality: Any, people: dict[str, Any]) -> None:
    shared_data("upplands-vasby-2015", "data.csv")
    dialogues = {
        key: Dialogue.objects.create(
            municipality=municipality,
            title=key,
            slug=f"demo-{key}",
            status=status,
            influence_level="konsultation",
        )
        for key, status in [("open", "open"), ("open_youth", "open"), ("compiling", "compiling")]
    }
    ctx = DemoContext(
        municipality=municipality,
        users={"handlaggare": people["official"]},
        dialogues=dialogues,
    )
    demo.load(ctx)
    open_survey = Survey.objects.get(activity__dialogue=dialogues["open"])
    kinds = set(open_survey.questions.values_list("kind", flat=True))
    assert kinds == set(QuestionKind.values)
    compiled = compile_survey(open_survey)
    assert compiled.respondents == 61
    assert compiled.by_channel == {"digital": 60, "paper": 1}
    youth = Survey.objects.get(activity__dialogue=dialogues["open_youth"])
    assert youth.activity.for_children
    assert all(q.simple_label for q in youth.questions.all())
    vasby = Survey.objects.get(activity__dialogue=dialogues["compiling"])
    assert vasby.responses.filter(status="submitted").count() == 1038
