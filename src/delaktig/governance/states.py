"""The dialogue's states and what each one allows: the one declaration every app asks.

Each state names its features (in the spirit of adhocracy4's phase features): whether the
plan may be edited, activities added, residents take part, meetings take registrations,
the compilation or the feedback be written, and so on. Apps ask `allows(dialogue, F.X)`
or filter with `states_with(F.X)`; none keeps a list of status strings of its own.

This module sits below `governance.models` (which re-exports `DialogueStatus`) rather than
in `governance.lifecycle`, because the dialogue's own querysets ask it and the lifecycle
imports the models: the transitions stay in `lifecycle`, the states and their features here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class DialogueStatus(models.TextChoices):
    IDEA = "idea", _("Idé")
    ASSESSMENT = "assessment", _("Lämplighetsprövning")
    REJECTED = "rejected", _("Ingen dialog – information")
    APPROVED = "approved", _("Godkänd för planering")
    PLANNING = "planning", _("Planering")
    DECIDED_TO_CONDUCT = "decided_to_conduct", _("Beslut om genomförande")
    ANNOUNCED = "announced", _("Utannonserad")
    OPEN = "open", _("Pågår")
    COMPILING = "compiling", _("Sammanställning")
    FEEDBACK = "feedback", _("Återkoppling")
    DECIDED = "decided", _("Beslutad")
    EVALUATED = "evaluated", _("Utvärderad")
    CANCELLED = "cancelled", _("Avbruten")
    ARCHIVED = "archived", _("Arkiverad")


class Feature(StrEnum):
    """What a state allows. Each member says who relies on it."""

    # Shown in the public register and on public pages (not while the idea is prepared).
    PUBLIC = "public"
    # The plan form may be saved (what the conduct decision fixed stays frozen).
    PLAN_EDITABLE = "plan_editable"
    # The elected have decided to conduct: FROZEN_AFTER_CONDUCT fields are locked.
    PLAN_DECIDED = "plan_decided"
    # An official may add a method at a time and place.
    ACTIVITIES_ADDABLE = "activities_addable"
    # Residents may register for a meeting before it takes place.
    REGISTRATION_OPEN = "registration_open"
    # Residents may contribute (each activity's own window applies within it).
    PARTICIPATION_OPEN = "participation_open"
    # Officials may hand out school codes for a class.
    SCHOOL_CODES = "school_codes"
    # The compilation and its themes may be changed, published and unpublished.
    COMPILATION_WRITABLE = "compilation_writable"
    # The decision in brief and how the dialogue influenced it (G12).
    OUTCOME_WRITABLE = "outcome_writable"
    # The matter is decided: the decision in brief and its influence are public (G12).
    OUTCOME_PUBLIC = "outcome_public"
    # The feedback to participants may be written and published (F1, F2).
    FEEDBACK_WRITABLE = "feedback_writable"
    # How each proposal was handled may be accounted for.
    HANDLING_WRITABLE = "handling_writable"
    # Feedback is still owed: reminders run and overdue is shown.
    FEEDBACK_OWED = "feedback_owed"
    # Participants may evaluate the dialogue.
    PARTICIPANT_EVALUATION_OPEN = "participant_evaluation_open"
    # The organisers may evaluate the dialogue (E1).
    ORGANISER_EVALUATION_OPEN = "organiser_evaluation_open"
    # Counted as held in the yearly follow-up (E2, E3) once its dates fall in the year.
    HELD = "held"
    # Participation is over: the retention period of personal data runs (gallring).
    RETENTION_RUNS = "retention_runs"
    # Participation ended as planned: a vote's result is final and may be shown.
    RESULTS_FINAL = "results_final"


class PublicPhase(models.TextChoices):
    """The few phases residents see instead of the internal workflow states."""

    RECEIVED = "bedoms", _("Förslaget bedöms")
    PLANNED = "planeras", _("Planeras")
    ONGOING = "pagar", _("Pågår")
    COMPILING = "sammanstalls", _("Sammanställs")
    FEEDBACK = "aterkoppling", _("Återkoppling")
    DECIDED = "beslutad", _("Beslutad")
    ENDED = "avslutad", _("Avslutad")
    NO_DIALOGUE = "ingen_dialog", _("Ingen dialog")
    CANCELLED = "avbruten", _("Avbruten")


S, F = DialogueStatus, Feature

# Decided and evaluated allow the same: the record is kept up to date after the decision.
STATE_DECIDED = frozenset(
    {
        F.PUBLIC,
        F.PLAN_DECIDED,
        F.FEEDBACK_WRITABLE,
        F.HANDLING_WRITABLE,
        F.PARTICIPANT_EVALUATION_OPEN,
        F.ORGANISER_EVALUATION_OPEN,
        F.HELD,
        F.RETENTION_RUNS,
        F.RESULTS_FINAL,
        F.OUTCOME_PUBLIC,
    }
)

STATE_FEATURES: dict[str, frozenset[Feature]] = {
    S.IDEA: frozenset({F.PLAN_EDITABLE}),
    S.ASSESSMENT: frozenset({F.PLAN_EDITABLE}),
    S.APPROVED: frozenset({F.PUBLIC, F.PLAN_EDITABLE, F.ACTIVITIES_ADDABLE}),
    S.PLANNING: frozenset({F.PUBLIC, F.PLAN_EDITABLE, F.ACTIVITIES_ADDABLE}),
    S.DECIDED_TO_CONDUCT: frozenset(
        {F.PUBLIC, F.PLAN_EDITABLE, F.PLAN_DECIDED, F.ACTIVITIES_ADDABLE}
    ),
    S.ANNOUNCED: frozenset(
        {
            F.PUBLIC,
            F.PLAN_EDITABLE,
            F.PLAN_DECIDED,
            F.ACTIVITIES_ADDABLE,
            F.REGISTRATION_OPEN,
            F.SCHOOL_CODES,
            F.FEEDBACK_OWED,
            F.HELD,
        }
    ),
    S.OPEN: frozenset(
        {
            F.PUBLIC,
            F.PLAN_DECIDED,
            F.ACTIVITIES_ADDABLE,
            F.REGISTRATION_OPEN,
            F.PARTICIPATION_OPEN,
            F.SCHOOL_CODES,
            F.FEEDBACK_OWED,
            F.HELD,
        }
    ),
    S.COMPILING: frozenset(
        {
            F.PUBLIC,
            F.PLAN_DECIDED,
            F.COMPILATION_WRITABLE,
            F.OUTCOME_WRITABLE,
            F.FEEDBACK_WRITABLE,
            F.FEEDBACK_OWED,
            F.PARTICIPANT_EVALUATION_OPEN,
            F.HELD,
            F.RETENTION_RUNS,
            F.RESULTS_FINAL,
        }
    ),
    S.FEEDBACK: frozenset(
        {
            F.PUBLIC,
            F.PLAN_DECIDED,
            F.OUTCOME_WRITABLE,
            F.FEEDBACK_WRITABLE,
            F.HANDLING_WRITABLE,
            F.FEEDBACK_OWED,
            F.PARTICIPANT_EVALUATION_OPEN,
            F.ORGANISER_EVALUATION_OPEN,
            F.HELD,
            F.RETENTION_RUNS,
            F.RESULTS_FINAL,
        }
    ),
    S.DECIDED: STATE_DECIDED,
    S.EVALUATED: STATE_DECIDED,
    S.ARCHIVED: frozenset(
        {F.PUBLIC, F.HANDLING_WRITABLE, F.HELD, F.RETENTION_RUNS, F.RESULTS_FINAL, F.OUTCOME_PUBLIC}
    ),
    S.REJECTED: frozenset({F.PUBLIC, F.RETENTION_RUNS}),
    S.CANCELLED: frozenset({F.PUBLIC, F.RETENTION_RUNS}),
}

# What residents see for each state. The first two are seen only by the proposer: whether
# a dialogue is public is its state's `Feature.PUBLIC`, not its phase.
PUBLIC_PHASE: dict[str, str] = {
    S.IDEA: PublicPhase.RECEIVED,
    S.ASSESSMENT: PublicPhase.RECEIVED,
    S.APPROVED: PublicPhase.PLANNED,
    S.PLANNING: PublicPhase.PLANNED,
    S.DECIDED_TO_CONDUCT: PublicPhase.PLANNED,
    S.ANNOUNCED: PublicPhase.PLANNED,
    S.OPEN: PublicPhase.ONGOING,
    S.COMPILING: PublicPhase.COMPILING,
    S.FEEDBACK: PublicPhase.FEEDBACK,
    S.DECIDED: PublicPhase.DECIDED,
    S.EVALUATED: PublicPhase.DECIDED,
    S.ARCHIVED: PublicPhase.ENDED,
    S.REJECTED: PublicPhase.NO_DIALOGUE,
    S.CANCELLED: PublicPhase.CANCELLED,
}


# The steps a dialogue's public page shows, in order (the NO and a cancellation are told
# on the page in words instead).
PUBLIC_PATH = (
    PublicPhase.PLANNED,
    PublicPhase.ONGOING,
    PublicPhase.COMPILING,
    PublicPhase.FEEDBACK,
    PublicPhase.DECIDED,
    PublicPhase.ENDED,
)


def _status(dialogue_or_status: Any) -> str:
    return str(getattr(dialogue_or_status, "status", dialogue_or_status))


def allows(dialogue_or_status: Any, feature: Feature) -> bool:
    """Whether the dialogue's state (or the given status) has this feature."""
    return feature in STATE_FEATURES[_status(dialogue_or_status)]


def states_with(feature: Feature) -> tuple[str, ...]:
    """The states that have this feature, in lifecycle order (for `status__in=`)."""
    return tuple(s for s in DialogueStatus.values if feature in STATE_FEATURES[s])


def public_phase(dialogue_or_status: Any) -> str:
    return PUBLIC_PHASE[_status(dialogue_or_status)]


def public_phase_label(dialogue_or_status: Any) -> str:
    """The phase in words for residents ("Pågår"), in the active language."""
    return str(PublicPhase(public_phase(dialogue_or_status)).label)


def states_in_phase(phase: str) -> tuple[str, ...]:
    return tuple(s for s in DialogueStatus.values if PUBLIC_PHASE[s] == phase)


# The public register's and the API's coarse groups, each a set of phases.
PHASE_GROUPS: dict[str, tuple[str, ...]] = {
    "planned": (PublicPhase.PLANNED,),
    "open": (PublicPhase.ONGOING,),
    "closed": (PublicPhase.COMPILING, PublicPhase.FEEDBACK, PublicPhase.DECIDED, PublicPhase.ENDED),
    "no_dialogue": (PublicPhase.NO_DIALOGUE,),
    "cancelled": (PublicPhase.CANCELLED,),
}


def states_in_group(group: str) -> tuple[str, ...]:
    phases = PHASE_GROUPS[group]
    return tuple(s for s in DialogueStatus.values if PUBLIC_PHASE[s] in phases)
