"""Gallring: thinning personal data once a dialogue's retention period has passed.

What is thinned (per dialogue, once participation has been over for the dialogue's
`DialogueRetention.months`, default setting DELAKTIG_RETENTION_MONTHS = 24):
  - contributions that were never published (pending, hidden) are deleted;
  - published contributions lose their link to an account and any name in their data
    (they are kept: they are part of the public record; participant_key stays);
  - the dialogue's school session codes are deleted;
  - whatever other apps register with `register_thinner` (e.g. meeting registrations'
    names and email addresses).
And, independent of dialogues:
  - consent records of deleted accounts, DELAKTIG_CONSENT_PROOF_MONTHS (24) after withdrawal;
  - accounts that never verified anything nor signed in, after
    DELAKTIG_UNVERIFIED_ACCOUNT_DAYS (30) days;
  - school session codes expired more than 30 days ago.
Never touched (archive rules): Decision, DialogueEvent, AuditEvent and published
contributions' text and data.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from delaktig.accounts.actions import pseudonymise_contribution_data
from delaktig.accounts.models import ConsentRecord, SchoolSession, User
from delaktig.core.actions import record_audit
from delaktig.participation.models import Contribution, ContributionStatus

# Participation is over in these states.
CLOSED_STATES = ("compiling", "feedback", "decided", "evaluated", "archived", "rejected")

Thinner = Callable[[Any], int]
_THINNERS: dict[str, Thinner] = {}


def register_thinner(label: str) -> Callable[[Thinner], Thinner]:
    """Other apps: `@register_thinner("Anmälningar till möten")` on fn(dialogue) -> count.
    Called for every dialogue past its retention period, inside the gallring transaction."""

    def decorator(fn: Thinner) -> Thinner:
        _THINNERS[label] = fn
        return fn

    return decorator


def add_months(value: datetime.datetime, months: int) -> datetime.datetime:
    month = value.month - 1 + months
    year, month = value.year + month // 12, month % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def participation_closed_at(dialogue: Any) -> datetime.datetime:
    if dialogue.ends_on:
        return datetime.datetime.combine(
            dialogue.ends_on, datetime.time.max, tzinfo=timezone.get_current_timezone()
        )
    event = dialogue.events.filter(from_status="open").order_by("at").first()
    if event is not None:
        return event.at
    return dialogue.updated_at


def dialogues_due(now: datetime.datetime) -> list[Any]:
    from delaktig.accounts.models import DialogueRetention
    from delaktig.governance.models import Dialogue

    rules = {r.dialogue_id: r.months for r in DialogueRetention.objects.all()}
    due = []
    for dialogue in Dialogue.objects.filter(status__in=CLOSED_STATES):
        months = rules.get(dialogue.pk, int(getattr(settings, "DELAKTIG_RETENTION_MONTHS", 24)))
        if add_months(participation_closed_at(dialogue), months) < now:
            due.append(dialogue)
    return due


def _thin_dialogue(dialogue: Any, counts: dict[str, int]) -> None:
    hidden = Contribution.objects.filter(dialogue=dialogue).exclude(
        status=ContributionStatus.PUBLISHED
    )
    counts["Opublicerade bidrag raderade"] += hidden.delete()[0]
    linked = Contribution.objects.filter(
        dialogue=dialogue, status=ContributionStatus.PUBLISHED, author__isnull=False
    )
    for contribution in linked.only("pk", "data"):
        contribution.author = None
        contribution.data = pseudonymise_contribution_data(contribution.data)
        contribution.save(update_fields=["author", "data"])
        counts["Publicerade bidrag avidentifierade"] += 1
    deleted, _detail = SchoolSession.objects.filter(dialogue=dialogue).delete()
    counts["Skolpass raderade"] += deleted
    for label, fn in _THINNERS.items():
        counts[label] = counts.get(label, 0) + int(fn(dialogue) or 0)


def thin(*, now: datetime.datetime | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Run the gallring. With dry_run everything is done and then rolled back, so the
    counts are exactly what a real run would do."""
    now = now or timezone.now()
    counts: dict[str, int] = {
        "Opublicerade bidrag raderade": 0,
        "Publicerade bidrag avidentifierade": 0,
        "Skolpass raderade": 0,
        **{label: 0 for label in _THINNERS},
    }
    with transaction.atomic():
        dialogues = dialogues_due(now)
        for dialogue in dialogues:
            _thin_dialogue(dialogue, counts)
        proof_cutoff = add_months(now, -int(getattr(settings, "DELAKTIG_CONSENT_PROOF_MONTHS", 24)))
        deleted, _detail = ConsentRecord.objects.filter(
            user__isnull=True, withdrawn_at__lt=proof_cutoff
        ).delete()
        counts["Samtycken från raderade konton raderade"] = deleted
        days = int(getattr(settings, "DELAKTIG_UNVERIFIED_ACCOUNT_DAYS", 30))
        stale = User.objects.filter(
            email_verified_at__isnull=True,
            eid_verified_at__isnull=True,
            last_login__isnull=True,
            is_staff=False,
            is_superuser=False,
            date_joined__lt=now - datetime.timedelta(days=days),
            contributions__isnull=True,
        )
        removed = 0
        for user in stale:
            try:
                with transaction.atomic():
                    user.delete()
                removed += 1
            except ProtectedError:
                continue
        counts["Obekräftade konton raderade"] = removed
        deleted, _detail = SchoolSession.objects.filter(
            valid_until__lt=now - datetime.timedelta(days=30)
        ).delete()
        counts["Skolpass raderade"] += deleted
        result = {"dialogues": [d.title for d in dialogues], "counts": counts, "dry_run": dry_run}
        if dry_run:
            transaction.set_rollback(True)
        else:
            record_audit(
                actor=None,
                action="gallring.run",
                summary=f"Gallring: {sum(counts.values())} poster",
                data={"counts": counts, "dialogues": [d.pk for d in dialogues]},
            )
    return result
