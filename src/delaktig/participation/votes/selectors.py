"""Reads for votes: the vote residents answer, and the published result (only once the
vote has closed)."""

from __future__ import annotations

from typing import Any

from delaktig.core.public_cache import cached_public
from delaktig.participation.models import Activity
from delaktig.participation.votes import tally
from delaktig.participation.votes.models import Vote, VoteType


def public_vote(activity: Activity) -> Vote | None:
    """The activity's vote with its options, from the public cache, which every save of an
    activity, a vote or an option moves on (delaktig.core.public_cache)."""
    vote = cached_public(
        f"vote-of:{activity.pk}",
        lambda: Vote.objects.filter(activity_id=activity.pk).prefetch_related("options").first(),
    )
    if vote is not None:
        vote.activity = activity  # already read with its dialogue: casting needs both
    return vote


def result(vote: Vote) -> dict[str, Any] | None:
    if not vote.is_closed:
        return None
    options = list(vote.options.all())
    ids = [o.pk for o in options]
    ballots = [b.choices for b in vote.ballots.all()]
    if vote.vote_type == VoteType.RANKED:
        t = tally.instant_runoff(ids, ballots)
    else:
        t = tally.plurality(ids, ballots)
    by_pk = {o.pk: o for o in options}
    total = t.ballots or 1
    rows = [
        {
            "option": o,
            "count": t.counts[o.pk],
            "percent": round(100 * t.counts[o.pk] / total),
            "winner": t.winner == o.pk,
        }
        for o in sorted(options, key=lambda o: -t.counts[o.pk])
    ]
    rounds = [
        {
            "number": i + 1,
            "counts": [(by_pk[pk], n) for pk, n in r.counts.items()],
            "eliminated": by_pk.get(r.eliminated) if r.eliminated else None,
            "exhausted": r.exhausted,
        }
        for i, r in enumerate(t.rounds)
    ]
    return {
        "rows": rows,
        "ballots": t.ballots,
        "winner": by_pk.get(t.winner) if t.winner else None,
        "tie": t.tie,
        "rounds": rounds,
    }
