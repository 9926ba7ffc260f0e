"""Integers from requests, files and claims: parsed one way, never guessed.

`str.isdigit()` is true for "²", "①" and other Unicode digits that `int()` refuses, and
`int()` itself accepts Arabic-Indic digits, spaces and underscores. A number typed into a
form or a URL is plain ASCII digits, optionally signed, and anything else is not a number:
the caller answers with a Swedish message (400), never with a 500.
"""

from __future__ import annotations

import re

_INTEGER = re.compile(r"[0-9]{1,18}")
_SIGNED_INTEGER = re.compile(r"-?[0-9]{1,18}")


def parse_int(
    raw: object,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    signed: bool = False,
) -> int | None:
    """The integer `raw` spells in ASCII digits within the bounds, else None.

    Leading and trailing whitespace is allowed (people type it); at most 18 digits, so the
    value fits a 64-bit database column.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not (_SIGNED_INTEGER if signed else _INTEGER).fullmatch(text):
            return None
        value = int(text)
    else:
        return None
    if value < 0 and not signed:
        return None
    if minimum is not None and value < minimum:
        return None
    if maximum is not None and value > maximum:
        return None
    return value


def is_int(raw: object, *, signed: bool = False) -> bool:
    return parse_int(raw, signed=signed) is not None
