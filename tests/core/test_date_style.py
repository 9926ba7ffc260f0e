"""One date style per language (issue 15): day, month in words, year, 24-hour time."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format

SRC = Path(__file__).resolve().parents[2] / "src" / "delaktig"
# Named formats only; "c" is the machine-readable `datetime` attribute of <time>, and the
# meeting's day keeps its weekday in front of the same style.
ALLOWED = {"DATE_FORMAT", "DATETIME_FORMAT", "c", "l j F Y"}


def test_every_template_dates_in_the_languages_own_style():
    used = {
        (path.relative_to(SRC).as_posix(), fmt)
        for path in SRC.rglob("*")
        if path.suffix in {".html", ".txt"}
        for fmt in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text(encoding="utf-8"))
    }
    assert {(where, fmt) for where, fmt in used if fmt not in ALLOWED} == set()


def test_swedish_and_english_write_a_date_the_same_way_in_their_words():
    moment = datetime.datetime(2026, 12, 4, 18, 30)
    with translation.override("sv"):
        assert date_format(moment.date(), "DATE_FORMAT") == "4 december 2026"
        assert date_format(moment, "DATETIME_FORMAT") == "4 december 2026 18:30"
    with translation.override("en"):
        assert date_format(moment.date(), "DATE_FORMAT") == "4 December 2026"
        assert date_format(moment, "DATETIME_FORMAT") == "4 December 2026, 18:30"
