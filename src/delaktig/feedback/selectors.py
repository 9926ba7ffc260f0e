"""Reads: who receives the feedback, and where each dialogue stands with its feedback date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from delaktig.accounts.models import Notification
from delaktig.core.mail import address_digest
from delaktig.core.models import MailStop
from delaktig.feedback.models import (
    MAX_DELIVERY_ATTEMPTS,
    ContactGiver,
    Feedback,
    FeedbackContact,
    FeedbackDelivery,
    FeedbackStatus,
    Follower,
    ProposalHandling,
)
from delaktig.governance.models import Dialogue
from delaktig.governance.states import Feature, allows, states_with
from delaktig.participation.models import Contribution


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


def account_mail_stream(dialogue_id: int) -> str:
    """The mail stream of one dialogue's feedback, for a stop asked for before it comes."""
    return f"feedback:{dialogue_id}"


def awaited_by_account(user: Any) -> list[dict[str, Any]]:
    """The dialogues a signed-in person took part in whose feedback has not come yet, and
    whether it will be mailed to the account's address (they may say no beforehand)."""
    if not user.email:
        return []
    from delaktig.participation.meetings.models import Registration, RegistrationStatus

    authored = Contribution.objects.filter(author=user, entered_by__isnull=True).values(
        "dialogue_id"
    )
    registered = (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values("meeting__activity__dialogue_id")
    )
    dialogues = (
        Dialogue.objects.filter(Q(pk__in=authored) | Q(pk__in=registered))
        .exclude(feedback__status=FeedbackStatus.PUBLISHED)
        .order_by("title")
    )
    digest = address_digest(user.email)
    stopped = set(
        MailStop.objects.filter(address_digest=digest, stream__startswith="feedback:").values_list(
            "stream", flat=True
        )
    )
    return [{"dialogue": d, "mailed": account_mail_stream(d.pk) not in stopped} for d in dialogues]


def participant_accounts(dialogue: Dialogue) -> QuerySet[Any]:
    """Everyone who took part signed in: a contribution of theirs or a meeting registration."""
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
    # The user model by the setting, as Django advises: feedback does not import accounts.
    return get_user_model().objects.filter(
        Q(pk__in=authors) | Q(pk__in=registrants), is_active=True
    )


def feedback_recipients(dialogue: Dialogue) -> list[Recipient]:
    """Every address that may get this dialogue's feedback, each once, least data first:

    signed-in participants through their account, addresses given for the feedback
    (`FeedbackContact`), meeting registrants, the proposer of the dialogue and followers.
    An address that stopped feedback mail for the dialogue is left out.
    """
    from delaktig.governance.models import Initiative
    from delaktig.participation.meetings.models import Registration, RegistrationStatus

    stopped = _unsubscribed(dialogue)
    # Addresses that said no in advance (a signed-in participant on "Mina uppgifter").
    said_no = set(
        MailStop.objects.filter(stream=account_mail_stream(dialogue.pk)).values_list(
            "address_digest", flat=True
        )
    )
    seen: dict[str, Recipient] = {}

    def add(email: str, language: str, source: str) -> None:
        key = (email or "").strip().lower()
        if not key or "@" not in key or key in seen or key in stopped:
            return
        if said_no and address_digest(key) in said_no:
            return
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
    """How far the feedback reached the dialogue's participants (F2), counted per person.

    `reached + with_contact + no_contact == participants`: a person reached both by the
    account and by an address they gave counts once, and so does one who gave the same
    address in several methods.
    """

    participants: int
    reached: int  # got the e-mail or a notice on "Mina uppgifter"
    with_contact: int  # left a way to reach them, not reached yet (mail pending or failed)
    no_contact: int  # left no way to reach them: the public page and the body's report
    failed: int  # e-mails that could not be delivered after every attempt
    pending: int  # e-mails not sent yet (being sent or retried)


# A way to reach one person: an e-mail address or a signed-in account.
type Way = tuple[str, str | int]


def feedback_reach(dialogue: Dialogue) -> Reach:
    """Reach per participant, with the people `results.selectors.participants` counts:
    a participant key, a contribution without one (typed in from paper), or one of a
    meeting's recorded attendance. Each is linked to their ways: the account of their
    key, the addresses they gave (`ContactGiver`) and their meeting registration."""
    from delaktig.participation.meetings.models import (
        Meeting,
        Registration,
        RegistrationStatus,
    )
    from delaktig.results.selectors import counted_contributions, keyless_participants

    counted = counted_contributions([dialogue.pk])
    deliveries = FeedbackDelivery.objects.filter(feedback__dialogue=dialogue)
    sent = {
        e.lower() for e in deliveries.filter(sent_at__isnull=False).values_list("email", flat=True)
    }
    live = {
        e.lower()
        for e in deliveries.filter(unsubscribed_at__isnull=True).values_list("email", flat=True)
    }
    noticed = set(
        Notification.objects.filter(
            dialogue=dialogue, kind=Notification.Kind.FEEDBACK_PUBLISHED
        ).values_list("user_id", flat=True)
    )

    def state(ways: set[Way]) -> str:
        if any(
            (kind == "email" and v in sent) or (kind == "user" and v in noticed) for kind, v in ways
        ):
            return "reached"
        if any(kind == "email" and v in live for kind, v in ways):
            return "with_contact"
        return "no_contact"

    keyed: dict[str, set[Way]] = {
        k: set()
        for k in counted.exclude(participant_key="").values_list("participant_key", flat=True)
    }
    # The account of a signed-in participant's key (not input an official entered for them).
    for key, user_id, email in (
        counted.exclude(participant_key="")
        .filter(author__isnull=False, entered_by__isnull=True)
        .values_list("participant_key", "author_id", "author__email")
    ):
        keyed[key].add(("user", user_id))
        if email:
            keyed[key].add(("email", email.lower()))
    keyless: dict[int, set[Way]] = {
        pk: set() for pk in keyless_participants(counted).values_list("pk", flat=True)
    }
    meetings = dict(
        Meeting.objects.filter(
            activity__dialogue=dialogue, attendance__isnull=False, cancelled_at__isnull=True
        ).values_list("pk", "attendance")
    )
    at_meeting: dict[int, list[set[Way]]] = {pk: [] for pk in meetings}

    def way_of(email: str, user_id: int | None = None) -> set[Way]:
        ways: set[Way] = {("email", email.lower())} if email else set()
        return ways | ({("user", user_id)} if user_id else set())

    for key, contribution_id, meeting_id, email in ContactGiver.objects.filter(
        contact__dialogue=dialogue
    ).values_list("participant_key", "contribution_id", "meeting_id", "contact__email"):
        if key in keyed:
            keyed[key] |= way_of(email)
        elif contribution_id in keyless:
            keyless[contribution_id] |= way_of(email)
        elif meeting_id in at_meeting:
            at_meeting[meeting_id].append(way_of(email))
    for key, meeting_id, email, user_id in (
        Registration.objects.filter(meeting__activity__dialogue=dialogue)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("participant_key", "meeting_id", "email", "user_id")
    ):
        if key in keyed:
            keyed[key] |= way_of(email, user_id)
        elif meeting_id in at_meeting:
            at_meeting[meeting_id].append(way_of(email, user_id))

    counts = {"reached": 0, "with_contact": 0, "no_contact": 0}
    for ways in [*keyed.values(), *keyless.values()]:
        counts[state(ways)] += 1
    for meeting_id, recorded in meetings.items():
        attendance = recorded or 0
        # Those who gave a way are some of the attendance, never more than it.
        states = sorted(
            (state(w) for w in at_meeting[meeting_id]),
            key=("reached", "with_contact", "no_contact").index,
        )[:attendance]
        for one in states:
            counts[one] += 1
        counts["no_contact"] += attendance - len(states)
    failed = deliveries.filter(sent_at__isnull=True, attempts__gte=MAX_DELIVERY_ATTEMPTS).count()
    pending = deliveries.filter(
        sent_at__isnull=True, unsubscribed_at__isnull=True, attempts__lt=MAX_DELIVERY_ATTEMPTS
    ).count()
    return Reach(
        participants=sum(counts.values()),
        reached=counts["reached"],
        with_contact=counts["with_contact"],
        no_contact=counts["no_contact"],
        failed=failed,
        pending=pending,
    )


def contacts_of(user: Any) -> list[FeedbackContact]:
    """The opt-ins a signed-in resident made with their verified address, newest first."""
    if not getattr(user, "email", "") or not getattr(user, "email_verified_at", None):
        return []
    return list(
        FeedbackContact.objects.filter(email__iexact=user.email)
        .select_related("dialogue")
        .order_by("-consented_at", "-pk")
    )


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
