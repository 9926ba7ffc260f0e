"""Notices on "Mina uppgifter" (F2): an answer to your idea, your proposal's threshold, a
meeting you registered for that moves or is cancelled. Each once, shown as new once.

Residents and officials act through the real URLs; the municipality, the dialogue and the
officials are set up first.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from delaktig.accounts.models import Notification, User
from delaktig.participation.ideas.models import Idea
from delaktig.participation.meetings.models import Meeting
from delaktig.participation.models import Activity
from tests.governance.walk import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def resident(username: str) -> Client:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@exempel.se"
    )
    user.email_verified_at = timezone.now()
    user.connected_to_municipality = True
    user.save()
    client = Client()
    sign_in(client, username)
    return client


def official(people: Any) -> Client:
    client = Client()
    client.force_login(people["official"])
    return client


def my_page(client: Client) -> str:
    return client.get("/konto/mina-uppgifter/").content.decode()


@pytest.fixture
def dialogue(municipality: Any, people: Any) -> Any:
    from delaktig.governance.models import Dialogue
    from delaktig.organisation.models import Office

    return Dialogue.objects.create(
        municipality=municipality,
        title="Parken vid ån",
        slug="parken",
        status="open",
        influence_level="dialog",
        input_use="Idéerna går till nämnden.",
        office=Office.objects.get(municipality=municipality, name="Samhällsbyggnadsförvaltningen"),
    )


def test_an_answer_to_your_idea_is_on_your_page_once(dialogue, people):
    activity = Activity.objects.create(
        dialogue=dialogue, method="idea_workshop", title="Idéer för parken", slug="ideer"
    )
    amina = resident("amina")
    response = amina.post(
        f"/delta/ideer/{activity.pk}/",
        {"title": "Fler bänkar", "text": "Vid ån.", "category": "", "submission_key": "k1"},
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    answer = reverse("ideas:answer", args=[idea.pk])
    assert official(people).post(answer, {"answer": "Vi ställer ut två bänkar."}).status_code == 302
    page = my_page(amina)
    assert "Kommunen har svarat på din idé: Parken vid ån" in page and ">Ny<" in page
    assert reverse("ideas:idea", args=[idea.pk]) in page
    assert ">Ny<" not in my_page(amina), "shown as new once, then read"
    official(people).post(answer, {"answer": "Vi ställer ut tre bänkar."})
    assert Notification.objects.filter(kind="idea_answered").count() == 1


def test_your_proposal_reaching_its_threshold_is_on_your_page(dialogue, people, municipality):
    municipality.proposal_support_threshold = 2
    municipality.save()
    activity = Activity.objects.create(
        dialogue=dialogue, method="e_proposal", title="E-förslag", slug="e-forslag"
    )
    amina = resident("amina")
    amina.post(
        f"/delta/ideer/{activity.pk}/",
        {"title": "Badbrygga", "text": "Vid ån.", "category": "", "submission_key": "k2"},
    )
    proposal = Idea.objects.get()
    support = reverse("ideas:support", args=[proposal.pk])
    # Two verified accounts fill it; an anonymous support is interest and does not.
    Client().post(support, {"submission_key": "s0"})
    assert Idea.objects.get().threshold_reached_at is None
    for n in range(1, 3):
        resident(f"stod{n}").post(support, {"submission_key": f"s{n}"})
    assert Idea.objects.get().threshold_reached_at is not None
    notices = Notification.objects.filter(kind="threshold_reached", user__username="amina")
    assert notices.count() == 1
    assert "Ditt förslag har fått tillräckligt stöd" in my_page(amina)


def test_a_meeting_that_moves_or_is_cancelled_is_on_the_registrants_page(dialogue, people):
    activity = Activity.objects.create(
        dialogue=dialogue, method="cafe", title="Dialogcafé", slug="cafe", place="Biblioteket"
    )
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    Meeting.objects.create(
        activity=activity,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        address="Storgatan 1",
        capacity=10,
    )
    amina = resident("amina")
    registered = amina.post(
        activity.get_absolute_url(),
        {"name": "Amina", "email": "amina@exempel.se", "needs": "", "consent": "on"},
    )
    assert registered.status_code == 302
    manage = reverse("meetings:manage", args=[activity.pk])
    later = starts + datetime.timedelta(days=1)
    moved = {
        "starts_at": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(later + datetime.timedelta(hours=2)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "address": "Storgatan 1",
        "accessibility": [],
        "capacity": 10,
        "registration_open": "on",
        "consent_text": "Vi sparar namn och e-post för mötet och för att mejla återkopplingen.",
    }
    assert official(people).post(manage, moved).status_code == 302
    assert official(people).post(manage, moved).status_code == 302  # the same again: no news
    changed = Notification.objects.filter(kind="meeting_changed", user__username="amina")
    assert changed.count() == 1
    official(people).post(manage, {"cancel_meeting": "1", "reason": "Lokalen är vattenskadad."})
    assert changed.count() == 2
    page = my_page(amina)
    assert "Mötet ”Dialogcafé” är inställt." in page and "har ändrats" in page
