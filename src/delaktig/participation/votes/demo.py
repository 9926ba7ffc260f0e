"""Demo data: a ranked vote for young people and a single-choice vote."""

from __future__ import annotations

from typing import Any

from delaktig.participation.actions import record_contribution
from delaktig.participation.models import ContributionKind
from delaktig.participation.votes import actions
from delaktig.participation.votes.models import VoteBallot


def load(ctx: Any) -> None:
    key = "open_youth" if "open_youth" in ctx.dialogues else "open_budget"
    activity = ctx.activity(
        key,
        "vote",
        "Omröstning: vad ska byggas först?",
        identity_level="email",
        description="Rangordna förslagen. Det förslag som vinner byggs först.",
    )
    vote = actions.create_vote(
        activity=activity,
        by=ctx.users["handlaggare"],
        question="Vad ska byggas först?",
        vote_type="ranked",
        use_alternatives=True,
        options=[]
        if ctx.dialogues[key].alternatives.count() >= 2
        else [
            "Skatepark vid simhallen",
            "Musikstudio i fritidsgården",
            "Utomhusscen i parken",
        ],
    )
    pks = list(vote.options.values_list("pk", flat=True))
    for i in range(9):
        order = pks[i % len(pks) :] + pks[: i % len(pks)]
        ballot = VoteBallot.objects.create(
            vote=vote, participant_key=f"demo-vote-{i}", choices=order[:2]
        )
        record_contribution(
            activity=activity,
            kind=ContributionKind.VOTE,
            source=ballot,
            data={"vote": vote.pk, "choices": ballot.choices},
            participant_key=ballot.participant_key,
        )
