"""The people the policies name do their part through the UI (G5, G7).

Elected members see their bodies' dialogues, a committee secretary records the
committee's decisions, Trelleborg's KS sees everything it is ultimately responsible for,
and the dialogue group hears when its dialogue moves on.
"""

from __future__ import annotations

import pytest
from django.test import Client

from delaktig.accounts.models import User
from delaktig.governance.models import Decision
from delaktig.organisation.models import Body, BodyMembership, Gate
from tests.governance.walk import PASSWORD, Walk, post_ok, sign_in, staff

pytestmark = pytest.mark.django_db(transaction=True)


def member(municipality, username: str, body_name: str, kind: str = "member") -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@kommun.example"
    )
    BodyMembership.objects.create(
        user=user, body=Body.objects.get(municipality=municipality, name=body_name), kind=kind
    )
    return user


def signed_in(username: str) -> Client:
    client = Client()
    sign_in(client, username)
    return client


def test_a_committee_secretary_records_the_committees_decision(make_municipality):
    municipality = make_municipality("sollentuna")
    member(municipality, "sekreterare", "Samhällsbyggnadsnämnden", kind="secretary")
    walk = Walk.begin(municipality, "Ny lekplats")
    walk.step("start_assessment", "assessment")
    walk.assess(yes=True)
    walk.plan()

    secretary = signed_in("sekreterare")
    page = secretary.get("/mina-organ/").content.decode()
    assert "Ny lekplats" in page and "Beslut som väntar" in page
    assert f"/handlaggning/dialog/{walk.pk}/beslut/" in page
    form = secretary.get(f"/handlaggning/dialog/{walk.pk}/beslut/")
    assert form.status_code == 200
    committee = Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden")
    ks = Body.objects.get(municipality=municipality, name="Kommunstyrelsen")
    data = {
        "gate": Gate.INVESTIGATE,
        "decided_on": walk.today.isoformat(),
        "paragraph": "8",
        "case_number": "SBN 2026/8",
        "outcome": "approved",
        "rationale": "Utred dialog.",
    }
    # Another body's decision is not theirs to record: the choice is refused, nothing saved.
    refused = post_ok(
        secretary, f"/handlaggning/dialog/{walk.pk}/beslut/", {**data, "body": ks.pk}, expect=400
    ).content.decode()
    assert "Välj ett giltigt alternativ" in refused and 'value="SBN 2026/8"' in refused
    assert not Decision.objects.exists()
    post_ok(secretary, f"/handlaggning/dialog/{walk.pk}/beslut/", {**data, "body": committee.pk})
    decision = Decision.objects.get()
    assert decision.body == committee and decision.recorded_by.username == "sekreterare"
    # The secretary does not manage the dialogue itself.
    assert secretary.get(walk.url()).status_code == 403
    assert "Beslut som väntar" not in secretary.get("/mina-organ/").content.decode()
    walk.step("approve_for_planning", "approved")


def test_elected_members_see_their_bodies_and_their_dialogue_groups(make_municipality):
    municipality = make_municipality("sollentuna")
    member(municipality, "ledamot", "Samhällsbyggnadsnämnden")
    member(municipality, "ks_ledamot", "Kommunstyrelsen")
    walk = Walk.begin(municipality, "Nya träd på torget")
    walk.step("start_assessment", "assessment")
    walk.assess(yes=True)
    walk.plan()

    page = signed_in("ledamot").get("/mina-organ/").content.decode()
    assert "Nya träd på torget" in page and "Samhällsbyggnadsnämnden är ansvarig nämnd" in page
    assert "Registrera beslutet" not in page, "a member is not the secretary"
    ks_page = signed_in("ks_ledamot").get("/mina-organ/").content.decode()
    assert "Nya träd på torget" not in ks_page, "in Sollentuna the committee owns it"

    # Named in the dialogue group, the KS member sees it too.
    ks_member = User.objects.get(username="ks_ledamot")
    post_ok(walk.client, walk.url("dialoggrupp/"), {"user": ks_member.pk, "role": "politician"})
    assert (
        "Du är med i dialoggruppen" in signed_in("ks_ledamot").get("/mina-organ/").content.decode()
    )
    # A resident without a body has no such page.
    User.objects.create_user(username="invanare", password=PASSWORD)
    assert signed_in("invanare").get("/mina-organ/").status_code == 403


def test_trelleborgs_ks_sees_every_dialogue_it_answers_for(make_municipality):
    municipality = make_municipality("trelleborg")
    member(municipality, "ks_ledamot", "Kommunstyrelsen")
    Walk.begin(municipality, "Ny cykelbana")
    page = signed_in("ks_ledamot").get("/mina-organ/").content.decode()
    assert "Ny cykelbana" in page and "Kommunstyrelsen har det yttersta ansvaret" in page
    assert "Mina organ" in page, "the menu leads there"


def test_the_dialogue_group_hears_when_the_dialogue_moves_on(make_municipality, smtp_inbox):
    municipality = make_municipality("ljungby")
    colleague = staff(municipality, "kommunikator", role="official")
    walk = Walk.begin(municipality, "Ny badplats")
    post_ok(walk.client, walk.url("dialoggrupp/"), {"user": colleague.pk, "role": "communications"})
    walk.step("start_assessment", "assessment")
    walk.assess(yes=True)
    walk.plan()
    walk.step("approve_for_planning", "approved")
    to_colleague = [m for m in smtp_inbox.messages if "kommunikator@kommun.example" in m["to"]]
    assert [str(m["message"]["Subject"]) for m in to_colleague] == [
        "Dialogen har gått vidare: Ny badplats",
        "Dialogen har gått vidare: Ny badplats",
    ]
    body = to_colleague[-1]["message"].get_body(preferencelist=("plain",)).get_content()
    assert "Lämplighetsprövning till Godkänd för planering" in body
    assert f"/handlaggning/dialog/{walk.pk}/" in body
    assert not [m for m in smtp_inbox.messages if "strateg@kommun.example" in m["to"]], (
        "the one who took the step is not told of it"
    )


def test_vanersborgs_period_is_a_real_range_tied_to_the_goals_review(make_municipality):
    from delaktig.governance import lifecycle

    municipality = make_municipality("vanersborg")
    walk = Walk.begin(municipality, "Vänersborg 2030")
    walk.step("start_assessment", "assessment")
    walk.assess(yes=True)
    response = walk.client.post(
        walk.url("plan/"),
        {
            "title": "Vänersborg 2030",
            "kind": "citizen",
            "scope": "municipality_wide",
            "period_start_year": 1990,
        },
    )
    assert response.status_code == 400 and "Ange ett startår mellan" in response.content.decode()
    assert 'value="1990"' in response.content.decode(), "what was typed is kept"
    assert walk.dialogue.period_start_year is None
    year = walk.today.year
    walk.plan(scope="municipality_wide", period_start_year=year)
    assert "Ange vilken översyn av inriktningsmålen" in " ".join(
        lifecycle.plan_complete(walk.dialogue)
    )
    walk.plan(
        scope="municipality_wide",
        period_start_year=year,
        period_review="Översynen av inriktningsmålen 2027",
    )
    assert not any("inriktningsmål" in b for b in lifecycle.plan_complete(walk.dialogue))
    walk.decide(Gate.INVESTIGATE)
    walk.step("approve_for_planning", "approved")
    page = Client().get(f"/dialoger/{walk.dialogue.slug}/").content.decode()
    assert f"{year}–{year + 2}" in page
    assert "i samband med översyn av inriktningsmål: Översynen av inriktningsmålen 2027" in page


def test_a_legally_required_dialogue_is_owned_by_its_committee(make_municipality):
    from delaktig.governance import lifecycle

    municipality = make_municipality("vanersborg")
    walk = Walk.begin(municipality, "Samråd om detaljplan")
    walk.step("start_assessment", "assessment")
    walk.assess(yes=True)
    post_ok(
        walk.client,
        walk.url("plan/"),
        {
            "title": "Samråd om detaljplan",
            "kind": "citizen",
            "scope": "area",
            "legally_required": "on",
            "legal_basis": "PBL 5 kap. 11 §",
        },
    )
    blockers = lifecycle.plan_complete(walk.dialogue)
    assert any("enligt sitt reglemente" in b for b in blockers)
    walk.plan(legally_required="on", legal_basis="PBL 5 kap. 11 §")
    assert not any("enligt sitt reglemente" in b for b in lifecycle.plan_complete(walk.dialogue))
