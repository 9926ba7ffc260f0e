"""Writes for ideas and e-proposals. Each input also becomes a Contribution."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.accounts.actions import notify_user
from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.permissions import require
from delaktig.participation import eligibility
from delaktig.participation.actions import record_contribution, record_with_contribution
from delaktig.participation.models import (
    Activity,
    Channel,
    Contribution,
    ContributionKind,
    ContributionStatus,
    Method,
)

from .models import Idea, IdeaComment, IdeaSupport


def _public_name(user: Any, given: str = "") -> str:
    if given:
        return given
    if getattr(user, "is_authenticated", False):
        return user.public_name
    return ""


def _sync_contribution(obj: Any, *, status: str, reason: str) -> None:
    Contribution.objects.filter(source_type=obj._meta.label, source_id=str(obj.pk)).update(
        status=status, moderation_reason=reason
    )


@transaction.atomic
def submit_idea(
    *,
    activity: Activity,
    user: Any,
    participant_key: str,
    title: str,
    text: str,
    category: str = "",
    submission_key: str | None = None,
    school: dict[str, Any] | None = None,
) -> Idea:
    """A resident submits an idea or an e-proposal. Repeating the same submission is a no-op."""
    if submission_key:
        existing = Idea.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    eligibility.check(user, activity, school=school)
    idea = Idea(
        activity=activity,
        title=title,
        text=text,
        category=category,
        author=user if getattr(user, "is_authenticated", False) else None,
        author_name=_public_name(user),
        participant_key=participant_key,
        submission_key=submission_key or None,
    )
    if activity.method == Method.E_PROPOSAL:
        municipality = activity.dialogue.municipality
        idea.support_threshold = municipality.proposal_support_threshold
        idea.support_deadline = idea.created_at + datetime.timedelta(
            days=municipality.proposal_support_days
        )
    idea.save()
    record_contribution(
        activity=activity,
        kind=ContributionKind.IDEA,
        text=f"{title}\n\n{text}",
        data={"title": title, "category": category},
        author=user,
        participant_key=participant_key,
        source=idea,
    )
    return idea


@transaction.atomic
def enter_idea_on_paper(
    *,
    activity: Activity,
    official: Any,
    title: str,
    text: str,
    category: str = "",
    channel: str = Channel.PAPER,
    author_name: str = "",
) -> Idea:
    """An official enters an idea that came in on paper or at a meeting (C2, C3)."""
    require(official, "ideas.manage_activity", activity)
    idea = Idea.objects.create(
        activity=activity,
        title=title,
        text=text,
        category=category,
        author_name=author_name,
        channel=channel,
        entered_by=official,
    )
    record_contribution(
        activity=activity,
        kind=ContributionKind.IDEA,
        text=f"{title}\n\n{text}",
        data={"title": title, "category": category},
        channel=channel,
        entered_by=official,
        source=idea,
    )
    return idea


@transaction.atomic
def comment_on_idea(
    *,
    idea: Idea,
    user: Any,
    participant_key: str,
    text: str,
    submission_key: str | None = None,
    school: dict[str, Any] | None = None,
) -> IdeaComment:
    if submission_key:
        existing = IdeaComment.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    eligibility.check(user, idea.activity, school=school)
    if idea.is_hidden:
        raise DomainError(_("Idén är dold och kan inte kommenteras."))
    comment = IdeaComment.objects.create(
        idea=idea,
        text=text,
        author=user if getattr(user, "is_authenticated", False) else None,
        author_name=_public_name(user),
        participant_key=participant_key,
        submission_key=submission_key or None,
    )
    record_contribution(
        activity=idea.activity,
        kind=ContributionKind.COMMENT,
        text=text,
        data={"idea_id": idea.pk},
        author=user,
        participant_key=participant_key,
        source=comment,
    )
    return comment


def support_idea(
    *, idea: Idea, user: Any, participant_key: str, school: dict[str, Any] | None = None
) -> IdeaSupport:
    """Support an idea once. A second support by the same participant is the first one
    (not counted again).

    On an e-proposal the support counts toward the threshold only from a person at the
    deciding level (`eligibility.counts_toward_threshold`); anyone else's is interest.
    A person who supported as interest and has verified their account since is counted
    when they support again (same account, same participant key).
    """
    eligibility.check(user, idea.activity, school=school)
    if idea.is_hidden:
        raise DomainError(_("Idén är dold och kan inte få stöd."))
    if idea.is_proposal and idea.support_expired:
        raise DomainError(_("Tiden för att samla stöd för förslaget har gått ut."), code="expired")
    if not participant_key:
        raise DomainError(_("Vi kunde inte känna igen dig. Försök igen."))
    # An idea has no threshold: its supports are all alike and none needs the check.
    counts = (
        idea.is_proposal
        and school is None
        and eligibility.counts_toward_threshold(user, idea.activity)
    )
    try:
        # A proposal's threshold is set in the same transaction as the support that
        # reached it.
        with transaction.atomic():
            support = record_with_contribution(
                source=IdeaSupport(
                    idea=idea,
                    participant_key=participant_key,
                    user=user if getattr(user, "is_authenticated", False) else None,
                    counts=counts,
                ),
                activity=idea.activity,
                kind=ContributionKind.SUPPORT,
                data={"idea_id": idea.pk},
                author=user,
                participant_key=participant_key,
            )
            if counts:
                _mark_threshold(idea)
    except IntegrityError:
        # Supported already (a double click, a resend after a lost reply): the support
        # already counted is the answer, counted once.
        existing = IdeaSupport.objects.filter(idea=idea, participant_key=participant_key).first()
        if existing is None:
            raise DomainError(_("Du har redan stött den här idén."), code="duplicate") from None
        if counts and not existing.counts:
            with transaction.atomic():
                IdeaSupport.objects.filter(pk=existing.pk).update(counts=True)
                existing.counts = True
                _mark_threshold(idea)
        return existing
    return support


def _mark_threshold(idea: Idea) -> None:
    """Record the moment a proposal's counted supports reach its threshold, once."""
    if not idea.is_proposal or idea.threshold_reached_at is not None:
        return
    count = IdeaSupport.objects.filter(idea=idea, counts=True).count()
    if count < (idea.support_threshold or 0):
        return
    reached = Idea.objects.filter(pk=idea.pk, threshold_reached_at__isnull=True).update(
        threshold_reached_at=timezone.now()
    )
    if reached:
        _tell_author(
            idea,
            "threshold_reached",
            _("Ditt förslag ”%(title)s” har fått tillräckligt stöd.") % {"title": idea.title},
        )


@transaction.atomic
def moderate_idea(*, idea: Idea, official: Any, hide: bool, reason: str) -> Idea:
    require(official, "ideas.manage_activity", idea.activity)
    if not reason.strip():
        raise DomainError(_("Skriv ett skäl. Skälet visas för den som skrev idén."))
    idea.status = ContributionStatus.HIDDEN if hide else ContributionStatus.PUBLISHED
    idea.moderation_reason = reason
    idea.save(update_fields=["status", "moderation_reason"])
    _sync_contribution(idea, status=idea.status, reason=reason)
    record_audit(
        actor=official,
        action="ideas.idea_hidden" if hide else "ideas.idea_restored",
        obj=idea,
        summary=f"{idea.title}: {reason}",
        data={"reason": reason},
    )
    return idea


@transaction.atomic
def moderate_comment(*, comment: IdeaComment, official: Any, hide: bool, reason: str) -> None:
    require(official, "ideas.manage_activity", comment.idea.activity)
    if not reason.strip():
        raise DomainError(_("Skriv ett skäl. Skälet visas för den som skrev kommentaren."))
    comment.status = ContributionStatus.HIDDEN if hide else ContributionStatus.PUBLISHED
    comment.moderation_reason = reason
    comment.save(update_fields=["status", "moderation_reason"])
    _sync_contribution(comment, status=comment.status, reason=reason)
    record_audit(
        actor=official,
        action="ideas.comment_hidden" if hide else "ideas.comment_restored",
        obj=comment,
        summary=reason,
        data={"reason": reason, "idea_id": comment.idea_id},
    )


def _tell_author(idea: Idea, kind: str, text: str) -> None:
    """A notice on the author's page, if they wrote the idea signed in (F2)."""
    notify_user(
        user=idea.author,
        kind=kind,
        dialogue=idea.activity.dialogue,
        text=text,
        link=reverse("ideas:idea", args=[idea.pk]),
        key=f"idea:{idea.pk}",
    )


@transaction.atomic
def answer_idea(*, idea: Idea, official: Any, answer: str) -> Idea:
    """The municipality's official answer to an idea or e-proposal (audited)."""
    require(official, "ideas.manage_activity", idea.activity)
    if not answer.strip():
        raise DomainError(_("Skriv ett svar."))
    previous = idea.answer
    idea.answer = answer
    idea.answered_by = official
    idea.answered_at = timezone.now()
    idea.save(update_fields=["answer", "answered_by", "answered_at"])
    _tell_author(
        idea,
        "idea_answered",
        _("Kommunen har svarat på din idé ”%(title)s”.") % {"title": idea.title},
    )
    record_audit(
        actor=official,
        action="ideas.answered",
        obj=idea,
        summary=idea.title,
        data={"answer": answer, "previous": previous},
    )
    return idea
