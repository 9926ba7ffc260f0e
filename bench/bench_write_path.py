"""The submission write: one hand-built PostgreSQL statement against the plain ORM in one
transaction, in the same process, request by request.

A support, a vote and a one-page survey answer are sent through Django's WSGI handler with
production settings, PostgreSQL and Redis (as `bench/load/breakdown.py`), alternating
request by request between the two ways of writing the row and its Contribution, so both
see the same machine at the same moment:

- `statement`: `participation.actions._insert_pair` (a support or ballot and its
  Contribution in one `WITH … INSERT` statement) and `surveys.actions._insert_submitted`
  (ids drawn, then response, answers and Contribution in one statement);
- `statement_atomic`: the same statement inside `transaction.atomic()` (BEGIN and COMMIT
  around it), what an always-atomic helper with the statement would cost;
- `orm`: the same rows saved by the ORM in `transaction.atomic()` (BEGIN, the INSERTs,
  COMMIT), which is what SQLite and every nested caller already use.

    .venv/bin/python bench/bench_write_path.py [--requests 2000] [--rounds 3]

Prints CPU and wall ms per request for each, and the ORM's throughput as a share of the
statement's (wall time per request, one client).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.load.breakdown import request_environ  # noqa: E402
from bench.load.run import VENV, prepare_delaktig, sh  # noqa: E402

CASES = ("support", "vote", "answer")


def child(case: str, requests: int, fixtures: dict[str, Any], sessions_file: str) -> None:
    from django.core.wsgi import get_wsgi_application
    from django.db import transaction

    app = get_wsgi_application()  # sets Django up before any model module is imported

    from delaktig.participation import actions
    from delaktig.participation.surveys import actions as survey_actions

    statement_pair = actions._insert_pair
    statement_survey = survey_actions._insert_submitted

    def orm_pair(source: Any, contribution: Any) -> None:
        with transaction.atomic():
            source.save(force_insert=True)
            contribution.source_id = str(source.pk)
            contribution.save(force_insert=True)

    def orm_survey(
        response: Any, answers: Any, consent: Any, demographics: Any, questions: Any
    ) -> None:
        with transaction.atomic():
            survey_actions._finish(
                response=response,
                answers=answers,
                consent=consent,
                demographics=demographics,
                questions=questions,
                new=True,
            )

    def atomic_pair(source: Any, contribution: Any) -> None:
        with transaction.atomic():
            statement_pair(source, contribution)

    def atomic_survey(*args: Any) -> None:
        with transaction.atomic():
            statement_survey(*args)

    modes = {
        "statement": (statement_pair, statement_survey),
        "statement_atomic": (atomic_pair, atomic_survey),
        "orm": (orm_pair, orm_survey),
    }
    order = list(modes)
    case, round_ = case.split(":")
    with open(sessions_file) as f:
        # Each round its own signed-in voters: a voter's second ballot is not written again.
        per_round = requests + 100
        voters = f.read().split()[int(round_) * per_round : (int(round_) + 1) * per_round]
    token = "b" * 32
    statuses: Counter[str] = Counter()

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses[status] += 1
        return None

    def one(mode: str) -> tuple[float, float]:
        actions._insert_pair, survey_actions._insert_submitted = modes[mode]  # type: ignore[assignment]
        environ = request_environ(case, fixtures, voters, token)
        c, w = time.process_time(), time.perf_counter()
        result = app(environ, start_response)  # type: ignore[arg-type]
        b"".join(result)
        result.close()  # type: ignore[attr-defined]
        return time.process_time() - c, time.perf_counter() - w

    for n in range(99):  # warm-up: imports, connections, caches
        one(order[n % 3])
    statuses.clear()
    cpu: dict[str, list[float]] = {m: [] for m in modes}
    wall: dict[str, list[float]] = {m: [] for m in modes}
    for n in range(requests):
        mode = order[n % 3]
        c, w = one(mode)
        cpu[mode].append(c)
        wall[mode].append(w)
    print(
        json.dumps(
            {
                "statuses": dict(statuses),
                "cpu": {m: statistics.fmean(v) * 1000 for m, v in cpu.items()},
                "wall": {m: statistics.fmean(v) * 1000 for m, v in wall.items()},
                "wall_p99": {m: statistics.quantiles(v, n=100)[98] * 1000 for m, v in wall.items()},
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, fixtures, sessions_file = args.child
        child(case, args.requests, json.loads(fixtures), sessions_file)
        return 0
    sessions_file = tempfile.mkstemp(suffix=".sessions")[1]
    app_env, fixtures = prepare_delaktig(
        "delaktig_bench_write_path", (args.requests + 100) * args.rounds, sessions_file
    )
    print(f"\n## The submission write, {args.requests} requests per round, alternating\n")
    print(
        "| request | round | statement CPU / wall / p99 ms | statement in atomic() "
        "| ORM in atomic() | ORM throughput ÷ statement | ORM ÷ statement in atomic() |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for case in CASES:
        for round_ in range(1, args.rounds + 1):
            out = sh(
                str(VENV / "python"),
                "bench/bench_write_path.py",
                "--requests",
                str(args.requests),
                "--child",
                f"{case}:{round_ - 1}",
                json.dumps(fixtures),
                sessions_file,
                env=app_env,
            )
            r = json.loads(out.strip().splitlines()[-1])
            cells = [
                f"{r['cpu'][m]:.2f} / {r['wall'][m]:.2f} / {r['wall_p99'][m]:.2f}"
                for m in ("statement", "statement_atomic", "orm")
            ]
            ratio = r["wall"]["statement"] / r["wall"]["orm"]
            ratio_atomic = r["wall"]["statement_atomic"] / r["wall"]["orm"]
            print(
                f"| {case} | {round_} | {' | '.join(cells)} | {ratio:.2f} | {ratio_atomic:.2f} |",
                flush=True,
            )
            print(f"<!-- {case} statuses {r['statuses']} -->")
    return 0


if __name__ == "__main__":
    sys.exit(main())
