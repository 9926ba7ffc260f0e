"""CSV and XLSX files that Swedish spreadsheet programs open correctly and safely.

Used by every export (the register of considered assignments, the compilation's files):
formula-looking text is written as text (CSV injection), CSV is UTF-8 with BOM and `;`.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 with BOM and `;` so that Swedish Excel opens it correctly."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff".encode()
    buffer: list[str] = []
    for row in rows:
        # Every export, not only the contributions', writes formula-looking text as text.
        buffer.append(writer.writerow([safe_cell(v) for v in row]))
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _clean(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
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
