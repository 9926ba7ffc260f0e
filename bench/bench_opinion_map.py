"""Time the opinion map on the largest Polis conversation, and agreement on all of them.

Run: OMP_NUM_THREADS=1 .venv/bin/python bench/bench_opinion_map.py [DIR]
Prints wall time per step (median of 3 runs), the same times as ratios (the shared machine's
load changes absolute times several-fold, ratios much less), peak resident memory (RSS), and
a table of agreement with Polis's own groups for every conversation in the shared data.
"""

from __future__ import annotations

import csv
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from delaktig.participation.opinions.opinion_map import (
    agreement_with_groups,
    build_matrix,
    compute_opinion_map,
    latest_votes,
    map_polis_export,
    read_polis_export,
)

# Statements Polis marked as meta (demographic questions); the export does not say which.
POLIS_META = {"london.youth.policing": [str(i) for i in range(1, 15)]}


def conversations() -> list[Path]:
    base = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data")) / "polis"
    return sorted(p for p in base.iterdir() if (p / "votes.csv").is_file())


def largest() -> Path:
    return max(conversations(), key=lambda p: (p / "votes.csv").stat().st_size)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else largest()
    steps = ("read", "matrix", "polis_auto_k", "polis_k2", "plain_auto_k", "plain_k2")
    timings: dict[str, list[float]] = {key: [] for key in steps}
    for _ in range(3):
        t0 = time.perf_counter()
        export = read_polis_export(folder)
        t1 = time.perf_counter()
        matrix = build_matrix(latest_votes(export.votes))
        t2 = time.perf_counter()
        zeroed = export.moderated_out | set(POLIS_META.get(folder.name, []))
        common = {"zeroed": zeroed, "already_in": export.clustered}
        auto = compute_opinion_map(matrix, **common)
        t3 = time.perf_counter()
        compute_opinion_map(matrix, k=2, **common)
        t4 = time.perf_counter()
        compute_opinion_map(matrix, method="plain", zeroed=zeroed)
        t5 = time.perf_counter()
        compute_opinion_map(matrix, k=2, method="plain", zeroed=zeroed)
        t6 = time.perf_counter()
        for key, value in zip(
            steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True
        ):
            timings[key].append(value)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"conversation: {folder.name}")
    print(
        f"votes: {len(export.votes)}, participants: {len(matrix.participants)}, "
        f"statements: {len(matrix.statements)}, clustered: {int(auto.clustered.sum())}, "
        f"auto k: {auto.k}"
    )
    medians = {key: statistics.median(values) for key, values in timings.items()}
    for key, value in medians.items():
        print(f"{key:>13}: median {value * 1000:8.1f} ms")
    print(f"polis_auto_k / plain_auto_k: {medians['polis_auto_k'] / medians['plain_auto_k']:.2f}")
    print(f"polis_k2 / plain_k2:         {medians['polis_k2'] / medians['plain_k2']:.2f}")
    print(f"polis_auto_k / read:         {medians['polis_auto_k'] / medians['read']:.2f}")
    print(f"peak RSS: {peak_kb / 1024:.0f} MB")
    print()
    print("| conversation | Polis k | agreement at Polis's k | auto k | agreement at auto k |")
    print("|---|---|---|---|---|")
    for conv in conversations():
        with (conv / "participants-votes.csv").open(newline="", encoding="utf-8") as fh:
            truth = {r["participant"]: r["group-id"] for r in csv.DictReader(fh) if r["group-id"]}
        k = len(set(truth.values()))
        meta = POLIS_META.get(conv.name, [])
        forced = map_polis_export(conv, k=k, meta=meta)
        chosen = map_polis_export(conv, meta=meta)
        print(
            f"| {conv.name} | {k} | {agreement_with_groups(forced['groups'], truth):.3f} | "
            f"{chosen['k']} | {agreement_with_groups(chosen['groups'], truth):.3f} |"
        )


if __name__ == "__main__":
    main()
