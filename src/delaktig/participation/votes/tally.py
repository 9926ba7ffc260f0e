"""Counting a vote: plurality, approval, and instant runoff for ranked ballots.

Ties (documented): for ranked ballots the option eliminated in a round is the one with
the fewest votes in that round; if several tie, the one with the fewest first
preferences, then the one listed last. Pure Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Round:
    counts: dict[int, int]
    eliminated: int | None
    exhausted: int


@dataclass
class Tally:
    counts: dict[int, int]  # first choices (single/ranked) or approvals
    ballots: int
    winner: int | None
    rounds: list[Round] = field(default_factory=list)
    tie: bool = False


def plurality(options: list[int], ballots: list[list[int]]) -> Tally:
    counts = dict.fromkeys(options, 0)
    for ballot in ballots:
        for option in ballot:
            if option in counts:
                counts[option] += 1
    best = max(counts.values(), default=0)
    leaders = [o for o in options if counts[o] == best and best > 0]
    return Tally(
        counts=counts,
        ballots=len(ballots),
        winner=leaders[0] if len(leaders) == 1 else None,
        tie=len(leaders) > 1,
    )


def instant_runoff(options: list[int], ballots: list[list[int]]) -> Tally:
    first = dict.fromkeys(options, 0)
    for ballot in ballots:
        if ballot and ballot[0] in first:
            first[ballot[0]] += 1
    remaining = list(options)
    rounds: list[Round] = []
    while remaining:
        counts = dict.fromkeys(remaining, 0)
        exhausted = 0
        for ballot in ballots:
            top = next((o for o in ballot if o in counts), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        active = sum(counts.values())
        leader = max(remaining, key=lambda o: (counts[o], -remaining.index(o)))
        if active == 0:
            rounds.append(Round(counts=counts, eliminated=None, exhausted=exhausted))
            return Tally(counts=first, ballots=len(ballots), winner=None, rounds=rounds)
        if counts[leader] * 2 > active or len(remaining) == 1:
            rounds.append(Round(counts=counts, eliminated=None, exhausted=exhausted))
            return Tally(counts=first, ballots=len(ballots), winner=leader, rounds=rounds)
        if len(remaining) == 2 and counts[remaining[0]] == counts[remaining[1]]:
            rounds.append(Round(counts=counts, eliminated=None, exhausted=exhausted))
            return Tally(counts=first, ballots=len(ballots), winner=None, rounds=rounds, tie=True)
        loser = min(remaining, key=lambda o: (counts[o], first[o], -remaining.index(o)))
        rounds.append(Round(counts=counts, eliminated=loser, exhausted=exhausted))
        remaining.remove(loser)
    return Tally(counts=first, ballots=len(ballots), winner=None, rounds=rounds)  # pragma: no cover
