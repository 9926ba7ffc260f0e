"""The operations guide's samples name only what the app reads, and the request id and
the JSON log lines work as docs/operations.md says."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from delaktig.core import logs

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "operations.md").read_text()
SETTINGS_SOURCES = "".join(
    (ROOT / "src" / "delaktig" / p).read_text()
    for p in ("config/settings.py", "accounts/settings_fragment.py")
)


def _block(language: str) -> str:
    found = re.findall(rf"```{language}\n(.*?)```", GUIDE, re.S)
    assert len(found) == 1, f"one {language} sample in docs/operations.md"
    return found[0]


def _read_by_settings(name: str) -> bool:
    return re.search(rf"os\.environ(?:\.get)?\(\s*\"{name}\"", SETTINGS_SOURCES) is not None


def test_every_variable_the_guide_names_is_read_by_the_settings() -> None:
    table = re.findall(r"^\| `([A-Z_]+)", GUIDE, re.M)
    listed = {
        name
        for row in re.findall(r"^\| (`[A-Z_].*?) \|", GUIDE, re.M)
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)", row)
    }
    systemd = set(re.findall(r"^Environment=([A-Z_]+)=", _block("ini"), re.M))
    env_file = set(
        re.findall(
            r"`([A-Z][A-Z0-9_]+)`", GUIDE.split("/etc/delaktig/env` holds")[1].split("\n\n")[0]
        )
    )
    names = set(table) | listed | systemd | env_file
    assert {"DELAKTIG_ENV", "LOG_FORMAT", "DELAKTIG_TRUSTED_PROXIES", "DATABASE_URL"} <= names
    assert sorted(n for n in names if not _read_by_settings(n)) == []


def test_the_systemd_unit_and_nginx_agree_with_the_app() -> None:
    unit, nginx = _block("ini"), _block("nginx")
    bind = re.search(r"--bind (127\.0\.0\.1:\d+)", unit)
    assert bind and f"proxy_pass http://{bind.group(1)};" in nginx
    assert "delaktig.config.wsgi" in unit and settings.WSGI_APPLICATION.startswith(
        "delaktig.config.wsgi"
    )
    # One proxy in front: the app counts one entry from the right of X-Forwarded-For.
    assert "Environment=DELAKTIG_TRUSTED_PROXIES=1" in unit
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme" in nginx
    assert f"proxy_set_header {logs.HEADER} $request_id" in nginx
    assert 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")' in SETTINGS_SOURCES


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "sent", "kept"),
    [
        (1, "a1b2c3-nginx", True),
        (0, "a1b2c3-nginx", False),  # no proxy trusted: a client's header is not taken
        (1, "bad id\nwith a newline", False),
        (1, "x" * 65, False),
    ],
)
def test_the_request_id_is_the_proxys_when_trusted(
    settings: object, proxies: int, sent: str, kept: bool
) -> None:
    settings.DELAKTIG_TRUSTED_PROXIES = proxies  # type: ignore[attr-defined]
    response = Client().get("/tillganglighet/", HTTP_X_REQUEST_ID=sent)
    given = response[logs.HEADER]
    assert (given == sent) is kept
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", given)


@pytest.mark.django_db
def test_log_lines_are_json_with_the_request_id(settings: object) -> None:
    settings.DELAKTIG_TRUSTED_PROXIES = 1  # type: ignore[attr-defined]
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep()
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        Client().get("/finns-inte/", HTTP_X_REQUEST_ID="req-42")
    finally:
        logger.removeHandler(handler)
    line = json.loads(lines[-1])
    assert line["request_id"] == "req-42" and line["level"] == "WARNING"
    assert line["status"] == 404 and "/finns-inte/" in line["message"]
    assert set(line) >= {"time", "level", "logger", "message", "request_id"}
