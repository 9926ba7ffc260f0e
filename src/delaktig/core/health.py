"""Liveness and readiness for a load balancer: `/livez` and `/readyz`.

Answered by the first middleware, before HTTPS redirects, the host check, sessions and the
municipality: a probe comes over plain HTTP from the balancer's own address, and must get
an answer about the app, not a redirect or an error from a part that is down.

- `/livez`: the process answers (200). Nothing else is touched, so a slow database does
  not make the balancer restart healthy workers.
- `/readyz`: the database answers a query, the cache stores and returns a value, and the
  task worker is taking tasks (no task has waited longer than `DELAKTIG_TASK_STALE_SECONDS`;
  with the immediate backend tasks run in the request and there is no worker to wait
  for). 200 when all are ready, else 503; the JSON names each part, never an address or a
  password.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

LIVE_PATH = "/livez"
READY_PATH = "/readyz"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"delaktig:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    found = cache.get(key)
    cache.delete(key)
    return "ok" if found == "1" else "fel"


def check_tasks() -> str:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return "ok"  # the immediate backend runs tasks in the request: no worker to wait for
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    # Due (run_after passed) longer ago than the limit and still not taken by a worker.
    stale = timezone.now() - timedelta(seconds=settings.DELAKTIG_TASK_STALE_SECONDS)
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lt=stale)
    return "fel" if waiting.exists() else "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "databas": check_database,
    "cache": check_cache,
    "uppgifter": check_tasks,
}


def readiness() -> tuple[bool, dict[str, str]]:
    parts: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            parts[name] = check()
        except Exception:  # a part that is down may raise anything; the probe must answer
            logger.warning("readyz: %s svarar inte", name, exc_info=True)
            parts[name] = "fel"
    return all(state == "ok" for state in parts.values()), parts


def _answer(body: dict[str, object], status: int) -> HttpResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/")
        if path == LIVE_PATH:
            return _answer({"status": "ok"}, 200)
        if path == READY_PATH:
            ready, parts = readiness()
            return _answer({"status": "ok" if ready else "fel", **parts}, 200 if ready else 503)
        return self.get_response(request)
