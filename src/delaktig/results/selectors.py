"""Reads for the compilation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Min, Q, QuerySet

from delaktig.governance.models import Dialogue
from delaktig.participation.models import Activity, Channel, Contribution, ContributionKind
from delaktig.results.models import Compilation, Theme, ThemeSource, ThemeStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ThemeCounts(TypedDict):
    n: int
    n_manual: int


# Kinds whose text is a resident's own words (votes and supports carry no free text).
FREE_TEXT_KINDS = [
    ContributionKind.ANSWER,
    ContributionKind.IDEA,
    ContributionKind.COMMENT,
    ContributionKind.STATEMENT,
    ContributionKind.MEETING_NOTE,
]


def free_text(dialogue: Dialogue) -> QuerySet[Contribution]:
    return (
        Contribution.objects.published()
        .filter(dialogue=dialogue, kind__in=FREE_TEXT_KINDS)
        .exclude(text="")
        .order_by("id")
    )


def compilation_for(dialogue: Dialogue) -> Compilation | None:
    return Compilation.objects.filter(dialogue=dialogue).first()


def themes_with_counts(
    compilation: Compilation, *, active_only: bool = True
) -> QuerySet[WithAnnotations[Theme, ThemeCounts]]:
    qs = compilation.themes.all()
    if active_only:
        qs = qs.active()
    return qs.annotate(
        n=Count("assignments", filter=Q(assignments__contribution__status="published")),
        n_manual=Count(
            "assignments",
            filter=Q(
                assignments__source=ThemeSource.MANUAL,
                assignments__contribution__status="published",
            ),
        ),
    ).select_related("reviewed_by", "created_by")


def theme_quotes(theme: Theme, limit: int = 3) -> list[str]:
    """The representative quotes the machine chose, else the first coded contributions."""
    ids = list(theme.quote_ids or [])
    texts: list[str] = []
    if ids:
        by_id = dict(
            Contribution.objects.published()
            .filter(pk__in=ids, theme_assignments__theme=theme)
            .values_list("id", "text")
        )
        texts = [by_id[i] for i in ids if i in by_id]
    if len(texts) < limit:
        more = (
            Contribution.objects.published()
            .filter(theme_assignments__theme=theme)
            .exclude(text="")
            .exclude(pk__in=ids)
            .order_by("id")
            .values_list("text", flat=True)[: limit - len(texts)]
        )
        texts.extend(more)
    return texts[:limit]


# --- Participants: the one count used by the compilation, the reports and the indicators ---


@dataclass
class Participants:
    """People who took part in one dialogue, and by channel (adds up to `total`)."""

    total: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)

    def add(self, channel: str, n: int) -> None:
        if n:
            self.total += n
            self.by_channel[channel] += n


def counted_contributions(
    dialogue_ids: Iterable[int], activities: QuerySet[Activity] | None = None
) -> QuerySet[Contribution]:
    """The contributions every figure is based on: published ones (not moderated away)."""
    qs = Contribution.objects.published().filter(dialogue_id__in=list(dialogue_ids))
    return qs if activities is None else qs.filter(activity__in=activities)


def keyless_participants(qs: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """Contributions without a key that are each one person: not a meeting's notes (its
    attendance counts) and not the statement an official seeded to start from."""
    return (
        qs.filter(participant_key="")
        .exclude(kind=ContributionKind.MEETING_NOTE)
        .exclude(data__has_key="seed")
    )


def participants(
    dialogue_ids: Iterable[int], activities: QuerySet[Activity] | None = None
) -> dict[int, Participants]:
    """Participants per dialogue, counted in the database the same way everywhere:

    * a participant key (a resident's, per dialogue) is one person, however many
      contributions and channels, counted under the channel of their first contribution;
    * a contribution without a key (a paper questionnaire typed in, an answer imported from
      another tool's file) is one person, but not a statement an official seeded;
    * a meeting or interview counts the attendance the official recorded, under the notes'
      channel; its notes are what came up, not people.
    """
    from delaktig.participation.meetings.models import Meeting

    ids = list(dialogue_ids)
    out = {pk: Participants() for pk in ids}
    qs = counted_contributions(ids, activities)
    first = (
        qs.exclude(participant_key="")
        .values("dialogue_id", "participant_key")
        .annotate(first=Min("id"))
    )
    for row in (
        Contribution.objects.filter(pk__in=first.values("first"))
        .values("dialogue_id", "channel")
        .annotate(n=Count("id"))
        .order_by()
    ):
        out[row["dialogue_id"]].add(row["channel"], row["n"])
    for row in (
        keyless_participants(qs).values("dialogue_id", "channel").annotate(n=Count("id")).order_by()
    ):
        out[row["dialogue_id"]].add(row["channel"], row["n"])
    meetings = Meeting.objects.filter(
        activity__dialogue_id__in=ids, attendance__isnull=False, cancelled_at__isnull=True
    )
    if activities is not None:
        meetings = meetings.filter(activity__in=activities)
    for dialogue_id, attendance, channel in meetings.annotate(
        channel=Min("notes__channel")
    ).values_list("activity__dialogue_id", "attendance", "channel"):
        out[dialogue_id].add(channel or Channel.MEETING, attendance or 0)
    return out


def participation_summary(dialogue: Dialogue) -> dict[str, Any]:
    """Contributions by channel and by method; participants in all and by channel."""
    qs = counted_contributions([dialogue.pk])
    by_channel = Counter(dict(qs.values_list("channel").annotate(n=Count("id")).order_by()))
    by_method = Counter(dict(qs.values_list("activity__method").annotate(n=Count("id")).order_by()))
    people = participants([dialogue.pk])[dialogue.pk]
    return {
        "contributions": qs.count(),
        "participants": people.total,
        "participants_by_channel": people.by_channel,
        "by_channel": by_channel,
        "by_method": by_method,
    }


def theme_review_counts(compilation: Compilation) -> dict[str, int]:
    themes = compilation.themes.all()
    return {
        "automatic": themes.filter(source=ThemeSource.AUTOMATIC).count(),
        "manual": themes.filter(source=ThemeSource.MANUAL).count(),
        "proposed": themes.filter(status=ThemeStatus.PROPOSED).count(),
        "renamed": sum(1 for t in themes.filter(source=ThemeSource.AUTOMATIC) if t.was_renamed),
    }
