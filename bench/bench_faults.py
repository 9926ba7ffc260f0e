"""Faults at scale: votes and survey answers while app workers are SIGKILLed and the
database is restarted.

A real gunicorn server (sync workers) on a private PostgreSQL 15 cluster (initdb into a
temporary folder, own port, run as the `postgres` user; SQLite when that is not possible,
without the restart scenarios). Each resident votes once and answers the survey once, and
resends until the app gives a final answer (302, or "already stored"). Per scenario a
fresh database; the table compares what the clients were told with what was stored.

    .venv/bin/python bench/bench_faults.py [--clients 32] [--users 400] [--workers 4]

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability import faultkit as fk  # noqa: E402

Faults = Callable[[threading.Event, fk.LoadResult], None]


def _at(result: fk.LoadResult, share: float, total: int, done: threading.Event) -> None:
    while not done.is_set() and len(result.outcomes) < share * total:
        time.sleep(0.02)


def restart_pg(cluster: fk.PrivatePostgres, total: int) -> Faults:
    def faults(done: threading.Event, result: fk.LoadResult) -> None:
        for share, label in [(0.2, "fast"), (0.5, "immediate"), (0.8, "fast")]:
            _at(result, share, total, done)
            if done.is_set():
                return
            start = time.monotonic()
            if label == "fast":
                cluster.restart("fast")
            else:
                cluster.stop("immediate")
                time.sleep(1.0)  # an outage with nothing listening
                cluster.start()
            result.events.append((f"PostgreSQL {label}", start, time.monotonic()))

    return faults


def both(*parts: Faults) -> Faults:
    def faults(done: threading.Event, result: fk.LoadResult) -> None:
        threads = [threading.Thread(target=f, args=(done, result)) for f in parts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    return faults


def run_scenario(
    name: str,
    env: dict[str, str],
    var: Path,
    args: argparse.Namespace,
    make_faults: Callable[[fk.AppServer, int], Faults],
) -> dict[str, Any]:
    world = fk.seed(env, args.users)
    server = fk.AppServer(env, var / f"gunicorn-{secrets.token_hex(2)}.log", workers=args.workers)
    server.start()
    total = 2 * args.users
    started = time.monotonic()
    try:
        result = fk.run_load(
            server.url,
            world,
            clients=args.clients,
            faults=make_faults(server, total),
            deadline_s=args.deadline,
        )
    finally:
        server.stop()
    elapsed = time.monotonic() - started
    stored = fk.audit(env)
    counts = fk.check_exactly_once(world, stored, result)
    recoveries = [r for r in (result.recovery_s(e) for e in result.events) if r is not None]
    statuses = result.statuses()
    return {
        "scenario": name,
        "seconds": elapsed,
        "faults": len(result.events),
        "attempted": result.attempted,
        "acknowledged": result.acknowledged,
        "failed": sum(n for code, n in statuses.items() if code == 0 or code >= 500),
        "no_error_page": sum(1 for o in result.outcomes if o.status >= 500 and not o.error_page),
        "stored": counts["stored_votes"] + counts["stored_responses"],
        "expected": total,
        "double": counts["double"],
        "lost": counts["lost"],
        "half": counts["half_written"],
        "unfinished": len(result.unfinished),
        "bad": sum(1 for o in result.outcomes if o.verdict == "bad"),
        "recovery_median": statistics.median(recoveries) if recoveries else float("nan"),
        "recovery_max": max(recoveries) if recoveries else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--users", type=int, default=400, help="each votes and answers once")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--kill-every",
        type=float,
        default=0.5,
        help="pause after the app recovered from one SIGKILL before the next",
    )
    parser.add_argument("--deadline", type=float, default=300)
    args = parser.parse_args()

    reason = fk.private_pg_unavailable()
    cluster = None if reason else fk.PrivatePostgres()
    var = Path(tempfile.mkdtemp(prefix="delaktig-bench-faults-"))
    rows = []
    try:
        if cluster is not None:
            cluster.init()
            fk.pg_admin(cluster.url, 'CREATE DATABASE "tpl"')
            fk.migrate(fk.app_env(var, fk.with_database(cluster.url, "tpl")))

        def fresh(i: int) -> dict[str, str]:
            if cluster is None:
                sub = var / f"s{i}"
                sub.mkdir()
                env = fk.app_env(sub)
                fk.migrate(env)
                return env
            fk.pg_admin(cluster.url, f'CREATE DATABASE "s{i}" TEMPLATE "tpl"')
            return fk.app_env(var, fk.with_database(cluster.url, f"s{i}"))

        def kills(server: fk.AppServer, total: int) -> Faults:
            return fk.kill_workers(server, args.kill_every)

        rows.append(run_scenario("no faults (baseline)", fresh(0), var, args, lambda s, t: _none))
        rows.append(
            run_scenario(
                f"SIGKILL a worker every {args.kill_every:.1f} s", fresh(1), var, args, kills
            )
        )
        if cluster is not None:
            pg = cluster

            def restarts(server: fk.AppServer, total: int) -> Faults:
                return restart_pg(pg, total)

            def combined(server: fk.AppServer, total: int) -> Faults:
                return both(fk.kill_workers(server, args.kill_every), restart_pg(pg, total))

            rows.append(run_scenario("PostgreSQL restarts", fresh(2), var, args, restarts))
            rows.append(run_scenario("both at once", fresh(3), var, args, combined))
    finally:
        if cluster is not None:
            cluster.destroy()
        shutil.rmtree(var, ignore_errors=True)

    backend = "private PostgreSQL 15" if cluster is not None else f"SQLite ({reason})"
    print(
        f"{args.clients} clients, {args.users} residents (one vote and one survey answer "
        f"each), gunicorn with {args.workers} sync workers, {backend}.\n"
    )
    print(
        "| scenario | faults | submissions attempted | acknowledged (302) | stored / expected "
        "| double counts | lost acknowledged | half-written | failed (5xx / dropped) "
        "| recovery median / max (s) | time (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['scenario']} | {r['faults']} | {r['attempted']} | {r['acknowledged']} "
            f"| {r['stored']} / {r['expected']} | {r['double']} | {r['lost']} | {r['half']} "
            f"| {r['failed']} | {r['recovery_median']:.2f} / {r['recovery_max']:.2f} "
            f"| {r['seconds']:.1f} |"
        )
    problems = [
        r
        for r in rows
        if r["double"] or r["lost"] or r["half"] or r["unfinished"] or r["bad"]
        or r["no_error_page"] or r["stored"] != r["expected"]
    ]  # fmt: skip
    if problems:
        print(f"\nPROBLEMS: {problems}", file=sys.stderr)
        return 1
    return 0


def _none(done: threading.Event, result: fk.LoadResult) -> None:
    return None


if __name__ == "__main__":
    sys.exit(main())
