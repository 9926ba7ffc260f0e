"""Time counting the largest real Pabulib elections under every rule.

    .venv/bin/python bench/bench_pb_count.py [--repeat N]

Prints a Markdown table: file, voters, projects, rule, seconds to parse the .pb
file, seconds to count (best of N), projects selected. Counting is exact
(fractions); equal shares uses the certified float path for its completion's
trial runs and an exact run for the published result.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from delaktig.participation.budgets import counting, pabulib  # noqa: E402

SHARED = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data")) / "pabulib"
RULES = ["greedy", "greedy-no-skip", "greedy-threshold", "equalshares/add1"]


def largest(n: int) -> list[Path]:
    """The n largest files (bytes) plus the by-voters largest and the equal-shares file."""
    files = sorted(SHARED.glob("*.pb"), key=lambda p: p.stat().st_size, reverse=True)[:n]
    for extra in ["Poland_Poznan_2023_4_-_", "Netherlands_Assen_2024"]:
        files += [p for p in SHARED.glob(f"{extra}*.pb") if p not in files]
    return files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", type=int, default=5)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} finns inte")
    print("| file | voters | projects | rule | parse s | count s | selected |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for path in largest(args.files):
        start = time.perf_counter()
        pb, instance = pabulib.load(path)
        parse_s = time.perf_counter() - start
        # Files without a threshold get 50 for the greedy-threshold row only.
        fallback = Fraction(50) if instance.threshold is None else None
        for rule in RULES:
            best = float("inf")
            outcome = None
            for _ in range(args.repeat if rule != "equalshares/add1" else 1):
                start = time.perf_counter()
                outcome = counting.count(
                    instance, rule, threshold=fallback if rule == "greedy-threshold" else None
                )
                best = min(best, time.perf_counter() - start)
            assert outcome is not None
            print(
                f"| {path.stem[:40]} | {len(instance.ballots)} | {len(instance.projects)} "
                f"| {rule} | {parse_s:.3f} | {best:.3f} | {len(outcome.selected)} |"
            )


if __name__ == "__main__":
    main()
