"""Where a submission's time goes: the real request, in one process, step by step.

Each request goes through Django's WSGI handler with production settings, PostgreSQL and
Redis, as in `bench/load/run.py`, but without a server or a load generator in between:
timers (CPU time of this process, and wall time) around the steps of the view and the
middleware. The floor's insert-POST is measured the same way. The steps are inclusive (a
step's time includes the steps it calls), and everything not listed is Django's handler,
the middleware and the view's own code.

    .venv/bin/python bench/load/breakdown.py [--requests 3000]

Prints a Markdown table per request kind.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

# Run as a script (`python bench/load/breakdown.py`), like run.py.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.load.run import VENV, floor_environment, prepare_delaktig, sh  # noqa: E402

# "module:attribute" and a label: what is timed for each request kind. Views import their
# helpers by name, so each is timed where the view looks it up.
SESSION_AND_MESSAGE = [
    ("django.contrib.sessions.middleware:SessionMiddleware.process_response", "session saved"),
    ("django.contrib.messages.middleware:MessageMiddleware.process_response", "message stored"),
    ("delaktig.core.ratelimit:WriteLimitMiddleware.process_view", "rate limit (middleware)"),
]
STEPS: dict[str, list[tuple[str, str]]] = {
    "support": [
        ("delaktig.participation.ideas.views:get_object_or_404", "read the idea (ORM)"),
        ("delaktig.participation.ideas.views:public_activity", "activity from the cache"),
        ("delaktig.participation.ideas.views:participant_key", "participant key (session)"),
        ("delaktig.participation.ideas.actions:support_idea", "support_idea (checks + write)"),
        ("delaktig.participation.ideas.actions:record_with_contribution", "of which the write"),
        *SESSION_AND_MESSAGE,
    ],
    "vote": [
        ("delaktig.participation.votes.views:_vote", "activity and vote from the cache"),
        ("delaktig.participation.votes.views:eligibility.refusal", "who may vote (the user)"),
        ("delaktig.participation.votes.views:participant_key", "participant key"),
        ("delaktig.participation.votes.actions:cast_vote", "cast_vote (checks + write)"),
        ("delaktig.participation.votes.actions:record_with_contribution", "of which the write"),
        *SESSION_AND_MESSAGE,
    ],
    "answer": [
        (
            "delaktig.participation.surveys.views:selectors.public_survey_activity",
            "activity from the cache",
        ),
        (
            "delaktig.participation.surveys.views:selectors.public_survey",
            "survey and questions from the cache",
        ),
        (
            "delaktig.participation.surveys.views:selectors.response_for_session",
            "earlier response (session)",
        ),
        ("delaktig.participation.surveys.views:eligibility.refusal", "who may answer"),
        ("delaktig.participation.surveys.views:_step_form", "answer form built"),
        ("delaktig.participation.surveys.views:_final_check", "final check"),
        ("delaktig.participation.surveys.views:participant_key", "participant key (session)"),
        ("delaktig.participation.surveys.actions:submit_at_once", "submit_at_once (the write)"),
        *SESSION_AND_MESSAGE,
    ],
}


def request_environ(
    case: str, fixtures: dict[str, Any], voters: list[str], token: str
) -> dict[str, Any]:
    """The WSGI environ of one POST of `case` (a vote takes the next signed-in voter)."""
    cookie = f"csrftoken={token}"
    if case == "floor":
        path, fields = "/write/", {"title": "Idé", "text": f"Mer grönska {random.random()}"}
    elif case == "support":
        path, fields = f"/delta/ideer/ide/{fixtures['idea']}/stod/", {}
    elif case == "vote":
        path, fields = (
            f"/delta/omrostning/{fixtures['vote_activity']}/",
            fixtures["vote_fields"],
        )
        cookie += f"; sessionid={voters.pop()}"
    else:
        path, fields = f"/delta/enkat/{fixtures['survey_activity']}/", fixtures["survey_fields"]
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": cookie,
        # A new resident address each time, as behind the proxy in run.py.
        "HTTP_X_FORWARDED_FOR": f"10.{random.randrange(256)}.{random.randrange(256)}.9",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def child(case: str, requests: int, fixtures: dict[str, Any], sessions_file: str) -> None:
    """In the app's environment: time `requests` requests of one kind."""
    import importlib

    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    cpu: defaultdict[str, float] = defaultdict(float)
    wall: defaultdict[str, float] = defaultdict(float)

    def timed(path: str, label: str) -> None:
        module, attributes = path.split(":")
        target: Any = importlib.import_module(module)
        *owners, name = attributes.split(".")
        for owner in owners:
            target = getattr(target, owner)
        inner = getattr(target, name, None)
        if inner is None:  # an older version of the code (comparing commits): not timed
            print(f"{path} finns inte: steget mäts inte", file=sys.stderr)
            return

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            c, w = time.process_time(), time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                cpu[label] += time.process_time() - c
                wall[label] += time.perf_counter() - w

        setattr(target, name, wrapper)

    for path, label in STEPS.get(case, []):
        timed(path, label)

    token = "b" * 32
    with open(sessions_file) as f:
        voters = f.read().split()
    random.shuffle(voters)

    def environ() -> dict[str, Any]:
        return request_environ(case, fixtures, voters, token)

    statuses: Counter[str] = Counter()

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses[status] += 1
        return None

    def one() -> None:
        result = app(environ(), start_response)  # type: ignore[arg-type]
        b"".join(result)
        result.close()  # type: ignore[attr-defined]  # Django's responses have close()

    for _ in range(100):  # warm-up: imports, connections, caches
        one()
    cpu.clear()
    wall.clear()
    statuses.clear()
    c, w = time.process_time(), time.perf_counter()
    for _ in range(requests):
        one()
    cpu["whole request"] = time.process_time() - c
    wall["whole request"] = time.perf_counter() - w
    print(
        json.dumps(
            {
                "statuses": dict(statuses),
                "cpu": {k: v / requests * 1000 for k, v in cpu.items()},
                "wall": {k: v / requests * 1000 for k, v in wall.items()},
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, fixtures, sessions_file = args.child
        child(case, args.requests, json.loads(fixtures), sessions_file)
        return 0

    floor_env = floor_environment()
    sessions_file = tempfile.mkstemp(suffix=".sessions")[1]
    app_env, fixtures = prepare_delaktig(
        "delaktig_bench_breakdown", args.requests + 200, sessions_file
    )

    def measure(case: str, env: dict[str, str]) -> dict[str, Any]:
        out = sh(
            str(VENV / "python"),
            "bench/load/breakdown.py",
            "--requests",
            str(args.requests),
            "--child",
            case,
            json.dumps(fixtures),
            sessions_file,
            env=env,
        )
        return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]

    floor = measure("floor", floor_env)
    print(f"\n## One process, {args.requests} requests each (ms per request)\n")
    print(
        f"Floor insert-POST: {floor['cpu']['whole request']:.3f} ms CPU, "
        f"{floor['wall']['whole request']:.3f} ms wall ({floor['statuses']}).\n"
    )
    for case in ("support", "vote", "answer"):
        result = measure(case, app_env)
        whole = result["cpu"]["whole request"]
        print(f"### {case} ({result['statuses']})\n")
        print("| step | CPU ms | share of CPU | wall ms |")
        print("|---|---:|---:|---:|")
        for label, value in sorted(result["cpu"].items(), key=lambda kv: -kv[1]):
            print(f"| {label} | {value:.3f} | {value / whole:.0%} | {result['wall'][label]:.3f} |")
        times_floor = whole / floor["cpu"]["whole request"]
        print(f"\nWhole request against the floor: {times_floor:.1f} × CPU.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
