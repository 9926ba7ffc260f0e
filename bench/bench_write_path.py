"""The submission write: hand-built statements against the plain ORM, in the same
process, request by request.

A support, a vote and a one-page survey answer are sent through Django's WSGI handler with
production settings, PostgreSQL and Redis (as `bench/load/breakdown.py`), alternating
request by request between the ways of writing the row and its Contribution, so all see
the same machine at the same moment:

- `statement` (support, vote): the row and its Contribution in one `WITH … INSERT`
  statement in autocommit — the write the product had until 2026-12-03, kept here as the
  reference (`_statement_pair`);
- `statement_atomic`: the same statement inside `transaction.atomic()`; for the survey
  answer the product's write (`surveys.actions._insert_submitted`: ids drawn, then the
  response, its answers and its Contribution in one statement), in its transaction;
- `orm`: the ORM in one transaction — for a support and a ballot the product's write
  (`participation.actions.record_with_contribution`); for the survey `_finish` (four
  statements).

    .venv/bin/python bench/bench_write_path.py [--requests 2000] [--rounds 3]

Prints CPU and wall ms per request for each, and the ORM's throughput as a share of the
statements' (wall time per request, one client).
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


def _statement_pair(source: Any, contribution: Any) -> None:
    """A source row and its Contribution in one PostgreSQL statement, `WITH s AS (INSERT …
    RETURNING id) INSERT … SELECT … FROM s` (the write the product had until 2026-12-03)."""
    from django.db import connection

    from delaktig.core import statements
    from delaktig.participation.models import Contribution

    model = type(source)
    source_fields = statements.fields_of(model, with_pk=False)
    contribution_fields = statements.fields_of(Contribution, with_pk=False, leave_out=["source_id"])
    source_pk, pk = statements.pk_column(model), statements.pk_column(Contribution)
    source_id = connection.ops.quote_name("source_id")
    sql = (
        f"WITH s AS (INSERT INTO {statements.table(model)} "  # noqa: S608
        f"({statements.columns(source_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(source_fields))}) RETURNING {source_pk}), "
        f"c AS (INSERT INTO {statements.table(Contribution)} "
        f"({statements.columns(contribution_fields)}, {source_id}) "
        f"SELECT {', '.join(['%s'] * len(contribution_fields))}, CAST(s.{source_pk} AS text) "
        f"FROM s RETURNING {pk}) SELECT s.{source_pk}, c.{pk} FROM s, c"
    )
    statements.before_insert([source, contribution])
    params = statements.db_values(source, source_fields)
    params += statements.db_values(contribution, contribution_fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        source.pk, contribution.pk = cursor.fetchone()
    contribution.source_id = str(source.pk)
    statements.after_insert([source, contribution])


def child(case: str, requests: int, fixtures: dict[str, Any], sessions_file: str) -> None:
    from contextlib import nullcontext

    from django.core.wsgi import get_wsgi_application
    from django.db import transaction

    app = get_wsgi_application()  # sets Django up before any model module is imported

    from delaktig.participation import actions
    from delaktig.participation.ideas import actions as idea_actions
    from delaktig.participation.surveys import actions as survey_actions
    from delaktig.participation.votes import actions as vote_actions

    orm_record = actions.record_with_contribution
    statement_survey = survey_actions._insert_submitted

    def statement_record(atomic: bool) -> Any:
        def record(*, source: Any, **fields: Any) -> Any:
            contribution = actions.new_contribution(source=source, **fields)
            with transaction.atomic() if atomic else nullcontext():
                _statement_pair(source, contribution)
            return source

        return record

    def orm_survey(
        response: Any, answers: Any, consent: Any, demographics: Any, questions: Any
    ) -> None:
        survey_actions._finish(
            response=response,
            answers=answers,
            consent=consent,
            demographics=demographics,
            questions=questions,
            new=True,
        )

    # (record_with_contribution for supports and ballots, the survey's write); the survey's
    # write always runs in submit_at_once's transaction.
    modes: dict[str, tuple[Any, Any]] = {
        "statement": (statement_record(atomic=False), statement_survey),
        "statement_atomic": (statement_record(atomic=True), statement_survey),
        "orm": (orm_record, orm_survey),
    }
    order = list(modes) if case.split(":")[0] != "answer" else ["statement_atomic", "orm"]
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
        record, survey_actions._insert_submitted = modes[mode]
        idea_actions.record_with_contribution = vote_actions.record_with_contribution = record
        environ = request_environ(case, fixtures, voters, token)
        c, w = time.process_time(), time.perf_counter()
        result = app(environ, start_response)  # type: ignore[arg-type]
        b"".join(result)
        result.close()  # type: ignore[attr-defined]
        return time.process_time() - c, time.perf_counter() - w

    for n in range(99):  # warm-up: imports, connections, caches
        one(order[n % len(order)])
    statuses.clear()
    cpu: dict[str, list[float]] = {m: [] for m in modes}
    wall: dict[str, list[float]] = {m: [] for m in modes}
    for n in range(requests):
        mode = order[n % len(order)]
        c, w = one(mode)
        cpu[mode].append(c)
        wall[mode].append(w)
    print(
        json.dumps(
            {
                "statuses": dict(statuses),
                "cpu": {m: statistics.fmean(v) * 1000 for m, v in cpu.items() if v},
                "wall": {m: statistics.fmean(v) * 1000 for m, v in wall.items() if v},
                "wall_p99": {
                    m: statistics.quantiles(v, n=100)[98] * 1000 for m, v in wall.items() if v
                },
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
                if m in r["cpu"]
                else "–"
                for m in ("statement", "statement_atomic", "orm")
            ]
            ratio = (
                f"{r['wall']['statement'] / r['wall']['orm']:.2f}"
                if "statement" in r["wall"]
                else "–"
            )
            ratio_atomic = r["wall"]["statement_atomic"] / r["wall"]["orm"]
            print(
                f"| {case} | {round_} | {' | '.join(cells)} | {ratio} | {ratio_atomic:.2f} |",
                flush=True,
            )
            print(f"<!-- {case} statuses {r['statuses']} -->")
    return 0


if __name__ == "__main__":
    sys.exit(main())
