"""Who took part, compared with who lives here: age band, sex and district.

Population figures come from Statistics Sweden (SCB) style tables, imported from the
PxWeb CSV export (`import_population_csv`). The number of participants is the one count
used everywhere (`results.selectors.participants`). Their demographics come from
``Contribution.data["demographics"]`` (keys ``age_band``, ``gender``, ``district``), given
with consent; each participant (``participant_key``, or the contribution itself when the
key is empty, e.g. imported paper answers) counts once, with the first value they gave.

A group is *under-represented* when its share of the participants who stated that
characteristic is below ``threshold`` (default 0.8) times its share of the population in the
same age range. Participant counts below ``settings.DELAKTIG_MIN_GROUP_SIZE`` are never
shown (``färre än N``), and further groups are hidden (``dolt``) until no hidden number can
be worked out from the totals (`delaktig.core.disclosure`).

Age: the bands compared are harmonised (`harmonise_bands`): the participants' own bands,
where bands of different methods that share a year are merged into their union (15–24 with
16–24 is 15–24; 65+ with 65–74 and 75+ is 65+), and the standard bands, cut to fit, for the
ages nobody's band covers, from the lowest age that can take part. So the bands are
disjoint, each person is in one of them, and the population in them adds up to the
population of the age range. A population row that straddles two bands is spread evenly
over the years it covers (an open-ended row such as "100+ år" counts as 20 years wide).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.core import disclosure
from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.governance.models import Dialogue
from delaktig.participation.models import Contribution
from delaktig.results import selectors
from delaktig.results.models import PopulationCell, PopulationTable

OPEN_END = 200
OPEN_WIDTH = 20
STANDARD_AGE_BANDS = ["0-12", "13-15", "16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
DEFAULT_MIN_AGE = 16
GENDER_LABELS = {
    "kvinna": gettext_lazy("Kvinnor"),
    "man": gettext_lazy("Män"),
    "annat": gettext_lazy("Annat kön"),
}
DIMENSION_LABELS = {
    "age_band": gettext_lazy("Ålder"),
    "gender": gettext_lazy("Kön"),
    "district": gettext_lazy("Område"),
}


# --- Age bands -----------------------------------------------------------------------------

_BAND_RE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+)|(\+))?\s*(?:år)?\s*$", re.IGNORECASE)


def parse_age(label: str) -> tuple[int, int] | None:
    """'16-24' → (16, 24); '65+' / '100+ år' → (65, 200); '7 år' → (7, 7); else None."""
    m = _BAND_RE.match(label.replace("\u2013", "-"))
    if not m:
        return None
    low = int(m.group(1))
    if m.group(3):
        return low, OPEN_END
    high = int(m.group(2)) if m.group(2) else low
    return (low, high) if high >= low else None


def band_label(band: tuple[int, int]) -> str:
    low, high = band
    if high >= OPEN_END:
        return f"{low}+"
    return f"{low}–{high}" if high != low else str(low)


def _width(band: tuple[int, int]) -> int:
    low, high = band
    return OPEN_WIDTH if high >= OPEN_END else high - low + 1


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Share of range `a` that lies inside `b` (years, open ends as OPEN_WIDTH)."""
    a_high = a[0] + OPEN_WIDTH - 1 if a[1] >= OPEN_END else a[1]
    b_high = OPEN_END + OPEN_WIDTH if b[1] >= OPEN_END else b[1]
    years = min(a_high, b_high) - max(a[0], b[0]) + 1
    return max(0, years) / _width(a)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def harmonise_bands(
    participant_labels: list[str], min_age: int = DEFAULT_MIN_AGE
) -> tuple[list[tuple[int, int]], dict[str, tuple[int, int]]]:
    """Disjoint age bands for the comparison, and the band each participant label falls in.

    Methods of one dialogue may ask for age in different bands (15–24 in one, 16–24 in
    another; 65+ beside 65–74 and 75+). Bands that share a year are merged into their
    union, repeatedly, so every person falls in exactly one band and every year of the
    population is counted once. The standard bands fill the ages nobody's band covers.
    """
    parsed = {label: parse_age(label) for label in participant_labels}
    merged: list[tuple[int, int]] = []
    for band in sorted(b for b in parsed.values() if b is not None):
        if merged and _overlaps(merged[-1], band):
            merged[-1] = (merged[-1][0], max(merged[-1][1], band[1]))
        else:
            merged.append(band)
    low = min([min_age, *[b[0] for b in merged]])
    gaps, cursor = [], low
    for band in merged:
        if band[0] > cursor:
            gaps.append((cursor, band[0] - 1))
        cursor = max(cursor, band[1] + 1)
    if cursor <= OPEN_END:
        gaps.append((cursor, OPEN_END))
    chosen = list(merged)
    for gap in gaps:
        # The standard bands, cut to the gap, so that no year is left out.
        for label in STANDARD_AGE_BANDS:
            standard = parse_age(label)
            assert standard is not None
            part = (max(standard[0], gap[0]), min(standard[1], gap[1]))
            if part[0] <= part[1]:
                chosen.append(part)
    chosen.sort()
    member = {
        label: next(c for c in chosen if c[0] <= b[0] and b[1] <= c[1])
        for label, b in parsed.items()
        if b is not None
    }
    return chosen, member


def choose_bands(
    participant_labels: list[str], min_age: int = DEFAULT_MIN_AGE
) -> list[tuple[int, int]]:
    return harmonise_bands(participant_labels, min_age)[0]


# --- Result --------------------------------------------------------------------------------


@dataclass
class GroupRow:
    key: str
    label: str
    population: int | None
    population_share: float | None
    participants: int | None  # None when hidden (fewer than the minimum group size)
    participants_display: str
    participant_share: float | None
    suppressed: bool
    under_represented: bool

    @property
    def ratio(self) -> float | None:
        if self.participant_share is None or not self.population_share:
            return None
        return self.participant_share / self.population_share


@dataclass
class Dimension:
    key: str
    label: str
    rows: list[GroupRow]
    stated: int  # participants who stated this characteristic
    not_stated: int
    comparable: bool  # the population table has this dimension


@dataclass
class Representativeness:
    table: PopulationTable | None
    participants: int
    with_demographics: int
    dimensions: list[Dimension] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    min_group_size: int = 5
    threshold: float = 0.8
    age_range: tuple[int, int] = (DEFAULT_MIN_AGE, OPEN_END)


def participant_demographics(dialogue: Dialogue) -> tuple[int, dict[str, Counter[str]]]:
    """Number of participants, and per key a Counter of the values they stated."""
    seen: dict[str, dict[str, str]] = {}
    rows = (
        Contribution.objects.published()
        .filter(dialogue=dialogue)
        .order_by("id")
        .values_list("id", "participant_key", "data__demographics")
        .iterator(chunk_size=5000)
    )
    for pk, key, demo in rows:
        person = key or f"c{pk}"
        values = seen.setdefault(person, {})
        if isinstance(demo, dict):
            for k in ("age_band", "gender", "district"):
                v = demo.get(k)
                if v and k not in values:
                    values[k] = str(v).strip()
    counters: dict[str, Counter[str]] = {k: Counter() for k in ("age_band", "gender", "district")}
    for values in seen.values():
        for k, v in values.items():
            counters[k][v] += 1
    return len(seen), counters


def latest_table(dialogue: Dialogue) -> PopulationTable | None:
    return PopulationTable.objects.filter(municipality=dialogue.municipality).first()


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _suppress(rows: list[GroupRow], min_size: int) -> None:
    # Every group of the dimension is listed, also those nobody is in (floor 0), and the
    # table shows sizes only: no answers of the people in a hidden group.
    hidden = disclosure.hide(
        [r.participants or 0 for r in rows], min_size, floor=0, with_cells=False
    )
    for i in hidden.all:
        row = rows[i]
        row.suppressed = True
        row.participants = None
        row.participant_share = None
        row.participants_display = (
            _("färre än %(n)d") % {"n": min_size}
            if i in hidden.primary and not hidden.everything
            else _("dolt")
        )


def compare(
    dialogue: Dialogue,
    table: PopulationTable | None = None,
    *,
    min_age: int | None = None,
    threshold: float = 0.8,
) -> Representativeness:
    """Participants of `dialogue` against the population in `table` (default: the latest)."""
    table = table or latest_table(dialogue)
    min_size = disclosure.min_group_size()
    if min_age is None:
        ages = [a.min_age for a in dialogue.activities.all() if a.min_age is not None]
        min_age = min(ages) if ages else DEFAULT_MIN_AGE
    _people, counters = participant_demographics(dialogue)
    # The one participant count (results.selectors.participants), as everywhere else.
    total = selectors.participants([dialogue.pk])[dialogue.pk].total
    with_demo = 0
    result = Representativeness(
        table=table, participants=total, with_demographics=0, min_group_size=min_size
    )
    result.threshold = threshold
    harmonised, member = harmonise_bands(list(counters["age_band"]), min_age)
    # Each participant's own label counts in the harmonised band that holds it.
    in_bands: Counter[str] = Counter()
    for value, n in counters["age_band"].items():
        in_bands[band_label(member[value]) if value in member else value] += n
    counters["age_band"] = in_bands
    bands = [band_label(b) for b in harmonised]
    band_ranges = {band_label(b): b for b in harmonised}
    low = harmonised[0][0] if harmonised else min_age
    result.age_range = (low, OPEN_END)

    cells = list(table.cells.all()) if table else []
    cells = [c for c in cells if _overlap((c.age_from, c.age_to), (low, OPEN_END)) > 0]

    def in_range(c: PopulationCell) -> float:
        return c.count * _overlap((c.age_from, c.age_to), (low, OPEN_END))

    population: dict[str, dict[str, float]] = {"age_band": {}, "gender": {}, "district": {}}
    for band, rng in band_ranges.items():
        if rng:
            population["age_band"][band] = sum(
                c.count * _overlap((c.age_from, c.age_to), rng) for c in cells
            )
    district_names: dict[str, str] = {}
    for c in cells:
        if c.gender:
            population["gender"][c.gender] = population["gender"].get(c.gender, 0) + in_range(c)
        if c.district:
            key = _norm(c.district)
            district_names.setdefault(key, c.district)
            population["district"][key] = population["district"].get(key, 0) + in_range(c)

    for key in ("age_band", "gender", "district"):
        counter = counters[key]
        pop = population[key]
        comparable = bool(pop) and sum(pop.values()) > 0
        pop_total = sum(pop.values())
        if key == "district":
            merged: Counter[str] = Counter()
            labels: dict[str, str] = {}
            for value, n in counter.items():
                merged[_norm(value)] += n
                labels.setdefault(_norm(value), value)
            counter = merged
            labels = {**labels, **district_names}
        elif key == "gender":
            labels = {k: str(v) for k, v in GENDER_LABELS.items()}
        else:
            labels = {b: band_label(r) + " " + _("år") for b, r in band_ranges.items() if r}
        stated = sum(counter.values())
        with_demo = max(with_demo, stated)
        # Shares are of participants whose answer can be compared with the population.
        comparable_n = sum(n for v, n in counter.items() if v in pop) if comparable else stated
        order = list(pop) if key != "district" else sorted(pop, key=lambda v: labels.get(v, v))
        if key == "age_band":
            order = bands
        order += sorted(v for v in counter if v not in order)
        rows = []
        for value in order:
            n = counter.get(value, 0)
            p = pop.get(value) if comparable else None
            p_share = (p / pop_total) if p is not None and pop_total else None
            has_pop = p is not None or not comparable
            share = (n / comparable_n) if comparable_n and has_pop else None
            rows.append(
                GroupRow(
                    key=value,
                    label=labels.get(value, value),
                    population=round(p) if p is not None else None,
                    population_share=p_share,
                    participants=n,
                    participants_display=str(n),
                    participant_share=share,
                    suppressed=False,
                    under_represented=bool(
                        p_share and comparable_n and n / comparable_n < threshold * p_share
                    ),
                )
            )
        _suppress(rows, min_size)
        result.dimensions.append(
            Dimension(
                key=key,
                label=str(DIMENSION_LABELS[key]),
                rows=rows,
                stated=stated,
                not_stated=max(total - stated, 0),
                comparable=comparable,
            )
        )
        for row in rows:
            if not row.under_represented or row.population_share is None:
                continue
            if row.participant_share is None:
                said = _("%(label)s: %(pop)s av befolkningen men %(few)s deltagare.") % {
                    "label": row.label,
                    "pop": _pct(row.population_share),
                    "few": row.participants_display,
                }
            else:
                said = _("%(label)s: %(pop)s av befolkningen men %(part)s av deltagarna.") % {
                    "label": row.label,
                    "pop": _pct(row.population_share),
                    "part": _pct(row.participant_share),
                }
            result.missing.append(said)
    result.with_demographics = with_demo
    return result


def _pct(share: float) -> str:
    return f"{round(share * 100)} %"


# --- Import of SCB (PxWeb) tables ----------------------------------------------------------

HEADER_NAMES = {
    "district": {"region", "område", "omrade", "distrikt", "deso", "regso", "stadsdel", "district"},
    "age": {"ålder", "alder", "age", "åldersgrupp", "ålder (år)"},
    "gender": {"kön", "kon", "sex", "gender"},
    "year": {"år", "ar", "year", "tid"},
    "count": {"antal", "folkmängd", "folkmangd", "value", "värde", "count", "befolkning"},
}
GENDER_VALUES = {
    "män": "man",
    "man": "man",
    "m": "man",
    "1": "man",
    "kvinnor": "kvinna",
    "kvinna": "kvinna",
    "k": "kvinna",
    "2": "kvinna",
}
TOTAL_WORDS = ("totalt", "total", "samtliga", "båda könen", "män och kvinnor", "alla")
YEAR_RE = re.compile(r"(?:^|\D)((?:19|20)\d\d)(?:\D|$)")
CODE_PREFIX_RE = re.compile(r"^\s*\d{2,}[A-Z]?\d*\s+")
CODE_SUFFIX_RE = re.compile(r"\s*\([^)]*\)\s*$")


class PopulationImportError(DomainError):
    pass


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PopulationImportError(_("Filen går inte att läsa som text."))  # pragma: no cover


def _role(header: str) -> str | None:
    h = header.strip().strip('"').lower()
    for role, names in HEADER_NAMES.items():
        if h in names:
            return role
    return None


def _count(value: str) -> int | None:
    v = value.replace("\u00a0", "").replace(" ", "").strip()
    if v in ("", "..", ".", "-"):
        return None
    try:
        number = float(v.replace(",", "."))
    except ValueError as exc:
        raise ValueError(value) from exc
    if number < 0:
        raise ValueError(value)
    return round(number)


def _district(value: str, municipality_name: str) -> str:
    v = CODE_SUFFIX_RE.sub("", CODE_PREFIX_RE.sub("", value)).strip()
    short = municipality_name.replace(" kommun", "").strip()
    for prefix in (municipality_name, short):
        if prefix and v.lower().startswith(prefix.lower() + " - "):
            v = v[len(prefix) + 3 :].strip()
    return v


@dataclass
class ParsedTable:
    year: int | None
    cells: dict[tuple[str, str, int, int], int]


def parse_population_csv(
    content: bytes, *, municipality_name: str = "", year: int | None = None
) -> ParsedTable:
    """Read a PxWeb CSV export (long or wide, `;` `,` or tab, UTF-8 or Latin-1)."""
    text = _decode(content)
    lines = text.splitlines()
    sample = "\n".join(lines[:20])
    delimiter = max([";", "\t", ","], key=sample.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [r for r in reader if any(c.strip() for c in r)]
    # PxWeb may put a title line (and a blank line) above the header.
    header_at = next(
        (i for i, r in enumerate(rows[:10]) if sum(_role(c) is not None for c in r) >= 2), None
    )
    if header_at is None:
        raise PopulationImportError(
            _("Hittar ingen rubrikrad med till exempel region, ålder, kön och antal.")
        )
    header = [h.strip() for h in rows[header_at]]
    roles = {i: _role(h) for i, h in enumerate(header)}
    col = {role: i for i, role in roles.items() if role}
    if "age" not in col:
        raise PopulationImportError(_("Tabellen saknar en kolumn för ålder."))
    year_cols: dict[int, int] = {}
    if "count" not in col:
        for i, h in enumerate(header):
            m = YEAR_RE.search(h)
            if roles[i] is None and m:
                year_cols[i] = int(m.group(1))
        if not year_cols:
            raise PopulationImportError(
                _("Tabellen saknar en kolumn för antal (eller en kolumn per år).")
            )
    problems: list[str] = []
    records: list[tuple[str, str, tuple[int, int], int, int | None]] = []
    for line_no, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if len(row) < len(header):
            problems.append(_("Rad %(row)d har för få kolumner.") % {"row": line_no})
            continue
        age_text = row[col["age"]].strip()
        if any(age_text.lower().startswith(w) for w in TOTAL_WORDS) or "okänd" in age_text:
            continue
        age = parse_age(age_text)
        if age is None:
            problems.append(
                _("Rad %(row)d: åldern ”%(value)s” går inte att tolka.")
                % {"row": line_no, "value": age_text}
            )
            continue
        gender_text = row[col["gender"]].strip().lower() if "gender" in col else ""
        if gender_text and any(gender_text.startswith(w) for w in TOTAL_WORDS):
            gender = "*"
        elif gender_text:
            gender = GENDER_VALUES.get(gender_text, "")
            if not gender:
                problems.append(
                    _("Rad %(row)d: könet ”%(value)s” går inte att tolka.")
                    % {"row": line_no, "value": row[col["gender"]]}
                )
                continue
        else:
            gender = ""
        district = row[col["district"]].strip() if "district" in col else ""
        values: list[tuple[int | None, str]] = []
        if year_cols:
            values = [(y, row[i]) for i, y in year_cols.items()]
        else:
            row_year = None
            if "year" in col:
                m = YEAR_RE.search(row[col["year"]])
                row_year = int(m.group(1)) if m else None
            values = [(row_year, row[col["count"]])]
        for y, raw in values:
            try:
                n = _count(raw)
            except ValueError:
                problems.append(
                    _("Rad %(row)d: antalet ”%(value)s” är inte ett tal.")
                    % {"row": line_no, "value": raw}
                )
                continue
            if n is not None:
                records.append((district, gender, age, n, y))
    if problems:
        raise PopulationImportError(_("Tabellen kan inte importeras."), missing=problems[:50])
    if not records:
        raise PopulationImportError(_("Tabellen innehåller inga befolkningssiffror."))
    years = {r[4] for r in records if r[4] is not None}
    chosen_year = year if year is not None else (max(years) if years else None)
    if year is not None and year not in years:
        raise PopulationImportError(_("Tabellen har inga siffror för år %(y)d.") % {"y": year})
    records = [r for r in records if r[4] is None or r[4] == chosen_year]
    # Totals by sex are used only when the table has no split by sex.
    if any(r[1] in ("man", "kvinna") for r in records):
        records = [r for r in records if r[1] != "*"]
    else:
        records = [(d, "", a, n, y) for d, _g, a, n, y in records]
    regions = {r[0] for r in records}
    names: dict[str, str] = {}
    for region in regions:
        names[region] = "" if len(regions) == 1 else _district(region, municipality_name)
    if len(regions) > 1:
        # A row for the whole municipality next to its districts is a total: drop it.
        whole = {
            r
            for r in regions
            if municipality_name
            and _district(r, "").lower()
            in {municipality_name.lower(), municipality_name.replace(" kommun", "").lower()}
        }
        records = [r for r in records if r[0] not in whole]
    # Ages: a table may have both single years and bands; keep the finest (no overlaps).
    cells: dict[tuple[str, str, int, int], int] = defaultdict(int)
    for district, gender, age, n, _y in records:
        cells[(names[district], gender, age[0], age[1])] += n
    _check_overlaps(cells)
    return ParsedTable(year=chosen_year, cells=dict(cells))


def _check_overlaps(cells: dict[tuple[str, str, int, int], int]) -> None:
    by_group: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for district, gender, low, high in cells:
        by_group[(district, gender)].append((low, high))
    for (district, gender), ranges in by_group.items():
        ranges.sort()
        for a, b in zip(ranges, ranges[1:], strict=False):
            if b[0] <= a[1]:
                raise PopulationImportError(
                    _("Åldersgrupperna överlappar (%(a)s och %(b)s) för %(who)s.")
                    % {
                        "a": band_label(a),
                        "b": band_label(b),
                        "who": " ".join(x for x in (district, gender) if x) or _("hela kommunen"),
                    }
                )


@transaction.atomic
def import_population_csv(
    *,
    municipality: Any,
    actor: Any,
    content: bytes,
    name: str,
    source: str,
    year: int | None = None,
    is_sample: bool = False,
) -> PopulationTable:
    parsed = parse_population_csv(content, municipality_name=municipality.name, year=year)
    table = PopulationTable.objects.create(
        municipality=municipality,
        name=name,
        source=source,
        year=parsed.year,
        is_sample=is_sample,
    )
    PopulationCell.objects.bulk_create(
        [
            PopulationCell(table=table, district=d, gender=g, age_from=low, age_to=high, count=n)
            for (d, g, low, high), n in parsed.cells.items()
        ],
        batch_size=2000,
    )
    record_audit(
        actor=actor,
        action="results.population_imported",
        obj=table,
        summary=f"{name} ({parsed.year or '–'}), {sum(parsed.cells.values())} personer",
    )
    return table


SAMPLE_PATH = "data/befolkning_exempelby_2024.csv"


def load_sample_population(*, municipality: Any, actor: Any = None) -> PopulationTable:
    """The shipped, invented sample table for the demo municipality (see data/README.md)."""
    from pathlib import Path

    path = Path(__file__).resolve().parent / SAMPLE_PATH
    return import_population_csv(
        municipality=municipality,
        actor=actor,
        content=path.read_bytes(),
        name=_("Befolkning per område, ålder och kön (exempeldata)"),
        source=_(
            "Påhittade exempelsiffror för demokommunen, i SCB:s PxWeb-format. "
            "Inte officiell statistik."
        ),
        is_sample=True,
    )
