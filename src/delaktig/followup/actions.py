"""Writes in follow-up: typed, keyword-only, atomic, audited."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError, NotAllowed
from delaktig.followup.models import OrganiserEvaluation, ParticipantEvaluation
from delaktig.governance.models import Dialogue
from delaktig.governance.states import Feature, allows
from delaktig.participation.selectors import took_part

NOT_A_PARTICIPANT = gettext_lazy(
    "Utvärderingen är för dig som har deltagit i dialogen. Svara från samma webbläsare "
    "som du deltog från, eller logga in med kontot du deltog med."
)


def _scale(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise DomainError(_("Svara med en siffra från 1 till 5."))
    return number


@transaction.atomic
def submit_participant_evaluation(
    *,
    dialogue: Dialogue,
    participant_key: str,
    question_clear: int,
    understood_influence: int,
    got_feedback: int,
    comment: str = "",
) -> tuple[ParticipantEvaluation, bool]:
    """One anonymous evaluation per participant; a second one returns the first.

    A participant is the key of someone who took part in the dialogue (the same key as
    their contributions: their account, a pupil's code, or the browser they took part
    from). A fresh browser session has a key that never took part, so it cannot add a
    second answer: repeating the evaluation from new sessions counts nothing.
    """
    if not allows(dialogue, Feature.PARTICIPANT_EVALUATION_OPEN):
        raise DomainError(_("Utvärderingen öppnar när deltagandet har stängt."))
    if not participant_key:
        raise DomainError(_("Det gick inte att känna igen din webbläsare. Försök igen."))
    if not took_part(dialogue, participant_key):
        raise DomainError(str(NOT_A_PARTICIPANT), code="not_participant")
    values = {
        "question_clear": _scale(question_clear),
        "understood_influence": _scale(understood_influence),
        "got_feedback": _scale(got_feedback),
        "comment": comment.strip()[:5000],
    }
    existing = ParticipantEvaluation.objects.filter(
        dialogue=dialogue, participant_key=participant_key
    ).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            evaluation = ParticipantEvaluation.objects.create(
                dialogue=dialogue, participant_key=participant_key, **values
            )
    except IntegrityError:
        return (
            ParticipantEvaluation.objects.get(dialogue=dialogue, participant_key=participant_key),
            False,
        )
    return evaluation, True


@transaction.atomic
def save_organiser_evaluation(
    *,
    actor: Any,
    dialogue: Dialogue,
    what_worked: str,
    what_to_improve: str,
    reach: str,
    target_groups_reached: int,
    effects_on_decision: str,
) -> OrganiserEvaluation:
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.has_perm("followup.evaluate_dialogue", dialogue)
    ):
        raise NotAllowed()
    if not allows(dialogue, Feature.ORGANISER_EVALUATION_OPEN):
        raise DomainError(_("Arrangörerna utvärderar dialogen efter att deltagandet har stängt."))
    texts = {
        "what_worked": what_worked.strip(),
        "what_to_improve": what_to_improve.strip(),
        "reach": reach.strip(),
        "effects_on_decision": effects_on_decision.strip(),
    }
    if not all(texts.values()):
        raise DomainError(_("Svara på alla frågor i utvärderingen."))
    groups = dialogue.target_groups.count()
    if target_groups_reached < 0 or target_groups_reached > groups:
        raise DomainError(
            _("Dialogen har %(n)s målgrupper: ange ett tal från 0 till %(n)s.") % {"n": groups}
        )
    evaluation, created = OrganiserEvaluation.objects.update_or_create(
        dialogue=dialogue,
        defaults={**texts, "target_groups_reached": target_groups_reached, "evaluated_by": actor},
    )
    record_audit(
        actor=actor,
        action="evaluation.organiser_saved",
        obj=dialogue,
        summary=_("Arrangörernas utvärdering sparades."),
    )
    return evaluation
