"""Indicators across the municipality for a year (E2, E3), computed from the data.

Which dialogues belong to a year: citizen dialogues that were conducted (announced or
later, never the NO path) and whose participation period (`starts_on`–`ends_on`)
overlaps the calendar year. Every figure below is computed from those dialogues.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.feedback.models import (
    Feedback,
    FeedbackReport,
    FeedbackStatus,
    HandlingOutcome,
    ProposalHandling,
)
from delaktig.feedback.selectors import feedback_reach
from delaktig.followup.models import OrganiserEvaluation, ParticipantEvaluation
from delaktig.governance.models import (
    Decision,
    Dialogue,
    DialogueKind,
    InfluenceLevel,
    TargetGroup,
)
from delaktig.governance.states import Feature, states_with
from delaktig.organisation.models import Body, Gate, Municipality
from delaktig.participation.models import Activity
from delaktig.participation.selectors import channel_rows
from delaktig.results.selectors import counted_contributions, participants


def share(part: int, whole: int) -> int | None:
    """Whole percent, rounded half up; None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


def dialogues_in_year(
    municipality: Municipality, year: int, body: Body | None = None
) -> QuerySet[Dialogue]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    qs = Dialogue.objects.filter(
        municipality=municipality,
        kind=DialogueKind.CITIZEN,
        status__in=states_with(Feature.HELD),
        starts_on__isnull=False,
        starts_on__lte=end,
    ).filter(Q(ends_on__gte=start) | Q(ends_on__isnull=True))
    if body is not None:
        qs = qs.filter(owner_body=body)
    return qs.select_related("owner_body").order_by("starts_on", "pk")


def _channel_dicts(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"label": label, "count": n} for label, n in rows]


@dataclass
class DialogueRow:
    dialogue: Dialogue
    participants: int
    participants_by_channel: list[tuple[str, int]]
    contributions: int
    feedback_published: datetime.date | None
    feedback_on_time: bool | None
    reported: list[str]
    final_decision: str
    adopted: int
    partly: int
    not_adopted: int
    evaluated: bool

    def as_dict(self) -> dict[str, Any]:
        d = self.dialogue
        return {
            "title": d.title,
            "body": d.owner_body.name if d.owner_body else "",
            "influence": str(d.get_influence_level_display()) if d.influence_level else "",
            "status": str(d.get_status_display()),
            "starts_on": d.starts_on,
            "ends_on": d.ends_on,
            "participants": self.participants,
            "participants_by_channel": _channel_dicts(self.participants_by_channel),
            "contributions": self.contributions,
            "feedback_due": d.feedback_due,
            "feedback_published": self.feedback_published,
            "feedback_on_time": self.feedback_on_time,
            "reported": self.reported,
            "final_decision": self.final_decision,
            "influence_on_decision": d.influence_on_decision,
            "adopted": self.adopted,
            "partly": self.partly,
            "not_adopted": self.not_adopted,
            "evaluated": self.evaluated,
        }


@dataclass
class Indicators:
    year: int
    dialogues: int = 0
    by_body: list[tuple[str, int]] = field(default_factory=list)
    by_influence: list[tuple[str, int]] = field(default_factory=list)
    by_body_and_influence: list[dict[str, Any]] = field(default_factory=list)
    participants: int = 0
    participants_by_channel: list[tuple[str, int]] = field(default_factory=list)
    contributions: int = 0
    contributions_without_key: int = 0
    target_groups: int = 0
    target_groups_evaluated: int = 0
    target_groups_reached: int = 0
    dialogues_for_children: int = 0
    activities_for_children: int = 0
    participants_in_children_activities: int = 0
    feedback_due: int = 0
    feedback_on_time: int = 0
    feedback_late: int = 0
    feedback_missing: int = 0
    # F2: participants the published feedback reached directly, those without a contact
    # way (reached through the public page and the body's report), undelivered e-mails.
    feedback_reached: int = 0
    feedback_with_contact: int = 0
    feedback_no_contact: int = 0
    feedback_failed: int = 0
    effects_on_decision: int = 0
    organiser_evaluations: int = 0
    participant_evaluations: int = 0
    averages: dict[str, float | None] = field(default_factory=dict)
    handled: dict[str, int] = field(default_factory=dict)
    rows: list[DialogueRow] = field(default_factory=list)

    @property
    def feedback_on_time_share(self) -> int | None:
        return share(self.feedback_on_time, self.feedback_due)

    @property
    def effects_share(self) -> int | None:
        return share(self.effects_on_decision, self.dialogues)

    @property
    def target_groups_reached_share(self) -> int | None:
        return share(self.target_groups_reached, self.target_groups_evaluated)

    @property
    def children_share(self) -> int | None:
        return share(self.dialogues_for_children, self.dialogues)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "dialogues": self.dialogues,
            "by_body": [{"name": n, "count": c} for n, c in self.by_body],
            "by_influence": [{"name": n, "count": c} for n, c in self.by_influence],
            "by_body_and_influence": self.by_body_and_influence,
            "participants": self.participants,
            "participants_by_channel": _channel_dicts(self.participants_by_channel),
            "contributions": self.contributions,
            "contributions_without_key": self.contributions_without_key,
            "target_groups": self.target_groups,
            "target_groups_evaluated": self.target_groups_evaluated,
            "target_groups_reached": self.target_groups_reached,
            "target_groups_reached_share": self.target_groups_reached_share,
            "dialogues_for_children": self.dialogues_for_children,
            "children_share": self.children_share,
            "activities_for_children": self.activities_for_children,
            "participants_in_children_activities": self.participants_in_children_activities,
            "feedback_due": self.feedback_due,
            "feedback_on_time": self.feedback_on_time,
            "feedback_late": self.feedback_late,
            "feedback_missing": self.feedback_missing,
            "feedback_on_time_share": self.feedback_on_time_share,
            "feedback_reached": self.feedback_reached,
            "feedback_with_contact": self.feedback_with_contact,
            "feedback_no_contact": self.feedback_no_contact,
            "feedback_failed": self.feedback_failed,
            "effects_on_decision": self.effects_on_decision,
            "effects_share": self.effects_share,
            "organiser_evaluations": self.organiser_evaluations,
            "participant_evaluations": self.participant_evaluations,
            "averages": {
                k: (f"{v:.1f}".replace(".", ",") if v is not None else None)
                for k, v in self.averages.items()
            },
            "handled": self.handled,
            "rows": [r.as_dict() for r in self.rows],
        }


def compute(
    municipality: Municipality,
    year: int,
    body: Body | None = None,
    today: datetime.date | None = None,
) -> Indicators:
    today = today or timezone.localdate()
    dialogues = list(dialogues_in_year(municipality, year, body))
    ids = [d.pk for d in dialogues]
    result = Indicators(year=year, dialogues=len(dialogues))

    # By body and influence level.
    no_body = _("Ingen ansvarig nämnd angiven")
    no_level = _("Inte beslutad")
    bodies: dict[str, int] = {}
    levels = {str(label): 0 for _value, label in InfluenceLevel.choices}
    cross: dict[str, dict[str, int]] = {}
    for d in dialogues:
        body_name = d.owner_body.name if d.owner_body else no_body
        level = str(d.get_influence_level_display()) if d.influence_level else no_level
        bodies[body_name] = bodies.get(body_name, 0) + 1
        levels[level] = levels.get(level, 0) + 1
        cross.setdefault(body_name, {}).setdefault(level, 0)
        cross[body_name][level] += 1
    result.by_body = sorted(bodies.items())
    result.by_influence = [(name, n) for name, n in levels.items() if n or name != no_level]
    result.by_body_and_influence = [
        {"body": name, "levels": [cross[name].get(level, 0) for level, _n in result.by_influence]}
        for name in sorted(cross)
    ]

    # Participants and contributions: counted as in the compilation (results.selectors).
    contributions = counted_contributions(ids)
    result.contributions = contributions.count()
    result.contributions_without_key = contributions.filter(participant_key="").count()
    people = participants(ids)
    result.participants = sum(p.total for p in people.values())
    result.participants_by_channel = channel_rows(
        sum((p.by_channel for p in people.values()), Counter())
    )
    per_dialogue_contributions = {
        row["dialogue_id"]: row["n"]
        for row in contributions.values("dialogue_id").annotate(n=Count("id"))
    }

    # Reach: target groups, children and young people.
    groups = TargetGroup.objects.filter(dialogue_id__in=ids)
    result.target_groups = groups.count()
    children_dialogues = set(
        groups.filter(children_and_young=True).values_list("dialogue_id", flat=True)
    )
    children_activities = Activity.objects.filter(dialogue_id__in=ids, for_children=True)
    result.activities_for_children = children_activities.count()
    children_dialogues |= set(children_activities.values_list("dialogue_id", flat=True))
    result.dialogues_for_children = len(children_dialogues)
    result.participants_in_children_activities = sum(
        p.total for p in participants(ids, children_activities).values()
    )
    evaluations = {
        e.dialogue_id: e for e in OrganiserEvaluation.objects.filter(dialogue_id__in=ids)
    }
    result.organiser_evaluations = len(evaluations)
    group_counts = {
        row["dialogue_id"]: row["n"] for row in groups.values("dialogue_id").annotate(n=Count("id"))
    }
    for dialogue_id, evaluation in evaluations.items():
        total = group_counts.get(dialogue_id, 0)
        result.target_groups_evaluated += total
        result.target_groups_reached += min(evaluation.target_groups_reached, total)

    # Feedback on time: every dialogue whose feedback date has passed or that has published.
    feedbacks = {
        f.dialogue_id: f
        for f in Feedback.objects.filter(
            dialogue_id__in=ids, status=FeedbackStatus.PUBLISHED
        ).select_related("dialogue")
    }
    for d in dialogues:
        if d.feedback_due is None:
            continue
        feedback = feedbacks.get(d.pk)
        if feedback is None:
            if d.feedback_due < today:
                result.feedback_due += 1
                result.feedback_missing += 1
            continue
        result.feedback_due += 1
        if timezone.localdate(feedback.published_at) <= d.feedback_due:  # type: ignore[arg-type]
            result.feedback_on_time += 1
        else:
            result.feedback_late += 1

    for dialogue_id in sorted(feedbacks):
        reach = feedback_reach(feedbacks[dialogue_id].dialogue)
        result.feedback_reached += reach.reached
        result.feedback_with_contact += reach.with_contact
        result.feedback_no_contact += reach.no_contact
        result.feedback_failed += reach.failed

    # Effects on decisions.
    result.effects_on_decision = sum(1 for d in dialogues if d.influence_on_decision.strip())

    # Participants' evaluations: averages only when enough answered to stay anonymous.
    answers = ParticipantEvaluation.objects.filter(dialogue_id__in=ids)
    result.participant_evaluations = answers.count()
    averages = answers.aggregate(
        question_clear=Avg("question_clear"),
        understood_influence=Avg("understood_influence"),
        got_feedback=Avg("got_feedback"),
    )
    enough = result.participant_evaluations >= settings.DELAKTIG_MIN_GROUP_SIZE
    result.averages = {
        k: (float(v) if enough and v is not None else None) for k, v in averages.items()
    }

    # How proposals were handled.
    handled: dict[int, dict[str, int]] = {}
    totals = {value: 0 for value in HandlingOutcome.values}
    for row in (
        ProposalHandling.objects.filter(dialogue_id__in=ids)
        .values("dialogue_id", "outcome")
        .annotate(n=Count("id"))
    ):
        handled.setdefault(row["dialogue_id"], {})[row["outcome"]] = row["n"]
        totals[row["outcome"]] += row["n"]
    result.handled = totals

    reports: dict[int, list[str]] = {}
    for report in FeedbackReport.objects.filter(feedback__dialogue_id__in=ids).select_related(
        "body", "feedback"
    ):
        reports.setdefault(report.feedback.dialogue_id, []).append(
            f"{report.body.name} {report.meeting_date:%Y-%m-%d} § {report.paragraph}"
        )
    finals: dict[int, str] = {}
    for decision in Decision.objects.filter(dialogue_id__in=ids, gate=Gate.FINAL).select_related(
        "body"
    ):
        finals[decision.dialogue_id] = (
            f"{decision.body.name} {decision.decided_on:%Y-%m-%d} § {decision.paragraph} "
            f"({decision.case_number})"
        )
    for d in dialogues:
        feedback = feedbacks.get(d.pk)
        counts = handled.get(d.pk, {})
        result.rows.append(
            DialogueRow(
                dialogue=d,
                participants=people[d.pk].total,
                participants_by_channel=channel_rows(people[d.pk].by_channel),
                contributions=per_dialogue_contributions.get(d.pk, 0),
                feedback_published=timezone.localdate(feedback.published_at)
                if feedback and feedback.published_at
                else None,
                feedback_on_time=(
                    timezone.localdate(feedback.published_at) <= d.feedback_due
                    if feedback and feedback.published_at and d.feedback_due
                    else (False if d.feedback_due and d.feedback_due < today else None)
                ),
                reported=reports.get(d.pk, []),
                final_decision=finals.get(d.pk, ""),
                adopted=counts.get(HandlingOutcome.ADOPTED, 0),
                partly=counts.get(HandlingOutcome.PARTLY, 0),
                not_adopted=counts.get(HandlingOutcome.NOT_ADOPTED, 0),
                evaluated=d.pk in evaluations,
            )
        )
    return result
