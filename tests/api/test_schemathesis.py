"""Property-based testing of the API against its own OpenAPI 3.1 document (schemathesis),
through the WSGI application (no network): no 500s, every response matches the schema
(status code documented, content type, body), and schema-violating input (negative mode)
is refused with a 4xx, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from tests.security.world import build_world

pytestmark = pytest.mark.django_db(transaction=False)

OPERATIONS = [
    ("GET", "/api/dialoger/"),
    ("GET", "/api/dialoger/{slug}/"),
    ("GET", "/api/aktiviteter/"),
    ("GET", "/api/aktiviteter/{activity_id}/"),
]


@pytest.fixture
def api_schema(municipality: Any, people: dict[str, Any]) -> Iterator[Any]:
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    build_world(municipality, people)
    # Like Django's test client: the WSGI handler must not close the connection that holds
    # the test's transaction (PostgreSQL would lose the fixture data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_is_covered(api_schema: Any) -> None:
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_conforms_to_openapi(api_schema: Any, method: str, path: str, mode: Any) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call_and_validate()
        assert response.status_code < 500
        if mode == GenerationMode.NEGATIVE and response.status_code >= 400:
            assert response.json()["fel"]["meddelande"]

    check()
