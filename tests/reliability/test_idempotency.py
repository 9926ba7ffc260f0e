"""A double-clicked or resent form creates one record, not two."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.world import World

pytestmark = pytest.mark.django_db


def test_propose_twice_with_same_key_creates_one_initiative(world: World) -> None:
    from delaktig.governance.models import Dialogue, Initiative

    client = Client()
    page = client.get("/foresla/").content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    assert len(key) >= 16
    data = {
        "title": "Lekplats i Tureberg",
        "description": "Barnen saknar en lekplats.",
        "proposer_kind": "resident",
        "submission_key": key,
    }
    before = (Dialogue.objects.count(), Initiative.objects.count())
    first = client.post("/foresla/", data)
    second = client.post("/foresla/", data)
    assert first.status_code == second.status_code == 200
    assert (Dialogue.objects.count(), Initiative.objects.count()) == (
        before[0] + 1,
        before[1] + 1,
    )
    assert Initiative.objects.filter(submission_key=key).count() == 1
    # A new form gets a new key: a second, different idea is kept.
    other_key = client.get("/foresla/").content.decode().split('name="submission_key" value="')[1]
    assert other_key.split('"')[0] != key


def test_each_form_gets_a_fresh_key(world: World) -> None:
    client = Client()
    keys = {
        client.get("/foresla/").content.decode().split('name="submission_key" value="')[1][:32]
        for _ in range(3)
    }
    assert len(keys) == 3
