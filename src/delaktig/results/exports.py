"""Streamed, pseudonymised exports of a dialogue's contributions and results.

Memory stays flat however many rows there are: contributions are read with
``.iterator(chunk_size=...)``, themes are looked up one chunk at a time, CSV lines are
yielded to a ``StreamingHttpResponse`` and XLSX rows go to openpyxl's write-only workbook,
which writes them to a temporary file that is then streamed. ``bench/bench_exports.py``
measures peak memory at 100,000 and 1,000,000 rows.

Pseudonymised: no names, e-mail addresses or user ids of residents. A participant is a
stable pseudonym (HMAC of the dialogue and the participant key with the site's secret key),
so answers by the same person can be grouped without saying who they are. Of ``data`` only
the demographic keys are exported, and the text of hidden (moderated) contributions is not.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import batched
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.governance.models import Dialogue
from delaktig.participation.models import Channel, Contribution, ContributionKind, Method
from delaktig.results.models import ThemeAssignment, ThemeStatus

CHUNK = 2000
DEMOGRAPHIC_COLUMNS = ["age_band", "gender", "district", "education", "occupation", "years_lived"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def pseudonym(dialogue_id: int, key: str) -> str:
    if not key:
        return ""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{dialogue_id}:{key}".encode(), hashlib.sha256
    ).hexdigest()
    return f"D{dialogue_id}-{digest[:10]}"


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def contribution_header() -> list[str]:
    return [
        _("bidrag"),
        _("tidpunkt"),
        _("aktivitet"),
        _("metod"),
        _("typ"),
        _("kanal"),
        _("status"),
        _("deltagare (pseudonym)"),
        _("text"),
        _("ålder"),
        _("kön"),
        _("område"),
        _("utbildning"),
        _("sysselsättning"),
        _("tid i kommunen"),
        _("teman"),
        _("inmatat av tjänsteperson"),
    ]


def _themes_for(ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        ThemeAssignment.objects.filter(contribution_id__in=ids)
        .exclude(theme__status__in=[ThemeStatus.MERGED, ThemeStatus.REJECTED])
        .order_by("theme__order", "theme_id")
        .values_list("contribution_id", "theme__name")
    )
    for cid, name in rows:
        out[cid].append(name)
    return out


def contribution_rows(dialogue: Dialogue, *, chunk_size: int = CHUNK) -> Iterator[list[Any]]:
    """The header, then one row per contribution, oldest first. Flat memory."""
    methods = dict(Method.choices)
    kinds = dict(ContributionKind.choices)
    channels = dict(Channel.choices)
    statuses = {"published": _("publicerad"), "pending": _("väntar"), "hidden": _("dold")}
    yield contribution_header()
    qs = (
        Contribution.objects.filter(dialogue=dialogue)
        .order_by("id")
        .values_list(
            "id",
            "created_at",
            "activity__title",
            "activity__method",
            "kind",
            "channel",
            "status",
            "participant_key",
            "author_id",
            "text",
            "data__demographics",
            "entered_by_id",
        )
    )
    tz = timezone.get_current_timezone()
    for chunk in batched(qs.iterator(chunk_size=chunk_size), chunk_size):
        themes = _themes_for([row[0] for row in chunk])
        for pk, created, title, method, kind, channel, status, key, author, text, demo, by in chunk:
            person = key or (f"u{author}" if author else "")
            demo = demo if isinstance(demo, dict) else {}
            yield [
                pk,
                timezone.localtime(created, tz).strftime("%Y-%m-%d %H:%M"),
                safe_cell(title),
                str(methods.get(method, method)),
                str(kinds.get(kind, kind)),
                str(channels.get(channel, channel)),
                str(statuses.get(status, status)),
                pseudonym(dialogue.pk, person),
                "" if status == "hidden" else safe_cell(text),
                *[safe_cell(str(demo.get(k, ""))) for k in DEMOGRAPHIC_COLUMNS],
                safe_cell("; ".join(themes.get(pk, []))),
                _("ja") if by else _("nej"),
            ]


def theme_rows(dialogue: Dialogue) -> Iterator[list[Any]]:
    from delaktig.results.selectors import compilation_for, themes_with_counts

    yield [
        _("tema"),
        _("beskrivning"),
        _("ursprung"),
        _("status"),
        _("antal bidrag"),
        _("varav kodade av en person"),
        _("automatiskt förslag till namn"),
        _("granskat"),
    ]
    compilation = compilation_for(dialogue)
    if compilation is None:
        return
    for t in themes_with_counts(compilation, active_only=False):
        yield [
            safe_cell(t.name),
            safe_cell(t.description),
            t.get_source_display(),
            t.get_status_display(),
            t.n,
            t.n_manual,
            safe_cell(t.automatic_name),
            t.reviewed_at.strftime("%Y-%m-%d") if t.reviewed_at else "",
        ]


def representativeness_rows(dialogue: Dialogue) -> Iterator[list[Any]]:
    from delaktig.results.representativeness import compare

    result = compare(dialogue)
    yield [
        _("indelning"),
        _("grupp"),
        _("befolkning"),
        _("andel av befolkningen (%)"),
        _("deltagare"),
        _("andel av deltagarna (%)"),
        _("underrepresenterad"),
    ]
    for dim in result.dimensions:
        for row in dim.rows:
            yield [
                dim.label,
                row.label,
                row.population if row.population is not None else "",
                round(row.population_share * 100, 1) if row.population_share is not None else "",
                row.participants if row.participants is not None else row.participants_display,
                round(row.participant_share * 100, 1) if row.participant_share is not None else "",
                _("ja") if row.under_represented else "",
            ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 with BOM and `;` so that Swedish Excel opens it correctly."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff".encode()
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow(row))
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _clean(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(sheets: list[tuple[str, Iterable[list[Any]]]]) -> IO[bytes]:
    """Write the sheets with openpyxl in write-only mode to a temporary file, rewound."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([_clean(v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - streamed, closed by Django
    workbook.save(handle)
    handle.seek(0)
    return handle


def export_filename(dialogue: Dialogue, what: str, ext: str) -> str:
    return f"{dialogue.slug[:60]}-{what}-{timezone.localdate():%Y-%m-%d}.{ext}"
