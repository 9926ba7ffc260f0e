"""A known year of dialogues (2025) with hand-counted figures, for the reports' tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from delaktig.feedback.models import Feedback, FeedbackStatus, HandlingOutcome, ProposalHandling
from delaktig.followup.models import OrganiserEvaluation, ParticipantEvaluation
from delaktig.governance.models import DialogueKind, DialogueStatus, TargetGroup
from delaktig.organisation.models import Body
from tests.feedback.factories import activity, contribute, make_dialogue, record_final_decision

D = datetime.date


def _published(dialogue: Any, on: datetime.date) -> Feedback:
    return Feedback.objects.create(
        dialogue=dialogue,
        results_summary="Resultat",
        participation_effect="Påverkan",
        status=FeedbackStatus.PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime(on.year, on.month, on.day, 12, 0)),
    )


def build(municipality: Any) -> dict[str, Any]:
    sbn = Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden")
    bun = Body.objects.get(municipality=municipality, name="Barn- och utbildningsnämnden")

    # A: SBN, konsultation, feedback on time, effect described, evaluated.
    a = make_dialogue(
        municipality,
        status=DialogueStatus.DECIDED,
        title="A Parken",
        owner_body=sbn,
        influence_level="konsultation",
        starts_on=D(2025, 3, 1),
        ends_on=D(2025, 4, 15),
        feedback_due=D(2025, 5, 31),
    )
    record_final_decision(a, decided_on=D(2025, 6, 10))
    TargetGroup.objects.create(dialogue=a, name="Barnfamiljer", children_and_young=True)
    TargetGroup.objects.create(dialogue=a, name="Äldre")
    act_a = activity(a)
    for key in ["k1", "k1", "k2", "k3"]:
        contribute(act_a, key)
    contribute(act_a, "", channel="paper")
    _published(a, D(2025, 5, 20))
    ProposalHandling.objects.create(
        dialogue=a, title="Bänkar", outcome=HandlingOutcome.ADOPTED, reason="r"
    )
    ProposalHandling.objects.create(
        dialogue=a, title="Belysning", outcome=HandlingOutcome.PARTLY, reason="r"
    )
    OrganiserEvaluation.objects.create(
        dialogue=a,
        what_worked="Kvällsmöten.",
        what_to_improve="Fler språk.",
        reach="Äldre nåddes inte.",
        target_groups_reached=1,
        effects_on_decision="Bänkar.",
    )
    for clear, understood, got in [(5, 3, 1), (4, 3, 2), (4, 3, 3), (3, 3, 4), (5, 3, 5)]:
        ParticipantEvaluation.objects.create(
            dialogue=a,
            participant_key=f"e{clear}{got}",
            question_clear=clear,
            understood_influence=understood,
            got_feedback=got,
        )

    # B: SBN, dialog, started in 2024, feedback late, no effect described, children activity.
    b = make_dialogue(
        municipality,
        status=DialogueStatus.FEEDBACK,
        title="B Skolvägen",
        owner_body=sbn,
        influence_level="dialog",
        starts_on=D(2024, 11, 1),
        ends_on=D(2025, 1, 31),
        feedback_due=D(2025, 3, 1),
    )
    TargetGroup.objects.create(dialogue=b, name="Föräldrar")
    act_b = activity(b, for_children=True)
    contribute(act_b, "k1")
    contribute(act_b, "k2")
    _published(b, D(2025, 3, 10))

    # C: BUN, inflytande, feedback missing after its date, effect described.
    c = make_dialogue(
        municipality,
        status=DialogueStatus.FEEDBACK,
        title="C Fritidsgården",
        owner_body=bun,
        influence_level="inflytande",
        starts_on=D(2025, 9, 1),
        ends_on=D(2025, 10, 1),
        feedback_due=D(2025, 11, 15),
        influence_on_decision="Öppettiderna ändrades.",
    )
    contribute(activity(c), "k9")

    # Not in 2025: another year, not conducted, a user dialogue.
    make_dialogue(
        municipality,
        status=DialogueStatus.EVALUATED,
        title="D 2024",
        owner_body=sbn,
        starts_on=D(2024, 1, 1),
        ends_on=D(2024, 2, 1),
    )
    make_dialogue(
        municipality,
        status=DialogueStatus.PLANNING,
        title="E Planeras",
        owner_body=sbn,
        starts_on=D(2025, 5, 1),
        ends_on=D(2025, 6, 1),
    )
    make_dialogue(
        municipality,
        status=DialogueStatus.DECIDED,
        title="G Brukardialog",
        owner_body=sbn,
        kind=DialogueKind.USER,
        starts_on=D(2025, 5, 1),
        ends_on=D(2025, 6, 1),
    )
    return {"a": a, "b": b, "c": c, "sbn": sbn, "bun": bun}
