"""Demo: participants' and organisers' evaluations of the evaluated dialogue."""

from __future__ import annotations

import hashlib

from delaktig.followup.models import OrganiserEvaluation, ParticipantEvaluation
from delaktig.governance.demo_context import DemoContext

# (question clear, understood influence, got feedback, comment)
ANSWERS = [
    (5, 4, 5, "Bra att ni kom till träffpunkten."),
    (4, 4, 4, ""),
    (4, 3, 5, "Jag fick ett mejl om resultatet, tack."),
    (3, 2, 4, "Svårt att förstå vad vi kunde påverka."),
    (5, 5, 4, ""),
    (4, 3, 3, "Fler möten på kvällstid, tack."),
    (2, 3, 4, ""),
]


def load(ctx: DemoContext) -> None:
    dialogue = ctx.dialogues["evaluated"]
    for i, (clear, understood, got, comment) in enumerate(ANSWERS):
        key = hashlib.sha256(f"demo-evaluation-{dialogue.pk}-{i}".encode()).hexdigest()
        ParticipantEvaluation.objects.get_or_create(
            dialogue=dialogue,
            participant_key=key,
            defaults={
                "question_clear": clear,
                "understood_influence": understood,
                "got_feedback": got,
                "comment": comment,
            },
        )
    groups = dialogue.target_groups.count()
    OrganiserEvaluation.objects.update_or_create(
        dialogue=dialogue,
        defaults={
            "what_worked": "Träffpunkterna för äldre gav många samtal. Anhöriga svarade digitalt.",
            "what_to_improve": "Bjud in tidigare och översätt materialet till fler språk.",
            "reach": "Vi nådde äldre i centrum och Sjövik, men få i Norra skogen. Unga anhöriga "
            "deltog digitalt.",
            "target_groups_reached": max(groups - 1, 0),
            "effects_on_decision": "Två trygghetsboenden och en mötesplats kom med i planen.",
            "evaluated_by": ctx.users.get("strateg"),
        },
    )
