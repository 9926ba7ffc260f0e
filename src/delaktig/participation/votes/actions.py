"""Writes for votes: typed, keyword-only, atomic; one verified person, one vote."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.participation import eligibility
from delaktig.participation.actions import record_with_contribution
from delaktig.participation.models import Activity, ContributionKind, Method
from delaktig.participation.votes.models import Option, Vote, VoteBallot, VoteType


@transaction.atomic
def create_vote(
    *,
    activity: Activity,
    by: Any,
    question: str,
    vote_type: str = VoteType.SINGLE,
    options: list[str] | None = None,
    use_alternatives: bool = False,
    max_choices: int | None = None,
) -> Vote:
    if activity.method != Method.VOTE:
        raise DomainError(_("Aktiviteten är inte en omröstning."))
    vote = Vote.objects.create(
        activity=activity, question=question, vote_type=vote_type, max_choices=max_choices
    )
    order = 0
    if use_alternatives:
        for alt in activity.dialogue.alternatives.all():
            Option.objects.create(
                vote=vote,
                title=alt.title,
                description=alt.description,
                alternative=alt,
                order=order,
            )
            order += 1
    for title in options or []:
        Option.objects.create(vote=vote, title=title, order=order)
        order += 1
    if order < 2:
        raise DomainError(_("En omröstning behöver minst två alternativ."))
    record_audit(actor=by, action="vote.created", obj=vote, summary=question)
    return vote


def validate(vote: Vote, choices: list[int]) -> list[int]:
    valid = {option.pk for option in vote.options.all()}  # read with the vote when cached
    if not choices:
        raise DomainError(_("Välj minst ett alternativ."))
    if any(c not in valid for c in choices):
        raise DomainError(_("Ett valt alternativ finns inte i omröstningen."))
    if len(set(choices)) != len(choices):
        raise DomainError(_("Samma alternativ får bara väljas en gång."))
    if vote.vote_type == VoteType.SINGLE and len(choices) != 1:
        raise DomainError(_("Välj exakt ett alternativ."))
    if vote.max_choices and len(choices) > vote.max_choices:
        raise DomainError(_("Du kan välja högst %(n)s alternativ.") % {"n": vote.max_choices})
    return choices


def cast_vote(
    *,
    vote: Vote,
    user: Any,
    participant_key: str,
    choices: list[int],
    school: dict[str, Any] | None = None,
) -> VoteBallot:
    """Exactly one ballot per verified person, also under parallel requests. Sending the
    same ballot again returns the one already counted."""
    activity = vote.activity
    eligibility.check(user, activity, school=school)
    choices = validate(vote, choices)
    # The ballot and its contribution together: a second ballot from the same
    # person breaks the unique constraint and nothing of it is kept.
    try:
        ballot = record_with_contribution(
            source=VoteBallot(
                vote=vote, participant_key=participant_key, voter=user, choices=choices
            ),
            activity=activity,
            kind=ContributionKind.VOTE,
            data={"vote": vote.pk, "choices": choices},
            author=user,
            participant_key=participant_key,
        )
    except IntegrityError:
        # The same ballot sent again (a reply lost on the way, a double click) is the vote
        # already counted: answered as a success, counted once. Other choices are refused.
        existing = VoteBallot.objects.filter(vote=vote, participant_key=participant_key).first()
        if existing is not None and existing.choices == choices:
            return existing
        raise DomainError(
            _("Du har redan röstat. Varje person kan rösta en gång."), code="duplicate"
        ) from None
    return ballot
