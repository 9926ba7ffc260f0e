from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from delaktig.governance.models import Dialogue
from delaktig.participation.models import Activity


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate-limit counters and OIDC metadata live in the (per-process) cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_dialogue(municipality: Any) -> Dialogue:
    return Dialogue.objects.create(
        municipality=municipality,
        title="Framtidens Centrumpark",
        slug="framtidens-centrumpark",
        status="open",
        influence_level="konsultation",
    )


@pytest.fixture
def make_activity(open_dialogue: Dialogue) -> Any:
    def make(**fields: Any) -> Activity:
        n = Activity.objects.count() + 1
        defaults = {"method": "survey", "title": f"Enkät {n}", "slug": f"enkat-{n}"}
        return Activity.objects.create(dialogue=open_dialogue, **{**defaults, **fields})

    return make
