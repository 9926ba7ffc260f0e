"""Gallring: thinning personal data once its retention period has passed.

What is thinned is declared, field by field, in the personal-data registry
(`accounts/personal_data.py`, rendered as docs/record-of-processing.md): rows that belong
to a dialogue are thinned once participation has been over for the dialogue's
`DialogueRetention.months` (default setting DELAKTIG_RETENTION_MONTHS = 24); rows with
their own dates (consent proof, unverified accounts, expired school codes and sessions,
finished background jobs, admin log entries) when those dates have passed. Apps may
still add a thinner with `register_thinner`. Never touched (archive rules): Decision,
DialogueEvent, AuditEvent and published contributions' text.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from delaktig.core.actions import record_audit
from delaktig.governance.states import Feature, states_with

# Participation is over in these states.

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
    for dialogue in Dialogue.objects.filter(status__in=states_with(Feature.RETENTION_RUNS)):
        months = rules.get(dialogue.pk, int(getattr(settings, "DELAKTIG_RETENTION_MONTHS", 24)))
        if add_months(participation_closed_at(dialogue), months) < now:
            due.append(dialogue)
    return due


def thin(*, now: datetime.datetime | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Run the gallring. With dry_run everything is done and then rolled back, so the
    counts are exactly what a real run would do."""
    from delaktig.accounts.personal_data import thin_registered

    now = now or timezone.now()
    with transaction.atomic():
        dialogues = dialogues_due(now)
        counts = thin_registered(now, [d.pk for d in dialogues])
        for label, fn in _THINNERS.items():
            counts[label] = sum(int(fn(dialogue) or 0) for dialogue in dialogues)
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
