"""The translation catalogues: complete, compiled, and extracted from the current source.

Swedish is the source language; every other language's catalogue must translate every
string, or a page mixes languages. The .po files are read with a small parser here rather
than a package, because no catalogue library is a dependency.

When new Swedish strings arrive, `makemessages` (see `test_catalogues_follow_the_source`)
adds them untranslated, and `test_every_entry_is_translated` fails until they are
translated and compiled.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "delaktig"
CATALOGUES = sorted(p for p in SRC.rglob("locale/*/LC_MESSAGES/*.po") if ".venv" not in p.parts)
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdif]|%[sdif]|\{[A-Za-z_0-9]*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def where(self, path: Path) -> str:
        return f"{path.relative_to(SRC)}:{self.line}: {self.msgid[:70]!r}"


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """The header and the live entries of a .po file (obsolete `#~` entries are left out)."""
    entries: list[Entry] = []
    current = Entry()
    field_name: str | None = None
    started = False

    def finish() -> None:
        nonlocal current, field_name, started
        if started:
            entries.append(current)
        current, field_name, started = Entry(), None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if started:
                finish()
            current.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            if started:
                finish()
        elif line.startswith('"'):
            assert field_name is not None, f"{path}:{number}: a string outside an entry"
            _append(current, field_name, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and started and current.msgstr:
                finish()
            if not started:
                current.line, started = number, True
            field_name = keyword
            _append(current, keyword, "", start=True)
            _append(current, keyword, ast.literal_eval(value))
    finish()
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]


def _append(entry: Entry, keyword: str, text: str, start: bool = False) -> None:
    if keyword.startswith("msgstr"):
        index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif keyword in ("msgid", "msgid_plural", "msgctxt"):
        value = "" if start else (getattr(entry, keyword) or "") + text
        setattr(entry, keyword, value)
    else:
        raise AssertionError(f"unknown keyword {keyword!r}")


def nplurals(header: Entry) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
    return int(found.group(1)) if found else 2


def test_the_parser_reads_what_gettext_writes(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Hej %(name)s, "\n"\\"du\\""\n'
        'msgstr "Hello %(name)s, \\"you\\""\n\n'
        'msgctxt "knapp"\nmsgid "Spara"\nmsgstr ""\n\n'
        'msgid "%(n)s bidrag"\nmsgid_plural "%(n)s bidrag"\nmsgstr[0] "%(n)s contribution"\n'
        'msgstr[1] ""\n\n#, fuzzy\n#| msgid "Gammal"\nmsgid "Ny"\nmsgstr "Old"\n\n'
        '#~ msgid "Borta"\n#~ msgstr "Gone"\n',
        encoding="utf-8",
    )
    header, entries = parse_po(po)
    assert nplurals(header) == 2
    assert [(e.msgctxt, e.msgid, e.msgstr, e.flags) for e in entries] == [
        (None, 'Hej %(name)s, "du"', {0: 'Hello %(name)s, "you"'}, {"python-format"}),
        ("knapp", "Spara", {0: ""}, set()),
        (None, "%(n)s bidrag", {0: "%(n)s contribution", 1: ""}, set()),
        (None, "Ny", {0: "Old"}, {"fuzzy"}),
    ]
    assert entries[2].msgid_plural == "%(n)s bidrag"


def test_there_are_catalogues() -> None:
    assert any(p.parts[-3] == "en" for p in CATALOGUES)
    assert SRC / "locale" / "en" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_entry_is_translated(path: Path) -> None:
    header, entries = parse_po(path)
    forms = nplurals(header)
    untranslated = [
        e.where(path)
        for e in entries
        if len(e.msgstr) != (forms if e.msgid_plural else 1) or not all(e.msgstr.values())
    ]
    fuzzy = [e.where(path) for e in entries if "fuzzy" in e.flags]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy (check the translation, then remove the flag):\n" + "\n".join(fuzzy)
    assert "fuzzy" not in header.flags, "the header is marked fuzzy"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_translations_keep_placeholders_and_say_it_once(path: Path) -> None:
    _, entries = parse_po(path)
    problems = []
    for e in entries:
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            wanted = sorted(PLACEHOLDER.findall(source))
            # A singular form may leave out the number ("one contribution"), never add one.
            got = sorted(PLACEHOLDER.findall(text))
            if got != wanted and not (e.msgid_plural and index == 0 and set(got) <= set(wanted)):
                problems.append(f"{e.where(path)}: placeholders {got} instead of {wanted}")
            half = len(text) // 2
            if len(text) >= 20 and len(text) % 2 == 0 and text[:half] == text[half:]:
                problems.append(f"{e.where(path)}: the translation repeats itself")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_compiled_catalogue_matches_its_po(path: Path) -> None:
    """The .mo files are committed: one left behind serves the old English."""
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(SRC)} is missing: run compilemessages"
    with mo.open("rb") as f:
        compiled: dict[Any, str] = dict(gettext.GNUTranslations(f)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)
    _, entries = parse_po(path)
    expected: dict[Any, str] = {}
    for e in entries:
        if "fuzzy" in e.flags or not all(e.msgstr.values()):
            continue  # msgfmt leaves these out
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[msgid] = e.msgstr[0]
        else:
            expected.update({(msgid, i): text for i, text in e.msgstr.items()})
    differing = sorted(
        str(k)[:70] for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k)
    )
    assert not differing, (
        f"{mo.relative_to(SRC)} differs from its .po (run compilemessages):\n"
        + "\n".join(differing[:20])
    )


@pytest.mark.slow
def test_catalogues_follow_the_source(tmp_path: Path, settings: Any, monkeypatch: Any) -> None:
    """makemessages on a copy of the source finds exactly the strings the catalogues have.

    Run once from the package root, Django puts each string in the catalogue nearest to its
    file, which is how the per-app catalogues are laid out. Only the set of strings is
    compared: line references move with every edit.
    """
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed")
    from django.core.management import call_command

    copy = tmp_path / "delaktig"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", ".venv"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    languages = sorted({p.parts[-3] for p in CATALOGUES})
    call_command(
        "makemessages",
        locale=languages,
        no_obsolete=True,
        ignore_patterns=["migrations"],
        verbosity=0,
    )
    stale = []
    for path in CATALOGUES:
        committed = {e.key for e in parse_po(path)[1]}
        extracted = {e.key for e in parse_po(copy / path.relative_to(SRC))[1]}
        name = path.relative_to(SRC)
        stale += [f"{name}: missing {k[1][:70]!r}" for k in sorted(extracted - committed, key=str)]
        stale += [
            f"{name}: no longer in the source {k[1][:70]!r}"
            for k in sorted(committed - extracted, key=str)
        ]
    new = sorted(
        str(p.relative_to(copy))
        for p in copy.rglob("locale/*/LC_MESSAGES/*.po")
        if p.relative_to(copy) not in {c.relative_to(SRC) for c in CATALOGUES}
    )
    assert not new, f"makemessages made catalogues that are not committed: {new}"
    assert not stale, "run makemessages for each app (see docs):\n" + "\n".join(stale)
