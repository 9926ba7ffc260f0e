"""Participants against the population: SCB table import, counting, suppression, who is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from delaktig.core.models import AuditEvent
from delaktig.participation.actions import record_contribution
from delaktig.results import representativeness as rep
from delaktig.results.models import PopulationCell, PopulationTable

DATA = Path(__file__).parent / "data"


def test_parse_age_bands() -> None:
    assert rep.parse_age("16-24") == (16, 24)
    assert rep.parse_age("16–24 år") == (16, 24)
    assert rep.parse_age("65+") == (65, 200)
    assert rep.parse_age("100+ år") == (100, 200)
    assert rep.parse_age("7 år") == (7, 7)
    assert rep.parse_age("okänd") is None
    assert rep.parse_age("24-16") is None


def test_bands_fill_gaps_without_overlap() -> None:
    # The Upplands Väsby survey's own bands, plus nothing overlapping them
    assert rep.choose_bands(["15-24", "25-34", "65+"], 16) == [
        (15, 24),
        (25, 34),
        (35, 44),
        (45, 54),
        (55, 64),
        (65, rep.OPEN_END),
    ]
    assert rep.choose_bands([], 13)[0] == (13, 15)
    assert rep.choose_bands([], 14)[0] == (14, 15)  # a standard band cut at the lowest age


def test_shipped_sample_imports_from_pxweb_long_format(municipality, people) -> None:
    table = rep.load_sample_population(municipality=municipality, actor=people["official"])
    assert table.is_sample and table.year == 2024
    assert table.cells.count() == 5 * 21 * 2
    total = sum(PopulationCell.objects.filter(table=table).values_list("count", flat=True))
    assert 30_000 < total < 32_000
    assert set(table.cells.values_list("district", flat=True)) == {
        "Centrum",
        "Stationsområdet",
        "Norra skogen",
        "Sjövik",
        "Ekdalen",
    }
    assert AuditEvent.objects.filter(action="results.population_imported").count() == 1


def test_wide_latin1_export_with_title_and_totals(municipality) -> None:
    parsed = rep.parse_population_csv(
        (DATA / "upplands_vasby_2015_illustrativ.csv").read_bytes(),
        municipality_name="Upplands Väsby kommun",
    )
    assert parsed.year == 2015  # the latest year column
    assert {k[0] for k in parsed.cells} == {""}  # one region: the whole municipality
    assert {k[1] for k in parsed.cells} == {"man", "kvinna"}  # the "totalt" row is skipped
    assert 41_000 < sum(parsed.cells.values()) < 43_000
    older = rep.parse_population_csv(
        (DATA / "upplands_vasby_2015_illustrativ.csv").read_bytes(), year=2014
    )
    assert sum(older.cells.values()) < sum(parsed.cells.values())


def test_tab_separated_with_codes_and_municipality_total_row() -> None:
    content = (
        "region\tålder\tkön\tår\tantal\n"
        "0114 Upplands Väsby\t20-24 år\tmän\t2024\t1 500\n"
        "0114R001 Vilunda (RegSO)\t20-24 år\tmän\t2024\t700\n"
        "0114R002 Runby (RegSO)\t20-24 år\tmän\t2024\t800\n"
        "0114R002 Runby (RegSO)\t25-29 år\tmän\t2024\t..\n"
    ).encode()
    parsed = rep.parse_population_csv(content, municipality_name="Upplands Väsby kommun")
    assert parsed.cells == {("Vilunda", "man", 20, 24): 700, ("Runby", "man", 20, 24): 800}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"foo;bar\n1;2\n", "rubrikrad"),
        ("region;kön;antal\nA;män;3\n".encode(), "ålder"),
        ("region;ålder;kön;antal\nA;tjugo;män;3\n".encode(), "ålder"),
        ("region;ålder;kön;antal\nA;20 år;hen;3\n".encode(), "könet"),
        ("region;ålder;kön;antal\nA;20 år;män;tre\n".encode(), "inte ett tal"),
        ("region;ålder;kön;antal\nA;20-29 år;män;3\nA;25 år;män;1\n".encode(), "överlappar"),
        ("region;ålder;kön;år;antal\nA;20 år;män;2024;3\n".encode(), "2023"),
    ],
)
def test_bad_tables_are_refused_in_swedish_and_nothing_is_saved(
    municipality, people, content, fragment
) -> None:
    year = 2023 if fragment == "2023" else None
    with pytest.raises(rep.PopulationImportError) as err:
        rep.import_population_csv(
            municipality=municipality,
            actor=people["official"],
            content=content,
            name="x",
            source="x",
            year=year,
        )
    assert fragment in str(err.value)
    assert not PopulationTable.objects.exists()


def _participate(activity: Any, key: str, n_contributions: int = 1, **demo: str) -> None:
    for _ in range(n_contributions):
        record_contribution(
            activity=activity,
            kind="comment",
            text="Mer belysning",
            participant_key=key,
            data={"demographics": demo} if demo else {},
        )


def test_compare_counts_each_participant_once_and_finds_who_is_missing(
    dialogue, activity, municipality, settings
) -> None:
    settings.DELAKTIG_MIN_GROUP_SIZE = 5
    table = rep.load_sample_population(municipality=municipality)
    # 30 participants aged 65-74 (each writes 3 times), 8 aged 35-44, 3 aged 25-34,
    # none 16-24; all in Sjövik; women and men; two people without demographics.
    for i in range(30):
        _participate(
            activity,
            f"old{i}",
            3,
            age_band="65-74",
            gender="kvinna" if i % 3 else "man",
            district="Sjövik",
        )
    for i in range(8):
        _participate(activity, f"mid{i}", age_band="35-44", gender="man", district="sjövik ")
    for i in range(3):
        _participate(activity, f"young{i}", age_band="25-34", gender="kvinna", district="Centrum")
    _participate(activity, "anon1")
    _participate(activity, "")
    result = rep.compare(dialogue, table)
    assert result.participants == 43
    assert result.with_demographics == 41
    age = next(d for d in result.dimensions if d.key == "age_band")
    rows = {r.key: r for r in age.rows}
    assert rows["65–74"].participants == 30
    assert rows["65–74"].under_represented is False
    assert rows["16–24"].participants is None and rows["16–24"].suppressed  # 0 < 5: hidden
    assert rows["16–24"].participants_display == "färre än 5"
    assert rows["16–24"].under_represented is True
    assert rows["25–34"].suppressed and rows["25–34"].under_represented
    assert 0.05 < rows["16–24"].population_share < 0.2
    assert sum(r.population_share for r in age.rows) == pytest.approx(1.0)
    assert age.not_stated == 2
    district = next(d for d in result.dimensions if d.key == "district")
    by = {r.label: r for r in district.rows}
    assert by["Sjövik"].participants == 38  # "sjövik " and "Sjövik" are the same place
    assert by["Stationsområdet"].under_represented
    assert any(s.startswith("16–24 år:") and "färre än 5" in s for s in result.missing)
    assert any(s.startswith("Stationsområdet:") for s in result.missing)
    assert not any(s.startswith("Sjövik") for s in result.missing)
    # no participant count below the minimum is ever shown
    for dim in result.dimensions:
        for row in dim.rows:
            assert row.participants is None or row.participants >= 5


def test_a_single_hidden_group_hides_the_next_smallest_too(dialogue, activity, settings) -> None:
    settings.DELAKTIG_MIN_GROUP_SIZE = 5
    for i in range(20):
        _participate(activity, f"k{i}", gender="kvinna")
    for i in range(7):
        _participate(activity, f"m{i}", gender="man")
    _participate(activity, "a0", gender="annat")
    result = rep.compare(dialogue, None)
    gender = next(d for d in result.dimensions if d.key == "gender")
    rows = {r.key: r for r in gender.rows}
    assert rows["annat"].suppressed
    assert rows["man"].suppressed  # otherwise 28 - 20 - 7 = 1 would give "annat" away
    assert rows["kvinna"].participants == 20
    assert not gender.comparable  # no population table


def test_min_group_size_setting_is_respected(dialogue, activity, settings) -> None:
    settings.DELAKTIG_MIN_GROUP_SIZE = 10
    for i in range(8):
        _participate(activity, f"k{i}", gender="kvinna")
    for i in range(12):
        _participate(activity, f"m{i}", gender="man")
    for i in range(9):
        _participate(activity, f"a{i}", gender="annat")
    rows = {r.key: r for r in rep.compare(dialogue).dimensions[1].rows}
    assert rows["kvinna"].participants_display == "färre än 10"
    assert rows["annat"].participants_display == "färre än 10"
    assert rows["man"].participants == 12
