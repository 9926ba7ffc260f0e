"""Fault injection against the real app: a gunicorn server, a private PostgreSQL cluster,
residents submitting votes and survey answers over HTTP, and an audit of what was stored.

Shared by tests/reliability/test_faults.py and bench/bench_faults.py. Everything runs in
child processes with their own database, so the in-process test database is never used:
the point is what survives a SIGKILLed app process and a restarted database server.
"""

from __future__ import annotations

import datetime
import json
import os
import queue
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PG_BIN = Path(os.environ.get("DELAKTIG_PG_BIN", "/usr/lib/postgresql/15/bin"))
# A fixed CSRF secret sent both as cookie and form field: the test clients never load a
# form, and Django accepts an unmasked 32-character secret in the form field.
CSRF_SECRET = "faultsfaultsfaultsfaultsfaults12"
THANKS = "Tack för dina svar"  # the survey's thank-you page
ERROR_PAGE = "Något gick fel"  # templates/500.html


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(var_dir: Path, database_url: str = "") -> dict[str, str]:
    """Settings for the child processes: production-like (DEBUG off), private database."""
    drop = {"_", "DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE"}
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST") and k not in drop and not k.startswith("COV_")
    }
    env.update(
        DELAKTIG_ENV="development",
        DJANGO_DEBUG="0",
        DJANGO_SETTINGS_MODULE="delaktig.config.settings",
        DELAKTIG_VAR_DIR=str(var_dir),
        SQLITE_PATH=str(var_dir / "delaktig.sqlite3"),
        LOG_LEVEL="ERROR",
        # Every load client comes from 127.0.0.1; counted, never refused.
        DELAKTIG_RATE_LIMIT_SCALE="1000000",
        PYTHONPATH=f"{ROOT}:{ROOT / 'src'}",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_django(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "python"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{result.stdout}\n{result.stderr[-4000:]}")
    return result.stdout


def migrate(env: dict[str, str]) -> None:
    run_django(env, "-m", "django", "migrate", "-v0", "--noinput")


def seed(env: dict[str, str], users: int) -> dict[str, Any]:
    """An open dialogue with a vote and a one-page survey, and `users` signed-in residents."""
    out = run_django(env, "-m", "tests.reliability.faultkit", "seed", str(users))
    return dict(json.loads(out.strip().splitlines()[-1]))


def audit(env: dict[str, str]) -> dict[str, Any]:
    out = run_django(env, "-m", "tests.reliability.faultkit", "audit")
    return dict(json.loads(out.strip().splitlines()[-1]))


# --- PostgreSQL ------------------------------------------------------------------------


def pg_admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def private_pg_unavailable() -> str | None:
    """Why a private cluster cannot be started here, or None."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL-programmet {PG_BIN / tool} saknas"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "användaren postgres saknas (initdb vägrar köra som root)"
        if not shutil.which("runuser"):
            return "runuser saknas"
    return None


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on its own port, owned by the `postgres` user."""

    def __init__(self) -> None:
        # Not under pytest's tmp_path: that lives in a root-only directory the postgres
        # user cannot enter.
        self.base = Path(tempfile.mkdtemp(prefix="delaktig-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "postgres.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")

    def _as_postgres(self, *args: str, timeout: float = 120) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # Output to a file, never a pipe: a postmaster started by pg_ctl inherits it and
        # would keep the pipe open for as long as it runs.
        with tempfile.TemporaryFile() as out:
            result = subprocess.run(
                [*prefix, *args], stdout=out, stderr=out, timeout=timeout, cwd=self.base
            )
            if result.returncode != 0:
                out.seek(0)
                raise RuntimeError(f"{args[0]} failed: {out.read().decode(errors='replace')}")

    def _pg_ctl(self, action: str, mode: str = "fast") -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-m", mode, "-w", "-t", "60", action,
        )  # fmt: skip

    def init(self) -> None:
        self._as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        )
        self.start()

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", mode)

    def restart(self, mode: str = "fast") -> None:
        self._pg_ctl("restart", mode)

    def destroy(self) -> None:
        with suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


# --- The app server ------------------------------------------------------------------------


class AppServer:
    """gunicorn with sync workers, in its own process group so it can be SIGKILLed whole."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2) -> None:
        self.env = env
        self.log = log
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    str(VENV_BIN / "gunicorn"),
                    "delaktig.config.wsgi:application",
                    "-w",
                    str(self.workers),
                    "-b",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
            try:
                requests.get(self.url + "/", timeout=10)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("the app server did not answer")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in children.split()]

    def kill_worker(self) -> int | None:
        """SIGKILL one worker; the gunicorn master starts a new one."""
        pids = self.worker_pids()
        if not pids:
            return None
        pid = random.choice(pids)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return None
        return pid

    def kill_all(self) -> None:
        """SIGKILL the master and every worker: the app is gone, nothing is cleaned up."""
        if self.proc is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        self.proc = None


# --- Holding a write lock, so a request is provably stuck inside its transaction -----------


@contextmanager
def write_lock(
    database_url: str, sqlite_path: Path, tables: list[str]
) -> Iterator[Callable[[int], None]]:
    """Hold a lock that blocks the app's writes; yields `wait(n)` for n blocked requests.

    PostgreSQL: an EXCLUSIVE table lock on the ballot and answer tables, so the request
    waits inside its transaction, after its earlier statements. SQLite: the database-wide
    write lock (BEGIN IMMEDIATE), so the request waits at its first write.
    """
    if database_url:
        import psycopg

        conn = psycopg.connect(database_url)
        conn.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")  # type: ignore[arg-type]

        def wait(n: int) -> None:
            deadline = time.monotonic() + 30
            with psycopg.connect(database_url, autocommit=True) as probe:
                while time.monotonic() < deadline:
                    row = probe.execute(
                        "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'relation'"
                        " AND database = (SELECT oid FROM pg_database"
                        " WHERE datname = current_database())"
                    ).fetchone()
                    if row and row[0] >= n:
                        return
                    time.sleep(0.05)
            raise AssertionError(f"{n} requests never reached the locked tables")

        try:
            yield wait
        finally:
            conn.rollback()
            conn.close()
            _until_no_statement_runs(database_url)
    else:
        lite = sqlite3.connect(sqlite_path, isolation_level=None, timeout=30)
        lite.execute("BEGIN IMMEDIATE")

        def wait(n: int) -> None:
            # Nothing to observe from outside; the lock outlasts this pause (busy_timeout
            # is 20 s), so the requests cannot have written anything when they are killed.
            time.sleep(2.5)

        try:
            yield wait
        finally:
            lite.execute("ROLLBACK")
            lite.close()


def _until_no_statement_runs(database_url: str) -> None:
    """After the lock: statements that were waiting on it run to their end, also for an app
    that is gone, before anyone looks at what is stored."""
    import psycopg

    deadline = time.monotonic() + 30
    with psycopg.connect(database_url, autocommit=True) as probe:
        while time.monotonic() < deadline:
            row = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                " AND pid <> pg_backend_pid() AND datname = current_database()"
            ).fetchone()
            if row and row[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError("statements still running 30 s after the lock was released")


# --- Residents submitting ----------------------------------------------------------------


def resident_session(world: dict[str, Any], user: dict[str, Any]) -> requests.Session:
    s = requests.Session()
    s.cookies.set("sessionid", user["session"], domain="127.0.0.1")
    s.cookies.set("csrftoken", CSRF_SECRET, domain="127.0.0.1")
    return s


def vote_form(world: dict[str, Any], user: dict[str, Any]) -> dict[str, str]:
    option = world["options"][user["index"] % len(world["options"])]
    return {"csrfmiddlewaretoken": CSRF_SECRET, "alternativ": str(option)}


def survey_form(world: dict[str, Any], user: dict[str, Any]) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": CSRF_SECRET,
        "sida": "1",
        "action": "submit",
        f"q{world['q_single']}": str(user["index"] % 2),
        f"q{world['q_text']}": f"Svar nummer {user['index']} om parken",
    }


@dataclass
class Outcome:
    """One attempt: what the client saw."""

    kind: str  # "vote" | "survey"
    status: int  # HTTP status; 0 when the connection broke or timed out
    started: float
    ended: float
    # "ack": accepted (302; for a vote also the same ballot sent again, which is answered
    # as the one already counted); "done": already stored earlier (409 for another
    # choice, the survey's thank-you page);
    # "fail": 5xx or no answer, worth retrying; "bad": anything else (a bug).
    verdict: str
    # A 5xx that is the app's own Swedish error page (not a proxy's or a traceback).
    error_page: bool = False


def classify(kind: str, response: requests.Response | None) -> tuple[int, str]:
    if response is None:
        return 0, "fail"
    code = response.status_code
    if code == 302:
        return code, "ack"
    if kind == "vote" and code == 409 and "redan röstat" in response.text:
        return code, "done"
    if kind == "survey" and code == 200 and THANKS in response.text:
        return code, "done"
    if code >= 500:
        return code, "fail"
    return code, "bad"


def submit(
    base_url: str, world: dict[str, Any], user: dict[str, Any], kind: str, timeout: float = 30
) -> Outcome:
    session = resident_session(world, user)
    if kind == "vote":
        url, form = f"{base_url}/delta/omrostning/{world['vote_activity']}/", vote_form(world, user)
    else:
        url, form = f"{base_url}/delta/enkat/{world['survey_activity']}/", survey_form(world, user)
    started = time.monotonic()
    try:
        response: requests.Response | None = session.post(
            url, data=form, allow_redirects=False, timeout=timeout
        )
    except requests.RequestException:
        response = None
    code, verdict = classify(kind, response)
    error_page = response is not None and code >= 500 and ERROR_PAGE in response.text
    return Outcome(kind, code, started, time.monotonic(), verdict, error_page)


@dataclass
class LoadResult:
    outcomes: list[Outcome] = field(default_factory=list)
    # (user index, kind) -> verdicts of every attempt, in order
    history: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    unfinished: list[tuple[int, str]] = field(default_factory=list)
    # (label, monotonic start, monotonic end) of each fault the fault thread injected
    events: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return len(self.outcomes)

    @property
    def acknowledged(self) -> int:
        return sum(1 for o in self.outcomes if o.verdict == "ack")

    def statuses(self) -> Counter[int]:
        return Counter(o.status for o in self.outcomes)

    def recovery_s(self, event: tuple[str, float, float]) -> float | None:
        """From the end of a fault (server back) to the first request, started after it,
        that got a final answer."""
        _label, _start, end = event
        finals = [o.ended for o in self.outcomes if o.verdict != "fail" and o.started >= end]
        return min(finals) - end if finals else None

    def failed_during(self, event: tuple[str, float, float]) -> int:
        _label, start, end = event
        return sum(1 for o in self.outcomes if o.verdict == "fail" and start <= o.ended <= end + 2)

    def failed_after(self, event: tuple[str, float, float], grace: float = 0.5) -> int:
        """Requests started once the server was back (plus a grace) that still failed: a
        stale database connection would show up here."""
        _label, _start, end = event
        return sum(1 for o in self.outcomes if o.verdict == "fail" and o.started >= end + grace)

    def acked_tasks(self) -> set[tuple[int, str]]:
        return {task for task, verdicts in self.history.items() if "ack" in verdicts}


def run_load(
    base_url: str,
    world: dict[str, Any],
    *,
    clients: int,
    faults: Callable[[threading.Event, LoadResult], None] | None = None,
    deadline_s: float = 120,
    retry_pause: float = 0.2,
) -> LoadResult:
    """Every resident votes and answers once, retrying until the app gives a final answer.

    `faults` runs in its own thread at the same time and gets an event that is set once
    every submission is final (or the deadline passed), and the result so far.
    """
    pending: queue.Queue[tuple[int, str]] = queue.Queue()
    for user in world["users"]:
        pending.put((user["index"], "vote"))
        pending.put((user["index"], "survey"))
    result = LoadResult()
    lock = threading.Lock()
    stop = time.monotonic() + deadline_s
    finished = threading.Event()
    users = {u["index"]: u for u in world["users"]}

    def client() -> None:
        while time.monotonic() < stop:
            try:
                index, kind = pending.get_nowait()
            except queue.Empty:
                return
            while True:
                outcome = submit(base_url, world, users[index], kind)
                with lock:
                    result.outcomes.append(outcome)
                    result.history.setdefault((index, kind), []).append(outcome.verdict)
                if outcome.verdict in {"ack", "done", "bad"}:
                    break
                if time.monotonic() >= stop:
                    with lock:
                        result.unfinished.append((index, kind))
                    return
                time.sleep(retry_pause)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    fault_thread = (
        threading.Thread(target=faults, args=(finished, result), daemon=True) if faults else None
    )
    for t in threads:
        t.start()
    if fault_thread:
        fault_thread.start()
    for t in threads:
        t.join(timeout=max(1.0, stop - time.monotonic() + 60))
    finished.set()
    if fault_thread:
        fault_thread.join(timeout=120)
    while not pending.empty():
        result.unfinished.append(pending.get_nowait())
    return result


def kill_workers(
    server: AppServer, every: float, max_kills: int | None = None
) -> Callable[[threading.Event, LoadResult], None]:
    """Fault thread: SIGKILL a random worker, wait until the app has given a final answer
    again (a new worker is serving), pause `every` seconds, repeat.

    Waiting for recovery keeps the kills from landing only on workers still importing
    Django, which measures nothing but boot time.
    """

    def faults(done: threading.Event, result: LoadResult) -> None:
        kills = 0
        while not done.wait(every) and (max_kills is None or kills < max_kills):
            start = time.monotonic()
            if server.kill_worker() is None:
                continue
            kills += 1
            event = ("SIGKILL worker", start, time.monotonic())
            result.events.append(event)
            while not done.is_set() and result.recovery_s(event) is None:
                time.sleep(0.02)

    return faults


def check_exactly_once(
    world: dict[str, Any], stored: dict[str, Any], result: LoadResult | None = None
) -> dict[str, int]:
    """Compare what the clients saw with the database. Returns the counts; asserts nothing."""
    ballots = stored["ballots_by_user"]
    responses = stored["submitted_by_user"]
    names = {u["index"]: u["username"] for u in world["users"]}
    double = sum(1 for n in ballots.values() if n > 1) + sum(1 for n in responses.values() if n > 1)
    double += stored["contributions_over_one"]
    lost = 0
    if result is not None:
        for index, kind in result.acked_tasks():
            table = ballots if kind == "vote" else responses
            if table.get(names[index], 0) != 1:
                lost += 1
    return {
        "stored_votes": stored["ballots"],
        "stored_responses": stored["submitted"],
        "double": double,
        "lost": lost,
        "half_written": stored["half_written"],
    }


# --- Child-process entry points (run with the app's settings) ------------------------------


def _seed(users: int) -> dict[str, Any]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from delaktig.accounts.models import User
    from delaktig.governance.models import Dialogue
    from delaktig.organisation.models import Municipality, PolicyProfile
    from delaktig.participation.models import Activity, Method
    from delaktig.participation.surveys import actions as survey_actions
    from delaktig.participation.surveys.models import Answer, QuestionKind
    from delaktig.participation.votes import actions as vote_actions
    from delaktig.participation.votes.models import VoteBallot

    municipality = Municipality.objects.first() or Municipality.objects.create(
        name="Exempelby kommun",
        slug="exempelby-kommun",
        profile=PolicyProfile.objects.order_by("pk")[0],
        contact_email="dialog@exempelby.se",
    )
    dialogue = Dialogue.objects.create(
        municipality=municipality,
        title="Framtidens Centrumpark",
        slug=f"framtidens-centrumpark-{secrets.token_hex(3)}",
        status="open",
        influence_level="konsultation",
        input_use="Svaren sammanställs och lämnas till nämnden före beslutet.",
    )
    now = timezone.now()
    window = {
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=14),
    }
    vote_activity = Activity.objects.create(
        dialogue=dialogue, method=Method.VOTE, title="Omröstning om parken",
        slug="omrostning", identity_level="email", **window,
    )  # fmt: skip
    vote = vote_actions.create_vote(
        activity=vote_activity,
        by=None,
        question="Vad ska byggas i parken?",
        options=["Lekplats", "Scen", "Odlingslotter"],
    )
    survey_activity = Activity.objects.create(
        dialogue=dialogue, method=Method.SURVEY, title="Enkät om parken",
        slug="enkat", identity_level="email", **window,
    )  # fmt: skip
    survey = survey_actions.ensure_survey(
        activity=survey_activity, actor=None, one_page=True, ask_demographics=False
    )
    q_single = survey_actions.add_question(
        survey=survey, actor=None, kind=QuestionKind.SINGLE, label="Besöker du parken?",
        options=["Ja", "Nej"], required=True, page=1,
    )  # fmt: skip
    q_text = survey_actions.add_question(
        survey=survey, actor=None, kind=QuestionKind.TEXT, label="Något mer du vill säga?",
        max_length=200, page=1,
    )  # fmt: skip
    tag = secrets.token_hex(3)
    people = [
        User(
            username=f"invanare-{tag}-{i}",
            email=f"invanare{i}@exempelby.se",
            email_verified_at=now,
            connected_to_municipality=True,
        )
        for i in range(users)
    ]
    for person in people:
        # A real hash per user would take minutes; these people never type a password.
        person.set_unusable_password()
    User.objects.bulk_create(people)
    out_users = []
    for i, person in enumerate(User.objects.filter(username__startswith=f"invanare-{tag}-")):
        store = SessionStore()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.create()
        out_users.append({"index": i, "username": person.username, "session": store.session_key})
    return {
        "vote_activity": vote_activity.pk,
        "survey_activity": survey_activity.pk,
        "options": list(vote.options.values_list("pk", flat=True)),
        "q_single": q_single.pk,
        "q_text": q_text.pk,
        "users": out_users,
        "tables": [VoteBallot._meta.db_table, Answer._meta.db_table],
    }


def _audit() -> dict[str, Any]:
    from django.db.models import Count

    from delaktig.participation.models import Contribution
    from delaktig.participation.surveys.models import Answer, Response, ResponseStatus
    from delaktig.participation.votes.models import VoteBallot

    ballots = Counter(VoteBallot.objects.values_list("voter__username", flat=True))
    submitted = Response.objects.filter(status=ResponseStatus.SUBMITTED)
    by_user = Counter(submitted.values_list("author__username", flat=True))
    over_one = (
        Contribution.objects.values("activity_id", "kind", "participant_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    half = {
        # Answers belong only to submitted responses (they are written on submit).
        "answers_of_drafts": Answer.objects.exclude(response__status=ResponseStatus.SUBMITTED)
        .values("response")
        .distinct()
        .count(),
        "submitted_without_answers": submitted.annotate(n=Count("answers")).filter(n=0).count(),
        "submitted_without_contribution": submitted.filter(contribution__isnull=True).count(),
        "ballots_without_contribution": VoteBallot.objects.count()
        - Contribution.objects.filter(kind="vote").count(),
        "answer_contributions_without_response": Contribution.objects.filter(kind="answer").count()
        - submitted.count(),
    }
    return {
        "ballots": sum(ballots.values()),
        "submitted": submitted.count(),
        "ballots_by_user": dict(ballots),
        "submitted_by_user": dict(by_user),
        "contributions_over_one": over_one,
        "half_written": sum(abs(v) for v in half.values()),
        "half_written_detail": half,
    }


def _main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "seed":
        print(json.dumps(_seed(int(argv[1]))))
    elif argv[0] == "audit":
        print(json.dumps(_audit()))
    else:
        raise SystemExit(f"unknown command {argv[0]}")


if __name__ == "__main__":
    _main(sys.argv[1:])
