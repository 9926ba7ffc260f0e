"""Reads: who receives the feedback, and where each dialogue stands with its feedback date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from delaktig.feedback.models import (
    MAX_DELIVERY_ATTEMPTS,
    Feedback,
    FeedbackContact,
    FeedbackDelivery,
    FeedbackStatus,
    Follower,
    Notification,
    ProposalHandling,
)
from delaktig.governance.models import Dialogue
from delaktig.governance.states import Feature, allows, states_with
from delaktig.participation.models import Contribution

if TYPE_CHECKING:
    from delaktig.accounts.models import User


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    source: str


def _unsubscribed(dialogue: Dialogue) -> set[str]:
    """Addresses that stopped feedback mail for this dialogue, by any of its links."""
    stopped = set(
        FeedbackDelivery.objects.filter(
            feedback__dialogue=dialogue, unsubscribed_at__isnull=False
        ).values_list("email", flat=True)
    )
    stopped |= set(
        FeedbackContact.objects.filter(
            dialogue=dialogue, unsubscribed_at__isnull=False
        ).values_list("email", flat=True)
    )
    return {e.lower() for e in stopped}


def participant_accounts(dialogue: Dialogue) -> QuerySet[User]:
    """Everyone who took part signed in: a contribution of theirs or a meeting registration."""
    from delaktig.accounts.models import User
    from delaktig.participation.meetings.models import Registration, RegistrationStatus

    # Input an official entered or seeded (a statement to start from) is not their own.
    authors = (
        Contribution.objects.filter(
            dialogue=dialogue, author__isnull=False, entered_by__isnull=True
        )
        .exclude(data__has_key="seed")
        .values("author_id")
    )
    registrants = (
        Registration.objects.filter(meeting__activity__dialogue=dialogue, user__isnull=False)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values("user_id")
    )
    return User.objects.filter(Q(pk__in=authors) | Q(pk__in=registrants), is_active=True)


def feedback_recipients(dialogue: Dialogue) -> list[Recipient]:
    """Every address that may get this dialogue's feedback, each once, least data first:

    signed-in participants through their account, addresses given for the feedback
    (`FeedbackContact`), meeting registrants, the proposer of the dialogue and followers.
    An address that stopped feedback mail for the dialogue is left out.
    """
    from delaktig.governance.models import Initiative
    from delaktig.participation.meetings.models import Registration, RegistrationStatus

    stopped = _unsubscribed(dialogue)
    seen: dict[str, Recipient] = {}

    def add(email: str, language: str, source: str) -> None:
        key = (email or "").strip().lower()
        if key and "@" in key and key not in seen and key not in stopped:
            seen[key] = Recipient(key, language or "sv", source)

    for email, language in (
        participant_accounts(dialogue)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", "preferred_language")
    ):
        add(email, language, FeedbackDelivery.Source.ACCOUNT)
    for email, language in (
        FeedbackContact.objects.filter(dialogue=dialogue, unsubscribed_at__isnull=True)
        .order_by("pk")
        .values_list("email", "language")
    ):
        add(email, language, FeedbackDelivery.Source.OPT_IN)
    for email in (
        Registration.objects.filter(meeting__activity__dialogue=dialogue)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    ):
        add(email, "sv", FeedbackDelivery.Source.MEETING)
    proposer = (
        Initiative.objects.filter(dialogue=dialogue)
        .values_list("proposer_email", flat=True)
        .first()
    )
    add(proposer or "", "sv", FeedbackDelivery.Source.PROPOSER)
    for email, language in (
        Follower.objects.active().filter(dialogue=dialogue).values_list("email", "language")
    ):
        add(email, language, FeedbackDelivery.Source.FOLLOWER)
    return list(seen.values())


@dataclass(frozen=True)
class Reach:
    """How far the feedback reached the dialogue's participants (F2)."""

    participants: int
    reached: int  # participants who got the e-mail or a notice on "Mina uppgifter"
    no_contact: int  # left no way to reach them: the public page and the body's report
    failed: int  # e-mails that could not be delivered after every attempt
    pending: int  # e-mails not sent yet (being sent or retried)


def feedback_reach(dialogue: Dialogue) -> Reach:
    from delaktig.results.selectors import participants

    total = participants([dialogue.pk])[dialogue.pk].total
    deliveries = FeedbackDelivery.objects.filter(feedback__dialogue=dialogue)
    sent = set(deliveries.filter(sent_at__isnull=False).values_list("email", flat=True))
    noticed = Notification.objects.filter(
        dialogue=dialogue, kind=Notification.Kind.FEEDBACK_PUBLISHED
    )
    # A signed-in participant reached both ways counts once.
    notified_only = noticed.exclude(user__email__in=sent).count()
    # Followers and the proposer may not have taken part: only participants' addresses.
    reached_participants = (
        deliveries.filter(sent_at__isnull=False)
        .exclude(source__in=[FeedbackDelivery.Source.FOLLOWER, FeedbackDelivery.Source.PROPOSER])
        .count()
        + notified_only
    )
    failed = deliveries.filter(sent_at__isnull=True, attempts__gte=MAX_DELIVERY_ATTEMPTS).count()
    pending = deliveries.filter(
        sent_at__isnull=True, unsubscribed_at__isnull=True, attempts__lt=MAX_DELIVERY_ATTEMPTS
    ).count()
    return Reach(
        participants=total,
        reached=reached_participants,
        no_contact=max(total - reached_participants, 0),
        failed=failed,
        pending=pending,
    )


def notifications_of(user: Any) -> list[Notification]:
    """The notices on a resident's "Mina uppgifter", newest first."""
    return list(Notification.objects.filter(user=user).select_related("dialogue")[:50])


def published_feedback(dialogue: Dialogue) -> Feedback | None:
    return Feedback.objects.filter(dialogue=dialogue, status=FeedbackStatus.PUBLISHED).first()


def feedback_of(dialogue: Dialogue) -> Feedback | None:
    """Read fresh from the database: a cached reverse relation may predate publishing."""
    return Feedback.objects.filter(dialogue=dialogue).first()


@dataclass(frozen=True)
class DeadlineState:
    """Where a dialogue stands with its feedback date: ok, upcoming (warn) or overdue."""

    state: str  # "none", "published", "ok", "upcoming", "overdue"
    due: datetime.date | None
    days_left: int | None

    @property
    def warn(self) -> bool:
        return self.state == "upcoming"

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"


def deadline_state(dialogue: Dialogue, today: datetime.date | None = None) -> DeadlineState:
    today = today or timezone.localdate()
    due = dialogue.feedback_due
    feedback = feedback_of(dialogue)
    if feedback is not None and feedback.is_published:
        return DeadlineState("published", due, (due - today).days if due else None)
    if due is None or not allows(dialogue, Feature.FEEDBACK_OWED):
        return DeadlineState("none", due, None)
    days = (due - today).days
    if days < 0:
        return DeadlineState("overdue", due, days)
    warning = dialogue.municipality.profile.feedback_warning_days
    if days <= warning:
        return DeadlineState("upcoming", due, days)
    return DeadlineState("ok", due, days)


def feedback_watchlist(municipality: Any, today: datetime.date | None = None) -> dict[str, list]:
    """Dialogues whose feedback is owed soon (warn) or is overdue (escalate)."""
    today = today or timezone.localdate()
    warning = municipality.profile.feedback_warning_days
    qs = (
        Dialogue.objects.filter(
            municipality=municipality,
            status__in=states_with(Feature.FEEDBACK_OWED),
            feedback_due__isnull=False,
            feedback_due__lte=today + datetime.timedelta(days=warning),
        )
        .exclude(feedback__status=FeedbackStatus.PUBLISHED)
        .select_related("owner_body", "municipality__profile")
        .prefetch_related("team__user")
        .order_by("feedback_due", "pk")
    )
    upcoming: list[dict[str, Any]] = []
    overdue: list[dict[str, Any]] = []
    for dialogue in qs:
        row: dict[str, Any] = {
            "dialogue": dialogue,
            "days": (dialogue.feedback_due - today).days,  # type: ignore[operator]
            "days_late": (today - dialogue.feedback_due).days,  # type: ignore[operator]
            "leaders": [m.user for m in dialogue.team.all() if m.role == "process_leader"],
            "owners": [m.user for m in dialogue.team.all() if m.role == "process_owner"],
        }
        (overdue if row["days"] < 0 else upcoming).append(row)
    return {"upcoming": upcoming, "overdue": overdue}


def handlings(dialogue: Dialogue) -> list[ProposalHandling]:
    return list(dialogue.handlings.select_related("alternative").all())  # type: ignore[attr-defined]


def handling_counts(dialogue_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per dialogue: how many themes/proposals were adopted, partly adopted, not adopted."""
    from django.db.models import Count

    rows = (
        ProposalHandling.objects.filter(dialogue_id__in=dialogue_ids)
        .values("dialogue_id", "outcome")
        .annotate(n=Count("id"))
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        result.setdefault(row["dialogue_id"], {})[row["outcome"]] = row["n"]
    return result
