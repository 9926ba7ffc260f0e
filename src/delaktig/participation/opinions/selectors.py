"""Reads for opinion statements, including the activity's opinion map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from delaktig.participation.models import Activity
from delaktig.participation.opinions.models import Statement, StatementStatus, StatementVote
from delaktig.participation.opinions.opinion_map import (
    OpinionMap,
    VoteMatrix,
    build_matrix,
    compute_opinion_map,
)


def published_statements(activity: Activity) -> Any:
    return Statement.objects.filter(activity=activity, status=StatementStatus.PUBLISHED)


def moderation_queue(activity: Activity) -> Any:
    return Statement.objects.filter(activity=activity, status=StatementStatus.PENDING)


def next_statement(activity: Activity, participant_key: str) -> Statement | None:
    """The first published statement this participant has not taken a position on."""
    voted = StatementVote.objects.filter(
        statement__activity=activity, participant_key=participant_key
    ).values("statement_id")
    return published_statements(activity).exclude(pk__in=voted).first()


def progress(activity: Activity, participant_key: str) -> tuple[int, int]:
    total = published_statements(activity).count()
    done = StatementVote.objects.filter(
        statement__activity=activity,
        statement__status=StatementStatus.PUBLISHED,
        participant_key=participant_key,
    ).count()
    return done, total


def vote_matrix(activity: Activity) -> VoteMatrix:
    """Votes on published statements (hidden and waiting ones are left out, as in Polis)."""
    statements = list(published_statements(activity).values_list("pk", flat=True))
    votes = {
        (key, str(sid)): value
        for key, sid, value in StatementVote.objects.filter(
            statement_id__in=statements
        ).values_list("participant_key", "statement_id", "value")
    }
    return build_matrix(votes, statements=[str(s) for s in statements])


@dataclass
class ActivityOpinionMap:
    result: OpinionMap
    statements: dict[str, Statement]
    points: list[dict[str, Any]]  # one per clustered participant, for the SVG and the table

    @property
    def groups(self) -> list[dict[str, Any]]:
        rows = []
        for g, size in self.result.group_sizes.items():
            reps = [
                {**r, "text": self.statements[r["statement"]].text}
                for r in self.result.representative.get(g, [])
            ]
            rows.append({"number": g + 1, "size": size, "representative": reps})
        return rows

    @property
    def consensus(self) -> dict[str, list[dict[str, Any]]]:
        return {
            kind: [{**r, "text": self.statements[r["statement"]].text} for r in rows]
            for kind, rows in self.result.consensus.items()
        }


def activity_opinion_map(activity: Activity, *, k: int | None = None) -> ActivityOpinionMap:
    matrix = vote_matrix(activity)
    result = compute_opinion_map(matrix, k=k)
    statements = {str(s.pk): s for s in published_statements(activity)}
    points: list[dict[str, Any]] = []
    for i, (x, y) in enumerate(result.coordinates):
        if not result.clustered[i]:
            continue
        points.append(
            {
                "n": len(points) + 1,
                "x": float(x),
                "y": float(y),
                "group": int(result.labels[i]) + 1,
                "votes": int(matrix.n_votes[i]),
            }
        )
    return ActivityOpinionMap(result=result, statements=statements, points=points)
