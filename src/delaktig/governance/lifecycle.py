"""The dialogue lifecycle: an explicit state machine with guarded transitions.

Each transition names its source and target states and the guard that must pass.
Guards return the list of what is missing, in plain Swedish, so the back office
can show an official exactly what to do next. Other apps add guards for the gates
they own (compilation, feedback, evaluation) with `register_gate_check`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.governance import checklist
from delaktig.governance.models import Decision, Dialogue, DialogueStatus, TargetGroup, TeamRole
from delaktig.governance.models import DialogueStatus as S
from delaktig.organisation.models import (
    SCOPE_RANK,
    Body,
    BodyKind,
    DialogueScope,
    Gate,
    GateRule,
    PolicyProfile,
)

Guard = Callable[[Dialogue], list[str]]

# After the conduct decision, what it fixed is changed only by going back to planning.
REPLAN_SOURCES: tuple[str, ...] = (S.DECIDED_TO_CONDUCT, S.ANNOUNCED)


@dataclass(frozen=True)
class Transition:
    name: str
    label: object
    source: tuple[str, ...]
    target: str
    guards: tuple[Guard, ...] = ()
    # The official must say why (a cancellation, a return to planning); the reason is public.
    needs_reason: bool = False
    # Blockers an official may override, with a reason that is kept in the history.
    overridable: tuple[Guard, ...] = ()

    @property
    def permission(self) -> str:
        """Each step has its own permission; `governance.rules` says who holds it."""
        return f"governance.{self.name}"


_extra_checks: dict[str, list[Guard]] = {}
_arrivals: dict[str, list[Callable[[Dialogue], object]]] = {}


def register_arrival(status: str, handler: Callable[[Dialogue], object]) -> None:
    """Let another app act when a dialogue reaches `status` (the feedback app tells
    participants with an account that the matter is decided), without governance
    importing it."""
    handlers = _arrivals.setdefault(status, [])
    if handler not in handlers:
        handlers.append(handler)


def arrived(dialogue: Dialogue) -> None:
    """Run what other apps registered for the state the dialogue has just reached."""
    for handler in _arrivals.get(dialogue.status, []):
        handler(dialogue)


def register_gate_check(transition_name: str, check: Guard) -> None:
    """Let another app add a guard to a transition (e.g. feedback before decided)."""
    checks = _extra_checks.setdefault(transition_name, [])
    if check not in checks:
        checks.append(check)


# --- Gate rules from the policy profile --------------------------------------------------


def gate_rule(dialogue: Dialogue, gate: str) -> GateRule | None:
    """The profile's most specific rule for this gate and the dialogue's scope."""
    rank = SCOPE_RANK[DialogueScope(dialogue.scope)]
    candidates = [
        r
        for r in dialogue.municipality.profile.gate_rules.all()
        if r.gate == gate and SCOPE_RANK[DialogueScope(r.min_scope)] <= rank
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda r: SCOPE_RANK[DialogueScope(r.min_scope)])


# Kinds a municipality has many of: the dialogue's own owner must be one of them.
OWNED_KINDS = {BodyKind.NAMND, BodyKind.UTSKOTT, BodyKind.BEREDNING}


def resolve_body(dialogue: Dialogue, kind: str) -> Body | None:
    """The dialogue's owning committee for committee kinds, else the municipality's one body."""
    if dialogue.owner_body is not None and dialogue.owner_body.kind == kind:
        return dialogue.owner_body
    if kind in OWNED_KINDS:
        return None
    return Body.objects.filter(municipality=dialogue.municipality, kind=kind).order_by("pk").first()


def deciding_body(dialogue: Dialogue, gate: str) -> Body | None:
    rule = gate_rule(dialogue, gate)
    return resolve_body(dialogue, rule.deciding_body_kind) if rule else None


def anchoring_body(dialogue: Dialogue, gate: str) -> Body | None:
    rule = gate_rule(dialogue, gate)
    if rule is None or not rule.anchoring_body_kind:
        return None
    return resolve_body(dialogue, rule.anchoring_body_kind)


# In which states a gate's decision may be recorded (G5: at the right stage).
GATE_STAGES: dict[str, tuple[str, ...]] = {
    Gate.INVESTIGATE: (S.IDEA, S.ASSESSMENT),
    Gate.CONDUCT: (S.APPROVED, S.PLANNING),
    Gate.FINAL: (S.OPEN, S.COMPILING, S.FEEDBACK),
}
GATE_ORDER = list(Gate.values)


def decisions_in_force(dialogue: Dialogue, gate: str | None = None) -> list[Decision]:
    """A gate's decisions that count: not corrected, and after the last return to planning.

    Returning to planning (`replan`) reopens what the conduct decision fixed, so the old
    conduct decision no longer counts and a new one must be taken.
    """
    qs = dialogue.decisions.current()
    if gate:
        qs = qs.filter(gate=gate)
    decisions = list(qs)
    if gate in (None, Gate.CONDUCT):
        replanned = (
            dialogue.events.filter(to_status=S.PLANNING, from_status__in=REPLAN_SOURCES)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        if replanned:
            decisions = [d for d in decisions if d.gate != Gate.CONDUCT or d.created_at > replanned]
    return decisions


def expected_bodies(dialogue: Dialogue, gate: str) -> dict[int, str]:
    """The bodies the profile names for a gate, with the outcome each gives."""
    rule = gate_rule(dialogue, gate)
    if rule is None:
        return {}
    bodies: dict[int, str] = {}
    anchor = resolve_body(dialogue, rule.anchoring_body_kind) if rule.anchoring_body_kind else None
    if anchor is not None:
        bodies[anchor.pk] = Decision.Outcome.ANCHORED
    body = resolve_body(dialogue, rule.deciding_body_kind)
    if body is not None:
        bodies[body.pk] = Decision.Outcome.APPROVED
    return bodies


def _decision_guard(gate: str) -> Guard:
    # A decision recorded as an explicit deviation (another body, with its reason) stands in
    # for the one the profile names (G5). In the final gate the matter is decided whatever
    # the outcome; earlier gates need a yes.
    taken = (
        (Decision.Outcome.APPROVED, Decision.Outcome.REJECTED)
        if gate == Gate.FINAL
        else (Decision.Outcome.APPROVED,)
    )

    def check(dialogue: Dialogue) -> list[str]:
        rule = gate_rule(dialogue, gate)
        if rule is None:
            return []
        missing = []
        gate_label = Gate(gate).label
        decisions = decisions_in_force(dialogue, gate)
        body = resolve_body(dialogue, rule.deciding_body_kind)
        kind_label = BodyKind(rule.deciding_body_kind).label
        if body is None and rule.deciding_body_kind in OWNED_KINDS:
            missing.append(
                _("Ange ansvarig %(kind)s i planen: den ska fatta %(gate)s.")
                % {"kind": str(kind_label).lower(), "gate": str(gate_label).lower()}
            )
        elif body is None:
            missing.append(
                _("Kommunen saknar organet %(kind)s som ska besluta.") % {"kind": kind_label}
            )
        elif not any(
            (d.body_id == body.pk or d.deviation_reason) and d.outcome in taken for d in decisions
        ):
            missing.append(
                _("%(body)s har inte fattat %(gate)s.")
                % {"body": body.name, "gate": str(gate_label).lower()}
            )
        if rule.anchoring_body_kind:
            anchor = resolve_body(dialogue, rule.anchoring_body_kind)
            if anchor is None or not any(
                (d.body_id == anchor.pk or d.deviation_reason)
                and d.outcome in (Decision.Outcome.ANCHORED, Decision.Outcome.APPROVED)
                for d in decisions
            ):
                missing.append(
                    _("Beslutet är inte förankrat hos %(body)s.")
                    % {"body": anchor.name if anchor else BodyKind(rule.anchoring_body_kind).label}
                )
        return missing

    return check


# --- Guards -------------------------------------------------------------------------------


def assessment_recorded(dialogue: Dialogue) -> list[str]:
    if not hasattr(dialogue, "assessment"):
        return [_("Lämplighetsprövningen är inte gjord.")]
    return []


def assessment_says_yes(dialogue: Dialogue) -> list[str]:
    missing = assessment_recorded(dialogue)
    if missing:
        return missing
    if not dialogue.assessment.suitable:
        return [_("Lämplighetsprövningen svarade nej på minst en av de två frågorna.")]
    return []


def assessment_says_no_or_refused(dialogue: Dialogue) -> list[str]:
    """The NO path: a no in the assessment, or a body's refusal (avslag) at a gate."""
    refused = [d for d in decisions_in_force(dialogue) if d.outcome == Decision.Outcome.REJECTED]
    if dialogue.status == S.ASSESSMENT:
        if hasattr(dialogue, "assessment") and not dialogue.assessment.suitable:
            return []
        if any(d.gate == Gate.INVESTIGATE for d in refused):
            return []
        return [_("Det finns varken ett nej i lämplighetsprövningen eller ett beslut om avslag.")]
    deciding = deciding_body(dialogue, Gate.CONDUCT)
    if any(
        d.gate == Gate.CONDUCT and (deciding is None or d.body_id == deciding.pk) for d in refused
    ):
        return []
    return [_("Det finns inget beslut om avslag på att genomföra dialogen.")]


def team_named(dialogue: Dialogue) -> list[str]:
    roles = set(dialogue.team.values_list("role", flat=True))
    missing = []
    if TeamRole.PROCESS_OWNER not in roles:
        missing.append(_("Processägare är inte utsedd."))
    if TeamRole.PROCESS_LEADER not in roles:
        missing.append(_("Processledare är inte utsedd."))
    return missing


PLAN_REQUIRED = (
    ("goal", gettext_lazy("Mål saknas.")),
    ("purpose", gettext_lazy("Syfte saknas.")),
    ("question", gettext_lazy("Frågan till invånarna saknas.")),
    ("influence_level", gettext_lazy("Grad av inflytande är inte vald.")),
    ("input_use", gettext_lazy("Det står inte hur synpunkterna ska användas.")),
    ("feedback_due", gettext_lazy("Datum för återkoppling är inte satt.")),
)
# Every field of the dialogue a guard reads: each must be settable from a form (tested).
GUARDED_FIELDS = (
    *(field for field, _message in PLAN_REQUIRED),
    "owner_body",
    "period_start_year",
    "legal_basis",
    "starts_on",
    "ends_on",
    "final_decision_summary",
    "influence_on_decision",
    "period_review",
    "single_form_reason",
)


def plan_complete(dialogue: Dialogue) -> list[str]:
    """G8, G9, G10: the plan the elected approve when they decide to conduct."""
    missing = []
    for field, message in PLAN_REQUIRED:
        if not getattr(dialogue, field):
            missing.append(str(message))
    if not dialogue.target_groups.exists():
        missing.append(_("Inga målgrupper är angivna."))
    profile = dialogue.municipality.profile
    if (
        profile.main_committee_when_several
        and dialogue.concerned_bodies.count() > 1
        and dialogue.owner_body_id is None
    ):
        missing.append(_("Flera nämnder berörs: en huvudansvarig nämnd måste utses."))
    if profile.multi_year_period_years and dialogue.scope == DialogueScope.MUNICIPALITY_WIDE:
        if not dialogue.period_start_year:
            missing.append(
                _("Kommungemensamma dialoger ska ligga i en period på %(years)s år: ange startår.")
                % {"years": profile.multi_year_period_years}
            )
        if not dialogue.period_review.strip():
            missing.append(
                _("Ange vilken översyn av inriktningsmålen som flerårsperioden hör till.")
            )
    if dialogue.legally_required and not dialogue.legal_basis:
        missing.append(_("Lagstadgad dialog: ange lagrum."))
    if dialogue.legally_required and dialogue.owner_body_id is None:
        missing.append(
            _("Lagstadgad dialog: ange den nämnd som enligt sitt reglemente ansvarar för den.")
        )
    return missing


def reach_problems(dialogue: Dialogue) -> list[str]:
    """G10: every prioritised group is reached by an activity (children by one made for
    them), and more than one form, time or place is offered unless the plan says why not."""
    activities = list(dialogue.activities.prefetch_related("target_groups"))
    if not activities:
        return []  # invitation_complete asks for a first activity
    missing = []
    for group in dialogue.target_groups.filter(priority=TargetGroup.Priority.HIGH):
        reaching = [
            a
            for a in activities
            if group in a.target_groups.all() and (a.for_children or not group.children_and_young)
        ]
        if not reaching:
            message = _("Ingen aktivitet når den prioriterade målgruppen %(group)s.") % {
                "group": group.name
            }
            if group.children_and_young:
                message += " " + _("Barn och unga behöver en aktivitet som är anpassad för dem.")
            missing.append(message)
    ways = {(a.method, a.place.strip(), a.opens_at) for a in activities}
    if len(ways) < 2 and not dialogue.single_form_reason.strip():
        missing.append(
            _(
                "Dialogen erbjuder bara ett sätt att delta. Lägg till fler former, tider eller "
                "platser, eller skriv i planen varför det räcker."
            )
        )
    return missing


def _reach_rule(rule: str) -> Guard:
    """The reach check as a hard guard or a warning, as the profile says."""

    def check(dialogue: Dialogue) -> list[str]:
        if dialogue.municipality.profile.reach_rule != rule:
            return []
        return reach_problems(dialogue)

    return check


_checklist_guards: dict[str, Guard] = {}


def _checklist_guard(checkpoint: str) -> Guard:
    """G8: the profile's unfinished items at this checkpoint (see checklist.CHECKLIST_BLOCKS).

    One guard object per checkpoint, so that registering it twice is a no-op.
    """
    checkpoint = str(checkpoint)
    if checkpoint in _checklist_guards:
        return _checklist_guards[checkpoint]

    def check(dialogue: Dialogue) -> list[str]:
        # A dialogue that was never held, or was cancelled, has no checklist left to follow.
        if dialogue.status in OFF_THE_PATH:
            return []
        missing = []
        for item_state in checklist.unfinished(dialogue, checkpoint):
            if item_state.by_plan:
                missing.append(
                    _("Checklistan: %(item)s (saknas: %(fields)s)")
                    % {"item": item_state.item.label, "fields": ", ".join(item_state.missing)}
                )
            else:
                missing.append(_("Checklistan: %(item)s") % {"item": item_state.item.label})
        return missing

    return _checklist_guards.setdefault(checkpoint, check)


def invitation_complete(dialogue: Dialogue) -> list[str]:
    """C4: the invitation states question, influence, use, timeline and feedback date."""
    missing = plan_complete(dialogue)
    if not dialogue.starts_on or not dialogue.ends_on:
        missing.append(_("Tidplan saknas: ange när dialogen öppnar och stänger."))
    elif dialogue.ends_on < dialogue.starts_on:
        missing.append(_("Dialogen kan inte stänga innan den öppnar."))
    if not dialogue.activities.exists():
        missing.append(_("Det finns inget sätt att delta: lägg till minst en aktivitet."))
    return missing


def final_decision_recorded(dialogue: Dialogue) -> list[str]:
    missing = _decision_guard(Gate.FINAL)(dialogue)
    if not decisions_in_force(dialogue, Gate.FINAL) and not missing:
        missing.append(_("Beslutet i sakfrågan är inte registrerat."))
    if not dialogue.final_decision_summary.strip():
        missing.append(_("Beskriv beslutet i korthet."))
    if not dialogue.influence_on_decision.strip():
        missing.append(_("Beskriv hur dialogen påverkade beslutet."))
    return missing


def information_effort_done(dialogue: Dialogue) -> list[str]:
    """G3: a NO is always explained; where the profile asks, also when and where it was told."""
    if dialogue.status != S.REJECTED:
        return []
    effort = getattr(dialogue, "information_effort", None)
    if effort is None:
        return [
            _(
                "Förklara beslutet: svara på varför beslutet togs och varför det inte blir "
                "någon medborgardialog."
            )
        ]
    if dialogue.municipality.profile.requires_information_effort_on_no and not (
        effort.held_on and effort.place.strip()
    ):
        return [_("Informationsinsatsen är inte dokumenterad: ange datum och plats eller kanal.")]
    return []


def start_date_reached(dialogue: Dialogue) -> list[str]:
    """Participation opens on the decided date, unless an official overrides it with a reason."""
    if dialogue.starts_on and dialogue.starts_on > timezone.localdate():
        return [
            _("Dialogen ska enligt beslutet öppna %(date)s.")
            % {"date": date_format(dialogue.starts_on, "DATE_FORMAT")}
        ]
    return []


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "start_assessment", gettext_lazy("Påbörja lämplighetsprövning"), (S.IDEA,), S.ASSESSMENT
        ),
        Transition(
            "reject",
            gettext_lazy("Ingen dialog – gå till information"),
            (S.ASSESSMENT, S.APPROVED, S.PLANNING),
            S.REJECTED,
            (assessment_says_no_or_refused,),
        ),
        Transition(
            "approve_for_planning",
            gettext_lazy("Godkänn för planering"),
            (S.ASSESSMENT,),
            S.APPROVED,
            (
                assessment_says_yes,
                _decision_guard(Gate.INVESTIGATE),
                _checklist_guard(Gate.INVESTIGATE),
            ),
        ),
        Transition(
            "start_planning",
            gettext_lazy("Starta planering"),
            (S.APPROVED,),
            S.PLANNING,
            (team_named,),
        ),
        Transition(
            "decide_to_conduct",
            gettext_lazy("Registrera beslut om genomförande"),
            (S.PLANNING,),
            S.DECIDED_TO_CONDUCT,
            (plan_complete, _checklist_guard(Gate.CONDUCT), _decision_guard(Gate.CONDUCT)),
        ),
        Transition(
            "announce",
            gettext_lazy("Annonsera dialogen"),
            (S.DECIDED_TO_CONDUCT,),
            S.ANNOUNCED,
            (invitation_complete, _reach_rule(PolicyProfile.ReachRule.REFUSE)),
            overridable=(_reach_rule(PolicyProfile.ReachRule.WARN),),
        ),
        Transition(
            "replan",
            gettext_lazy("Ändra det beslutade – tillbaka till planering"),
            REPLAN_SOURCES,
            S.PLANNING,
            needs_reason=True,
        ),
        Transition(
            "open",
            gettext_lazy("Öppna för deltagande"),
            (S.ANNOUNCED,),
            S.OPEN,
            overridable=(start_date_reached,),
        ),
        Transition(
            "close_participation", gettext_lazy("Stäng deltagandet"), (S.OPEN,), S.COMPILING
        ),
        Transition(
            "start_feedback",
            gettext_lazy("Sammanställningen är klar – återkoppla"),
            (S.COMPILING,),
            S.FEEDBACK,
        ),
        Transition(
            "record_final_decision",
            gettext_lazy("Registrera beslutet i sakfrågan"),
            (S.FEEDBACK,),
            S.DECIDED,
            (final_decision_recorded,),
        ),
        Transition("evaluate", gettext_lazy("Markera som utvärderad"), (S.DECIDED,), S.EVALUATED),
        Transition(
            "cancel",
            gettext_lazy("Avbryt dialogen"),
            (S.APPROVED, S.PLANNING, S.DECIDED_TO_CONDUCT, S.ANNOUNCED, S.OPEN),
            S.CANCELLED,
            needs_reason=True,
        ),
        Transition(
            "archive",
            gettext_lazy("Arkivera"),
            (S.EVALUATED, S.REJECTED, S.CANCELLED),
            S.ARCHIVED,
            (information_effort_done,),
        ),
    ]
}


# The two ways out that leave the main path (the steps residents see skip them).
OFF_THE_PATH = (S.REJECTED, S.CANCELLED)


def ended_as(dialogue: Dialogue) -> str:
    """How a dialogue ended, read from its history: rejected, cancelled or carried out."""
    if dialogue.status in OFF_THE_PATH:
        return dialogue.status
    if dialogue.status != S.ARCHIVED:
        return ""
    for to_status in dialogue.events.order_by("-at", "-id").values_list("to_status", flat=True):
        if to_status in OFF_THE_PATH:
            return to_status
    return S.DECIDED


def transition_blockers(dialogue: Dialogue, name: str) -> list[str]:
    """What stops this transition now; empty when it may happen."""
    transition = TRANSITIONS[name]
    if dialogue.status not in transition.source:
        return [
            _("Dialogen har status ”%(status)s”. Steget ”%(action)s” går inte att ta därifrån.")
            % {
                "status": DialogueStatus(dialogue.status).label,
                "action": str(transition.label),
            }
        ]
    missing: list[str] = []
    for guard in (*transition.guards, *_extra_checks.get(name, [])):
        missing.extend(guard(dialogue))
    return missing


def overridable_blockers(dialogue: Dialogue, name: str) -> list[str]:
    """What an official may override for this transition, with a reason."""
    return [m for guard in TRANSITIONS[name].overridable for m in guard(dialogue)]


def available_transitions(dialogue: Dialogue, user: Any = None) -> list[Transition]:
    """The steps out of the dialogue's state; with `user`, only those they may take."""
    return [
        t
        for t in TRANSITIONS.values()
        if dialogue.status in t.source and (user is None or user.has_perm(t.permission, dialogue))
    ]


def _register_checklist_guards() -> None:
    """The planning gates carry their checklist guard in TRANSITIONS; add the others."""
    for checkpoint, name in checklist.CHECKLIST_BLOCKS.items():
        guard = _checklist_guard(checkpoint)
        if guard not in TRANSITIONS[name].guards:
            register_gate_check(name, guard)


_register_checklist_guards()
