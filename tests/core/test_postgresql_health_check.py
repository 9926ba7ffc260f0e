"""The PostgreSQL health check that costs no round trip (delaktig.core.postgresql)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("bara PostgreSQL")
    assert connection.settings_dict["ENGINE"] == "delaktig.core.postgresql"
    assert connection.health_check_enabled


def _admin() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def _last_statement(pid: int) -> str:
    """What the server last ran for this backend, as it reports it."""
    with _admin() as admin:
        row = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert row is not None
    return str(row[0])


def _new_request() -> None:
    """What Django does between two requests, then the first query of the next one."""
    connection.close_if_unusable_or_obsolete()
    assert connection.health_check_done is False
    connection.close_if_health_check_failed()


def test_a_healthy_idle_connection_is_not_asked() -> None:
    # A connection of its own: one an earlier test opened may be older than CONN_MAX_AGE by
    # now, and Django rightly closes an obsolete one between requests.
    connection.close()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement before the next request'")
    raw = connection.connection
    _new_request()
    assert connection.connection is raw, "a healthy connection is kept"
    assert connection.health_check_done
    assert _last_statement(raw.info.backend_pid) == (
        "SELECT 'the last statement before the next request'"
    ), "no SELECT 1 was sent"


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it() -> None:
    connection.ensure_connection()
    old = connection.connection
    pid = old.info.backend_pid
    with _admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not connection.is_usable(), "the server's goodbye is seen without a query"
    _new_request()
    assert connection.connection is None, "the dead connection is closed"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
