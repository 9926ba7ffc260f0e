"""Issue 13 item 7: representativeness when methods use different age bands.

Two activities of one dialogue ask for age in their own bands (a survey in 15–24 … 65+,
a meeting form in 16–24 … 65–74, 75+). The bands compared must be disjoint, each person
must count once, and the population in the bands must add up to the population of the age
range, never more (before the fix overlapping bands counted people twice).

Driven through the official's pages: the population table is uploaded on the population
page (the illustrative Upplands Väsby table in SCB PxWeb layout), and the figures are read
back from the results export CSV that officials download.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from delaktig.participation.actions import record_contribution
from delaktig.participation.models import Activity, Method
from delaktig.results import representativeness as rep
from delaktig.results.models import PopulationCell

DATA = Path(__file__).parent / "data"

SURVEY_BANDS = ["15-24", "25-34", "35-44", "45-54", "55-64", "65+"]
CASES = {
    # the survey's 15–24 overlaps the form's 16–24; 65+ contains 65–74 and 75+
    "overlapping": (SURVEY_BANDS, ["16-24", "25-34", "65-74", "75+"]),
    # one method's bands lie inside the other's
    "nested": (["16-24", "25-64", "65+"], ["25-44", "45-64", "65-74", "75+"]),
    # side by side, nothing shared
    "disjoint": (["16-24", "25-44"], ["45-64", "65+"]),
}


def _upload_population(official: Any) -> None:
    c = Client()
    c.force_login(official)
    content = (DATA / "upplands_vasby_2015_illustrativ.csv").read_bytes()
    response = c.post(
        reverse("results:population"),
        {
            "file": SimpleUploadedFile("vasby.csv", content),
            "name": "Upplands Väsby 2015 (illustrativ)",
            "source": "Illustrativ approximation i SCB:s PxWeb-format",
        },
    )
    assert response.status_code == 302


def _population_from(low: int) -> float:
    """People aged `low` or more in the imported table, spreading a cell that straddles it."""
    total = 0.0
    for cell in PopulationCell.objects.all():
        total += cell.count * rep._overlap((cell.age_from, cell.age_to), (low, rep.OPEN_END))
    return total


def _people(activity: Activity, bands: list[str], prefix: str, per_band: int) -> None:
    for b, band in enumerate(bands):
        for i in range(per_band + b):
            record_contribution(
                activity=activity,
                kind="comment",
                text="Fler bänkar",
                participant_key=f"{prefix}{b}-{i}",
                data={"demographics": {"age_band": band, "gender": "kvinna" if i % 2 else "man"}},
            )


def _results_csv(official: Any, dialogue: Any) -> list[list[str]]:
    c = Client()
    c.force_login(official)
    url = reverse(
        "results:export", kwargs={"dialogue_id": dialogue.pk, "what": "resultat", "fmt": "csv"}
    )
    body = b"".join(c.get(url).streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


@pytest.mark.parametrize("case", list(CASES))
def test_bands_of_two_methods_are_harmonised(case, dialogue, people, settings) -> None:
    settings.DELAKTIG_MIN_GROUP_SIZE = 5
    first, second = CASES[case]
    _upload_population(people["official"])
    survey = Activity.objects.create(
        dialogue=dialogue, method=Method.SURVEY, title="Enkät", slug="enkat"
    )
    meeting = Activity.objects.create(
        dialogue=dialogue, method=Method.OPEN_MEETING, title="Möte", slug="mote"
    )
    _people(survey, first, "s", 6)
    _people(meeting, second, "m", 6)
    stated = sum(6 + b for b in range(len(first))) + sum(6 + b for b in range(len(second)))

    result = rep.compare(dialogue)
    age = next(d for d in result.dimensions if d.key == "age_band")
    ranges = [rep.parse_age(r.key) for r in age.rows]
    assert all(r is not None for r in ranges)
    ordered = sorted(ranges)  # type: ignore[type-var]
    for a, b in zip(ordered, ordered[1:], strict=False):
        assert a[1] < b[0], f"{a} and {b} overlap"  # type: ignore[index]
    low = ordered[0][0]  # type: ignore[index]
    assert result.age_range[0] == low
    # the population is counted once: the bands add up to everyone of the compared ages
    population = sum(r.population or 0 for r in age.rows)
    assert population == pytest.approx(_population_from(low), abs=len(age.rows))
    assert sum(r.population_share or 0 for r in age.rows) == pytest.approx(1.0)
    # every participant is in exactly one band
    assert age.stated == stated and age.not_stated == 0
    assert sum(r.participants or 0 for r in age.rows) == stated
    for row in age.rows:
        member_labels = [
            label
            for label in first + second
            if _inside(rep.parse_age(label), rep.parse_age(row.key))  # type: ignore[arg-type]
        ]
        assert member_labels, f"{row.key} holds nobody's band"

    # what the official downloads says the same
    rows = _results_csv(people["official"], dialogue)
    age_lines = [r for r in rows if r and r[0] == "Ålder"]
    assert [line[1] for line in age_lines] == [r.label for r in age.rows]
    assert sum(int(line[2]) for line in age_lines) == pytest.approx(population, abs=len(age.rows))
    assert sum(float(line[3]) for line in age_lines) == pytest.approx(100.0, abs=0.5)


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def test_overlapping_bands_no_longer_count_the_population_twice(
    dialogue, activity, people, settings
) -> None:
    """The issue's own example: 15–24 beside 16–24 and 65+ beside 65–74 and 75+."""
    settings.DELAKTIG_MIN_GROUP_SIZE = 1
    _upload_population(people["official"])
    for i, band in enumerate(["15-24", "16-24", "65+", "65-74", "75+", "35-44"]):
        record_contribution(
            activity=activity,
            kind="comment",
            text="x",
            participant_key=f"k{i}",
            data={"demographics": {"age_band": band}},
        )
    age = next(d for d in rep.compare(dialogue).dimensions if d.key == "age_band")
    labels = [r.label for r in age.rows]
    assert labels == ["15–24 år", "25–34 år", "35–44 år", "45–54 år", "55–64 år", "65+ år"]
    by = {r.label: r.participants for r in age.rows}
    assert by["15–24 år"] == 2 and by["65+ år"] == 3
    assert sum(r.population or 0 for r in age.rows) == pytest.approx(
        _population_from(15), abs=len(age.rows)
    )


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["15-24", "16-24"], ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]),
        (["65+", "65-74", "75+"], ["16-24", "25-34", "35-44", "45-54", "55-64", "65+"]),
        (["16-29", "25-44"], ["16-44", "45-54", "55-64", "65-74", "75+"]),
        (["16-24", "25-44", "45+"], ["16-24", "25-44", "45+"]),
        ([], ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]),
    ],
)
def test_harmonised_bands_are_disjoint_and_cover_each_label(labels, expected) -> None:
    bands = rep.choose_bands(labels, 16)
    assert [rep.band_label(b).replace("–", "-") for b in bands] == expected
