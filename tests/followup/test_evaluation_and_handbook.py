"""Participants' and organisers' evaluations, the evaluate gate, and the handbook."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client

from delaktig.core.exceptions import DomainError
from delaktig.followup.handbook import HANDBOOK, POLICIES, handbook_for_status
from delaktig.followup.models import OrganiserEvaluation, ParticipantEvaluation
from delaktig.governance.actions import transition_dialogue
from delaktig.governance.models import DialogueStatus, TargetGroup
from delaktig.participation.models import Contribution
from tests.conftest import ROLES
from tests.feedback.factories import lead, make_dialogue
from tests.governance.walk import RESIDENT_PASSWORD, Walk, post_ok, verified_resident

pytestmark = pytest.mark.django_db

GOOD = {"question_clear": "4", "understood_influence": "5", "got_feedback": "2", "comment": "Bra!"}


@pytest.fixture
def took_part(municipality):
    """A dialogue whose participation has closed, and a browser that took part in it (an
    idea while it was open). Set up through the back office's forms (`Walk`)."""
    walk = Walk.begin(municipality, "Parken vid ån")
    activity = walk.to_open()
    participant = Client()
    post_ok(
        participant,
        f"/delta/ideer/{activity}/",
        {"title": "Fler bänkar", "text": "Vid ån.", "category": "", "submission_key": "k1"},
    )
    walk.step("close_participation", "compiling")
    return walk, participant


def evaluation_url(walk: Walk) -> str:
    return f"/uppfoljning/utvardera/{walk.dialogue.slug}/"


def test_participant_evaluation_is_anonymous_and_once_per_participant(took_part):
    walk, client = took_part
    url = evaluation_url(walk)
    assert client.get(url).status_code == 200
    response = client.post(url, GOOD)
    assert response.status_code == 200
    assert "Tack för ditt svar" in response.content.decode()
    again = client.post(url, {**GOOD, "question_clear": "1"})
    assert again.status_code == 400
    assert "Du har redan svarat" in again.content.decode()
    evaluation = ParticipantEvaluation.objects.get()
    assert (
        evaluation.question_clear,
        evaluation.understood_influence,
        evaluation.got_feedback,
    ) == (
        4,
        5,
        2,
    )
    assert len(evaluation.participant_key) == 64  # a key, not a person
    assert not hasattr(evaluation, "user")


def test_an_evaluation_cannot_be_repeated_from_new_sessions(took_part):
    """Only a participant's key may answer: a fresh session never took part, so dropping
    the cookie and answering again counts nothing."""
    walk, client = took_part
    url = evaluation_url(walk)
    assert client.post(url, GOOD).status_code == 200
    for _n in range(5):
        fresh = Client()
        page = fresh.get(url).content.decode()
        assert "Utvärderingen är för dig som har deltagit i dialogen" in page
        assert 'name="question_clear"' not in page
        response = fresh.post(url, {**GOOD, "question_clear": "1"})
        assert response.status_code == 403
        html = response.content.decode()
        assert 'class="error-summary"' in html
        assert "Svara från samma webbläsare som du deltog från" in html
    assert ParticipantEvaluation.objects.count() == 1
    assert ParticipantEvaluation.objects.get().question_clear == 4


def test_a_signed_in_participant_answers_once_from_any_browser(municipality):
    walk = Walk.begin(municipality, "Torget")
    activity = walk.to_open()
    laptop = verified_resident("anna@exempel.se")
    post_ok(
        laptop,
        f"/delta/ideer/{activity}/",
        {"title": "Träd på torget", "text": "Skugga.", "category": "", "submission_key": "t1"},
    )
    walk.step("close_participation", "compiling")
    url = evaluation_url(walk)
    phone = Client()
    sign_in_as = {"username": "anna@exempel.se", "password": RESIDENT_PASSWORD}
    post_ok(phone, "/konto/logga-in/", sign_in_as)
    assert phone.post(url, GOOD).status_code == 200
    again = laptop.post(url, GOOD)
    assert again.status_code == 400 and "Du har redan svarat" in again.content.decode()
    evaluation = ParticipantEvaluation.objects.get()
    contribution = Contribution.objects.get(dialogue=walk.dialogue, kind="idea")
    assert evaluation.participant_key == contribution.participant_key


@pytest.mark.parametrize(
    "data",
    [
        {**GOOD, "question_clear": "6"},
        {**GOOD, "got_feedback": "0"},
        {**GOOD, "understood_influence": "många"},
        {"comment": "bara text"},
        {**GOOD, "comment": "x" * 5001},
    ],
)
def test_participant_evaluation_refuses_bad_input(took_part, data):
    walk, client = took_part
    response = client.post(evaluation_url(walk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Välj en siffra från 1 till 5." in html or "Skriv högst 5 000 tecken." in html
    assert not ParticipantEvaluation.objects.exists()


def test_participant_evaluation_is_closed_while_participation_is_open(client, municipality):
    d = make_dialogue(municipality, status=DialogueStatus.OPEN)
    response = client.post(f"/uppfoljning/utvardera/{d.slug}/", GOOD)
    assert response.status_code == 400
    assert "Utvärderingen öppnar när deltagandet har stängt." in response.content.decode()
    assert not ParticipantEvaluation.objects.exists()


ORGANISER = {
    "what_worked": "Mötena i skolorna.",
    "what_to_improve": "Tidigare inbjudan.",
    "reach": "Unga nåddes, äldre mindre.",
    "target_groups_reached": "1",
    "effects_on_decision": "Två förslag togs med.",
}


def test_evaluate_gate_requires_the_organisers_evaluation(client, people, municipality):
    d = make_dialogue(municipality, status=DialogueStatus.DECIDED)
    TargetGroup.objects.create(dialogue=d, name="Unga")
    TargetGroup.objects.create(dialogue=d, name="Äldre")
    with pytest.raises(DomainError) as info:
        transition_dialogue(actor=people["official"], dialogue=d, name="evaluate")
    assert info.value.missing == ["Arrangörernas utvärdering av dialogen är inte gjord."]

    client.force_login(people["official"])
    url = f"/uppfoljning/handlaggning/dialog/{d.pk}/utvardering/"
    for bad, message in [
        ({**ORGANISER, "target_groups_reached": "3"}, "ange ett tal från 0 till 2"),
        ({**ORGANISER, "target_groups_reached": "-1"}, "Ange 0 eller mer."),
        ({**ORGANISER, "what_worked": " "}, "Beskriv vad som fungerade bra."),
        ({**ORGANISER, "target_groups_reached": "två"}, "Ange ett heltal."),
    ]:
        response = client.post(url, bad)
        assert response.status_code == 400, bad
        assert message in response.content.decode()
    assert not OrganiserEvaluation.objects.exists()

    assert client.post(url, ORGANISER).status_code == 302
    assert OrganiserEvaluation.objects.get(dialogue=d).target_groups_reached == 1
    transition_dialogue(actor=people["official"], dialogue=d, name="evaluate")
    d.refresh_from_db()
    assert d.status == DialogueStatus.EVALUATED


@pytest.mark.parametrize("role", ROLES)
def test_who_may_write_the_organisers_evaluation(role, client, people, municipality):
    d = make_dialogue(municipality, status=DialogueStatus.DECIDED)
    lead(d, leader=people["process_leader"])
    if people[role] is not None:
        client.force_login(people[role])
    response = client.post(
        f"/uppfoljning/handlaggning/dialog/{d.pk}/utvardering/",
        {**ORGANISER, "target_groups_reached": "0"},
    )
    allowed = role in {"official", "process_leader", "strategist", "admin"}
    expected = 302 if allowed or role == "anonymous" else 403
    assert response.status_code == expected
    assert OrganiserEvaluation.objects.filter(dialogue=d).exists() is allowed


@pytest.mark.parametrize("status", DialogueStatus.values)
def test_every_step_has_handbook_advice_with_a_policy_source(status):
    advice = handbook_for_status(status)
    assert advice, status
    for item in advice:
        assert str(item.title) and str(item.text)
        assert item.sources
        for source in item.sources:
            assert source.policy in POLICIES
            assert str(source).startswith(str(POLICIES[source.policy]))


def test_every_policy_is_cited_in_the_handbook():
    cited = {s.policy for a in HANDBOOK for s in a.sources}
    assert cited == set(POLICIES)


def test_feedback_step_advises_feedback_from_trelleborg():
    keys = [a.key for a in handbook_for_status(DialogueStatus.FEEDBACK)]
    assert "feedback-always" in keys
    item = next(a for a in HANDBOOK if a.key == "feedback-always")
    assert "Trelleborg" in str(item.sources[0])


def test_handbook_page_and_tag(client, municipality):
    html = client.get("/uppfoljning/handbok/").content.decode()
    assert "<h1>Handbok för medborgardialog</h1>" in html
    assert "Källa: Sollentuna kommun" in html
    d = make_dialogue(municipality, status=DialogueStatus.PLANNING)
    rendered = Template("{% load followup %}{% handbook_advice dialogue %}").render(
        Context({"dialogue": d})
    )
    assert "Gå igenom checklistan före dialogen" in rendered
    assert "Checklista för medborgardialog: Före" in rendered


def test_handbook_page_in_english(client, municipality):
    client.cookies["django_language"] = "en"
    html = client.get("/uppfoljning/handbok/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Handbook for citizen dialogue" in html
