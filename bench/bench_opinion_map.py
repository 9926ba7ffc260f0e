"""Time the opinion map on the largest Polis conversation in the shared data.

Run: .venv/bin/python bench/bench_opinion_map.py [DIR]
Prints wall time per step (median of 3 runs) and peak resident memory (RSS).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

from delaktig.participation.opinions.opinion_map import (
    build_matrix,
    compute_opinion_map,
    latest_votes,
    read_polis_export,
)


def largest() -> Path:
    base = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data")) / "polis"
    return max(
        (p for p in base.iterdir() if (p / "votes.csv").is_file()),
        key=lambda p: (p / "votes.csv").stat().st_size,
    )


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else largest()
    timings: dict[str, list[float]] = {"read": [], "matrix": [], "map_auto_k": [], "map_k2": []}
    for _ in range(3):
        t0 = time.perf_counter()
        export = read_polis_export(folder)
        t1 = time.perf_counter()
        matrix = build_matrix(latest_votes(export.votes), exclude_statements=export.moderated_out)
        t2 = time.perf_counter()
        auto = compute_opinion_map(matrix)
        t3 = time.perf_counter()
        compute_opinion_map(matrix, k=2, min_votes=1)
        t4 = time.perf_counter()
        for key, value in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            timings[key].append(value)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"conversation: {folder.name}")
    print(
        f"votes: {len(export.votes)}, participants: {len(matrix.participants)}, "
        f"statements: {len(matrix.statements)}, clustered: {int(auto.clustered.sum())}, "
        f"auto k: {auto.k}"
    )
    for key, values in timings.items():
        print(f"{key:>12}: median {statistics.median(values) * 1000:8.1f} ms")
    print(f"peak RSS: {peak_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
