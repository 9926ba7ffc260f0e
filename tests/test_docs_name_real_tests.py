"""Docs describe what runs: every test a document names exists (file, and function or class)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
# `governance/test_loop.py::test_a[…]`, `tests/x/test_y.py`, `::test_z`, `TestGuards::test_w`
# A trailing `*` names every test that starts so (`test_decision_form_*`).
FILE = re.compile(r"(?:tests/)?((?:[\w-]+/)*test_\w+\.py)((?:::\w+\*?)*)")
BARE = re.compile(r"(?<![\w/.])(?:(Test\w+)|)::(test_\w+\*?)")


def _defined(name: str, text: str) -> bool:
    tail = r"\w*" if name.endswith("*") else r"\b"
    word = re.escape(name.rstrip("*"))
    return re.search(rf"^\s*(?:def|class|async def) {word}{tail}", text, re.M) is not None


def test_every_test_the_docs_name_exists():
    all_tests = {p: p.read_text(encoding="utf-8") for p in TESTS.rglob("test_*.py")}
    everything = "\n".join(all_tests.values())
    missing = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for line in doc.read_text(encoding="utf-8").splitlines():
            for code in re.findall(r"`([^`]+)`", line):
                found = FILE.search(code)
                if found:
                    path, names = found.groups()
                    candidates = [p for p in all_tests if p.as_posix().endswith("/" + path)]
                    if not candidates:
                        missing.append(f"{doc.name}: {path}")
                        continue
                    for name in filter(None, names.split("::")):
                        if not any(_defined(name, all_tests[p]) for p in candidates):
                            missing.append(f"{doc.name}: {path}::{name}")
                    continue
                for cls, name in BARE.findall(code):
                    for part in filter(None, (cls, name)):
                        if not _defined(part, everything):
                            missing.append(f"{doc.name}: {part}")
    assert missing == []
