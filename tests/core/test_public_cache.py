"""Cached public content: served from the cache, and fresh the moment anything it shows
changes through the governance, feedback and organisation models."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(municipality: Any, people: dict[str, Any]) -> World:
    return build_world(municipality, people)


def page(client: Client, dialogue: Any, lang: str = "sv") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/dialoger/{dialogue.slug}/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    # The header's forms carry a fresh CSRF mask per response; compare the content.
    return html[html.index("<main") : html.index("</main>")], len(queries.captured_queries)


def test_second_view_comes_from_the_cache(client: Client, world: World) -> None:
    dialogue = world.dialogues["open"]
    first, cold = page(client, dialogue)
    second, warm = page(client, dialogue)
    assert second == first
    assert warm < cold
    assert warm <= 2  # the municipality is cached too; only the dialogue row is read


@pytest.mark.parametrize(
    "change",
    ["dialogue", "decision", "activity", "feedback", "body", "municipality", "delete_activity"],
)
def test_a_change_shows_at_once(client: Client, world: World, change: str) -> None:
    from delaktig.feedback.models import Feedback, FeedbackStatus
    from delaktig.governance.models import Decision
    from delaktig.organisation.models import Gate
    from delaktig.participation.models import Activity, Method

    dialogue = world.dialogues["decided"] if change == "feedback" else world.dialogues["open"]
    before, _ = page(client, dialogue)
    expected = {
        "dialogue": "Ny sammanfattning om parken",
        "decision": "KS2026/999",
        "activity": "Nytt dialogcafé i biblioteket",
        "feedback": "Parken får fler bänkar",
        "body": "Nya nämnden för parker",
        "municipality": "Nyby kommun",
        "delete_activity": "Aktivitet survey",
    }[change]
    if change == "delete_activity":
        assert expected in before
    else:
        assert expected not in before
    if change == "dialogue":
        dialogue.summary = expected
        dialogue.save()
    elif change == "decision":
        Decision.objects.create(
            dialogue=dialogue,
            gate=Gate.CONDUCT,
            body=dialogue.owner_body,
            decided_on=timezone.localdate(),
            paragraph="7",
            case_number=expected,
            outcome=Decision.Outcome.APPROVED,
            rationale="Dialogen genomförs.",
        )
    elif change == "activity":
        Activity.objects.create(
            dialogue=dialogue, method=Method.CAFE, title=expected, slug="nytt-cafe", order=99
        )
    elif change == "feedback":
        Feedback.objects.create(
            dialogue=dialogue,
            results_summary=expected,
            participation_effect="Förslagen vägde tungt i beslutet.",
            status=FeedbackStatus.PUBLISHED,
            published_at=timezone.now(),
        )
    elif change == "body":
        body = dialogue.owner_body
        body.name = expected
        body.save()
    elif change == "municipality":
        world.municipality.name = expected
        world.municipality.save()
    else:
        Activity.objects.filter(dialogue=dialogue, method=Method.SURVEY).get().delete()
    after, _ = page(client, dialogue)
    if change == "municipality":  # in the page's header, outside the content
        after = client.get(f"/dialoger/{dialogue.slug}/").content.decode()
    if change == "delete_activity":
        assert expected not in after
    else:
        assert expected in after


def test_a_dialogue_leaving_the_public_register_is_gone_at_once(
    client: Client, world: World
) -> None:
    dialogue = world.dialogues["open"]
    page(client, dialogue)
    dialogue.status = "assessment"
    dialogue.save()
    assert client.get(f"/dialoger/{dialogue.slug}/").status_code == 404


def test_languages_are_cached_apart(client: Client, world: World) -> None:
    dialogue = world.dialogues["open"]
    swedish, _ = page(client, dialogue, "sv")
    english, _ = page(client, dialogue, "en")
    assert "Så mycket kan du påverka" in swedish
    assert "Så mycket kan du påverka" not in english
    assert page(client, dialogue, "sv")[0] == swedish


def test_overdue_feedback_turns_up_the_next_day(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogue = world.dialogues["compiling"]
    dialogue.feedback_due = timezone.localdate()
    dialogue.save()
    assert "Återkopplingen är försenad" not in page(client, dialogue)[0]
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert "Återkopplingen är försenad" in page(client, dialogue)[0]


def test_without_a_shared_cache_nothing_is_cached(
    client: Client, world: World, settings: Any
) -> None:
    settings.PUBLIC_CACHE_SECONDS = 0
    dialogue = world.dialogues["open"]
    _, first = page(client, dialogue)
    _, second = page(client, dialogue)
    assert second == first > 2


def test_register_is_cached_and_shows_a_new_dialogue_at_once(client: Client, world: World) -> None:
    from delaktig.governance.models import Dialogue

    def register(**params: str) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/dialoger/", params)
        assert response.status_code == 200
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")], len(queries.captured_queries)

    first, cold = register(status="open")
    again, warm = register(status="open")
    assert again == first and warm < cold
    assert register(status="closed")[0] != first  # each filter has its own fragment
    Dialogue.objects.create(
        municipality=world.municipality,
        title="Nya badplatsen vid sjön",
        slug="nya-badplatsen",
        status="open",
        influence_level="consultation",
    )
    assert "Nya badplatsen vid sjön" in register(status="open")[0]
    assert "Nya badplatsen vid sjön" in register()[0]


def test_cached_public_gives_every_caller_its_own_copy_and_follows_the_generation() -> None:
    from django.core.cache import cache

    from delaktig.core.public_cache import (
        bump_public_generation,
        cached_public,
        public_generation,
    )

    calls: list[int] = []

    def compute() -> dict[str, list[int]]:
        calls.append(1)
        return {"options": [1, 2]}

    first = cached_public("test-entry", compute)
    first["options"].append(3)  # a caller changing what it got
    second = cached_public("test-entry", compute)
    assert second == {"options": [1, 2]} and second is not first
    cache.delete(f"delaktig:test-entry:{public_generation()}")
    # The copy in this process answers without asking the shared cache.
    assert cached_public("test-entry", compute) == {"options": [1, 2]}
    assert len(calls) == 1
    bump_public_generation()  # a saved change: computed again
    assert cached_public("test-entry", compute) == {"options": [1, 2]}
    assert len(calls) == 2
