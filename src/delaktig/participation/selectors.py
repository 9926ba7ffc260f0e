"""Reads shared by the participation methods, and the one answer to "is this public?".

Every resident-facing page of a method reads its activity through `public_activity`, and
the API lists `public_activities()`: an activity is public exactly when its dialogue is in
the public register (`Dialogue.is_public`, the same rule as `Dialogue.objects.public()`) of
the municipality being served. A draft dialogue's activity is a 404 on every page.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from delaktig.core.public_cache import cached_public
from delaktig.governance.models import Dialogue
from delaktig.governance.selectors import public_dialogues
from delaktig.organisation.selectors import current_municipality
from delaktig.participation.meetings.models import Registration, RegistrationStatus
from delaktig.participation.models import Activity, Channel, Contribution


def is_public(dialogue: Dialogue) -> bool:
    if not dialogue.is_public:
        return False
    municipality = current_municipality()
    return municipality is None or dialogue.municipality_id == municipality.pk


def public_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(dialogue__in=public_dialogues().values("pk"))


def public_activity(activity_id: int, methods: str | Collection[str] | None = None) -> Activity:
    """An activity with its dialogue and municipality, as residents' pages and
    submissions read it: from the public cache, which every save of an activity or a
    dialogue moves on (delaktig.core.public_cache). 404 unless it is public."""
    activity = cached_public(
        f"activity:{activity_id}",
        lambda: (
            Activity.objects.select_related("dialogue__municipality").filter(pk=activity_id).first()
        ),
    )
    if activity is None or not is_public(activity.dialogue):
        raise Http404
    if isinstance(methods, str):
        methods = (methods,)
    if methods is not None and activity.method not in methods:
        raise Http404
    return activity


def channel_rows(counter: dict[str, int]) -> list[tuple[str, int]]:
    """(label, number) per channel, largest first, with the channels' Swedish labels
    ("Digitalt", "Papper", "Möte", "Intervju", "Import"), never the stored codes."""
    labels = dict(Channel.choices)
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(str(labels.get(k, k)), n) for k, n in ordered]


def took_part(dialogue: Dialogue, participant_key: str) -> bool:
    """Has the person behind `participant_key` taken part in `dialogue`: contributed
    anything, or registered for one of its meetings (and not cancelled)?"""
    if not participant_key:
        return False
    return (
        Contribution.objects.filter(dialogue=dialogue, participant_key=participant_key).exists()
        or Registration.objects.filter(
            meeting__activity__dialogue=dialogue, participant_key=participant_key
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    )


def contributions_of(user: Any) -> QuerySet[Contribution]:
    """Everything a signed-in person contributed, newest first (their "Mina uppgifter")."""
    return (
        Contribution.objects.filter(author=user)
        .select_related("dialogue", "activity")
        .order_by("-created_at", "-id")
    )
