"""Reads for the compilation."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Q, QuerySet

from delaktig.governance.models import Dialogue
from delaktig.participation.models import Contribution, ContributionKind
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


def participation_summary(dialogue: Dialogue) -> dict[str, Any]:
    """Contributions and participants by channel and by method."""
    qs = Contribution.objects.published().filter(dialogue=dialogue)
    by_channel = Counter(dict(qs.values_list("channel").annotate(n=Count("id")).order_by()))
    by_method = Counter(dict(qs.values_list("activity__method").annotate(n=Count("id")).order_by()))
    participants = qs.exclude(participant_key="").values("participant_key").distinct().count()
    return {
        "contributions": qs.count(),
        "participants": participants,
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
