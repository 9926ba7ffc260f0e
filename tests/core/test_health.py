"""`/livez` and `/readyz` with the production settings, against real PostgreSQL and Redis,
and with each of them stopped (nothing listening on its port).

Each probe runs in a child process with `DELAKTIG_ENV=production`, as gunicorn would, and
asks over plain HTTP with a host name that is not in ALLOWED_HOSTS, as a load balancer
does: the answer must be about the app, not an HTTPS redirect or a 400.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
STOPPED_PORT = 9  # discard: nothing listens there
pytestmark = pytest.mark.slow

PROBE = """
import json, sys
import django
django.setup()
from django.test import Client
if sys.argv[1] == "stale":
    from datetime import timedelta
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult
    DBTaskResult.objects.create(
        task_path="delaktig.feedback.tasks.deliver", args_kwargs={"args": [], "kwargs": {}},
        backend_name="default", run_after=timezone.now() - timedelta(hours=1),
    )
client = Client(HTTP_HOST="10.0.0.5:8001")
out = {}
for path in ("/livez", "/readyz/"):
    response = client.get(path)
    out[path] = {"status": response.status_code, "body": json.loads(response.content),
                 "cache": response.get("Cache-Control")}
print(json.dumps(out))
"""


def _listening(address: tuple[str, int]) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(address) == 0


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DELAKTIG_ENV="production",
        DJANGO_SECRET_KEY="health-" + "k" * 50,
        DJANGO_SETTINGS_MODULE="delaktig.config.settings",
        PYTHONPATH=str(ROOT / "src"),
        LOG_LEVEL="CRITICAL",
        **extra,
    )
    return env


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    if not (_listening(PG) and _listening(REDIS)):
        pytest.skip("needs PostgreSQL and Redis on 127.0.0.1 (as in CI)")
    import psycopg

    name = f"delaktig_health_{os.getpid()}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    # Only the task queue's table: the probe reads nothing else.
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "django_tasks_database", "-v0"],
        env=_env(DATABASE_URL=url),
        check=True,
        cwd=ROOT,
    )
    yield url
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def probe(database_url: str, redis_url: str, mode: str = "") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        env=_env(DATABASE_URL=database_url, REDIS_URL=redis_url),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_ready_when_everything_answers(database: str) -> None:
    out = probe(database, "redis://127.0.0.1:6379/0")
    assert out["/livez"] == {"status": 200, "body": {"status": "ok"}, "cache": "no-store"}
    assert out["/readyz/"]["status"] == 200
    assert out["/readyz/"]["body"] == {
        "status": "ok",
        "databas": "ok",
        "cache": "ok",
        "uppgifter": "ok",
    }


def test_redis_stopped_is_not_ready_but_alive(database: str) -> None:
    out = probe(database, f"redis://127.0.0.1:{STOPPED_PORT}/0")
    assert out["/livez"]["status"] == 200
    assert out["/readyz/"]["status"] == 503
    assert out["/readyz/"]["body"] == {
        "status": "fel",
        "databas": "ok",
        "cache": "fel",
        "uppgifter": "ok",
    }


def test_postgresql_stopped_is_not_ready_but_alive(database: str) -> None:
    stopped = f"postgres://postgres@127.0.0.1:{STOPPED_PORT}/nothing"
    out = probe(stopped, "redis://127.0.0.1:6379/0")
    assert out["/livez"]["status"] == 200
    assert out["/readyz/"]["status"] == 503
    body = out["/readyz/"]["body"]
    assert (body["status"], body["databas"], body["cache"]) == ("fel", "fel", "ok")
    assert body["uppgifter"] == "fel"  # the queue lives in the database
    assert "9" not in json.dumps(body) and "postgres" not in json.dumps(body)


def test_a_task_waiting_too_long_means_the_worker_is_down(database: str) -> None:
    out = probe(database, "redis://127.0.0.1:6379/0", "stale")
    assert out["/readyz/"]["status"] == 503
    assert out["/readyz/"]["body"]["uppgifter"] == "fel"
    assert out["/readyz/"]["body"]["databas"] == "ok"
