from __future__ import annotations

from typing import Any

import pytest

from tests.security.world import World, build_world


@pytest.fixture
def world(municipality: Any, people: dict[str, Any]) -> World:
    return build_world(municipality, people)
