"""Integers from requests are parsed one way (delaktig.core.parsing), never guessed."""

from __future__ import annotations

import pathlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delaktig.core.parsing import is_int, parse_int

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "delaktig"


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("12", {}, 12),
        (" 12\n", {}, 12),
        ("0", {}, 0),
        ("007", {}, 7),
        ("9" * 18, {}, int("9" * 18)),
        ("9" * 19, {}, None),  # wider than a database integer column
        ("²", {}, None),  # str.isdigit() says yes; int() says no
        ("①", {}, None),
        ("١٢", {}, None),  # int() would accept Arabic-Indic digits
        ("1_000", {}, None),  # int() would accept the underscore
        ("+1", {}, None),
        ("-1", {}, None),
        ("-1", {"signed": True}, -1),
        ("--1", {"signed": True}, None),
        ("1.0", {}, None),
        ("", {}, None),
        ("   ", {}, None),
        ("1e3", {}, None),
        ("0", {"minimum": 1}, None),
        ("5", {"minimum": 1, "maximum": 5}, 5),
        ("6", {"minimum": 1, "maximum": 5}, None),
        (None, {}, None),
        (True, {}, None),  # a bool is not a number someone typed
        (3, {}, 3),
        (-3, {}, None),
        (-3, {"signed": True}, -3),
        (["1"], {}, None),
    ],
)
def test_parse_int_matrix(raw: object, kwargs: dict[str, object], expected: int | None) -> None:
    assert parse_int(raw, **kwargs) == expected  # type: ignore[arg-type]
    assert is_int(raw, signed=bool(kwargs.get("signed"))) == (
        parse_int(raw, signed=bool(kwargs.get("signed"))) is not None
    )


@given(st.text(max_size=30))
def test_parse_int_never_raises_and_only_accepts_ascii_digits(raw: str) -> None:
    value = parse_int(raw, signed=True)
    if value is not None:
        assert re.fullmatch(r"-?[0-9]{1,18}", raw.strip())
        assert value == int(raw.strip())


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_every_non_negative_integer_round_trips(n: int) -> None:
    assert parse_int(str(n)) == n
    assert parse_int(f" {n} ") == n


def test_no_code_guesses_numbers_with_isdigit() -> None:
    """`str.isdigit()` lets "²" through to `int()`; only the parsing helper may decide."""
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        if path.name != "parsing.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".isdigit(" in line or ".isnumeric(" in line or ".isdecimal(" in line
    ]
    assert offenders == []
