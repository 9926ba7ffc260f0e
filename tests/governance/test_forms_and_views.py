"""Bad input gets a clear Swedish error and nothing is saved; the back office is for officials."""

from __future__ import annotations

import datetime

import pytest

from delaktig.core.models import AuditEvent
from delaktig.governance import actions
from delaktig.governance.models import (
    Decision,
    Dialogue,
    DialogueStatus,
    Initiative,
    SuitabilityAssessment,
    TargetGroup,
)
from delaktig.organisation.models import Body
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(municipality):
    return actions.submit_initiative(
        municipality=municipality,
        title="Skolgården",
        description="Ny skolgård",
        proposer_kind="resident",
    ).dialogue


def test_propose_form_refuses_empty_input_in_swedish(client, municipality):
    response = client.post("/foresla/", {"title": "", "description": "", "proposer_kind": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Detta fält måste fyllas i." in text
    assert "Något behöver rättas" in text
    assert Initiative.objects.count() == 0


def test_propose_form_refuses_over_long_text_and_bad_email(client, municipality):
    response = client.post(
        "/foresla/",
        {
            "title": "x" * 201,
            "description": "ok",
            "proposer_kind": "resident",
            "proposer_email": "inte-en-adress",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "som mest 200 tecken" in text
    assert "giltig e-postadress" in text
    assert Initiative.objects.count() == 0


def test_double_submission_of_an_idea_is_idempotent(client, municipality):
    data = {
        "title": "Parkering",
        "description": "Fler platser",
        "proposer_kind": "resident",
        "submission_key": "same-key",
    }
    assert client.post("/foresla/", data).status_code == 200
    assert client.post("/foresla/", data).status_code == 200
    assert Initiative.objects.count() == 1
    assert Dialogue.objects.count() == 1


def test_script_in_an_idea_is_rendered_escaped(client, municipality, people):
    actions.submit_initiative(
        municipality=municipality,
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>",
        proposer_kind="resident",
    )
    client.force_login(people["strategist"])
    text = client.get("/handlaggning/").content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_assessment_form_errors(client, dialogue, people):
    Dialogue.objects.filter(pk=dialogue.pk).update(status=DialogueStatus.ASSESSMENT)
    client.force_login(people["official"])
    response = client.post(
        f"/handlaggning/dialog/{dialogue.pk}/lamplighet/",
        {
            "needs_residents_knowledge": "kanske",
            "benefit": "",
            "purpose": "",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Välj ett giltigt alternativ" in text
    assert not SuitabilityAssessment.objects.exists()


def test_decision_form_refuses_future_date_and_missing_case_number(
    client, dialogue, people, municipality, today
):
    client.force_login(people["official"])
    body = Body.objects.filter(municipality=municipality, kind="namnd").first()
    url = f"/handlaggning/dialog/{dialogue.pk}/beslut/"
    response = client.post(
        url,
        {
            "gate": "investigate",
            "body": body.pk,
            "decided_on": "inte-ett-datum",
            "paragraph": "",
            "case_number": "",
            "outcome": "approved",
            "rationale": "",
        },
    )
    assert response.status_code == 400
    assert "Fyll i ett giltigt datum." in response.content.decode()
    response = client.post(
        url,
        {
            "gate": "investigate",
            "body": body.pk,
            "decided_on": (today + datetime.timedelta(days=3)).isoformat(),
            "paragraph": "3",
            "case_number": "SBN 2026/1",
            "outcome": "approved",
            "rationale": "Ja",
        },
    )
    assert response.status_code == 400
    assert "datum i framtiden" in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_for_another_municipalitys_body_is_refused(
    client, dialogue, people, make_municipality, today
):
    other = make_municipality("ljungby", name="Annan kommun")
    client.force_login(people["official"])
    response = client.post(
        f"/handlaggning/dialog/{dialogue.pk}/beslut/",
        {
            "gate": "investigate",
            "body": Body.objects.filter(municipality=other).first().pk,
            "decided_on": today.isoformat(),
            "paragraph": "3",
            "case_number": "X 1",
            "outcome": "approved",
            "rationale": "Ja",
        },
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_plan_form_refuses_end_before_start_and_saves_nothing(client, dialogue, people, today):
    client.force_login(people["official"])
    response = client.post(
        f"/handlaggning/dialog/{dialogue.pk}/plan/",
        {
            "title": "Skolgården",
            "kind": "citizen",
            "scope": "area",
            "starts_on": today.isoformat(),
            "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
            "question": "Ändrad fråga",
        },
    )
    assert response.status_code == 400
    assert "kan inte stänga innan den öppnar" in response.content.decode()
    dialogue.refresh_from_db()
    assert dialogue.question == ""


def test_target_group_needs_a_name(client, dialogue, people):
    client.force_login(people["official"])
    response = client.post(f"/handlaggning/dialog/{dialogue.pk}/malgrupp/", {"priority": 1})
    assert response.status_code == 400
    assert not TargetGroup.objects.exists()


def test_blocked_transition_lists_what_is_missing(client, dialogue, people):
    client.force_login(people["official"])
    Dialogue.objects.filter(pk=dialogue.pk).update(status=DialogueStatus.PLANNING)
    response = client.post(
        f"/handlaggning/dialog/{dialogue.pk}/steg/", {"transition": "decide_to_conduct"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Det går inte att gå vidare ännu" in text
    assert "Grad av inflytande är inte vald." in text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "/handlaggning/",
        "/handlaggning/provning-av-uppdrag/",
        "/handlaggning/logg/",
        "/handlaggning/dialog/{pk}/",
        "/delta/dialog/{pk}/ny-aktivitet/",
    ],
)
def test_back_office_permission_matrix(client, dialogue, people, role, url):
    dialogue.office = people["official"].staff_roles.get().office if people["official"] else None
    dialogue.save()
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(url.format(pk=dialogue.pk))
    allowed = {
        "/handlaggning/": {"official", "other_official", "process_leader", "strategist", "admin"},
        "/handlaggning/provning-av-uppdrag/": {
            "official",
            "other_official",
            "process_leader",
            "strategist",
            "admin",
        },
        "/handlaggning/logg/": {"strategist", "admin"},
        "/handlaggning/dialog/{pk}/": {"official", "strategist", "admin"},
        "/delta/dialog/{pk}/ny-aktivitet/": {"official", "strategist", "admin"},
    }[url]
    if role == "anonymous":
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_every_official_action_is_audited(client, dialogue, people):
    client.force_login(people["strategist"])
    client.post(f"/handlaggning/dialog/{dialogue.pk}/steg/", {"transition": "start_assessment"})
    event = AuditEvent.objects.filter(action="dialogue.start_assessment").get()
    assert event.actor == people["strategist"]
    assert event.object_id == str(dialogue.pk)
    text = client.get("/handlaggning/logg/").content.decode()
    assert "dialogue.start_assessment" in text


def test_public_register_hides_ideas_and_shows_planned(client, dialogue, municipality):
    assert "Skolgården" not in client.get("/dialoger/").content.decode()
    Dialogue.objects.filter(pk=dialogue.pk).update(status=DialogueStatus.PLANNING)
    assert "Skolgården" in client.get("/dialoger/?status=planned").content.decode()
    assert "Skolgården" not in client.get("/dialoger/?status=open").content.decode()
    assert client.get(f"/dialoger/{dialogue.slug}/").status_code == 200


def test_assignment_register(client, people, municipality, today):
    client.force_login(people["official"])
    response = client.post(
        "/handlaggning/provning-av-uppdrag/",
        {
            "title": "Ny simhall",
            "case_number": "KS 2026/9",
            "considered_on": today.isoformat(),
            "outcome": "dialogue",
            "reason": "Påverkar många.",
            "unlinked_reason": "Dialogen registreras när nämnden har beslutat.",
        },
    )
    assert response.status_code == 302
    assert "Ny simhall" in client.get("/handlaggning/provning-av-uppdrag/").content.decode()
    response = client.post("/handlaggning/provning-av-uppdrag/", {"title": "", "reason": ""})
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_same_title_proposed_in_parallel_gives_two_dialogues(municipality):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database locks whole tables across threads")

    errors = []

    def propose():
        try:
            actions.submit_initiative(
                municipality=municipality,
                title="Samma rubrik",
                description="x",
                proposer_kind="resident",
            )
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=propose) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Dialogue.objects.filter(title="Samma rubrik").count() == 4
    assert len(set(Dialogue.objects.values_list("slug", flat=True))) == 4


def test_error_pages_are_swedish_and_use_the_layout(client, municipality, people):
    response = client.get("/dialoger/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()
    client.force_login(people["resident"])
    response = client.get("/handlaggning/")
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()
