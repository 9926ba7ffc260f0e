"""Who may build, enter paper answers, import and see results: role × page matrix."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.governance.models import DialogueTeamMember, TeamRole

pytestmark = pytest.mark.django_db

PAGES = ["manage", "paper", "import", "results"]
ALLOWED = {
    "anonymous": False,
    "resident": False,
    "elected": False,
    "official": True,  # the office that runs the dialogue
    "other_official": False,  # another office
    "process_leader": True,  # leads this dialogue (team member) although in another office
    "strategist": True,
    "admin": True,
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("page", PAGES)
def test_official_pages_matrix(
    client: Client, activity: Any, qs: dict[str, Any], people: dict[str, Any], role: str, page: str
) -> None:
    DialogueTeamMember.objects.create(
        dialogue=activity.dialogue, user=people["process_leader"], role=TeamRole.PROCESS_LEADER
    )
    user = people[role]
    if user is not None:
        client.force_login(user)
    r = client.get(reverse(f"surveys:{page}", kwargs={"activity_id": activity.pk}))
    assert (r.status_code == 200) == ALLOWED[role], (role, page, r.status_code)
    if not ALLOWED[role]:
        assert r.status_code in (302, 403)


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_perm_matrix(activity: Any, people: dict[str, Any], role: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    DialogueTeamMember.objects.create(
        dialogue=activity.dialogue, user=people["process_leader"], role=TeamRole.PROCESS_LEADER
    )
    user = people[role] or AnonymousUser()
    for perm in ["manage_survey", "enter_paper_answers", "import_answers", "view_results"]:
        assert user.has_perm(f"surveys.{perm}", activity) == ALLOWED[role], (role, perm)


def test_official_builds_a_conditional_question_through_the_form(
    client: Client, activity: Any, people: dict[str, Any]
) -> None:
    client.force_login(people["official"])
    manage = reverse("surveys:manage", kwargs={"activity_id": activity.pk})
    assert client.post(manage, {"action": "create"}).status_code == 302
    base = {
        "action": "add",
        "scale_min": "1",
        "scale_max": "5",
        "max_length": "2000",
        "page": "1",
    }
    r = client.post(
        manage, {**base, "kind": "single", "label": "Har du barn?", "options_text": "Ja\nNej"}
    )
    assert r.status_code == 302
    parent = activity.survey.questions.get()
    r = client.post(
        manage,
        {
            **base,
            "kind": "text",
            "label": "Vad behöver barnen?",
            "page": "2",
            "condition_question": str(parent.pk),
            "condition_options_text": "1",
        },
    )
    assert r.status_code == 302
    child = activity.survey.questions.get(label="Vad behöver barnen?")
    assert child.condition_question == parent and child.condition_options == [0]
    # A single-choice question with one option is refused with a Swedish message.
    r = client.post(manage, {**base, "kind": "single", "label": "Dålig", "options_text": "Ja"})
    assert r.status_code == 400
    assert "Skriv minst två svarsalternativ" in r.content.decode()
    # Paper entry through the page.
    paper = reverse("surveys:paper", kwargs={"activity_id": activity.pk})
    r = client.post(paper, {f"q{parent.pk}": "0", f"q{child.pk}": "En lekplats", "reference": "7"})
    assert r.status_code == 302
    response = activity.survey.responses.get()
    assert response.channel == "paper" and response.entered_by == people["official"]
    r = client.post(paper, {f"q{parent.pk}": "0", "reference": "7"})
    assert r.status_code == 400
    assert "redan inmatad" in r.content.decode()
