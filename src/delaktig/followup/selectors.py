"""Reads for follow-up pages and reports."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.followup import indicators
from delaktig.followup.models import OrganiserEvaluation
from delaktig.organisation.models import Body, Municipality


def report_data(municipality: Municipality, year: int, body: Body | None = None) -> dict[str, Any]:
    """Everything an annual report shows, as plain data (web page and PDF alike)."""
    figures = indicators.compute(municipality, year, body)
    evaluations = {
        e.dialogue_id: e
        for e in OrganiserEvaluation.objects.filter(
            dialogue_id__in=[r.dialogue.pk for r in figures.rows]
        )
    }
    data = figures.as_dict()
    for row, out in zip(figures.rows, data["rows"], strict=True):
        evaluation = evaluations.get(row.dialogue.pk)
        out["what_worked"] = evaluation.what_worked if evaluation else ""
        out["what_to_improve"] = evaluation.what_to_improve if evaluation else ""
    data.update(
        {
            "municipality": municipality.name,
            "body": body.name if body else "",
            "title": (
                _("Medborgardialog %(year)s – %(body)s") % {"year": year, "body": body.name}
                if body
                else _("Medborgardialog %(year)s – uppföljning för årsbokslutet") % {"year": year}
            ),
            "generated": timezone.localdate(),
            "min_group": _min_group(),
            "influence_levels": [name for name, _n in figures.by_influence],
            "bodies": body_lines(figures) if body is None else [],
        }
    )
    return data


def _min_group() -> int:
    from django.conf import settings

    return int(settings.DELAKTIG_MIN_GROUP_SIZE)


def body_lines(figures: indicators.Indicators) -> list[dict[str, Any]]:
    """One line per owning body, for the municipality-wide report."""
    by_body: dict[Any, list[indicators.DialogueRow]] = {}
    for row in figures.rows:
        by_body.setdefault(row.dialogue.owner_body, []).append(row)
    lines = []
    for body, rows in sorted(by_body.items(), key=lambda kv: kv[0].name if kv[0] else "~"):
        due = [r for r in rows if r.feedback_on_time is not None]
        on_time = sum(1 for r in due if r.feedback_on_time)
        lines.append(
            {
                "body_id": body.pk if body else None,
                "body": body.name if body else _("Ingen ansvarig nämnd angiven"),
                "dialogues": len(rows),
                "participants": sum(r.participants for r in rows),
                "feedback_due": len(due),
                "feedback_on_time": on_time,
                "feedback_on_time_share": indicators.share(on_time, len(due)),
                "effects": sum(1 for r in rows if r.dialogue.influence_on_decision.strip()),
            }
        )
    return lines


def years_with_dialogues(municipality: Municipality) -> list[int]:
    from delaktig.governance.models import Dialogue

    years: set[int] = set()
    for start, end in Dialogue.objects.filter(
        municipality=municipality, starts_on__isnull=False
    ).values_list("starts_on", "ends_on"):
        if start is None:
            continue
        last = (end or start).year
        years.update(range(start.year, last + 1))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
