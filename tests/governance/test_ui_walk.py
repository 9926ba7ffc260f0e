"""A newcomer walks a dialogue from idea to open and beyond through the UI, under every profile."""

from __future__ import annotations

import datetime

import pytest

from delaktig.governance import lifecycle
from delaktig.governance.models import Dialogue, DialogueStatus, Initiative
from delaktig.organisation.models import (
    Body,
    ChecklistCheckpoint,
    ChecklistPhase,
    DialogueScope,
    Gate,
    PolicyProfile,
)

pytestmark = pytest.mark.django_db

PROFILES = ["styrgrupp", "trelleborg", "vanersborg", "sollentuna", "ljungby"]


def post_ok(client, url, data, expect_status=302):
    response = client.post(url, data)
    assert response.status_code == expect_status, response.content.decode()[:3000]
    return response


def record_gate_decisions(client, dialogue, gate, on):
    rule = lifecycle.gate_rule(dialogue, gate)
    if rule is None:
        return 0
    count = 0
    for kind, outcome in [
        (rule.deciding_body_kind, "approved"),
        (rule.anchoring_body_kind, "anchored"),
    ]:
        if not kind:
            continue
        body = lifecycle.resolve_body(dialogue, kind)
        post_ok(
            client,
            f"/handlaggning/dialog/{dialogue.pk}/beslut/",
            {
                "gate": gate,
                "body": body.pk,
                "decided_on": on.isoformat(),
                "paragraph": "12",
                "case_number": f"DNR {on.year}/{dialogue.pk}",
                "outcome": outcome,
                "rationale": "Enligt förvaltningens förslag.",
            },
        )
        count += 1
    return count


def tick_checklist(client, dialogue, checkpoint):
    """Tick the profile's items for this checkpoint; items that restate the plan are
    answered by the plan (they have no button), so the walk fills the plan instead."""
    for item in dialogue.checklist.filter(required_for=checkpoint):
        if item.plan_fields:
            continue
        post_ok(client, f"/handlaggning/dialog/{dialogue.pk}/checklista/{item.pk}/", {"done": "1"})


def transition(client, dialogue, name, expect=None):
    post_ok(client, f"/handlaggning/dialog/{dialogue.pk}/steg/", {"transition": name})
    dialogue.refresh_from_db()
    if expect:
        assert dialogue.status == expect


@pytest.mark.parametrize("profile", PROFILES)
def test_walk_from_idea_to_open_through_the_ui(client, make_municipality, profile, today):
    municipality = make_municipality(profile)
    from delaktig.accounts.models import User
    from delaktig.organisation.models import Role, StaffRole

    strategist = User.objects.create_user(username="strateg", password="x-lösen-123")
    StaffRole.objects.create(user=strategist, municipality=municipality, role=Role.STRATEGIST)

    # G1: anyone proposes, without an account.
    response = client.post(
        "/foresla/",
        {
            "title": "Fler bänkar i parken",
            "description": "Äldre behöver kunna vila.",
            "proposer_kind": "resident",
            "proposer_name": "",
            "proposer_email": "",
            "submission_key": "abc123",
        },
    )
    assert response.status_code == 200
    assert "Tack för ditt förslag" in response.content.decode()
    dialogue = Initiative.objects.get().dialogue
    assert dialogue.status == DialogueStatus.IDEA

    client.force_login(strategist)
    assert "Fler bänkar i parken" in client.get("/handlaggning/").content.decode()
    transition(client, dialogue, "start_assessment", DialogueStatus.ASSESSMENT)

    post_ok(
        client,
        f"/handlaggning/dialog/{dialogue.pk}/lamplighet/",
        {
            "needs_residents_knowledge": "yes",
            "open_to_influence": "yes",
            "benefit": "Bättre beslut",
            "purpose": "Veta vad äldre behöver",
        },
    )
    committee = Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden")
    scope = DialogueScope.AREA
    post_ok(
        client,
        f"/handlaggning/dialog/{dialogue.pk}/plan/",
        {
            "title": dialogue.title,
            "summary": "Bänkar",
            "kind": "citizen",
            "scope": scope,
            "owner_body": committee.pk,
        },
    )
    dialogue.refresh_from_db()
    record_gate_decisions(client, dialogue, Gate.INVESTIGATE, today - datetime.timedelta(days=5))
    tick_checklist(client, dialogue, Gate.INVESTIGATE)
    transition(client, dialogue, "approve_for_planning", DialogueStatus.APPROVED)

    # G7: the dialogue group.
    post_ok(
        client,
        f"/handlaggning/dialog/{dialogue.pk}/dialoggrupp/",
        {"user": strategist.pk, "role": "process_owner"},
    )
    post_ok(
        client,
        f"/handlaggning/dialog/{dialogue.pk}/dialoggrupp/",
        {"user": strategist.pk, "role": "process_leader"},
    )
    transition(client, dialogue, "start_planning", DialogueStatus.PLANNING)

    # G8–G10: the plan, the target groups, the checklist.
    starts, ends = today + datetime.timedelta(days=3), today + datetime.timedelta(days=33)
    post_ok(
        client,
        f"/handlaggning/dialog/{dialogue.pk}/plan/",
        {
            "title": dialogue.title,
            "summary": "Bänkar",
            "kind": "citizen",
            "scope": scope,
            "owner_body": committee.pk,
            "goal": "Fler bänkar där de behövs",
            "purpose": "Underlag till nämnden",
            "question": "Var behövs bänkar?",
            "influence_level": "konsultation",
            "input_use": "Sammanställs till nämnden.",
            "background": "Bänkarna togs bort när parken rustades.",
            "partners": "Pensionärsföreningen.",
            "budget": "Ryms i parkbudgeten.",
            "communication_plan": "Anslag i parken och på webben.",
            "outreach_plan": "Besök på träffpunkten för äldre.",
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
            "feedback_due": (ends + datetime.timedelta(days=30)).isoformat(),
        },
    )
    post_ok(
        client,
        f"/handlaggning/dialog/{dialogue.pk}/malgrupp/",
        {"name": "Äldre", "priority": 1, "outreach": "Träffpunkter"},
    )
    dialogue.refresh_from_db()
    tick_checklist(client, dialogue, Gate.CONDUCT)
    decisions = record_gate_decisions(client, dialogue, Gate.CONDUCT, today)
    assert decisions >= 1, "every profile has a body that decides to conduct"
    transition(client, dialogue, "decide_to_conduct", DialogueStatus.DECIDED_TO_CONDUCT)

    post_ok(
        client,
        f"/delta/dialog/{dialogue.pk}/ny-aktivitet/",
        {
            "method": "cafe",
            "title": "Dialogcafé i parken",
            "description": "Kom och fika.",
            "place": "Parkens paviljong",
            "accessibility_info": "Rullstolsanpassat",
            "identity_level": "anonymous",
            "residency_rule": "anyone",
        },
    )
    transition(client, dialogue, "announce", DialogueStatus.ANNOUNCED)
    transition(client, dialogue, "open", DialogueStatus.OPEN)

    # The public page states influence and use of input before any participation (G9, C4).
    page = client.get(f"/dialoger/{dialogue.slug}/").content.decode()
    assert page.index("Så mycket kan du påverka") < page.index("Så kan du delta")
    assert "Konsultation" in page and "Sammanställs till nämnden." in page

    tick_checklist(client, dialogue, ChecklistCheckpoint.CLOSE_PARTICIPATION)
    transition(client, dialogue, "close_participation", DialogueStatus.COMPILING)
    assert list(dialogue.events.values_list("to_status", flat=True)) == [
        "idea",
        "assessment",
        "approved",
        "planning",
        "decided_to_conduct",
        "announced",
        "open",
        "compiling",
    ]


@pytest.mark.parametrize(
    ("profile", "scope", "gate", "expected_kind", "anchor_kind"),
    [
        ("styrgrupp", "area", "investigate", "styrgrupp", ""),
        ("styrgrupp", "area", "conduct", "styrgrupp", "klg"),
        ("styrgrupp", "municipality_wide", "final", "kf", ""),
        ("trelleborg", "area", "conduct", "namnd", ""),
        ("trelleborg", "larger", "conduct", "ks", ""),
        ("trelleborg", "municipality_wide", "conduct", "ks", ""),
        ("trelleborg", "area", "investigate", None, None),
        ("vanersborg", "area", "conduct", "namnd", ""),
        ("vanersborg", "larger", "conduct", "ks", ""),
        ("vanersborg", "municipality_wide", "conduct", "kf", ""),
        ("sollentuna", "area", "investigate", "namnd", ""),
        ("sollentuna", "area", "conduct", "namnd", ""),
        ("sollentuna", "larger", "final", "namnd", ""),
        ("ljungby", "several", "conduct", "namnd", ""),
        ("ljungby", "area", "investigate", None, None),
    ],
)
def test_profiles_put_the_right_body_at_each_gate(
    make_municipality, profile, scope, gate, expected_kind, anchor_kind
):
    municipality = make_municipality(profile)
    dialogue = Dialogue.objects.create(municipality=municipality, title="x", slug="x", scope=scope)
    rule = lifecycle.gate_rule(dialogue, gate)
    if expected_kind is None:
        assert rule is None
        return
    assert rule.deciding_body_kind == expected_kind
    assert rule.anchoring_body_kind == anchor_kind


def test_switching_profile_changes_the_gates_without_code(make_municipality):
    municipality = make_municipality("trelleborg")
    dialogue = Dialogue.objects.create(municipality=municipality, title="x", slug="x")
    assert lifecycle.gate_rule(dialogue, Gate.INVESTIGATE) is None
    municipality.profile = PolicyProfile.objects.get(slug="styrgrupp")
    municipality.save()
    dialogue = Dialogue.objects.select_related("municipality__profile").get(pk=dialogue.pk)
    assert lifecycle.deciding_body(dialogue, Gate.INVESTIGATE).kind == "styrgrupp"
    assert lifecycle.anchoring_body(dialogue, Gate.CONDUCT).kind == "klg"


def test_every_profile_ships_checklist_before_during_after():
    for profile in PolicyProfile.objects.all():
        phases = set(profile.checklist_items.values_list("phase", flat=True))
        assert phases == set(ChecklistPhase.values), profile.slug


def test_profile_specific_rules(make_municipality):
    ljungby = make_municipality("ljungby", name="Ljungby test")
    dialogue = Dialogue.objects.create(
        municipality=ljungby,
        title="Flera nämnder",
        slug="flera",
        status="planning",
        scope="several",
    )
    dialogue.concerned_bodies.set(Body.objects.filter(municipality=ljungby, kind="namnd"))
    assert any("huvudansvarig nämnd" in b for b in lifecycle.plan_complete(dialogue))

    vanersborg = make_municipality("vanersborg", name="Vänersborg test")
    wide = Dialogue.objects.create(
        municipality=vanersborg,
        title="Hela kommunen",
        slug="hela",
        status="planning",
        scope="municipality_wide",
    )
    assert any("period på 3 år" in b for b in lifecycle.plan_complete(wide))
