"""Reads: who receives the feedback, and where each dialogue stands with its feedback date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from delaktig.feedback.models import (
    Feedback,
    FeedbackDelivery,
    FeedbackStatus,
    Follower,
    ProposalHandling,
)
from delaktig.governance.models import Dialogue, DialogueStatus
from delaktig.participation.models import Contribution

# While a dialogue is in these states, its feedback is still owed.
FEEDBACK_OWED = (
    DialogueStatus.ANNOUNCED,
    DialogueStatus.OPEN,
    DialogueStatus.COMPILING,
    DialogueStatus.FEEDBACK,
)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    source: str


def feedback_recipients(dialogue: Dialogue) -> list[Recipient]:
    """Everyone who left contact details: contributors with an email, then followers.

    Contributors are found through `Contribution.author` (an account with an email) and
    `Contribution.data["contact_email"]` (methods that ask anonymous participants for an
    address store it there, with `data["language"]`). Each address appears once.
    """
    seen: dict[str, Recipient] = {}

    def add(email: str, language: str, source: str) -> None:
        key = (email or "").strip().lower()
        if key and "@" in key and key not in seen:
            seen[key] = Recipient(key, language or "sv", source)

    contributions = Contribution.objects.filter(dialogue=dialogue)
    authors = (
        contributions.filter(author__isnull=False)
        .exclude(author__email="")
        .values_list("author__email", "author__preferred_language")
        .distinct()
        .order_by("author__email")
    )
    for email, language in authors:
        add(email, language, FeedbackDelivery.Source.CONTRIBUTION)
    given = (
        contributions.filter(data__has_key="contact_email")
        .values_list("data", flat=True)
        .order_by("id")
    )
    for data in given:
        if isinstance(data, dict):
            add(str(data.get("contact_email", "")), str(data.get("language", "sv")), "contribution")
    for email, language in (
        Follower.objects.active().filter(dialogue=dialogue).values_list("email", "language")
    ):
        add(email, language, FeedbackDelivery.Source.FOLLOWER)
    return list(seen.values())


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
    if due is None or dialogue.status not in FEEDBACK_OWED:
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
            status__in=FEEDBACK_OWED,
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
