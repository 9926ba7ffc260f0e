"""Bounded load test on loopback: Delaktig vs. a bare Django floor app, same server setup.

Both under gunicorn (sync workers), PostgreSQL, DEBUG off; Delaktig with
DELAKTIG_ENV=production and Redis. wrk -t2 -c32, alternating floor/Delaktig runs in the same
session (shared/PERFORMANCE.md: noise is 30-50 %, so only ratios of medians are reported).

    .venv/bin/python bench/load/run.py [--duration 10] [--repeats 3]

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
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CONNECTIONS = 32


def sh(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


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
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{app} started no server")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, duration: int, script: str | None = None) -> dict[str, float]:
    base = ["wrk", "-t2", f"-c{CONNECTIONS}", "--latency"]
    if script:
        base += ["-s", script]
    subprocess.run([*base, "-d3s", url], capture_output=True, check=True)  # warm-up
    out = subprocess.run(
        [*base, f"-d{duration}s", url], capture_output=True, check=True, text=True
    ).stdout
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


def lua_post(body: str, cookie: str = "", random_field: str = "") -> str:
    fd, path = tempfile.mkstemp(suffix=".lua")
    headers = 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    if cookie:
        headers += f'wrk.headers["Cookie"] = "{cookie}"\n'
    script = (
        headers
        + "math.randomseed(os.time())\n"
        + "request = function()\n"
        + f'  local body = "{body}" .. "&{random_field}=" .. math.random(1, 1000000000)\n'
        + '  return wrk.format("POST", nil, nil, body)\n'
        + "end\n"
    )
    os.write(fd, script.encode())
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="also write raw figures here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk saknas: apt-get install -y wrk", file=sys.stderr)
        return 2

    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    base_env["PYTHONPATH"] = f"{ROOT}:{ROOT / 'src'}"

    floor_env = dict(
        base_env,
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

    app_env = dict(
        base_env,
        DELAKTIG_ENV="production",
        DJANGO_SECRET_KEY="bench-" + "s" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=recreate_db("delaktig_bench"),
        DB_CONN_MAX_AGE="600",
        REDIS_URL=REDIS,
        LOG_LEVEL="ERROR",
    )
    app_env["DJANGO_SETTINGS_MODULE"] = "bench.load.delaktig_settings"
    delaktig = str(VENV / "delaktig")
    sh(delaktig, "migrate", "-v0", "--noinput", env=app_env)
    sh(delaktig, "collectstatic", "-v0", "--noinput", env=app_env)
    sh(delaktig, "load_demo", env=app_env)

    floor = Server("bench.load.floorapp.wsgi:application", floor_env, 2)
    app = Server("delaktig.config.wsgi:application", app_env, 2)
    servers = [floor, app]
    scripts: list[str] = []
    try:
        listing = json.loads(urllib.request.urlopen(f"{app.url}/api/dialoger/?status=pagar").read())
        dialogue_path = urllib.parse.urlsplit(listing["resultat"][0]["url"]).path
        token, cookie = csrf_for(f"{app.url}/foresla/")
        post_app = lua_post(
            "description=Mer+gr%C3%B6nska+och+b%C3%A4nkar.&proposer_kind=resident"
            f"&csrfmiddlewaretoken={token}&proposer_name=Bench",
            cookie=f"csrftoken={cookie}",
            random_field="title",
        )
        post_floor = lua_post("title=Id%C3%A9&text=Mer+gr%C3%B6nska", random_field="n")
        scripts += [post_app, post_floor]
        cases = {
            "read": (f"{floor.url}/read/", None, f"{app.url}{dialogue_path}", None),
            "write": (f"{floor.url}/write/", post_floor, f"{app.url}/foresla/", post_app),
        }
        results: dict[str, dict[str, list[dict[str, float]]]] = {
            k: {"floor": [], "delaktig": []} for k in cases
        }
        for _ in range(args.repeats):
            for kind, (f_url, f_script, a_url, a_script) in cases.items():
                results[kind]["floor"].append(wrk(f_url, args.duration, f_script))
                results[kind]["delaktig"].append(wrk(a_url, args.duration, a_script))
        app.stop()
        servers.remove(app)
        scale = {}
        for workers in (1, 2, 4):
            s = Server("delaktig.config.wsgi:application", app_env, workers)
            servers.append(s)
            scale[workers] = wrk(f"{s.url}{dialogue_path}", args.duration)
            s.stop()
            servers.remove(s)
    finally:
        for s in servers:
            s.stop()
        for path in scripts:
            os.unlink(path)

    labels = {
        "read": f"GET dialogue page {dialogue_path} vs. floor read 30 rows + template",
        "write": "POST propose form (CSRF, new Initiative) vs. floor insert-POST",
    }
    print(
        f"\n## Load, wrk -t2 -c{CONNECTIONS} -d{args.duration}s, {args.repeats} alternating runs\n"
    )
    print(
        "| request | floor req/s (median) | Delaktig req/s (median) | ratio | "
        "floor p50/p99 ms | Delaktig p50/p99 ms | non-2xx |"
    )
    print("|---|---|---|---|---|---|---|")
    for kind, r in results.items():
        f_rps = median([x["rps"] for x in r["floor"]])
        a_rps = median([x["rps"] for x in r["delaktig"]])
        print(
            f"| {labels[kind]} | {f_rps:.0f} | {a_rps:.0f} | {a_rps / f_rps:.2f} | "
            f"{median([x['p50'] for x in r['floor']]):.1f} / "
            f"{median([x['p99'] for x in r['floor']]):.1f} | "
            f"{median([x['p50'] for x in r['delaktig']]):.1f} / "
            f"{median([x['p99'] for x in r['delaktig']]):.1f} | "
            f"{sum(x['non2xx'] for x in r['delaktig'])} |"
        )
    print("\n## Scale: Delaktig GET dialogue page, gunicorn workers on one PostgreSQL\n")
    print("| workers | req/s | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    for workers, x in scale.items():
        print(f"| {workers} | {x['rps']:.0f} | {x['p50']:.1f} | {x['p99']:.1f} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"load": results, "scale": scale}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
