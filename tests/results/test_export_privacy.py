"""Issue 13 item 6: row-level exports for officials do not single anyone out.

The ordinary export of contributions generalises or drops the background answers
(quasi-identifiers) so that no combination of them describes fewer people than the
minimum group size; the raw file is given only when an official asks for it with a
reason, and that is audited. Driven through the export URLs.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from delaktig.core.models import AuditEvent
from delaktig.participation.actions import record_contribution
from delaktig.results import exports

DEMOGRAPHICS = slice(9, 15)  # ålder … tid i kommunen


def _official(people: Any) -> Client:
    c = Client()
    c.force_login(people["official"])
    return c


def _rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def _smallest_combination(rows: list[list[str]]) -> int:
    """People behind the rarest non-empty combination of background answers."""
    people: dict[tuple[str, ...], set[str]] = {}
    for row in rows[1:]:
        combination = tuple(row[DEMOGRAPHICS])
        if any(combination):
            people.setdefault(combination, set()).add(row[7] or f"row{row[0]}")
    return min((len(p) for p in people.values()), default=10**9)


def _residents(activity: Any) -> None:
    """20 women 25-34 in Centrum, 12 men 35-44 in Sjövik, and one who stands out."""
    for i in range(20):
        record_contribution(
            activity=activity,
            kind="comment",
            text="Mer belysning",
            participant_key=f"c{i}",
            data={
                "demographics": {
                    "age_band": "25-34",
                    "gender": "kvinna",
                    "district": "Centrum",
                    "education": "Högskola" if i % 2 else "Gymnasium",
                    "years_lived": str(i),
                }
            },
        )
    for i in range(12):
        for _ in range(2):  # two comments each: still one person
            record_contribution(
                activity=activity,
                kind="comment",
                text="Fler bänkar",
                participant_key=f"s{i}",
                data={"demographics": {"age_band": "35-44", "gender": "man", "district": "Sjövik"}},
            )
    record_contribution(
        activity=activity,
        kind="comment",
        text="Ramp till perrongen",
        participant_key="unique",
        data={
            "demographics": {
                "age_band": "75+",
                "gender": "annat",
                "district": "Ekdalen",
                "occupation": "Pensionär",
            }
        },
    )


@pytest.mark.parametrize("limit", [3, 5, 10])
def test_ordinary_export_generalises_background_answers(
    limit, dialogue, activity, people, settings
) -> None:
    settings.DELAKTIG_MIN_GROUP_SIZE = limit
    _residents(activity)
    url = reverse(
        "results:export", kwargs={"dialogue_id": dialogue.pk, "what": "bidrag", "fmt": "csv"}
    )
    rows = _rows(_official(people).get(url))
    assert len(rows) == 1 + 20 + 24 + 1
    assert _smallest_combination(rows) >= limit
    unique = next(r for r in rows if r[8] == "Ramp till perrongen")
    assert "annat" not in unique and "Ekdalen" not in unique and "Pensionär" not in unique
    # what can be kept is kept: the two big groups still differ by sex
    genders = Counter(r[10] for r in rows[1:])
    assert genders["kvinna"] == 20 and genders["man"] == 24
    # Excel gets the same generalisation
    from openpyxl import load_workbook

    xlsx = _official(people).get(url.replace(".csv", ".xlsx"))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    values = [["" if v is None else str(v) for v in r] for r in book["Bidrag"].values]
    assert _smallest_combination(values) >= limit


def test_raw_export_only_on_request_with_a_reason_and_audited(
    dialogue, activity, people, settings
) -> None:
    settings.DELAKTIG_MIN_GROUP_SIZE = 5
    _residents(activity)
    c = _official(people)
    url = reverse("results:export_raw", kwargs={"dialogue_id": dialogue.pk})
    assert c.get(url).status_code == 405
    refused = c.post(url, {"fmt": "csv", "reason": "  "})
    assert refused.status_code == 400
    assert "Skriv varför du behöver rådata." in refused.content.decode()
    assert not AuditEvent.objects.filter(action="results.raw_exported").exists()
    # a resident or an official of another office gets nothing
    for role in ("resident", "other_official"):
        other = Client()
        other.force_login(people[role])
        assert other.post(url, {"fmt": "csv", "reason": "x"}).status_code == 403

    response = c.post(url, {"fmt": "csv", "reason": "Uppföljning av tillgänglighet i Ekdalen"})
    assert response.status_code == 200
    assert "bidrag-radata" in response["Content-Disposition"]
    rows = _rows(response)
    unique = next(r for r in rows if r[8] == "Ramp till perrongen")
    assert unique[DEMOGRAPHICS] == ["75+", "annat", "Ekdalen", "", "Pensionär", ""]
    (event,) = AuditEvent.objects.filter(action="results.raw_exported")
    assert event.actor == people["official"]
    assert event.data["reason"] == "Uppföljning av tillgänglighet i Ekdalen"
    assert event.object_id == str(dialogue.pk)
    xlsx = c.post(url, {"fmt": "xlsx", "reason": "Samma, i Excel"})
    assert xlsx.status_code == 200
    assert AuditEvent.objects.filter(action="results.raw_exported").count() == 2


def test_compilation_page_offers_the_raw_export_form(dialogue, activity, people) -> None:
    html = (
        _official(people)
        .get(reverse("results:compilation", kwargs={"dialogue_id": dialogue.pk}))
        .content.decode()
    )
    assert reverse("results:export_raw", kwargs={"dialogue_id": dialogue.pk}) in html
    assert 'for="id_reason"' in html and "grovindelade eller borttagna" in html


values = st.sampled_from(["", "a", "b", "c"])
ages = st.sampled_from(["", "16-24", "25-34", "35-44", "65+", "75+", "okänd"])


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.tuples(ages, values, values, values, values, values),
        st.integers(1, 12),
        max_size=25,
    ),
    st.sampled_from([2, 5, 10]),
)
def test_every_combination_left_describes_the_minimum(sizes, limit) -> None:
    plan = exports.generalise_combinations(Counter(sizes), limit)
    merged: Counter[tuple[str, ...]] = Counter()
    for combination, n in sizes.items():
        merged[plan.apply(combination)] += n
    assert all(n >= limit for c, n in merged.items() if any(c))
    assert sum(merged.values()) == sum(sizes.values())
