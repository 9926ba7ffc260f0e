"""The compilation as data: one plain dict used by the HTML pages and the PDF report.

Everything in it is JSON-serialisable, so the same dict goes to Typst
(`reports.render.render_pdf`) without any user text ever becoming Typst source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.governance.models import Dialogue, InfluenceLevel
from delaktig.participation.models import Channel, Method
from delaktig.results import representativeness, selectors
from delaktig.results.models import Compilation, ThemeSource, ThemeStatus

TYPST_DIR = Path(__file__).resolve().parent / "typst"
MAX_CROSSTAB_QUESTIONS = 6
CROSSTAB_BY = ("age_band", "gender")


def _rows(counter: dict[str, int], labels: dict[str, Any]) -> list[dict[str, Any]]:
    total = sum(counter.values())
    return [
        {"label": str(labels.get(k, k)), "count": n, "share": (n / total) if total else 0.0}
        for k, n in sorted(counter.items(), key=lambda kv: -kv[1])
    ]


def survey_sections(dialogue: Dialogue) -> tuple[list[dict[str, Any]], str]:
    """Statistics and cross-tabs for every survey of the dialogue; ("", note) if unavailable."""
    try:
        from delaktig.participation.surveys.models import Survey
        from delaktig.participation.surveys.stats import compile_survey, cross_tab
    except ImportError:  # the survey statistics module is optional
        return [], _("Enkätstatistiken är inte tillgänglig i den här installationen.")
    sections = []
    surveys = Survey.objects.filter(activity__dialogue=dialogue).select_related("activity")
    for survey in surveys.order_by("activity__order", "pk"):
        stats = compile_survey(survey)
        questions = []
        for q in stats.questions:
            questions.append(
                {
                    "number": q.number,
                    "label": q.label,
                    "kind": q.kind,
                    "denominator": q.denominator,
                    "answered": q.answered,
                    "mean": q.mean,
                    "rows": [
                        {"label": r.label, "count": r.count, "share": r.share} for r in q.rows
                    ],
                }
            )
        closed = [
            q
            for q in stats.questions
            if q.kind in ("single", "scale", "multiple") and q.answered > 0
        ]
        closed.sort(key=lambda q: (-q.answered, q.number))
        crosstabs = []
        if stats.with_demographics:
            for q in sorted(closed[:MAX_CROSSTAB_QUESTIONS], key=lambda q: q.number):
                for by in CROSSTAB_BY:
                    try:
                        tab = cross_tab(survey, q.question_id, by=by)
                    except Exception:  # noqa: BLE001,S112 - a question that cannot be crossed
                        continue
                    if not tab.groups:  # too few to show any group
                        continue
                    crosstabs.append(
                        {
                            "question": tab.question_label,
                            "number": q.number,
                            "kind": tab.kind,
                            "by_label": tab.by_label,
                            "columns": tab.columns,
                            "groups": [
                                {
                                    "label": g.label,
                                    "n": g.n_display,
                                    "suppressed": g.suppressed,
                                    "shares": g.shares,
                                    "mean": g.mean,
                                }
                                for g in tab.groups
                            ],
                            "min_group_size": tab.min_group_size,
                        }
                    )
        sections.append(
            {
                "title": stats.title,
                "respondents": stats.respondents,
                "with_demographics": stats.with_demographics,
                "questions": questions,
                "scale_summary": [q for q in questions if q["kind"] == "scale"],
                "choice_questions": [
                    q for q in questions if q["kind"] in ("single", "multiple") and q["rows"]
                ],
                "crosstabs": crosstabs,
            }
        )
    return sections, ""


def build_report(dialogue: Dialogue, compilation: Compilation | None = None) -> dict[str, Any]:
    compilation = compilation or selectors.compilation_for(dialogue)
    participation = selectors.participation_summary(dialogue)
    rep = representativeness.compare(dialogue)
    surveys, survey_note = survey_sections(dialogue)
    themes = []
    if compilation is not None:
        for t in selectors.themes_with_counts(compilation).order_by("-n", "order"):
            # A machine's theme is published only once a person has reviewed and named it.
            if t.status != ThemeStatus.ACCEPTED:
                continue
            themes.append(
                {
                    "id": t.pk,
                    "name": t.name,
                    "description": t.description,
                    "source": t.get_source_display(),
                    "automatic": t.source == ThemeSource.AUTOMATIC,
                    "status": t.get_status_display(),
                    "automatic_name": t.automatic_name if t.was_renamed else "",
                    "count": t.n,
                    "manual_count": t.n_manual,
                    "quotes": selectors.theme_quotes(t),
                }
            )
    table = rep.table
    rep_data = {
        "table": (
            {
                "name": table.name,
                "source": table.source,
                "year": table.year,
                "is_sample": table.is_sample,
            }
            if table
            else None
        ),
        "participants": rep.participants,
        "with_demographics": rep.with_demographics,
        "min_group_size": rep.min_group_size,
        "threshold": rep.threshold,
        "missing": rep.missing,
        "dimensions": [
            {
                "key": d.key,
                "label": d.label,
                "comparable": d.comparable,
                "not_stated": d.not_stated,
                "rows": [
                    {
                        "label": r.label,
                        "population": r.population,
                        "population_share": r.population_share,
                        "participants": r.participants_display,
                        "participant_share": r.participant_share,
                        "suppressed": r.suppressed,
                        "under_represented": r.under_represented,
                    }
                    for r in d.rows
                ],
            }
            for d in rep.dimensions
            if d.stated or d.comparable
        ],
    }
    influence = dialogue.influence_level
    return {
        "municipality": dialogue.municipality.name,
        "title": dialogue.title,
        "slug": dialogue.slug,
        "question": dialogue.question,
        "influence_level": str(InfluenceLevel(influence).label) if influence else "",
        "influence_meaning": dialogue.influence_meaning,
        "input_use": dialogue.input_use,
        "starts_on": dialogue.starts_on,
        "ends_on": dialogue.ends_on,
        "decision_expected_on": dialogue.decision_expected_on,
        "status": dialogue.get_status_display(),
        "generated": timezone.localtime().strftime("%Y-%m-%d"),
        "compilation": {
            "published": bool(compilation and compilation.is_published),
            "status": compilation.get_status_display() if compilation else _("Utkast"),
            "summary": compilation.summary if compilation else "",
            "next_steps": compilation.next_steps if compilation else "",
            "method_notes": compilation.method_notes if compilation else "",
            "published_at": (
                timezone.localtime(compilation.published_at).strftime("%Y-%m-%d")
                if compilation and compilation.published_at
                else ""
            ),
            "themes_info": compilation.themes_run_info if compilation else {},
        },
        "participation": {
            "contributions": participation["contributions"],
            # The one count of people (results.selectors.participants), as in the reports.
            "participants": participation["participants"],
            "participants_by_channel": _rows(
                participation["participants_by_channel"], dict(Channel.choices)
            ),
            "by_channel": _rows(participation["by_channel"], dict(Channel.choices)),
            "by_method": _rows(participation["by_method"], dict(Method.choices)),
        },
        "surveys": surveys,
        "survey_note": survey_note,
        "themes": themes,
        "representativeness": rep_data,
    }


def render_compilation_pdf(dialogue: Dialogue) -> bytes:
    from delaktig.reports.render import render_pdf

    data = build_report(dialogue)
    # Root is the project's src/delaktig so the template can import reports/typst/base.typ.
    root = TYPST_DIR.parent.parent
    return render_pdf(TYPST_DIR / "compilation.typ", data, root=root)
