"""Who may publish feedback (governance.manage_dialogue), and bad input on every form."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from delaktig.core.exceptions import NotAllowed
from delaktig.feedback import actions
from delaktig.feedback.models import (
    Feedback,
    FeedbackReport,
    Follower,
    ProposalHandling,
)
from delaktig.governance.models import Dialogue, DialogueStatus
from tests.conftest import ROLES
from tests.feedback.factories import lead, make_dialogue

pytestmark = pytest.mark.django_db

# Official of the dialogue's office, its process leader (from another office), strategist, admin.
MAY_PUBLISH = {"official", "process_leader", "strategist", "admin"}


@pytest.fixture
def dialogue(municipality, people):
    d = make_dialogue(municipality, status=DialogueStatus.FEEDBACK, title="Torget")
    lead(d, leader=people["process_leader"])
    actions.save_feedback(
        actor=people["admin"], dialogue=d, results_summary="Resultat", participation_effect="Effekt"
    )
    return d


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_publishing(role, people, dialogue):
    user = people[role]
    allowed = role in MAY_PUBLISH
    perm_user = (
        user
        if user is not None
        else __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
    )
    assert perm_user.has_perm("feedback.manage_feedback", dialogue) is allowed
    assert perm_user.has_perm("governance.manage_dialogue", dialogue) is allowed
    if allowed:
        actions.publish_feedback(actor=user, dialogue=dialogue)
        assert Feedback.objects.get(dialogue=dialogue).is_published
    else:
        with pytest.raises(NotAllowed):
            actions.publish_feedback(actor=user, dialogue=dialogue)
        assert not Feedback.objects.get(dialogue=dialogue).is_published


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_the_publish_view(role, client, people, dialogue):
    if people[role] is not None:
        client.force_login(people[role])
    response = client.post(f"/aterkoppling/handlaggning/dialog/{dialogue.pk}/publicera/")
    if role == "anonymous":
        assert response.status_code == 302 and "/konto/" in response["Location"]
    elif role in MAY_PUBLISH:
        assert response.status_code == 302
        assert response["Location"].endswith(f"/aterkoppling/handlaggning/dialog/{dialogue.pk}/")
    else:
        assert response.status_code == 403
    assert Feedback.objects.get(dialogue=dialogue).is_published is (role in MAY_PUBLISH)


@pytest.fixture
def official_client(client, people):
    client.force_login(people["official"])
    return client


def _url(dialogue, tail=""):
    return f"/aterkoppling/handlaggning/dialog/{dialogue.pk}/{tail}"


def test_manage_page_renders_for_an_official(official_client, dialogue):
    response = official_client.get(_url(dialogue))
    assert response.status_code == 200
    assert "Publicera och skicka till deltagarna" in response.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"results_summary": "", "participation_effect": ""}, "Beskriv resultatet av dialogen."),
        (
            {"results_summary": "Resultat", "participation_effect": ""},
            "Beskriv hur deltagandet påverkade processen.",
        ),
        (
            {"results_summary": "   ", "participation_effect": "x"},
            "Beskriv resultatet av dialogen.",
        ),
        (
            {"results_summary": "x" * 20001, "participation_effect": "x"},
            "som mest 20000 tecken",
        ),
    ],
)
def test_feedback_form_refuses_bad_input(official_client, dialogue, data, message):
    response = official_client.post(_url(dialogue, "spara/"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    feedback = Feedback.objects.get(dialogue=dialogue)
    assert feedback.results_summary == "Resultat"  # nothing changed


def test_feedback_form_is_refused_before_participation_closes(official_client, municipality):
    open_dialogue = make_dialogue(municipality, status=DialogueStatus.OPEN)
    response = official_client.post(
        _url(open_dialogue, "spara/"), {"results_summary": "a", "participation_effect": "b"}
    )
    assert response.status_code == 400
    assert "när deltagandet har stängt" in response.content.decode()
    assert not Feedback.objects.filter(dialogue=open_dialogue).exists()


def test_report_to_body_requires_published_feedback_and_valid_fields(
    official_client, people, dialogue, municipality
):
    body = dialogue.owner_body
    good = {
        "body": body.pk,
        "meeting_date": "2026-01-15",
        "paragraph": "7",
        "case_number": "SBN 2026/12",
    }
    response = official_client.post(_url(dialogue, "rapport/"), good)
    assert response.status_code == 400
    assert "Publicera återkopplingen innan den rapporteras" in response.content.decode()

    actions.publish_feedback(actor=people["official"], dialogue=dialogue)
    for bad, message in [
        ({**good, "meeting_date": "15/1"}, "Ange datum som ÅÅÅÅ-MM-DD."),
        ({**good, "paragraph": ""}, "Ange paragraf."),
        ({**good, "body": 999999}, "Välj ett organ i listan."),
        (
            {**good, "meeting_date": str(timezone.localdate() + datetime.timedelta(days=3))},
            "Sammanträdet kan inte ha ett datum i framtiden.",
        ),
    ]:
        response = official_client.post(_url(dialogue, "rapport/"), bad)
        assert response.status_code == 400, bad
        assert message in response.content.decode()
    assert not FeedbackReport.objects.exists()

    assert official_client.post(_url(dialogue, "rapport/"), good).status_code == 302
    assert official_client.post(_url(dialogue, "rapport/"), good).status_code == 302  # twice
    report = FeedbackReport.objects.get()
    assert (report.body, report.paragraph, report.case_number) == (body, "7", "SBN 2026/12")


def test_handling_and_implementation_forms_refuse_bad_input(official_client, people, municipality):
    decided = make_dialogue(municipality, status=DialogueStatus.DECIDED)
    response = official_client.post(_url(decided, "hantering/"), {"title": "Fler bänkar"})
    assert response.status_code == 400
    assert "Välj hur förslaget hanterades." in response.content.decode()
    response = official_client.post(
        _url(decided, "hantering/"), {"title": "", "outcome": "adopted", "reason": "Bra"}
    )
    assert response.status_code == 400
    assert "Ange tema eller förslag, eller välj ett förslag." in response.content.decode()
    response = official_client.post(
        _url(decided, "hantering/"), {"title": "X", "outcome": "kanske", "reason": "Bra"}
    )
    assert response.status_code == 400
    assert not ProposalHandling.objects.exists()

    ok = {"title": "Fler bänkar", "outcome": "adopted", "reason": "Många ville det."}
    assert official_client.post(_url(decided, "hantering/"), ok).status_code == 302
    handling = ProposalHandling.objects.get()
    response = official_client.post(
        _url(decided, f"hantering/{handling.pk}/genomforande/"),
        {f"h{handling.pk}-implementation_status": "done"},
    )
    assert response.status_code == 400
    assert "Ange datum när genomförandet blev klart eller avbröts." in response.content.decode()
    handling.refresh_from_db()
    assert handling.implementation_status == ""


def test_handling_is_refused_before_the_decision_step(official_client, dialogue):
    Dialogue.objects.filter(pk=dialogue.pk).update(status=DialogueStatus.COMPILING)
    response = official_client.post(
        _url(dialogue, "hantering/"), {"title": "X", "outcome": "adopted", "reason": "R"}
    )
    assert response.status_code == 400
    assert "redovisas med beslutet i sakfrågan" in response.content.decode()
    assert not dialogue.handlings.exists()


def test_follow_form_refuses_a_bad_email(client, municipality):
    d = make_dialogue(municipality, status=DialogueStatus.DECIDED)
    response = client.post(f"/aterkoppling/{d.slug}/folj/", {"email": "inte-en-adress"})
    assert response.status_code == 400
    assert "Skriv en giltig e-postadress" in response.content.decode()
    assert not Follower.objects.exists()


def test_other_municipality_body_is_refused(people, dialogue, make_municipality):
    other = make_municipality(name="Annanby kommun")
    actions.publish_feedback(actor=people["official"], dialogue=dialogue)
    from delaktig.core.exceptions import DomainError
    from delaktig.organisation.models import Body

    with pytest.raises(DomainError):
        actions.report_to_body(
            actor=people["official"],
            dialogue=dialogue,
            body=Body.objects.filter(municipality=other).first(),
            meeting_date=timezone.localdate(),
            paragraph="1",
            case_number="1",
        )
