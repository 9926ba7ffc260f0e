"""Time counting the largest real Pabulib elections under every rule, against pabutools.

    .venv/bin/python bench/bench_pb_count.py [--repeat N] [--files N] [--mes-limit N]

Prints two Markdown tables.

1. Ours: file, voters, projects, rule, seconds to parse the .pb file, seconds to count
   (best of N), projects selected. Counting is exact (fractions); equal shares uses the
   certified float path for its completion's trial runs and an exact run for the
   published result.
2. Against pabutools (the test-only oracle, exact gmpy2 fractions), in the same run and
   on the same files: greedy and equal shares with add1 completion, seconds for each and
   the ratio pabutools / ours, and whether the funded sets agree (ties broken the same
   way, by the file's project order). pabutools' equal shares is pure Python and takes
   minutes on the largest files; it runs on files with at most `--mes-limit`
   voters × projects (the others are marked "–").
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from delaktig.participation.budgets import counting, pabulib  # noqa: E402

SHARED = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data")) / "pabulib"
RULES = ["greedy", "greedy-no-skip", "greedy-threshold", "equalshares/add1"]


def largest(n: int) -> list[Path]:
    """The n largest files (bytes) plus the by-voters largest and the equal-shares file."""
    files = sorted(SHARED.glob("*.pb"), key=lambda p: p.stat().st_size, reverse=True)[:n]
    for extra in ["Poland_Poznan_2023_4_-_", "Netherlands_Assen_2024"]:
        files += [p for p in SHARED.glob(f"{extra}*.pb") if p not in files]
    return files


def best_of(repeat: int, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, value


def ours_table(paths: list[Path], repeat: int) -> None:
    print("| file | voters | projects | rule | parse s | count s | selected |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for path in paths:
        start = time.perf_counter()
        _, instance = pabulib.load(path)
        parse_s = time.perf_counter() - start
        # Files without a threshold get 50 for the greedy-threshold row only.
        fallback = Fraction(50) if instance.threshold is None else None
        for rule in RULES:
            seconds, outcome = best_of(
                repeat if rule != "equalshares/add1" else 1,
                counting.count,
                instance,
                rule,
                threshold=fallback if rule == "greedy-threshold" else None,
            )
            print(
                f"| {path.stem[:40]} | {len(instance.ballots)} | {len(instance.projects)} "
                f"| {rule} | {parse_s:.3f} | {seconds:.3f} | {len(outcome.selected)} |"
            )


def pabutools_table(paths: list[Path], repeat: int, mes_limit: int) -> None:
    from pabutools.election import parse_pabulib
    from tests.participation.budgets.test_pabutools_oracle import pabutools_counts

    print()
    print(
        "| file | voters × projects | greedy ours s | greedy pabutools s | ratio "
        "| MES add1 ours s | MES add1 pabutools s | ratio | same funded sets |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for path in paths:
        _, ours = pabulib.load(path)
        inst, profile = parse_pabulib(str(path))
        size = len(ours.ballots) * len(ours.projects)
        reference = functools.partial(pabutools_counts, ours, inst, profile, tie_break="file-order")
        g_ours_s, g_ours = best_of(repeat, counting.count, ours, "greedy")
        g_ref_s, g_ref = best_of(repeat, reference, rule="greedy")
        same = sorted(g_ours.selected) == g_ref
        m_ours_s, m_ours = best_of(1, counting.count, ours, "equalshares/add1")
        if size <= mes_limit:
            m_ref_s, m_ref = best_of(1, reference, rule="mes")
            same = same and sorted(m_ours.selected) == m_ref
            mes = f"{m_ours_s:.3f} | {m_ref_s:.3f} | {m_ref_s / m_ours_s:.1f}"
        else:
            mes = f"{m_ours_s:.3f} | – | –"
        print(
            f"| {path.stem[:40]} | {len(ours.ballots)} × {len(ours.projects)} "
            f"| {g_ours_s:.3f} | {g_ref_s:.3f} | {g_ref_s / g_ours_s:.1f} | {mes} "
            f"| {'yes' if same else 'NO'} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--mes-limit", type=int, default=120_000)
    parser.add_argument("--skip-ours", action="store_true", help="Only the pabutools table.")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} finns inte")
    paths = largest(args.files)
    if not args.skip_ours:
        ours_table(paths, args.repeat)
    pabutools_table(paths, args.repeat, args.mes_limit)


if __name__ == "__main__":
    main()
