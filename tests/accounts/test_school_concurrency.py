"""School code seats under parallel requests (PostgreSQL; real concurrent writers)."""

from __future__ import annotations

import datetime
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from delaktig.accounts.actions import create_school_session
from delaktig.governance.models import Dialogue

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="parallel writers are tested on PostgreSQL",
)


@pytest.fixture
def restore_profiles(django_db_blocker: Any) -> Any:
    """`transactional_db` flushes the database, including the policy profiles the
    migrations ship; put them back after the flush so later tests find them."""
    from delaktig.organisation.profile_data import sync_profiles

    with django_db_blocker.unblock():
        sync_profiles()
    yield
    with django_db_blocker.unblock():
        sync_profiles()


def test_school_code_seats_are_not_oversold(
    restore_profiles: Any, transactional_db: Any, people: Any, municipality: Any
) -> None:
    """Twelve pupils enter a five-seat code at once: exactly five get in."""
    dialogue = Dialogue.objects.create(
        municipality=municipality, title="Ungas fritid", slug="ungas-fritid", status="open"
    )
    school = create_school_session(
        actor=people["official"],
        dialogue=dialogue,
        class_label="7B",
        age_band="13-15",
        valid_until=timezone.now() + datetime.timedelta(hours=1),
        max_uses=5,
        code="TRANGT",
    )

    def enter(_i: int) -> int:
        try:
            return Client().post(reverse("accounts:school"), {"code": "TRANGT"}).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(enter, range(12)))
    assert sorted(statuses) == [302] * 5 + [400] * 7
    school.refresh_from_db()
    assert school.uses == 5
