"""Every way through the process, by HTTP requests only, once the municipality is set up (G1–E3).

Each profile takes a resident's idea to an archived dialogue with its decision, feedback,
evaluation and annual report. The NO path, a committee's refusal at the conduct gate, a
cancellation and an early opening end in a recorded, public outcome with its reason.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils.formats import date_format

from delaktig.governance.models import DialogueStatus
from delaktig.organisation.models import Gate
from tests.governance.walk import (
    PROFILES,
    Walk,
    committee,
    post_ok,
    propose,
    sign_in,
    staff,
)

# Transactional, so mail goes after commit as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def subjects_to(inbox, address: str) -> list[str]:
    return [str(m["message"]["Subject"]) for m in inbox.messages if address in m["to"]]


def public_page(slug: str) -> str:
    return Client().get(f"/dialoger/{slug}/").content.decode()


@pytest.mark.parametrize("profile", PROFILES)
def test_a_residents_idea_becomes_an_archived_dialogue_through_the_ui(
    make_municipality, profile, smtp_inbox
):
    municipality = make_municipality(profile)
    walk = Walk.begin(municipality, "Fler bänkar i parken", email="amina@example.se")
    office, resident = walk.client, Client()
    activity = walk.to_open()
    assert subjects_to(smtp_inbox, "amina@example.se") == ["Din idé blir en medborgardialog"]
    # G9, C4: the public page states influence and use of input before any way to take part.
    page = public_page(walk.dialogue.slug)
    assert page.index("Så mycket kan du påverka") < page.index("Så kan du delta")
    assert "Konsultation" in page and "Sammanställs till nämnden före beslut." in page

    # A resident takes part, then participation closes and the result is compiled.
    post_ok(
        resident,
        f"/delta/ideer/{activity}/",
        {
            "title": "Bänk vid dammen",
            "text": "Där vilar många.",
            "category": "",
            "submission_key": "i1",
        },
    )
    walk.step("close_participation", "compiling")
    slug = walk.dialogue.slug
    assert "Se resultatet av dialogen" not in public_page(slug), "no link before publication"
    results = f"/resultat/handlaggning/dialog/{walk.pk}/"
    post_ok(
        office,
        results + "text/",
        {
            "summary": "Flest vill ha bänkar vid dammen.",
            "next_steps": "Nämnden beslutar.",
            "method_notes": "",
        },
    )
    post_ok(office, results + "publish/", {})
    assert "Se resultatet av dialogen" in public_page(slug)
    walk.step("start_feedback", "feedback")

    feedback = f"/aterkoppling/handlaggning/dialog/{walk.pk}/"
    post_ok(
        office,
        feedback + "spara/",
        {
            "results_summary": "Flest vill ha bänkar vid dammen.",
            "participation_effect": "Förslaget om dammen kom med i förvaltningens förslag.",
            "next_steps": "Nämnden beslutar i juni.",
        },
    )
    post_ok(office, feedback + "publicera/", {})

    # G12: the decision step, through its own form, with how each proposal was handled.
    refused = walk.refused_step("record_final_decision")
    assert "Beskriv beslutet i korthet." in refused
    assert "Beskriv hur dialogen påverkade beslutet." in refused
    walk.decide(Gate.FINAL)
    post_ok(
        office,
        walk.url("utfall/"),
        {
            "final_decision_summary": "Nämnden beslutade om fyra nya bänkar.",
            "influence_on_decision": "Bänken vid dammen kom med tack vare dialogen.",
        },
    )
    post_ok(
        office,
        feedback + "hantering/",
        {
            "alternative": "",
            "title": "Bänk vid dammen",
            "outcome": "adopted",
            "reason": "Flest ville.",
        },
    )
    assert "Bänken vid dammen kom med tack vare dialogen." not in public_page(slug)
    walk.step("record_final_decision", "decided")
    page = public_page(slug)
    assert "Nämnden beslutade om fyra nya bänkar." in page
    assert "Bänken vid dammen kom med tack vare dialogen." in page
    accountability = Client().get(f"/aterkoppling/{slug}/").content.decode()
    assert "Bänk vid dammen" in accountability
    assert subjects_to(smtp_inbox, "amina@example.se")[-1] == "Beslutet om din idé är fattat"

    # E1–E3: the organisers' evaluation, then the annual report of the owning body.
    post_ok(
        office,
        f"/uppfoljning/handlaggning/dialog/{walk.pk}/utvardering/",
        {
            "what_worked": "Idéverkstaden på biblioteket.",
            "what_to_improve": "Fler tider på kvällen.",
            "reach": "Äldre nåddes, unga inte.",
            "target_groups_reached": 1,
            "effects_on_decision": "En ny bänk vid dammen.",
        },
    )
    walk.step("evaluate", "evaluated")
    walk.step("archive", "archived")
    assert "Nämnden beslutade om fyra nya bänkar." in public_page(slug)
    closed = Client().get("/dialoger/?status=closed").content.decode()
    assert "Fler bänkar i parken" in closed
    year = walk.today.year
    report = office.get(f"/uppfoljning/organ/{walk.owner.pk}/{year}/").content.decode()
    assert "Fler bänkar i parken" in report
    assert "Bänken vid dammen kom med tack vare dialogen." in report
    assert list(walk.dialogue.events.values_list("to_status", flat=True))[1:] == [
        "assessment",
        "approved",
        "planning",
        "decided_to_conduct",
        "announced",
        "open",
        "compiling",
        "feedback",
        "decided",
        "evaluated",
        "archived",
    ]


@pytest.mark.parametrize("profile", PROFILES)
def test_the_no_path_ends_public_and_explained(make_municipality, profile, smtp_inbox):
    municipality = make_municipality(profile)
    walk = Walk.begin(municipality, "Ny taxa för bygglov", email="per@example.se")
    walk.step("start_assessment", "assessment")
    walk.assess(yes=False)
    walk.step("reject", "rejected")
    assert subjects_to(smtp_inbox, "per@example.se") == ["Din idé blir ingen medborgardialog"]
    refused = walk.refused_step("archive")
    assert "Förklara beslutet" in refused
    walk.information_effort()
    walk.step("archive", "archived")

    page = public_page(walk.dialogue.slug)
    assert "Ingen medborgardialog i den här frågan" in page
    assert page.count("<dd>Nej</dd>") == 2, "both answers of the assessment stay public"
    for text in [
        "Beslutet följer av lagen.",
        "Frågan går inte att påverka här.",
        "Stadshuset och webben",
        "Vi berättade hur beslutet togs och vad det betyder.",
    ]:
        assert text in page
    assert "Se resultatet" not in page
    listed = Client().get("/dialoger/?status=no_dialogue").content.decode()
    assert "Ny taxa för bygglov" in listed
    assert "Ny taxa för bygglov" not in Client().get("/dialoger/?status=closed").content.decode()


def test_a_committees_refusal_at_the_conduct_gate_ends_in_information(
    make_municipality, smtp_inbox
):
    municipality = make_municipality("sollentuna")
    walk = Walk.begin(municipality, "Ny simhall", email="lena@example.se")
    walk.to_planning()
    assert "Det finns inget beslut om avslag" in walk.refused_step("reject")
    walk.decide(Gate.CONDUCT, outcome="rejected")
    walk.step("reject", "rejected")
    walk.information_effort(why_decided="Nämnden avslog: pengarna räcker inte i år.")
    walk.step("archive", "archived")
    page = public_page(walk.dialogue.slug)
    assert "Avslag" in page and "Nämnden avslog: pengarna räcker inte i år." in page
    assert subjects_to(smtp_inbox, "lena@example.se") == [
        "Din idé blir en medborgardialog",
        "Din idé blir ingen medborgardialog",
    ]


def test_the_proposer_can_stop_the_mails_about_their_idea_from_the_first_one(
    make_municipality, smtp_inbox
):
    municipality = make_municipality("sollentuna")
    walk = Walk.begin(municipality, "Ny simhall", email="lena@example.se")
    walk.to_planning()
    first = next(m["message"] for m in smtp_inbox.messages if "lena@example.se" in m["to"])
    link = first["List-Unsubscribe"].strip("<>")
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in first.get_body(preferencelist=("plain",)).get_content()
    path = "/" + link.split("://", 1)[-1].split("/", 1)[-1]
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    walk.decide(Gate.CONDUCT, outcome="rejected")
    walk.step("reject", "rejected")
    # Stopped: the NO is on the public page, and no second mail goes to the proposer.
    assert subjects_to(smtp_inbox, "lena@example.se") == ["Din idé blir en medborgardialog"]


@pytest.mark.parametrize("cancel_in", ["planning", "open"])
def test_a_cancelled_dialogue_says_why_in_public(make_municipality, cancel_in, smtp_inbox):
    municipality = make_municipality("trelleborg")
    walk = Walk.begin(municipality, "Ny sporthall", email="omar@example.se")
    if cancel_in == "planning":
        walk.to_planning()
    else:
        walk.to_open()
    assert "Skriv varför" in walk.refused_step("cancel", note="  ")
    walk.step("cancel", "cancelled", note="Pengarna togs bort i budgeten.")
    page = public_page(walk.dialogue.slug)
    assert "Dialogen avbröts" in page and "Pengarna togs bort i budgeten." in page
    assert "Ny sporthall" in Client().get("/dialoger/?status=cancelled").content.decode()
    assert subjects_to(smtp_inbox, "omar@example.se")[-1] == "Dialogen om din idé är avbruten"
    # Participation is closed once cancelled.
    activity = walk.dialogue.activities.first()
    if activity is not None:
        response = Client().post(
            f"/delta/ideer/{activity.pk}/",
            {"title": "Sent", "text": "För sent.", "category": "", "submission_key": "late"},
        )
        assert response.status_code in (400, 403)
        assert not activity.contributions.exists()
    walk.step("archive", "archived")
    assert "Ny sporthall" in Client().get("/dialoger/?status=cancelled").content.decode()
    assert "Pengarna togs bort i budgeten." in public_page(walk.dialogue.slug)


def test_an_announced_dialogue_can_be_cancelled(make_municipality):
    municipality = make_municipality("vanersborg")
    walk = Walk.begin(municipality, "Ny skatepark")
    walk.to_announced(walk.today + datetime.timedelta(days=5))
    walk.step("cancel", "cancelled", note="Platsen behövs för en ny skola.")
    assert "Platsen behövs för en ny skola." in public_page(walk.dialogue.slug)


def test_opening_before_the_decided_date_needs_an_explicit_reason(make_municipality):
    municipality = make_municipality("ljungby")
    walk = Walk.begin(municipality, "Nya cykelvägar")
    starts = walk.today + datetime.timedelta(days=7)
    walk.to_announced(starts)

    refused = walk.refused_step("open")
    assert f"Dialogen ska enligt beslutet öppna {date_format(starts, 'DATE_FORMAT')}." in refused
    assert "kryssa i att du avviker" in walk.refused_step("open", override="1", note="")
    assert walk.dialogue.status == DialogueStatus.ANNOUNCED
    walk.step("open", "open", override="1", note="Skolorna bad om en extra vecka.")
    event = walk.dialogue.events.last()
    assert "Avvikelse" in event.note and "Skolorna bad om en extra vecka." in event.note


def test_a_signed_in_proposer_follows_their_proposal_on_their_page(make_municipality, smtp_inbox):
    from delaktig.accounts.models import User
    from tests.governance.walk import PASSWORD

    municipality = make_municipality("styrgrupp")
    User.objects.create_user(username="amina", password=PASSWORD, email="amina@example.se")
    resident = Client()
    sign_in(resident, "amina")
    dialogue = propose(resident, "Fler papperskorgar")
    assert dialogue.initiative.proposer.username == "amina"
    page = resident.get("/konto/mina-uppgifter/").content.decode()
    assert "Fler papperskorgar" in page and "Förslaget bedöms" in page
    official = staff(municipality, "strateg")
    office = Client()
    sign_in(office, "strateg")
    walk = Walk(office, dialogue, committee(municipality), official)
    walk.step("start_assessment", "assessment")
    walk.assess(yes=True)
    walk.plan()
    walk.decide(Gate.INVESTIGATE)
    walk.step("approve_for_planning", "approved")
    page = resident.get("/konto/mina-uppgifter/").content.decode()
    assert f'href="/dialoger/{dialogue.slug}/"' in page and "Planeras" in page
    # Residents see the phase, never the internal state, on every public page.
    public = Client().get(f"/dialoger/{dialogue.slug}/").content.decode()
    register = Client().get("/dialoger/").content.decode()
    for html in (page, public, register):
        assert "Godkänd för planering" not in html
    assert '<li aria-current="step">Planeras</li>' in public
    assert subjects_to(smtp_inbox, "amina@example.se") == ["Din idé blir en medborgardialog"]
