"""Structured logs: one JSON object per line, each with the request's id.

The id comes from the reverse proxy's `X-Request-ID` when the app trusts a proxy (nginx
sets it, so the proxy's and the app's lines can be joined), else it is made here. It is
sent back in the response header, so a resident who reports an error page can quote it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

HEADER = "X-Request-ID"
# What a proxy may send: letters, digits and - _ . up to 64 characters; anything else is
# replaced, so a client cannot write into the logs.
VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = settings.DELAKTIG_TRUSTED_PROXIES > 0 and VALID_ID.fullmatch(given)
        # Not reset on the way out: Django logs a 4xx/5xx after the middleware has returned
        # (django.request), and that line must carry the id too. The next request sets its own.
        request_id.set(given if trusted else uuid.uuid4().hex)
        response = self.get_response(request)
        response[HEADER] = request_id.get()
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            line["status"] = status
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
