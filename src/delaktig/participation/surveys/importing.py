"""Import of answers exported from other survey tools (CSV with ; or , and XLSX).

Two steps: `read_table` parses the file and `suggest_mapping` proposes what each column is;
the official adjusts the mapping; `import_responses` validates EVERY cell first and only
then writes, in one transaction, so a bad file imports nothing.

Mapping targets (strings):
  "ignore"                       the column is not imported
  "id"                           the respondent's id in the other tool (re-import refused)
  "demo:<key>"                   a demographic (age_band, gender, district, education,
                                 occupation, years_lived)
  "new:<kind>"                   a new question of kind single, multiple, scale, number, text
  "q:<question id>"              an existing question of the survey
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.parsing import parse_int
from delaktig.participation.actions import record_contribution
from delaktig.participation.models import Channel, Contribution, ContributionKind
from delaktig.participation.surveys.actions import (
    answer_values,
    insert_answer_rows,
    shown_answers,
)
from delaktig.participation.surveys.models import (
    DEMOGRAPHIC_KEYS,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
)

DEFAULT_MISSING = ("", "NA", "N/A", "#N/A", "-", ".")
MAX_ROWS = 200_000
MAX_PROBLEMS_SHOWN = 50
NEW_KINDS = [
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.SCALE,
    QuestionKind.NUMBER,
    QuestionKind.TEXT,
]
MULTI_SEPARATOR = "|"


class ImportFileError(DomainError):
    """The file cannot be imported. `problems` lists each row/column in Swedish."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message, code="bad_file", missing=problems or [])
        self.problems = problems or []


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    filename: str = ""


@dataclass
class ImportResult:
    created: int
    questions_created: int
    skipped_cells: list[str] = field(default_factory=list)


# --- Reading -------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Filen går inte att läsa som text (teckenkodning)."))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, content: bytes) -> Table:
    """Parse a CSV (`;` or `,`) or XLSX file into a header and rows of strings."""
    name = filename.lower()
    if not content:
        raise ImportFileError(_("Filen är tom."))
    if name.endswith(".xlsx") or content[:2] == b"PK":
        rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("Filen måste vara CSV eller XLSX."))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ImportFileError(_("Filen är tom."))
    header = [h.strip() for h in rows[0]]
    problems = []
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        problems.append(_("Rubrikraden har samma kolumnnamn flera gånger: %s") % ", ".join(dup))
    if any(not h for h in header):
        problems.append(_("Rubrikraden har kolumner utan namn."))
    body = rows[1:]
    if not body:
        problems.append(_("Filen har bara en rubrikrad och inga svar."))
    if len(body) > MAX_ROWS:
        problems.append(_("Filen har fler än %(max)d rader.") % {"max": MAX_ROWS})
    for i, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(
                _("Rad %(row)d har %(n)d kolumner men rubrikraden har %(h)d.")
                % {"row": i, "n": len(row), "h": len(header)}
            )
    if problems:
        raise ImportFileError(_("Filen kan inte importeras."), problems[:MAX_PROBLEMS_SHOWN])
    return Table(header=header, rows=[[c.strip() for c in r] for r in body], filename=filename)


def _read_csv(content: bytes) -> list[list[str]]:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(_("CSV-filen är trasig: %s") % exc) from exc


def _read_xlsx(content: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("XLSX-filen går inte att öppna.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    # Trailing empty columns are common in spreadsheets.
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    return [(r + [""] * width)[:width] for r in rows]


# --- Suggesting a mapping -----------------------------------------------------------

DEMOGRAPHIC_PATTERNS = [
    ("age_band", re.compile(r"(hur\.?\s*gammal|ålder|alder|age)", re.I)),
    ("gender", re.compile(r"(kön|kon\b|gender|sex)", re.I)),
    ("district", re.compile(r"(var\.?\s*bor|område|stadsdel|district)", re.I)),
    ("education", re.compile(r"(utbildning|education)", re.I)),
    ("occupation", re.compile(r"(sysselsättning|occupation)", re.I)),
    ("years_lived", re.compile(r"(hur\.?\s*länge|bott\.?\s*i|years)", re.I)),
]
ID_NAMES = {"id", "serial", "respondent", "respondentid", "svarsid", "löpnummer"}
IGNORE_NAMES = {"sid", "time", "draft", "ip.address", "ip", "uid", "username", "tid", "datum"}


def label_from_header(header: str) -> str:
    """Readable label: "X1a..Bevara.större.grönområden" → "1a. Bevara större grönområden"."""
    text = header.strip()
    match = re.match(r"^X?(\d+[a-z]?)\.\.(.*)$", text)
    prefix = ""
    if match:
        prefix, text = match.group(1) + ". ", match.group(2)
    if " " not in text and "." in text:
        text = re.sub(r"\.+", " ", text).strip()
    return (prefix + text).strip()[:500] or header[:500]


def _number(value: str) -> float | None:
    try:
        return float(value.replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        return None


def suggest_mapping(
    table: Table, survey: Survey | None = None, missing: tuple[str, ...] = DEFAULT_MISSING
) -> dict[int, str]:
    mapping: dict[int, str] = {}
    existing = {}
    if survey is not None:
        existing = {q.import_column or q.label: q.pk for q in survey.questions.all()}
    used_demo: set[str] = set()
    for index, header in enumerate(table.header):
        key = header.strip().lower()
        if header in existing:
            mapping[index] = f"q:{existing[header]}"
            continue
        if key in ID_NAMES and "id" not in mapping.values():
            mapping[index] = "id"
            continue
        if key in IGNORE_NAMES:
            mapping[index] = "ignore"
            continue
        values = [row[index] for row in table.rows if row[index] not in missing]
        if not values:
            mapping[index] = "ignore"
            continue
        demo = next(
            (
                k
                for k, pattern in DEMOGRAPHIC_PATTERNS
                if pattern.search(header) and k not in used_demo
            ),
            None,
        )
        if demo and not re.match(r"^X?\d", header):
            used_demo.add(demo)
            mapping[index] = f"demo:{demo}"
            continue
        numbers = [_number(v) for v in values]
        numeric = [n for n in numbers if n is not None]
        if len(numeric) >= 0.95 * len(values):
            integers = all(n.is_integer() for n in numeric)
            distinct = {n for n in numeric}
            if integers and len(distinct) <= 21 and max(distinct) - min(distinct) <= 20:
                mapping[index] = f"new:{QuestionKind.SCALE}"
            else:
                mapping[index] = f"new:{QuestionKind.NUMBER}"
            continue
        distinct_text = set(values)
        if len(distinct_text) <= 15:
            mapping[index] = f"new:{QuestionKind.SINGLE}"
        else:
            mapping[index] = f"new:{QuestionKind.TEXT}"
    return mapping


# --- Importing -------------------------------------------------------------------------

GENDER_MAP = {
    "kvinna": "kvinna",
    "k": "kvinna",
    "female": "kvinna",
    "man": "man",
    "m": "man",
    "male": "man",
    "annat": "annat",
    "annat/inget kön": "annat",
    "annat kön": "annat",
    "icke-binär": "annat",
}


def normalise_demographic(key: str, value: str) -> str:
    value = value.strip()
    if key == "gender":
        return GENDER_MAP.get(value.lower(), "")
    if key == "age_band":
        value = value.replace("–", "-").replace(" år", "").replace(" ", "")
    return value[:100]


def _natural_key(value: str) -> tuple[Any, ...]:
    n = _number(value)
    return (0, n, "") if n is not None else (1, 0, value.lower())


@transaction.atomic
def import_responses(
    *,
    survey: Survey,
    actor: Any,
    table: Table,
    mapping: dict[int, str],
    missing: tuple[str, ...] = DEFAULT_MISSING,
    skip_invalid: bool = False,
) -> ImportResult:
    """Validate every cell, then create one submitted response (and Contribution) per row.

    With `skip_invalid`, a cell that does not fit its question counts as not answered and
    is listed in the result; otherwise any such cell stops the whole import.
    """
    header = table.header
    problems: list[str] = []
    skipped: list[str] = []

    def where(row_no: int, col: int) -> str:
        return _("Rad %(row)d, kolumn ”%(col)s”") % {"row": row_no, "col": header[col]}

    # 1. Resolve targets: existing questions and (unsaved) new ones.
    questions: dict[int, Question] = {}
    demographics: dict[int, str] = {}
    id_column: int | None = None
    existing = {q.pk: q for q in survey.questions.all()}
    for col, target in sorted(mapping.items()):
        if col < 0 or col >= len(header):
            raise ImportFileError(_("Kopplingen gäller en kolumn som inte finns."))
        if target == "ignore" or not target:
            continue
        if target == "id":
            if id_column is not None:
                problems.append(_("Bara en kolumn kan vara svarens id."))
            id_column = col
        elif target.startswith("demo:") and target[5:] in DEMOGRAPHIC_KEYS:
            if target[5:] in demographics.values():
                problems.append(
                    _("Två kolumner är kopplade till samma bakgrundsuppgift (%s).") % target[5:]
                )
            demographics[col] = target[5:]
        elif target.startswith("new:") and target[4:] in NEW_KINDS:
            questions[col] = _new_question(survey, table, col, target[4:], missing)
        elif target.startswith("q:") and parse_int(target[2:]) in existing:
            q = existing[int(target[2:])]
            if q.kind in (QuestionKind.RANKING, QuestionKind.MATRIX):
                problems.append(
                    _("Kolumn ”%(col)s”: frågor av typen %(kind)s kan inte importeras.")
                    % {"col": header[col], "kind": q.get_kind_display()}
                )
            questions[col] = q
        else:
            problems.append(
                _("Kolumn ”%(col)s”: okänd koppling ”%(target)s”.")
                % {"col": header[col], "target": target}
            )
    if not questions:
        problems.append(_("Koppla minst en kolumn till en fråga."))
    if problems:
        raise ImportFileError(_("Kopplingen av kolumner behöver rättas."), problems)

    # 2. Validate every cell.
    seen_ids: dict[str, int] = {}
    already = set()
    if id_column is not None:
        already = set(
            survey.responses.filter(channel=ResponseChannel.IMPORT).values_list(
                "source_ref", flat=True
            )
        )
    parsed: list[tuple[str, dict[int, Any], dict[str, str]]] = []
    for row_no, row in enumerate(table.rows, start=2):
        ref = ""
        if id_column is not None:
            ref = row[id_column][:100]
            if not ref:
                problems.append(where(row_no, id_column) + ": " + _("id saknas."))
            elif ref in seen_ids:
                problems.append(
                    where(row_no, id_column)
                    + ": "
                    + _("samma id som rad %(other)d.") % {"other": seen_ids[ref]}
                )
            elif ref in already:
                problems.append(where(row_no, id_column) + ": " + _("svaret är redan importerat."))
            seen_ids[ref] = row_no
        values: dict[int, Any] = {}
        for col, q in questions.items():
            cell = row[col]
            if cell in missing:
                continue
            value, error = _parse(q, cell)
            if error:
                message = f"{where(row_no, col)}: ”{cell[:40]}” {error}"
                (skipped if skip_invalid else problems).append(message)
                continue
            values[col] = value
        demo = {}
        for col, key in demographics.items():
            cell = row[col]
            if cell in missing:
                continue
            normal = normalise_demographic(key, cell)
            if normal:
                demo[key] = normal
        parsed.append((ref, values, demo))
        if len(problems) > MAX_PROBLEMS_SHOWN:
            break
    if problems:
        raise ImportFileError(
            _("Filen innehåller fel. Ingenting har importerats."), problems[:MAX_PROBLEMS_SHOWN]
        )

    # 3. Write.
    created_questions = 0
    for q in questions.values():
        if q.pk is None:
            q.save()
            created_questions += 1
    ordered = list(survey.questions.all())
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                status=ResponseStatus.SUBMITTED,
                channel=ResponseChannel.IMPORT,
                entered_by=actor,
                source_ref=ref,
                demographics_consent=bool(demo),
                demographics=demo,
            )
            for ref, _values, demo in parsed
        ]
    )
    if any(r.pk is None for r in responses):  # pragma: no cover - old SQLite
        refs = [r.source_ref for r in responses]
        responses = list(survey.responses.filter(source_ref__in=refs).order_by("pk"))
    by_pk = {q.pk: q for q in ordered}
    rows: list[tuple[Any, ...]] = []
    text_by_response: dict[int, str] = {}
    for response, (_ref, values, _demo) in zip(responses, parsed, strict=True):
        kept = shown_answers(ordered, {questions[c].pk: v for c, v in values.items()})
        texts = []
        for qid, value in kept.items():
            q = by_pk[qid]
            for item, option, number, text in answer_values(q, value):
                rows.append((response.pk, qid, item, option, number, text))
            if q.kind == QuestionKind.TEXT:
                texts.append(str(value))
        text_by_response[response.pk] = "\n\n".join(texts)
    insert_answer_rows(rows)
    contribution_ids = []
    for response in responses:
        data: dict[str, Any] = {
            "survey_id": survey.pk,
            "response_id": response.pk,
            "imported_from": table.filename[:200],
        }
        if response.demographics:
            data["demographics"] = response.demographics
        contribution = record_contribution(
            activity=survey.activity,
            kind=ContributionKind.ANSWER,
            text=text_by_response.get(response.pk, ""),
            data=data,
            channel=Channel.IMPORT,
            source=response,
        )
        response.contribution = contribution
        contribution_ids.append(contribution.pk)
    Response.objects.bulk_update(responses, ["contribution"], batch_size=2000)
    # One audit row for the whole import instead of one per contribution.
    Contribution.objects.filter(pk__in=contribution_ids).update(entered_by=actor)
    record_audit(
        actor=actor,
        action="survey.imported",
        obj=survey,
        summary=_("%(n)d svar importerade från %(file)s")
        % {"n": len(responses), "file": table.filename},
        data={
            "rows": len(responses),
            "questions_created": created_questions,
            "skipped_cells": len(skipped),
            "mapping": {header[c]: t for c, t in mapping.items()},
        },
    )
    return ImportResult(
        created=len(responses), questions_created=created_questions, skipped_cells=skipped
    )


def _new_question(
    survey: Survey, table: Table, col: int, kind: str, missing: tuple[str, ...]
) -> Question:
    header = table.header[col]
    values = [row[col] for row in table.rows if row[col] not in missing]
    q = Question(
        survey=survey,
        kind=kind,
        label=label_from_header(header),
        import_column=header[:300],
        order=(survey.questions.count() + col + 1),
    )
    if kind == QuestionKind.SCALE:
        numbers = [n for n in (_number(v) for v in values) if n is not None and n.is_integer()]
        if numbers:
            q.scale_min, q.scale_max = int(min(numbers)), int(max(numbers))
            if q.scale_max - q.scale_min > 20 or q.scale_max == q.scale_min:
                q.kind = QuestionKind.NUMBER
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        distinct: list[str] = []
        for v in values:
            parts = v.split(MULTI_SEPARATOR) if kind == QuestionKind.MULTIPLE else [v]
            for part in parts:
                part = part.strip()
                if part and part not in distinct:
                    distinct.append(part)
        q.options = sorted(distinct, key=_natural_key)
    elif kind == QuestionKind.TEXT:
        q.max_length = 4000
    return q


def _parse(q: Question, cell: str) -> tuple[Any, str]:
    kind = q.kind
    if kind == QuestionKind.TEXT:
        if len(cell) > max(q.max_length, 4000):
            return None, _("är för lång text.")
        return cell, ""
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        n = _number(cell)
        if n is None:
            return None, _("är inte ett tal.")
        if kind == QuestionKind.SCALE:
            if not n.is_integer() or not q.scale_min <= n <= q.scale_max:
                return None, _("ligger utanför skalan %(lo)d–%(hi)d.") % {
                    "lo": q.scale_min,
                    "hi": q.scale_max,
                }
            return int(n), ""
        if (q.number_min is not None and n < q.number_min) or (
            q.number_max is not None and n > q.number_max
        ):
            return None, _("ligger utanför det tillåtna intervallet.")
        return n, ""
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parts = cell.split(MULTI_SEPARATOR) if kind == QuestionKind.MULTIPLE else [cell]
        indexes = []
        labels = [str(o).strip().lower() for o in q.options]
        for part in parts:
            part = part.strip()
            if part.lower() in labels:
                indexes.append(labels.index(part.lower()))
            else:
                return None, _("är inte ett av frågans svarsalternativ.")
        if kind == QuestionKind.SINGLE:
            return indexes[0], ""
        return sorted(set(indexes)), ""
    return None, _("kan inte importeras till den här frågetypen.")
