"""Demo: overdue draft feedback, published feedback with accountability, followers."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from delaktig.feedback.models import (
    Feedback,
    FeedbackReport,
    FeedbackStatus,
    Follower,
    HandlingOutcome,
    HandlingUpdate,
    ImplementationStatus,
    ProposalHandling,
)
from delaktig.governance.demo_context import DemoContext

PUBLISHED: dict[str, Any] = {
    "decided": (
        "1 240 personer lämnade synpunkter på förslaget till översiktsplan. De flesta vill "
        "bevara grönområden när kommunen bygger nytt, och många vill ha fler hyresrätter som "
        "unga har råd med.",
        "Planen ändrades på tre punkter efter samrådet: Ekdalsskogen sparas som grönområde, "
        "andelen hyresrätter i nya områden höjs och en ny busslinje till Norra skogen finns med.",
        "Kommunfullmäktige har antagit planen. Här ser du hur varje förslag hanterades.",
        [
            (
                "Spara Ekdalsskogen som grönområde",
                HandlingOutcome.ADOPTED,
                "Skogen är viktig för friluftslivet; bostäderna flyttas till Stationsområdet.",
                ImplementationStatus.DONE,
                -20,
                "Skogen är markerad som grönområde i planen.",
            ),
            (
                "Fler hyresrätter för unga",
                HandlingOutcome.PARTLY,
                "Andelen hyresrätter höjs till 40 procent, inte 60 som många föreslog.",
                ImplementationStatus.IN_PROGRESS,
                None,
                "Markanvisning pågår i Västra hamnen.",
            ),
            (
                "Spårväg genom centrum",
                HandlingOutcome.NOT_ADOPTED,
                "För dyr i förhållande till antalet resenärer. Busslinjer byggs ut i stället.",
                "",
                None,
                "",
            ),
        ],
    ),
    "evaluated": (
        "320 äldre och anhöriga deltog på träffpunkter och digitalt. Att bo kvar nära service "
        "och vänner var viktigast. Många vill ha trygghetsboenden och mötesplatser på dagtid.",
        "Vård- och omsorgsnämnden lade till två trygghetsboenden i planen för äldreboenden "
        "och öppnar en ny mötesplats i Sjövik.",
        "",
        [
            (
                "Trygghetsboende i Centrum",
                HandlingOutcome.ADOPTED,
                "Stort behov enligt dialogen och befolkningsprognosen.",
                ImplementationStatus.PLANNED,
                None,
                "Byggstart planeras nästa år.",
            ),
            (
                "Mötesplats för äldre i Sjövik",
                HandlingOutcome.ADOPTED,
                "Många saknade en mötesplats på dagtid.",
                ImplementationStatus.DONE,
                -40,
                "Öppnade i biblioteket.",
            ),
        ],
    ),
}


def load(ctx: DemoContext) -> None:
    today = ctx.today
    official = ctx.users.get("processledare") or ctx.users.get("handlaggare")

    # Overdue and only a draft: the back office shows it overdue and closing is blocked.
    feedback = ctx.dialogues["feedback"]
    if feedback.feedback_due is None or feedback.feedback_due >= today:
        feedback.feedback_due = today - datetime.timedelta(days=12)
        feedback.save(update_fields=["feedback_due"])
    Feedback.objects.update_or_create(
        dialogue=feedback,
        defaults={
            "results_summary": "Många vill ha lägre hastigheter och säkrare övergångsställen "
            "runt skolorna. Flera skriver att skolvägen är mörk på vintern.",
            "participation_effect": "",
            "status": FeedbackStatus.DRAFT,
            "written_by": official,
        },
    )

    for key, (results, effect, next_steps, handlings) in PUBLISHED.items():
        dialogue = ctx.dialogues[key]
        due = dialogue.feedback_due or today
        published_on = min(due - datetime.timedelta(days=5), today)
        fb, _created = Feedback.objects.update_or_create(
            dialogue=dialogue,
            defaults={
                "results_summary": results,
                "participation_effect": effect,
                "next_steps": next_steps,
                "status": FeedbackStatus.PUBLISHED,
                "published_at": timezone.make_aware(
                    datetime.datetime.combine(published_on, datetime.time(10, 0))
                ),
                "published_by": official,
                "written_by": official,
            },
        )
        if dialogue.owner_body_id:
            FeedbackReport.objects.get_or_create(
                feedback=fb,
                body=dialogue.owner_body,
                paragraph="14",
                case_number=f"{today.year}/{100 + dialogue.pk}",
                defaults={"meeting_date": min(published_on + datetime.timedelta(days=14), today)},
            )
        if not dialogue.influence_on_decision:
            dialogue.influence_on_decision = effect
            dialogue.final_decision_summary = dialogue.final_decision_summary or next_steps
            dialogue.save(update_fields=["influence_on_decision", "final_decision_summary"])
        for order, (title, outcome, reason, status, days, note) in enumerate(handlings):
            handling, _ = ProposalHandling.objects.update_or_create(
                dialogue=dialogue,
                title=title,
                defaults={
                    "outcome": outcome,
                    "reason": reason,
                    "implementation_status": status,
                    "implementation_date": today + datetime.timedelta(days=days)
                    if days is not None
                    else None,
                    "implementation_note": note,
                    "order": order,
                },
            )
            if not handling.updates.exists():
                HandlingUpdate.objects.create(
                    handling=handling,
                    outcome=outcome,
                    implementation_status=status,
                    implementation_date=handling.implementation_date,
                    note=note or reason,
                    actor=official,
                )

    resident = ctx.users.get("invanare")
    if resident is not None and resident.email:
        Follower.objects.get_or_create(
            dialogue=ctx.dialogues["decided"],
            email=resident.email.lower(),
            defaults={"confirmed_at": timezone.now(), "language": resident.preferred_language},
        )
