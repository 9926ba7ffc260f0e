"""Who may moderate statements, add seed statements and see the opinion map: role × action."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.governance.models import DialogueTeamMember
from delaktig.participation.opinions import actions
from delaktig.participation.opinions.models import StatementStatus

pytestmark = pytest.mark.django_db

# The dialogue belongs to the official's office (Samhällsbyggnadsförvaltningen).
MODERATE = {
    "anonymous": False,
    "resident": False,
    "elected": False,
    "official": True,
    "other_official": False,
    "process_leader": True,  # leads this dialogue (team member), though in another office
    "strategist": True,
    "admin": True,
}
VIEW_MAP = {**MODERATE, "other_official": True}


@pytest.fixture
def team(dialogue: Any, people: Any) -> None:
    DialogueTeamMember.objects.create(
        dialogue=dialogue, user=people["process_leader"], role="process_leader"
    )


@pytest.mark.parametrize("role", sorted(MODERATE))
def test_moderation_matrix(activity: Any, people: Any, team: None, role: str) -> None:
    user = people[role]
    statement = actions.submit_statement(
        activity=activity, user=None, participant_key="k", text="Fler bänkar"
    )
    client = Client()
    if user is not None:
        client.force_login(user)
    url = reverse("opinions:moderate", kwargs={"activity_id": activity.pk})
    response = client.get(url)
    if MODERATE[role]:
        assert response.status_code == 200
        r = client.post(url, {"pk": statement.pk, f"p{statement.pk}-decision": "approve"})
        assert r.status_code == 302
        statement.refresh_from_db()
        assert statement.status == StatementStatus.PUBLISHED
    else:
        assert response.status_code == (302 if user is None else 403)
        r = client.post(url, {"pk": statement.pk, f"p{statement.pk}-decision": "approve"})
        assert r.status_code == (302 if user is None else 403)
        statement.refresh_from_db()
        assert statement.status == StatementStatus.PENDING
    assert bool(user and user.has_perm("opinions.add_seed_statement", activity)) is MODERATE[role]


@pytest.mark.parametrize("role", sorted(VIEW_MAP))
def test_opinion_map_matrix(activity: Any, people: Any, team: None, role: str) -> None:
    user = people[role]
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("opinions:map", kwargs={"activity_id": activity.pk}))
    if VIEW_MAP[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == (302 if user is None else 403)
