"""Reads that span models: the public register and the back office."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.governance import lifecycle
from delaktig.governance.models import Dialogue, DialogueStatus
from delaktig.organisation.selectors import current_municipality


def public_dialogues() -> Any:
    municipality = current_municipality()
    qs = Dialogue.objects.public().select_related("owner_body", "municipality")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs


def dialogues_by_status(qs: QuerySet[Dialogue]) -> dict[str, int]:
    rows = qs.values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in DialogueStatus.values}


@dataclass
class NextAction:
    transition: lifecycle.Transition
    blockers: list[str] = field(default_factory=list)
    # What stands in the way but may be overridden with a reason (e.g. opening early).
    overridable: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blockers


def next_actions(dialogue: Dialogue, user: Any = None) -> list[NextAction]:
    return [
        NextAction(
            t,
            lifecycle.transition_blockers(dialogue, t.name),
            lifecycle.overridable_blockers(dialogue, t.name),
        )
        for t in lifecycle.available_transitions(dialogue, user)
    ]


def backoffice_rows(user: Any, municipality: Any) -> list[dict[str, Any]]:
    """Every dialogue with its owner and the next thing to do."""
    qs = (
        Dialogue.objects.filter(municipality=municipality)
        .select_related("owner_body", "office")
        .prefetch_related("team__user")
        .exclude(status=DialogueStatus.ARCHIVED)
        .order_by("feedback_due", "-created_at")
    )
    today = timezone.localdate()
    rows = []
    for dialogue in qs:
        leaders = [m.user for m in dialogue.team.all() if m.role == "process_leader"]
        actions = lifecycle.available_transitions(dialogue)
        rows.append(
            {
                "dialogue": dialogue,
                "leader": leaders[0] if leaders else None,
                "next": actions[0].label if actions else "",
                "overdue": dialogue.is_feedback_overdue,
                "days_to_feedback": (dialogue.feedback_due - today).days
                if dialogue.feedback_due
                else None,
            }
        )
    return rows


def mine_filter(user: Any) -> Q:
    return Q(team__user=user)


@dataclass
class MemberRow:
    """A dialogue an elected member or committee secretary follows, and why."""

    dialogue: Dialogue
    reasons: list[str]
    # Gates where one of the member's bodies is to decide now and has not yet.
    due: list[tuple[str, Any]]
    can_record: bool


def member_dialogues(user: Any, municipality: Any) -> list[MemberRow]:
    """G5, G7: the dialogues of the member's bodies, their dialogue groups, and (where the
    profile gives KS ultimate responsibility) every dialogue for KS members."""
    from delaktig.governance.models import DialogueTeamMember
    from delaktig.organisation.models import BodyKind, BodyMembership, Gate

    memberships = list(
        BodyMembership.objects.filter(user=user, body__municipality=municipality).select_related(
            "body"
        )
    )
    bodies = {m.body_id: m for m in memberships}
    oversees_all = municipality.profile.ks_oversees_all and any(
        m.body.kind == BodyKind.KS for m in memberships
    )
    teams = set(
        DialogueTeamMember.objects.filter(user=user, dialogue__municipality=municipality)
        .values_list("dialogue_id", flat=True)
        .distinct()
    )
    rows = []
    dialogues = (
        Dialogue.objects.filter(municipality=municipality)
        .exclude(status=DialogueStatus.ARCHIVED)
        .select_related("owner_body", "municipality__profile")
        .prefetch_related("concerned_bodies")
        .order_by("-updated_at")
    )
    for dialogue in dialogues:
        reasons: list[str] = []
        if dialogue.owner_body_id in bodies:
            reasons.append(_("%(body)s är ansvarig nämnd") % {"body": dialogue.owner_body})
        for body in dialogue.concerned_bodies.all():
            if body.pk in bodies and body.pk != dialogue.owner_body_id:
                reasons.append(_("%(body)s berörs") % {"body": body})
        due = []
        can_record = False
        for gate in Gate.values:
            expected = lifecycle.expected_bodies(dialogue, gate)
            for body_id in expected.keys() & bodies.keys():
                body = bodies[body_id].body
                reasons.append(
                    _("%(body)s: %(gate)s") % {"body": body, "gate": str(Gate(gate).label).lower()}
                )
                decided = any(
                    d.body_id == body_id for d in lifecycle.decisions_in_force(dialogue, gate)
                )
                if dialogue.status in lifecycle.GATE_STAGES[gate] and not decided:
                    due.append((str(Gate(gate).label), body))
                    if bodies[body_id].kind == BodyMembership.Kind.SECRETARY:
                        can_record = True
        if dialogue.pk in teams:
            reasons.append(_("Du är med i dialoggruppen"))
        if not reasons and oversees_all:
            reasons.append(_("Kommunstyrelsen har det yttersta ansvaret"))
        if reasons:
            rows.append(MemberRow(dialogue, list(dict.fromkeys(reasons)), due, can_record))
    return rows


def proposals_of(user: Any) -> QuerySet[Dialogue]:
    """G1: the topics a signed-in resident proposed, with where each stands now."""
    return (
        Dialogue.objects.filter(initiative__proposer=user)
        .select_related("initiative")
        .order_by("-created_at")
    )
