"""Warn before the feedback date and escalate after it (F2: feedback must not be forgotten)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from delaktig.feedback import mail, selectors
from delaktig.feedback.models import FeedbackReminder
from delaktig.organisation.models import Municipality, Role, StaffRole


@dataclass
class ReminderResult:
    upcoming: int = 0
    overdue: int = 0
    emails: int = 0
    skipped: int = 0
    dialogues: list[str] = field(default_factory=list)


def _recipients(municipality: Municipality, row: dict[str, Any]) -> list[Any]:
    """Process leader and owner of the dialogue, and the municipality's dialogue strategists."""
    people = [*row["leaders"], *row["owners"]]
    people += [
        r.user
        for r in StaffRole.objects.filter(
            municipality=municipality, role=Role.STRATEGIST
        ).select_related("user")
    ]
    seen: dict[str, Any] = {}
    for person in people:
        email = (person.email or "").strip().lower()
        if email and email not in seen:
            seen[email] = person
    return list(seen.items())


def send_feedback_reminders(*, municipality: Municipality, today: datetime.date) -> ReminderResult:
    """Mail everyone responsible once per day about upcoming and overdue feedback."""
    result = ReminderResult()
    watch = selectors.feedback_watchlist(municipality, today=today)
    for kind, rows in (("upcoming", watch["upcoming"]), ("overdue", watch["overdue"])):
        for row in rows:
            dialogue = row["dialogue"]
            setattr(result, kind, getattr(result, kind) + 1)
            result.dialogues.append(dialogue.title)
            for email, person in _recipients(municipality, row):
                try:
                    with transaction.atomic():
                        FeedbackReminder.objects.create(
                            dialogue=dialogue, on_date=today, email=email, kind=kind
                        )
                        mail.send(
                            to=email,
                            language=getattr(person, "preferred_language", "sv"),
                            template=f"feedback/email/reminder_{kind}",
                            context={
                                "dialogue": dialogue,
                                "row": row,
                                "manage_url": mail.url("feedback:manage", pk=dialogue.pk),
                            },
                        )
                except IntegrityError:
                    result.skipped += 1
                    continue
                result.emails += 1
    return result
