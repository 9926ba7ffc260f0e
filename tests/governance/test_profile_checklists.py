"""G8: each profile ships its own policy's checklist; its items block the step they belong to,
items that restate the plan are answered by it, and phases are shown in Swedish."""

from __future__ import annotations

import datetime
import itertools

import pytest

from delaktig.governance import actions, checklist, lifecycle
from delaktig.governance.models import Dialogue, DialogueStatus
from delaktig.organisation.models import (
    Body,
    ChecklistCheckpoint,
    ChecklistPhase,
    PolicyProfile,
    Role,
    StaffRole,
)
from delaktig.organisation.profile_data import shipped_profiles

pytestmark = pytest.mark.django_db

PROFILES = {p["slug"]: p for p in shipped_profiles()}
ITEMS = [(slug, item) for slug, p in PROFILES.items() for item in p["checklist"]]


def test_the_five_profiles_each_ship_their_own_items():
    assert set(PROFILES) == {"styrgrupp", "trelleborg", "vanersborg", "sollentuna", "ljungby"}
    for (a, pa), (b, pb) in itertools.combinations(PROFILES.items(), 2):
        labels_a = {i["label"] for i in pa["checklist"]}
        labels_b = {i["label"] for i in pb["checklist"]}
        assert not labels_a & labels_b, f"{a} and {b} share items: {labels_a & labels_b}"
    # Only Sollentuna's policy has a written checklist; it is the one with "Budget och
    # finansiering" and "Genomförandeplan".
    for slug, p in PROFILES.items():
        has_budget = any("Budget och finansiering" in i["label"] for i in p["checklist"])
        assert has_budget == (slug == "sollentuna"), slug


def test_the_database_holds_what_the_profiles_ship():
    """The data migration re-synced the profiles: the rows are the JSON, in order."""
    for slug, data in PROFILES.items():
        profile = PolicyProfile.objects.get(slug=slug)
        rows = list(
            profile.checklist_items.values_list("key", "label", "phase", "required_for", "order")
        )
        assert rows == [
            (i["key"], i["label"], i["phase"], i["required_for"], n)
            for n, i in enumerate(data["checklist"])
        ]
        assert [i.plan_fields for i in profile.checklist_items.all()] == [
            i.get("plan_fields", []) for i in data["checklist"]
        ]


@pytest.mark.parametrize(("slug", "item"), ITEMS, ids=[f"{s}-{i['key']}" for s, i in ITEMS])
def test_every_item_is_well_formed(slug, item):
    assert item["phase"] in ChecklistPhase.values
    assert item["required_for"] in [*ChecklistCheckpoint.values, ""]
    assert set(item.get("plan_fields", [])) <= checklist.answer_names()
    assert item["label"] and len(item["label"]) <= 300


def test_every_checkpoint_blocks_a_real_transition():
    assert set(checklist.CHECKLIST_BLOCKS) == set(ChecklistCheckpoint.values)
    for name in checklist.CHECKLIST_BLOCKS.values():
        assert name in lifecycle.TRANSITIONS


# Profile × phase → the transitions its items block ("" = an item that blocks nothing).
PHASE_MATRIX = {
    ("sollentuna", "before"): {"decide_to_conduct"},
    ("sollentuna", "during"): {"close_participation"},
    ("sollentuna", "after"): {"record_final_decision", "evaluate", "archive"},
    ("styrgrupp", "before"): {"approve_for_planning", "decide_to_conduct"},
    ("styrgrupp", "during"): {"close_participation"},
    ("styrgrupp", "after"): {"record_final_decision", "archive"},
    ("trelleborg", "before"): {"approve_for_planning", "decide_to_conduct"},
    ("trelleborg", "during"): {"close_participation"},
    ("trelleborg", "after"): {"record_final_decision", "evaluate", "archive"},
    ("vanersborg", "before"): {"decide_to_conduct"},
    ("vanersborg", "during"): {"close_participation"},
    ("vanersborg", "after"): {"record_final_decision", "evaluate", ""},
    ("ljungby", "before"): {"approve_for_planning", "decide_to_conduct", ""},
    ("ljungby", "during"): {"close_participation"},
    ("ljungby", "after"): {"record_final_decision", "archive"},
}


@pytest.mark.parametrize(("slug", "phase"), list(PHASE_MATRIX))
def test_profile_by_phase_blocks_these_transitions(slug, phase):
    blocked = {
        checklist.CHECKLIST_BLOCKS[i["required_for"]] if i["required_for"] else ""
        for i in PROFILES[slug]["checklist"]
        if i["phase"] == phase
    }
    assert blocked == PHASE_MATRIX[(slug, phase)]


def _strategist(municipality):
    from delaktig.accounts.models import User

    user = User.objects.create_user(username="strateg", password="x-lösen-123")
    StaffRole.objects.create(user=user, municipality=municipality, role=Role.STRATEGIST)
    return user


def _dialogue(municipality, user, status):
    dialogue = actions.create_dialogue(
        actor=user, municipality=municipality, title="Ny park", description="En park."
    )
    Dialogue.objects.filter(pk=dialogue.pk).update(status=status)
    dialogue.refresh_from_db()
    return dialogue


HAND_ITEMS = [(s, i) for s, i in ITEMS if i["required_for"] and not i.get("plan_fields")]


@pytest.mark.parametrize(
    ("slug", "item"), HAND_ITEMS, ids=[f"{s}-{i['key']}" for s, i in HAND_ITEMS]
)
def test_an_unticked_item_blocks_its_transition_until_ticked(client, make_municipality, slug, item):
    municipality = make_municipality(slug)
    user = _strategist(municipality)
    name = checklist.CHECKLIST_BLOCKS[item["required_for"]]
    dialogue = _dialogue(municipality, user, lifecycle.TRANSITIONS[name].source[0])
    blocker = f"Checklistan: {item['label']}"
    client.force_login(user)

    response = client.post(f"/handlaggning/dialog/{dialogue.pk}/steg/", {"transition": name})
    assert response.status_code == 400
    assert blocker in response.content.decode()
    dialogue.refresh_from_db()
    assert dialogue.status == lifecycle.TRANSITIONS[name].source[0]

    row = dialogue.checklist.get(key=item["key"])
    response = client.post(
        f"/handlaggning/dialog/{dialogue.pk}/checklista/{row.pk}/", {"done": "1"}
    )
    assert response.status_code == 302
    assert blocker not in lifecycle.transition_blockers(dialogue, name)
    # No other checkpoint asks for this item.
    row.done = False
    row.save()
    for checkpoint in ChecklistCheckpoint.values:
        found = blocker in lifecycle._checklist_guard(checkpoint)(dialogue)
        assert found == (checkpoint == item["required_for"]), checkpoint


def _plan_post(dialogue, municipality, fields, today):
    committee = Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden")
    values = {
        "title": dialogue.title,
        "kind": "citizen",
        "scope": "area",
        "starts_on": "",
        "ends_on": "",
        "feedback_due": "",
    }
    for name in fields:
        values[name] = {
            "owner_body": committee.pk,
            "influence_level": "dialog",
            "starts_on": (today + datetime.timedelta(days=5)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=30)).isoformat(),
            "feedback_due": (today + datetime.timedelta(days=60)).isoformat(),
        }.get(name, f"Ifyllt: {name}")
    return values


PLAN_ITEMS = [(s, i) for s, i in ITEMS if i.get("plan_fields")]


@pytest.mark.parametrize(
    ("slug", "item"), PLAN_ITEMS, ids=[f"{s}-{i['key']}" for s, i in PLAN_ITEMS]
)
def test_an_item_that_restates_the_plan_is_answered_by_the_plan(
    client, make_municipality, today, slug, item
):
    municipality = make_municipality(slug)
    user = _strategist(municipality)
    dialogue = _dialogue(municipality, user, DialogueStatus.PLANNING)
    client.force_login(user)
    name = checklist.CHECKLIST_BLOCKS[item["required_for"]]
    row = dialogue.checklist.get(key=item["key"])

    blockers = lifecycle.transition_blockers(dialogue, name)
    assert any(b.startswith(f"Checklistan: {item['label']} (saknas: ") for b in blockers)
    page = client.get(f"/handlaggning/dialog/{dialogue.pk}/").content.decode()
    assert "Saknas i planen:" in page
    # It has no tick box, and ticking it by hand is refused in Swedish.
    assert f"/checklista/{row.pk}/" not in page
    response = client.post(
        f"/handlaggning/dialog/{dialogue.pk}/checklista/{row.pk}/", {"done": "1"}
    )
    assert response.status_code == 400
    assert "besvaras av planen" in response.content.decode()

    plan_fields = [f for f in item["plan_fields"] if f not in checklist.OTHER_ANSWERS]
    if plan_fields:
        response = client.post(
            f"/handlaggning/dialog/{dialogue.pk}/plan/",
            _plan_post(dialogue, municipality, plan_fields, today),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    if "target_groups" in item["plan_fields"]:
        client.post(
            f"/handlaggning/dialog/{dialogue.pk}/malgrupp/",
            {"name": "Äldre", "priority": 1, "outreach": "Träffpunkter"},
        )
    for role in ("process_owner", "process_leader"):
        if role in item["plan_fields"]:
            client.post(
                f"/handlaggning/dialog/{dialogue.pk}/dialoggrupp/", {"user": user.pk, "role": role}
            )
    dialogue = Dialogue.objects.get(pk=dialogue.pk)
    assert not any(
        b.startswith(f"Checklistan: {item['label']}")
        for b in lifecycle.transition_blockers(dialogue, name)
    )
    assert (
        "Besvarad av planen" in client.get(f"/handlaggning/dialog/{dialogue.pk}/").content.decode()
    )


def test_a_dialogue_that_was_never_held_is_not_held_up_by_its_checklist(make_municipality):
    municipality = make_municipality("sollentuna")
    user = _strategist(municipality)
    dialogue = _dialogue(municipality, user, DialogueStatus.REJECTED)
    actions.record_information_effort(
        actor=user,
        dialogue=dialogue,
        why_decided="Taxan följer en nationell modell.",
        why_no_dialogue="Frågan går inte att påverka.",
        held_on=datetime.date(2026, 3, 2),
        place="Stadshuset",
    )
    assert lifecycle.transition_blockers(Dialogue.objects.get(pk=dialogue.pk), "archive") == []


@pytest.mark.parametrize(
    ("lang", "phases"), [("sv", ["Före", "Under", "Efter"]), ("en", ["Before", "During", "After"])]
)
def test_the_manage_page_shows_phases_and_checkpoints_in_the_language(
    client, make_municipality, lang, phases
):
    municipality = make_municipality("trelleborg")
    user = _strategist(municipality)
    dialogue = _dialogue(municipality, user, DialogueStatus.PLANNING)
    client.force_login(user)
    if lang == "en":
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/handlaggning/dialog/{dialogue.pk}/").content.decode()
    section = page[page.index('id="checklista"') :]
    for phase in phases:
        assert f"<td>{phase}</td>" in section
    for raw in ("<td>before</td>", "<td>during</td>", "<td>after</td>"):
        assert raw not in section
    checkpoint = {"sv": "Deltagandet stängs", "en": "Participation closes"}[lang]
    assert f"<td>{checkpoint}</td>" in section
    assert '<th scope="row">' in section and "<caption" in section
