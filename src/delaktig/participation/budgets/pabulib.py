"""Reader and writer for the Pabulib `.pb` format (pabulib.org).

A `.pb` file has three sections, each introduced by a line with its name
(`META`, `PROJECTS`, `VOTES`) and a header row, written as `;`-separated CSV
with `"` quoting. Errors are reported in Swedish with the line number, so an
official who uploads a broken file knows exactly what to fix.

Numbers (budget, costs, points) are read as exact `Fraction`s: a budget such as
`1994767.23` must not become a float that rounds a project in or out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from delaktig.core.parsing import parse_int
from delaktig.participation.budgets.counting import (
    FILE_ORDER,
    POZNAN_RESERVE,
    Ballot,
    Instance,
    Project,
)

SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = ("approval", "cumulative", "ordinal", "choose-1", "scoring")


class PabulibError(ValueError):
    """A `.pb` file that cannot be read; the message is Swedish and names the line."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.detail = message
        super().__init__(f"Rad {line}: {message}" if line else message)


@dataclass
class PabulibFile:
    meta: dict[str, str]
    projects: list[dict[str, str]]
    votes: list[dict[str, str]]
    project_columns: list[str] = field(default_factory=list)
    vote_columns: list[str] = field(default_factory=list)
    meta_lines: dict[str, int] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        return self.meta.get("rule", "")

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval")

    def reference_selection(self, values: Iterable[str] = ("1",)) -> list[str]:
        """Projects whose `selected` column holds one of `values` (what the city funded)."""
        wanted = set(values)
        return [p["project_id"] for p in self.projects if p.get("selected", "") in wanted]


def parse_number(text: str, *, line: int, what: str) -> Fraction:
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        raise PabulibError(f"{what} saknas.", line=line)
    try:
        value = Fraction(cleaned.replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise PabulibError(f"{what} är inte ett tal: ”{text}”.", line=line) from None
    return value


def read(source: str | Path | io.TextIOBase) -> PabulibFile:
    """Parse a `.pb` file (path, text or open text stream) into its three sections."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise PabulibError(f"Filen {path} finns inte.") from None
        except UnicodeDecodeError:
            raise PabulibError("Filen är inte kodad i UTF-8.") from None
    elif isinstance(source, str):
        text = source
    else:
        text = source.read()
    return parse_text(text)


def parse_text(text: str) -> PabulibFile:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    section: str | None = None
    header: list[str] | None = None
    meta: dict[str, str] = {}
    projects: list[dict[str, str]] = []
    votes: list[dict[str, str]] = []
    headers: dict[str, list[str]] = {}
    meta_lines: dict[str, int] = {}
    seen: list[str] = []
    project_ids: set[str] = set()
    voter_ids: set[str] = set()
    start = 1
    try:
        for row in reader:
            line = start
            start = reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            first = row[0].strip()
            if len(row) == 1 and first.upper() in SECTIONS:
                name = first.upper()
                if name in seen:
                    raise PabulibError(f"Avsnittet {name} förekommer två gånger.", line=line)
                expected = SECTIONS[len(seen)] if len(seen) < len(SECTIONS) else None
                if name != expected:
                    raise PabulibError(
                        f"Avsnittet {name} kommer i fel ordning; väntade {expected}.",
                        line=line,
                    )
                seen.append(name)
                section, header = name, None
                continue
            if section is None:
                raise PabulibError("Filen måste börja med raden META.", line=line)
            cells = [cell.strip() for cell in row]
            if header is None:
                header = cells
                headers[section] = header
                required = {
                    "META": ["key", "value"],
                    "PROJECTS": ["project_id", "cost"],
                    "VOTES": ["voter_id", "vote"],
                }[section]
                missing = [c for c in required if c not in header]
                if missing:
                    raise PabulibError(
                        f"Rubrikraden i {section} saknar kolumnen {', '.join(missing)}.",
                        line=line,
                    )
                continue
            if len(cells) != len(header):
                raise PabulibError(
                    f"{section}: raden har {len(cells)} fält men rubrikraden har {len(header)}.",
                    line=line,
                )
            record = dict(zip(header, cells, strict=True))
            record["_line"] = str(line)
            if section == "META":
                meta[record["key"]] = record["value"]
                meta_lines[record["key"]] = line
            elif section == "PROJECTS":
                pid = record["project_id"]
                if not pid:
                    raise PabulibError("Projektet saknar project_id.", line=line)
                if pid in project_ids:
                    raise PabulibError(f"Projektet {pid} förekommer två gånger.", line=line)
                project_ids.add(pid)
                projects.append(record)
            else:
                vid = record["voter_id"]
                if vid in voter_ids:
                    raise PabulibError(f"Väljaren {vid} förekommer två gånger.", line=line)
                voter_ids.add(vid)
                votes.append(record)
    except csv.Error as exc:
        raise PabulibError(f"Felaktig CSV: {exc}.", line=reader.line_num) from None
    for name in SECTIONS:
        if name not in seen:
            raise PabulibError(f"Avsnittet {name} saknas i filen.")
        if name not in headers:
            raise PabulibError(f"Avsnittet {name} saknar rubrikrad.")
    return PabulibFile(
        meta=meta,
        projects=projects,
        votes=votes,
        project_columns=headers["PROJECTS"],
        vote_columns=headers["VOTES"],
        meta_lines=meta_lines,
    )


def _meta_number(pb: PabulibFile, key: str) -> Fraction | None:
    if key not in pb.meta or pb.meta[key] == "":
        return None
    return parse_number(pb.meta[key], line=pb.meta_lines.get(key, 0), what=f"META-värdet {key}")


def to_instance(pb: PabulibFile) -> Instance:
    """Turn a parsed file into a counting `Instance`, checking every vote."""
    meta = pb.meta
    if "budget" not in meta:
        raise PabulibError("META saknar nyckeln budget.")
    budget = parse_number(meta["budget"], line=pb.meta_lines.get("budget", 0), what="Budgeten")
    if budget < 0:
        raise PabulibError("Budgeten är negativ.", line=pb.meta_lines.get("budget"))
    vote_type = meta.get("vote_type", "approval")
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            f"Okänd röstningstyp ”{vote_type}”; möjliga: {', '.join(VOTE_TYPES)}.",
            line=pb.meta_lines.get("vote_type"),
        )
    projects: list[Project] = []
    for record in pb.projects:
        line = int(record["_line"])
        cost = parse_number(record["cost"], line=line, what=f"Kostnaden för {record['project_id']}")
        if cost < 0:
            raise PabulibError(f"Kostnaden för {record['project_id']} är negativ.", line=line)
        categories = tuple(c for c in record.get("category", "").split(",") if c)
        projects.append(
            Project(
                id=record["project_id"],
                cost=cost,
                name=record.get("name", ""),
                categories=categories,
            )
        )
    known = {p.id for p in projects}
    excludes = _excludes(pb, known)
    warnings: list[str] = []
    max_length = meta.get("max_length")
    ordinal_top = parse_int(max_length)
    ballots: list[Ballot] = []
    has_points = "points" in pb.vote_columns
    for record in pb.votes:
        line = int(record["_line"])
        chosen = [v.strip() for v in record["vote"].split(",") if v.strip()]
        for pid in chosen:
            if pid not in known:
                raise PabulibError(
                    f"Väljaren {record['voter_id']} röstar på projektet {pid}, "
                    "som inte finns i PROJECTS.",
                    line=line,
                )
        raw: list[str] = []
        if vote_type in ("cumulative", "scoring") or (has_points and record.get("points")):
            raw = [p.strip() for p in record.get("points", "").split(",")]
            if len(raw) != len(chosen):
                raise PabulibError(
                    f"Väljaren {record['voter_id']} har {len(chosen)} projekt men "
                    f"{len(raw)} poängvärden.",
                    line=line,
                )
        if len(set(chosen)) != len(chosen):
            # Real city exports contain such ballots; the cities count one mention.
            first = [chosen.index(pid) for pid in dict.fromkeys(chosen)]
            twice = sorted({pid for pid in chosen if chosen.count(pid) > 1})
            warnings.append(
                f"Rad {line}: väljaren {record['voter_id']} nämner "
                f"{', '.join(twice)} mer än en gång; det räknas som en gång."
            )
            chosen = [chosen[i] for i in first]
            raw = [raw[i] for i in first] if raw else raw
        if raw:
            points = [parse_number(p, line=line, what="Poängen") for p in raw]
            if any(p < 0 for p in points):
                raise PabulibError("Poängen får inte vara negativ.", line=line)
            ballot = dict(zip(chosen, points, strict=True))
        elif vote_type == "ordinal":
            # Kraków: first choice gets max_length points, then one less per place.
            top = ordinal_top or len(chosen)
            ballot = {pid: Fraction(top - i) for i, pid in enumerate(chosen)}
        else:
            if vote_type == "choose-1" and len(chosen) > 1:
                raise PabulibError(
                    f"Väljaren {record['voter_id']} har valt {len(chosen)} projekt, "
                    "men röstningstypen tillåter bara ett.",
                    line=line,
                )
            ballot = dict.fromkeys(chosen, Fraction(1))
        ballots.append(Ballot(voter_id=record["voter_id"], scores=ballot, approved=tuple(chosen)))
    return Instance(
        budget=budget,
        projects=projects,
        ballots=ballots,
        vote_type=vote_type,
        rule=meta.get("rule", ""),
        threshold=_meta_number(pb, "min_project_score_threshold"),
        meta=dict(meta),
        tie_break=FILE_ORDER,
        excludes=excludes,
        custom=POZNAN_RESERVE if describes_poznan_reserve(meta) else "",
        warnings=warnings,
    )


def describes_poznan_reserve(meta: dict[str, str]) -> bool:
    """Poznań's own greedy: its files name the city and describe the 80 % reserve."""
    unit = meta.get("unit", "").strip().lower()
    comment = meta.get("comment", "").lower()
    return unit in ("poznań", "poznan") or ("80%" in comment and "reserve" in comment)


def _excludes(pb: PabulibFile, known: set[str]) -> dict[str, frozenset[str]]:
    """The optional PROJECTS column `excludes` (ids, comma-separated), made symmetric."""
    if "excludes" not in pb.project_columns:
        return {}
    pairs: dict[str, set[str]] = {}
    for record in pb.projects:
        for other in (v.strip() for v in record.get("excludes", "").split(",")):
            if not other:
                continue
            if other not in known:
                raise PabulibError(
                    f"Projektet {record['project_id']} utesluter {other}, som inte finns "
                    "i PROJECTS.",
                    line=int(record["_line"]),
                )
            pairs.setdefault(record["project_id"], set()).add(other)
            pairs.setdefault(other, set()).add(record["project_id"])
    return {pid: frozenset(others) for pid, others in pairs.items()}


def load(source: str | Path | io.TextIOBase) -> tuple[PabulibFile, Instance]:
    pb = read(source)
    return pb, to_instance(pb)


def _fmt(value: Fraction | int | str) -> str:
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return f"{float(value):.2f}".rstrip("0").rstrip(".")
    return str(value)


def write(
    *,
    meta: dict[str, str],
    projects: list[dict[str, object]],
    votes: list[dict[str, object]],
) -> str:
    """Write a `.pb` file. `projects`/`votes` are dicts; their keys become the columns."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, _fmt(value)])
    writer.writerow(["PROJECTS"])
    columns = _columns(projects, ["project_id", "cost"])
    writer.writerow(columns)
    for record in projects:
        writer.writerow([_fmt(record.get(c, "")) for c in columns])  # type: ignore[arg-type]
    writer.writerow(["VOTES"])
    columns = _columns(votes, ["voter_id", "vote"])
    writer.writerow(columns)
    for record in votes:
        writer.writerow([_fmt(record.get(c, "")) for c in columns])  # type: ignore[arg-type]
    return out.getvalue()


def _columns(records: list[dict[str, object]], first: list[str]) -> list[str]:
    columns = list(first)
    for record in records:
        for key in record:
            if key not in columns and not key.startswith("_"):
                columns.append(key)
    return columns
