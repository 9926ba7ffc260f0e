"""The real data in /work/shared/data (env DELAKTIG_SHARED_DATA overrides the folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def vasby_csv() -> Path:
    """The Upplands Väsby 2015 survey; the test is skipped only when it is absent."""
    base = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data"))
    path = base / "upplands-vasby-2015" / "data.csv"
    if not path.exists():
        pytest.skip(f"shared data missing: {path}")
    return path


def polis_comments(conversation: str) -> Path:
    """The comments of one shared Polis conversation; skipped only when absent."""
    base = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data"))
    path = base / "polis" / conversation / "comments.csv"
    if not path.exists():
        pytest.skip(f"shared data missing: {path}")
    return path
