"""Survey statistics computed in the database: counts, shares, means, medians, cross-tabs.

Nothing here loads answers into Python one by one: every figure is a GROUP BY / COUNT /
AVG in SQL (or an ORDER BY ... OFFSET for medians), so a million answers compile in
seconds with flat memory. See docs/surveys.md for the meaning of every field.

Denominators: only SUBMITTED responses count (answers are only written on submit), and a
conditional question's denominator is the number of respondents who were SHOWN it, i.e.
whose answer to the condition question matched. `skipped = denominator - answered`.
Shares are of the denominator, so the rows plus "skipped" add up to 100 % for single choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from delaktig.core import disclosure
from delaktig.core.exceptions import DomainError
from delaktig.participation.selectors import channel_rows
from delaktig.participation.surveys.models import (
    DEMOGRAPHIC_KEYS,
    DEMOGRAPHIC_LABELS,
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Survey,
)

TEXT_SAMPLE = 10
MAX_NUMBER_DISTRIBUTION = 25


@dataclass
class Row:
    """One bar: an option (or scale value) with its count and share of the denominator."""

    label: str
    count: int
    share: float  # 0..1 of the question's denominator (0 when the denominator is 0)
    value: int | float | None = None  # option index, or the scale/number value


@dataclass
class MatrixLine:
    """One row of a matrix question: the distribution over its columns."""

    label: str
    answered: int
    rows: list[Row] = field(default_factory=list)


@dataclass
class RankItem:
    label: str
    ranked: int  # how many gave it a place
    mean_rank: float | None  # 1 = first place; lower is better
    first_places: int


@dataclass
class QuestionStats:
    question_id: int
    number: int  # 1-based position in the survey
    label: str
    kind: str
    kind_label: str
    required: bool
    conditional: bool
    condition: str  # human-readable condition, "" if always shown
    denominator: int  # respondents who were shown the question
    answered: int
    skipped: int
    rows: list[Row] = field(default_factory=list)  # single, multiple, scale, number
    mean: float | None = None  # scale, number
    median: float | None = None  # scale, number
    minimum: float | None = None
    maximum: float | None = None
    matrix: list[MatrixLine] = field(default_factory=list)
    ranking: list[RankItem] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # the latest free-text answers (sample)
    multiple_note: str = ""  # for multiple choice: shares can add up to more than 100 %

    @property
    def answered_share(self) -> float:
        return self.answered / self.denominator if self.denominator else 0.0


@dataclass
class SurveyCompilation:
    survey_id: int
    title: str
    respondents: int  # submitted responses
    by_channel: dict[str, int]  # digital / paper / import → submitted responses
    with_demographics: int  # responses with consented demographics
    questions: list[QuestionStats] = field(default_factory=list)

    def question(self, question_id: int) -> QuestionStats:
        return next(q for q in self.questions if q.question_id == question_id)

    @property
    def channels(self) -> list[tuple[str, int]]:
        """(label, responses) per channel, labelled as everywhere ("Papper", "Import")."""
        return channel_rows(self.by_channel)


@dataclass
class CrossTabGroup:
    label: str  # the group's value, or "Uppgift saknas"
    n: int | None  # respondents shown the question in this group; None when suppressed
    n_display: str  # the number, or "färre än N"
    suppressed: bool
    counts: list[int | None]  # per column; None when suppressed
    shares: list[float | None]  # per column, of n; None when suppressed
    mean: float | None = None  # scale / number questions


@dataclass
class CrossTab:
    question_id: int
    question_label: str
    kind: str
    by: str
    by_label: str
    columns: list[str]  # option labels (or scale values)
    groups: list[CrossTabGroup]
    min_group_size: int
    suppressed_groups: int


# --- Helpers --------------------------------------------------------------------------


def _submitted(survey: Survey) -> QuerySet[Response]:
    return Response.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED)


def _shown_filter(question: Question, prefix: str = "") -> Q:
    """Q on Response (prefix "" ) or on Answer (prefix "response__") for 'was shown'."""
    if not question.is_conditional:
        return Q()
    ids = Answer.objects.filter(
        question_id=cast(int, question.condition_question_id),  # set when conditional
        option__in=[int(v) for v in question.condition_options],
    ).values("response_id")
    return Q(**{f"{prefix}id__in": ids}) if prefix == "" else Q(response_id__in=ids)


def _shown_count(question: Question, total: int) -> int:
    if not question.is_conditional:
        return total
    return (
        Answer.objects.filter(
            question_id=cast(int, question.condition_question_id),  # set when conditional
            option__in=[int(v) for v in question.condition_options],
        )
        .values("response_id")
        .distinct()
        .count()
    )


def _share(count: int, denominator: int) -> float:
    return count / denominator if denominator else 0.0


def _median(qs: QuerySet[Answer], n: int) -> float | None:
    if n == 0:
        return None
    ordered = qs.order_by("number").values_list("number", flat=True)
    if n % 2:
        return float(cast(float, ordered[n // 2]))
    pair = cast(list[float], list(ordered[n // 2 - 1 : n // 2 + 1]))
    return (pair[0] + pair[1]) / 2


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# --- Compilation ---------------------------------------------------------------------


def compile_survey(survey: Survey) -> SurveyCompilation:
    """Statistics for every question of a survey, aggregated in the database."""
    submitted = _submitted(survey)
    channels = dict(
        submitted.values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("channel", "n")
    )
    total = sum(channels.values())
    with_demo = submitted.filter(demographics_consent=True).exclude(demographics={}).count()
    result = SurveyCompilation(
        survey_id=survey.pk,
        title=str(survey.activity.title),
        respondents=total,
        by_channel=channels,
        with_demographics=with_demo,
    )
    questions = list(survey.questions.select_related("condition_question").all())
    for number, q in enumerate(questions, start=1):
        result.questions.append(_question_stats(q, number, total))
    return result


def _question_stats(q: Question, number: int, total: int) -> QuestionStats:
    answers = Answer.objects.filter(question=q)
    denominator = _shown_count(q, total)
    if q.kind in (QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.TEXT):
        answered = answers.count()
    else:
        answered = answers.values("response_id").distinct().count()
    stats = QuestionStats(
        question_id=q.pk,
        number=number,
        label=q.label,
        kind=q.kind,
        kind_label=str(q.get_kind_display()),
        required=q.required,
        conditional=q.is_conditional,
        condition=q.condition_text(),
        denominator=denominator,
        answered=answered,
        skipped=max(denominator - answered, 0),
    )
    counts: dict[Any, int]
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        counts = dict(
            answers.values("option").annotate(n=Count("id")).order_by().values_list("option", "n")
        )
        stats.rows = [
            Row(
                label=str(label),
                count=counts.get(i, 0),
                share=_share(counts.get(i, 0), denominator),
                value=i,
            )
            for i, label in enumerate(q.options)
        ]
        if q.kind == QuestionKind.MULTIPLE:
            stats.multiple_note = _("Flera svar möjliga: andelarna kan bli mer än 100 procent.")
    elif q.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        agg = answers.aggregate(mean=Avg("number"), lo=Min("number"), hi=Max("number"))
        stats.mean = agg["mean"]
        stats.minimum = agg["lo"]
        stats.maximum = agg["hi"]
        stats.median = _median(answers, answered)
        counts = dict(
            answers.values("number").annotate(n=Count("id")).order_by().values_list("number", "n")
        )
        if q.kind == QuestionKind.SCALE:
            stats.rows = [
                Row(
                    label=_scale_label(q, v),
                    count=counts.get(float(v), 0),
                    share=_share(counts.get(float(v), 0), denominator),
                    value=v,
                )
                for v in q.scale_values
            ]
        elif len(counts) <= MAX_NUMBER_DISTRIBUTION:
            stats.rows = [
                Row(label=_fmt(v), count=n, share=_share(n, denominator), value=v)
                for v, n in sorted(counts.items())
            ]
    elif q.kind == QuestionKind.MATRIX:
        cells = answers.values("item", "option").annotate(n=Count("id")).order_by()
        table: dict[tuple[int, int | None], int] = {(c["item"], c["option"]): c["n"] for c in cells}
        for i, row_label in enumerate(q.matrix_rows):
            row_answered = sum(table.get((i, j), 0) for j in range(len(q.options)))
            stats.matrix.append(
                MatrixLine(
                    label=str(row_label),
                    answered=row_answered,
                    rows=[
                        Row(
                            label=str(o),
                            count=table.get((i, j), 0),
                            share=_share(table.get((i, j), 0), denominator),
                            value=j,
                        )
                        for j, o in enumerate(q.options)
                    ],
                )
            )
    elif q.kind == QuestionKind.RANKING:
        per_item = {
            r["item"]: r
            for r in answers.values("item")
            .annotate(n=Count("id"), mean=Avg("number"), first=Count("id", filter=Q(number=1)))
            .order_by()
        }
        items = []
        for i, label in enumerate(q.options):
            r = per_item.get(i)
            items.append(
                RankItem(
                    label=str(label),
                    ranked=r["n"] if r else 0,
                    mean_rank=r["mean"] if r else None,
                    first_places=r["first"] if r else 0,
                )
            )
        stats.ranking = sorted(items, key=lambda x: (x.mean_rank is None, x.mean_rank or 0))
        stats.rows = [
            Row(
                label=item.label,
                count=item.first_places,
                share=_share(item.first_places, answered),
                value=None,
            )
            for item in stats.ranking
        ]
    elif q.kind == QuestionKind.TEXT:
        stats.texts = list(
            answers.exclude(text="").order_by("-id").values_list("text", flat=True)[:TEXT_SAMPLE]
        )
    return stats


def _scale_label(q: Question, value: int) -> str:
    if value == q.scale_min and q.scale_min_label:
        return f"{value} – {q.scale_min_label}"
    if value == q.scale_max and q.scale_max_label:
        return f"{value} – {q.scale_max_label}"
    return str(value)


# --- Cross-tabulation ------------------------------------------------------------------


def cross_tab(survey: Survey, question: Question | int, by: str = "age_band") -> CrossTab:
    """Counts and shares per demographic group, with small groups hidden so that no hidden
    figure can be worked out from the totals (`delaktig.core.disclosure`)."""
    if by not in DEMOGRAPHIC_KEYS:
        raise DomainError(_("Okänd bakgrundsvariabel: %s") % by)
    if isinstance(question, int):
        question = survey.questions.get(pk=question)
    if question.survey_id != survey.pk:
        raise DomainError(_("Frågan hör inte till enkäten."))
    if question.kind in (QuestionKind.TEXT, QuestionKind.MATRIX, QuestionKind.RANKING):
        raise DomainError(_("Fritext-, matris- och rangordningsfrågor kan inte korstabuleras."))
    limit = disclosure.min_group_size()
    missing_label = _("Uppgift saknas")

    shown = _submitted(survey).filter(_shown_filter(question))
    group_n = dict(
        shown.annotate(g=KeyTextTransform(by, "demographics"))
        .values("g")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("g", "n")
    )
    answers = Answer.objects.filter(question=question).annotate(
        g=KeyTextTransform(by, "response__demographics")
    )
    if question.kind == QuestionKind.SCALE:
        columns = [_scale_label(question, v) for v in question.scale_values]
        keys: list[Any] = [float(v) for v in question.scale_values]
        key_field = "number"
    elif question.kind == QuestionKind.NUMBER:
        columns, keys, key_field = [], [], "number"
    else:
        columns = [str(o) for o in question.options]
        keys = list(range(len(question.options)))
        key_field = "option"
    cells: dict[tuple[Any, Any], int] = {}
    if keys:
        for row in answers.values("g", key_field).annotate(n=Count("id")).order_by():
            cells[(row["g"], row[key_field])] = row["n"]
    means: dict[Any, float] = {}
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        means = dict(answers.values("g").annotate(m=Avg("number")).order_by().values_list("g", "m"))

    def sort_key(label: Any) -> tuple[int, str]:
        return (1, "") if label in (None, "") else (0, str(label))

    merged: dict[Any, int] = {}
    for g, n in group_n.items():
        key = None if g in (None, "") else g
        merged[key] = merged.get(key, 0) + n
    order = sorted(merged, key=sort_key)
    hidden = disclosure.hide([merged[g] for g in order], limit)
    groups = []
    for i, g in enumerate(order):
        n = merged[g]
        label = missing_label if g is None else str(g)
        if i in hidden.all:
            groups.append(
                CrossTabGroup(
                    label=label,
                    n=None,
                    n_display=(
                        _("färre än %(n)d") % {"n": limit} if i in hidden.primary else _("dolt")
                    ),
                    suppressed=True,
                    counts=[None] * len(keys),
                    shares=[None] * len(keys),
                    mean=None,
                )
            )
            continue
        counts = [cells.get((g, k), 0) + (cells.get(("", k), 0) if g is None else 0) for k in keys]
        groups.append(
            CrossTabGroup(
                label=label,
                n=n,
                n_display=str(n),
                suppressed=False,
                counts=list(counts),
                shares=[_share(c, n) for c in counts],
                mean=means.get(g),
            )
        )
    suppressed_count = len(hidden.all)
    if hidden.everything:
        # Too few to tell any group apart: not even which groups there are is shown.
        groups = []
    return CrossTab(
        question_id=question.pk,
        question_label=question.label,
        kind=question.kind,
        by=by,
        by_label=str(DEMOGRAPHIC_LABELS[by]),
        columns=columns,
        groups=groups,
        min_group_size=limit,
        suppressed_groups=suppressed_count,
    )


# --- Charts ---------------------------------------------------------------------------


def svg_bar_chart(rows: list[Row], title: str, *, width: int = 640) -> SafeString:
    """A horizontal bar chart as accessible SVG (role="img", <title>, <desc>).

    All text is escaped here. Always render the equivalent table beside it: the SVG is
    for sighted readers, the table carries the same numbers for everyone.
    """
    bar_h, gap, label_w, top = 22, 8, 220, 8
    height = top * 2 + max(len(rows), 1) * (bar_h + gap)
    plot_w = width - label_w - 70
    biggest = max((r.share for r in rows), default=0) or 1
    desc = "; ".join(f"{r.label}: {r.count} ({round(r.share * 100)} %)" for r in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="chart-title-{id(rows)} chart-desc-{id(rows)}">',
        f'<title id="chart-title-{id(rows)}">{escape(title)}</title>',
        f'<desc id="chart-desc-{id(rows)}">{escape(desc)}</desc>',
    ]
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(int(plot_w * r.share / biggest), 0)
        label = r.label if len(r.label) <= 32 else r.label[:31] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#1f5f8b"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="13">'
            f"{round(r.share * 100)} % ({r.count})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
