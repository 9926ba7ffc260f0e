"""Bounded load test on loopback: Delaktig vs. a bare Django floor app, same server setup.

Both under gunicorn (sync workers), PostgreSQL, DEBUG off; Delaktig with
DELAKTIG_ENV=production and Redis. Reads: a dialogue page and the register. Submissions: a
proposal, a survey answer, an idea support and a vote, each a new resident. wrk -t2 -c32,
alternating floor/Delaktig runs in the same session (shared/PERFORMANCE.md: noise is
30-50 %, so only ratios of medians are reported).

    .venv/bin/python bench/load/run.py [--duration 10] [--repeats 3] [--only read,vote]

Prints a Markdown table. Needs wrk, PostgreSQL on 127.0.0.1:5432 (user postgres) and,
optionally, Redis (REDIS_URL, default redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CONNECTIONS = 32


def sh(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        result.check_returncode()
    return result.stdout


def recreate_db(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, app: str, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                str(VENV / "gunicorn"),
                app,
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        # Ready when every worker has booted and answered: the master accepts connections
        # before its workers have imported the app.
        deadline = time.monotonic() + 120
        answered = 0
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/", timeout=10).read()
            except urllib.error.HTTPError:
                pass  # an answer all the same (the floor app has no home page)
            except OSError:
                time.sleep(0.2)
                continue
            answered += 1
            if answered >= 4 * workers:
                return
        raise RuntimeError(f"{app} started no server")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, duration: int, script: Callable[[], str | None]) -> dict[str, float]:
    """A 3 s warm-up, then the measured run; each gets a script of its own (fresh sessions)."""
    base = ["wrk", "-t2", f"-c{CONNECTIONS}", "--latency"]

    def run(seconds: int) -> str:
        path = script()
        try:
            return subprocess.run(
                [*base, *(["-s", path] if path else []), f"-d{seconds}s", url],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
        finally:
            if path:
                os.unlink(path)

    run(3)
    out = run(duration)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {
        p: float(v) * UNITS[u]
        for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {
        "rps": rps,
        "p50": lat.get("50", float("nan")),
        "p99": lat.get("99", float("nan")),
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
        "requests": total,
    }


def lua_script(
    body: str,
    *,
    method: str = "POST",
    cookie: str = "",
    random_field: str = "",
    forwarded: bool = False,
    sessions: tuple[str, int, int] | None = None,
) -> str:
    """A wrk script. `forwarded`: a random resident address per request in X-Forwarded-For
    (as nginx sends it; the app trusts one proxy). `sessions` = (file, first, per_thread):
    each request signs in as the next resident in the file, every thread in its own range,
    so that no session is used twice (one person, one vote)."""
    fd, path = tempfile.mkstemp(suffix=".lua")
    lines = []
    if sessions:
        file, first, per_thread = sessions
        lines += [
            "local n = 0",
            "local threads = 0",
            "function setup(thread) thread:set('tid', threads); threads = threads + 1 end",
            "function init(args)",
            "  sessions = {}",
            f"  for line in io.lines('{file}') do sessions[#sessions + 1] = line end",
            "end",
        ]
    lines += [
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
        "math.randomseed(os.time())",
        "request = function()",
        f'  local body = "{body}"',
        f'  local cookie = "{cookie}"',
    ]
    if random_field:
        lines.append(f'  body = body .. "&{random_field}=" .. math.random(1, 1000000000)')
    if forwarded:
        lines.append(
            '  wrk.headers["X-Forwarded-For"] = "10." .. math.random(0, 255) .. "." '
            '.. math.random(0, 255) .. "." .. math.random(1, 254)'
        )
    if sessions:
        lines += [
            f"  local i = {first} + tid * {sessions[2]} + n",
            "  n = n + 1",
            "  cookie = cookie .. '; sessionid=' .. sessions[(i % #sessions) + 1]",
        ]
    lines += [
        '  if cookie ~= "" then wrk.headers["Cookie"] = cookie end',
        f'  return wrk.format("{method}", nil, nil, body)',
        "end",
    ]
    os.write(fd, ("\n".join(lines) + "\n").encode())
    os.close(fd)
    return path


def csrf_for(url: str) -> tuple[str, str]:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    return token, cookie


def median(values: list[float]) -> float:
    return statistics.median(values)


def base_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = f"{ROOT}:{ROOT / 'src'}"
    return env


def floor_environment() -> dict[str, str]:
    """The floor app's environment, on a new database with its 30 rows."""
    floor_env = dict(
        base_environment(),
        DJANGO_SETTINGS_MODULE="bench.load.floorapp.settings",
        FLOOR_DATABASE_URL=recreate_db("delaktig_bench_floor"),
    )
    sh(str(VENV / "python"), "-m", "django", "migrate", "-v0", env=floor_env)
    sh(
        str(VENV / "python"),
        "-c",
        "import django; django.setup(); from bench.load.floorapp.models import Row; "
        "Row.objects.bulk_create(Row(title=f'Rad {i}', text='Text ' * 20) for i in range(30))",
        env=floor_env,
    )
    return floor_env


def prepare_delaktig(
    database: str, voters: int, sessions_file: str
) -> tuple[dict[str, str], dict[str, Any]]:
    """Delaktig's production environment on a new database with the demo municipality and
    the submission fixtures (bench.load.submissions): the environment and the fixtures."""
    app_env = dict(
        base_environment(),
        DELAKTIG_ENV="production",
        DJANGO_SECRET_KEY="bench-" + "s" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=recreate_db(database),
        DB_CONN_MAX_AGE="600",
        REDIS_URL=REDIS,
        LOG_LEVEL="ERROR",
        # wrk stands in for nginx: residents' addresses arrive in X-Forwarded-For.
        DELAKTIG_TRUSTED_PROXIES="1",
        # A benchmark client writes thousands of times: every write is counted (the cost is
        # measured), none is refused.
        DELAKTIG_RATE_LIMIT_SCALE="1000000",
        DJANGO_SETTINGS_MODULE="delaktig.config.settings",
    )
    delaktig = str(VENV / "delaktig")
    sh(delaktig, "migrate", "-v0", "--noinput", env=app_env)
    sh(delaktig, "collectstatic", "-v0", "--noinput", env=app_env)
    sh(delaktig, "load_demo", env=app_env)
    import redis

    redis.Redis.from_url(REDIS).flushdb()  # no cached pages or sessions from an earlier run
    fixtures = json.loads(
        sh(
            str(VENV / "python"),
            "-m",
            "bench.load.submissions",
            str(voters),
            sessions_file,
            env=app_env,
        )
    )
    return app_env, fixtures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--only", help="comma-separated cases (read,list,propose,answer,support,vote)"
    )
    parser.add_argument("--json", help="also write raw figures here")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers for both apps (default 2)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk saknas: apt-get install -y wrk", file=sys.stderr)
        return 2

    floor_env = floor_environment()
    runs = 2 * args.repeats  # warm-up and measured run per repeat
    # Signed-in residents per wrk thread and run: more than it can vote (~500 votes/s).
    per_thread = 300 * (args.duration + 3)
    sessions_file = tempfile.mkstemp(suffix=".sessions")[1]
    app_env, fixtures = prepare_delaktig("delaktig_bench", runs * 2 * per_thread, sessions_file)

    floor = Server("bench.load.floorapp.wsgi:application", floor_env, args.workers)
    app = Server("delaktig.config.wsgi:application", app_env, args.workers)
    servers = [floor, app]
    try:
        listing = json.loads(urllib.request.urlopen(f"{app.url}/api/dialoger/?status=pagar").read())
        dialogue_path = urllib.parse.urlsplit(listing["resultat"][0]["url"]).path
        token, cookie = csrf_for(f"{app.url}/foresla/")
        csrf_cookie = f"csrftoken={cookie}"

        def form(fields: dict[str, str]) -> str:
            return urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})

        def app_post(
            fields: dict[str, str], *, random_field: str = "", signed_in: bool = False
        ) -> Callable[[], str | None]:
            used = [0]

            def make() -> str:
                sessions = None
                if signed_in:
                    sessions = (sessions_file, used[0] * 2 * per_thread, per_thread)
                    used[0] += 1
                return lua_script(
                    form(fields),
                    cookie=csrf_cookie,
                    random_field=random_field,
                    forwarded=True,
                    sessions=sessions,
                )

            return make

        def floor_post() -> str:
            return lua_script("title=Id%C3%A9&text=Mer+gr%C3%B6nska", random_field="n")

        def no_script() -> None:
            return None

        survey = fixtures["survey_activity"]
        cases: dict[str, tuple[str, Callable[[], str | None], str, Callable[[], str | None]]] = {
            "read": (f"{floor.url}/read/", no_script, f"{app.url}{dialogue_path}", no_script),
            "list": (f"{floor.url}/read/", no_script, f"{app.url}/dialoger/", no_script),
            "propose": (
                f"{floor.url}/write/",
                floor_post,
                f"{app.url}/foresla/",
                app_post(
                    {
                        "description": "Mer grönska och bänkar.",
                        "proposer_kind": "resident",
                        "proposer_name": "Bench",
                    },
                    random_field="title",
                ),
            ),
            "answer": (
                f"{floor.url}/write/",
                floor_post,
                f"{app.url}/delta/enkat/{survey}/",
                app_post(fixtures["survey_fields"]),
            ),
            "support": (
                f"{floor.url}/write/",
                floor_post,
                f"{app.url}/delta/ideer/ide/{fixtures['idea']}/stod/",
                app_post({}),
            ),
            "vote": (
                f"{floor.url}/write/",
                floor_post,
                f"{app.url}/delta/omrostning/{fixtures['vote_activity']}/",
                app_post(fixtures["vote_fields"], signed_in=True),
            ),
        }
        if args.only:
            cases = {k: v for k, v in cases.items() if k in args.only.split(",")}
        results: dict[str, dict[str, list[dict[str, float]]]] = {
            k: {"floor": [], "delaktig": []} for k in cases
        }
        for _ in range(args.repeats):
            for kind, (f_url, f_script, a_url, a_script) in cases.items():
                results[kind]["floor"].append(wrk(f_url, args.duration, f_script))
                results[kind]["delaktig"].append(wrk(a_url, args.duration, a_script))
        stored = stored_counts(app_env, fixtures)
        app.stop()
        servers.remove(app)
        scale = {}
        for workers in (1, 2, 4):
            s = Server("delaktig.config.wsgi:application", app_env, workers)
            servers.append(s)
            scale[workers] = wrk(f"{s.url}{dialogue_path}", args.duration, no_script)
            s.stop()
            servers.remove(s)
    finally:
        for s in servers:
            s.stop()
        os.unlink(sessions_file)

    labels = {
        "read": f"GET dialogue page `{dialogue_path}` vs. floor read 30 rows + template",
        "list": "GET the register `/dialoger/` vs. floor read 30 rows + template",
        "propose": "POST propose form (new Initiative) vs. floor insert-POST",
        "answer": "POST a one-page survey answer (anonymous) vs. floor insert-POST",
        "support": "POST support for an idea (anonymous) vs. floor insert-POST",
        "vote": "POST a vote (signed-in, verified, one each) vs. floor insert-POST",
    }
    print(
        f"\n## Load, wrk -t2 -c{CONNECTIONS} -d{args.duration}s, {args.repeats} alternating runs\n"
    )
    print(
        "| request | floor req/s (median) | Delaktig req/s (median) | ratio | "
        "floor p50/p99 ms | Delaktig p50/p99 ms | p99 ratio | non-2xx/3xx |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind, r in results.items():
        f_rps = median([x["rps"] for x in r["floor"]])
        a_rps = median([x["rps"] for x in r["delaktig"]])
        f_p99 = median([x["p99"] for x in r["floor"]])
        a_p99 = median([x["p99"] for x in r["delaktig"]])
        print(
            f"| {labels[kind]} | {f_rps:.0f} | {a_rps:.0f} | {a_rps / f_rps:.2f} | "
            f"{median([x['p50'] for x in r['floor']]):.1f} / {f_p99:.1f} | "
            f"{median([x['p50'] for x in r['delaktig']]):.1f} / {a_p99:.1f} | "
            f"{a_p99 / f_p99:.2f} | "
            f"{sum(x['non2xx'] for x in r['delaktig'])} |"
        )
    print("\n## Stored after the load (each acknowledged submission exactly once)\n")
    for name, value in stored.items():
        print(f"- {name}: {value}")
    print("\n## Scale: Delaktig GET dialogue page, gunicorn workers on one PostgreSQL\n")
    print("| workers | req/s | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    for workers, x in scale.items():
        print(f"| {workers} | {x['rps']:.0f} | {x['p50']:.1f} | {x['p99']:.1f} |")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"load": results, "stored": stored, "scale": scale}, indent=1)
        )
    return 0


def stored_counts(env: dict[str, str], fixtures: dict[str, object]) -> dict[str, int]:
    """What the database holds after the load (bench.load.submissions counts it)."""
    return json.loads(
        sh(
            str(VENV / "python"),
            "-m",
            "bench.load.submissions",
            "count",
            json.dumps(fixtures),
            env=env,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
