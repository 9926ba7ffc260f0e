"""The demo shows overdue feedback that blocks closing, and published feedback with handling."""

from __future__ import annotations

import pytest

from delaktig.feedback import demo as feedback_demo
from delaktig.feedback.models import Feedback, ProposalHandling
from delaktig.feedback.selectors import deadline_state
from delaktig.followup import demo as followup_demo
from delaktig.followup import indicators
from delaktig.followup.models import OrganiserEvaluation, ParticipantEvaluation
from delaktig.governance import lifecycle
from delaktig.governance.demo import build_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_feedback_and_followup():
    ctx = build_demo(with_apps=False)
    feedback_demo.load(ctx)
    followup_demo.load(ctx)
    overdue = ctx.dialogues["feedback"]
    overdue.refresh_from_db()
    assert deadline_state(overdue).overdue
    assert Feedback.objects.get(dialogue=overdue).status == "draft"
    assert "Återkopplingen till deltagarna är inte publicerad." in lifecycle.transition_blockers(
        overdue, "record_final_decision"
    )
    for key in ("decided", "evaluated"):
        assert Feedback.objects.get(dialogue=ctx.dialogues[key]).is_published
        assert ProposalHandling.objects.filter(dialogue=ctx.dialogues[key]).exists()
    assert OrganiserEvaluation.objects.filter(dialogue=ctx.dialogues["evaluated"]).exists()
    assert ParticipantEvaluation.objects.filter(dialogue=ctx.dialogues["evaluated"]).count() == 7
    figures = indicators.compute(ctx.municipality, ctx.today.year)
    assert figures.dialogues >= 1
    assert figures.feedback_on_time >= 1
