"""Every transition × every role, every illegal transition, every guard."""

from __future__ import annotations

import datetime

import pytest

from delaktig.core.exceptions import DomainError, NotAllowed
from delaktig.governance import actions, lifecycle
from delaktig.governance.models import Dialogue, DialogueEvent, DialogueStatus
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

RUNS_THE_DIALOGUE = {"official", "process_leader", "strategist", "admin"}
# Who may take each step: the team and office run it; stopping and archiving are not theirs.
ALLOWED_ROLES = {
    **{name: RUNS_THE_DIALOGUE for name in lifecycle.TRANSITIONS},
    "cancel": {"process_leader", "strategist", "admin"},
    "archive": {"strategist", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(lifecycle.TRANSITIONS))
def test_transition_permission_matrix(dialogue, people, role, name):
    transition = lifecycle.TRANSITIONS[name]
    Dialogue.objects.filter(pk=dialogue.pk).update(status=transition.source[0])
    dialogue.refresh_from_db()
    actor = people[role]
    if actor is not None:
        assert actor.has_perm(transition.permission, dialogue) == (role in ALLOWED_ROLES[name])
    if role in ALLOWED_ROLES[name]:
        try:
            actions.transition_dialogue(actor=actor, dialogue=dialogue, name=name)
        except DomainError as error:
            # Allowed to try: only the policy's guards may stop it, never the permission.
            assert not isinstance(error, NotAllowed)
            assert error.code == "blocked" and error.missing
            assert Dialogue.objects.get(pk=dialogue.pk).status == transition.source[0]
        else:
            assert Dialogue.objects.get(pk=dialogue.pk).status == transition.target
            assert DialogueEvent.objects.filter(
                dialogue=dialogue, from_status=transition.source[0], to_status=transition.target
            ).exists()
    else:
        with pytest.raises(NotAllowed):
            actions.transition_dialogue(actor=actor, dialogue=dialogue, name=name)
        assert Dialogue.objects.get(pk=dialogue.pk).status == transition.source[0]


ILLEGAL = [
    (status, name)
    for name, transition in lifecycle.TRANSITIONS.items()
    for status in DialogueStatus.values
    if status not in transition.source
]


@pytest.mark.parametrize(("status", "name"), ILLEGAL)
def test_illegal_transitions_raise_a_clear_domain_error(dialogue, people, status, name):
    Dialogue.objects.filter(pk=dialogue.pk).update(status=status)
    dialogue.refresh_from_db()
    with pytest.raises(DomainError) as info:
        actions.transition_dialogue(actor=people["strategist"], dialogue=dialogue, name=name)
    # The step is named by its button label, in a sentence that stays grammatical
    # whatever the label's verb form ("Godkänn", "Stäng deltagandet").
    label = str(lifecycle.TRANSITIONS[name].label)
    assert f"Steget ”{label}” går inte att ta därifrån." in str(info.value)
    assert Dialogue.objects.get(pk=dialogue.pk).status == status


def test_unknown_transition_is_refused(dialogue, people):
    with pytest.raises(DomainError, match="Okänt steg"):
        actions.transition_dialogue(actor=people["admin"], dialogue=dialogue, name="teleport")


def test_events_are_append_only(dialogue, people):
    actions.transition_dialogue(
        actor=people["official"], dialogue=dialogue, name="start_assessment"
    )
    event = DialogueEvent.objects.filter(dialogue=dialogue).last()
    event.note = "ändrad"
    with pytest.raises(ValueError):
        event.save()


class TestGuards:
    def test_approval_needs_two_yes_and_the_committees_decision(self, dialogue, people, today):
        actor = people["official"]
        actions.transition_dialogue(actor=actor, dialogue=dialogue, name="start_assessment")
        blockers = lifecycle.transition_blockers(dialogue, "approve_for_planning")
        assert "Lämplighetsprövningen är inte gjord." in blockers
        actions.record_assessment(
            actor=actor,
            dialogue=dialogue,
            needs_residents_knowledge=True,
            open_to_influence=False,
            benefit="Nytta",
            purpose="Syfte",
        )
        dialogue.refresh_from_db()
        blockers = lifecycle.transition_blockers(dialogue, "approve_for_planning")
        assert any("svarade nej" in b for b in blockers)
        # NO leads to the information path instead (G3).
        assert lifecycle.transition_blockers(dialogue, "reject") == []

        actions.record_assessment(
            actor=actor,
            dialogue=dialogue,
            needs_residents_knowledge=True,
            open_to_influence=True,
            benefit="Nytta",
            purpose="Syfte",
        )
        dialogue.refresh_from_db()
        blockers = lifecycle.transition_blockers(dialogue, "approve_for_planning")
        # Sollentuna: the owning committee decides to investigate; none is named yet.
        assert "Ange ansvarig nämnd i planen: den ska fatta beslut om att utreda dialog." in (
            blockers
        )
        committee = dialogue.municipality.bodies.get(name="Barn- och utbildningsnämnden")
        actions.update_plan(actor=actor, dialogue=dialogue, changes={"owner_body": committee})
        blockers = lifecycle.transition_blockers(dialogue, "approve_for_planning")
        assert (
            "Barn- och utbildningsnämnden har inte fattat beslut om att utreda dialog." in blockers
        )
        actions.record_decision(
            actor=actor,
            dialogue=dialogue,
            gate="investigate",
            body=committee,
            decided_on=today,
            paragraph="4",
            case_number="BUN 2026/4",
            outcome="approved",
            rationale="Utred.",
        )
        for item in dialogue.checklist.filter(required_for="investigate"):
            actions.set_checklist_item(actor=actor, item=item, done=True)
        assert lifecycle.transition_blockers(dialogue, "approve_for_planning") == []

    def test_rejected_dialogue_needs_information_effort_before_archive(self, dialogue, people):
        Dialogue.objects.filter(pk=dialogue.pk).update(status=DialogueStatus.REJECTED)
        dialogue.refresh_from_db()
        assert lifecycle.transition_blockers(dialogue, "archive") == [
            "Förklara beslutet: svara på varför beslutet togs och varför det inte blir någon "
            "medborgardialog."
        ]
        actions.record_information_effort(
            actor=people["official"],
            dialogue=dialogue,
            why_decided="För att",
            why_no_dialogue="Frågan går inte att påverka.",
        )
        dialogue.refresh_from_db()
        if dialogue.municipality.profile.requires_information_effort_on_no:
            assert lifecycle.transition_blockers(dialogue, "archive") == [
                "Informationsinsatsen är inte dokumenterad: ange datum och plats eller kanal."
            ]
            actions.record_information_effort(
                actor=people["official"],
                dialogue=dialogue,
                why_decided="För att",
                why_no_dialogue="Frågan går inte att påverka.",
                held_on=datetime.date(2026, 1, 10),
                place="Stadshuset",
            )
            dialogue.refresh_from_db()
        assert lifecycle.transition_blockers(dialogue, "archive") == []

    def test_conduct_needs_the_whole_plan(self, dialogue, people):
        Dialogue.objects.filter(pk=dialogue.pk).update(status=DialogueStatus.PLANNING)
        dialogue.refresh_from_db()
        blockers = lifecycle.transition_blockers(dialogue, "decide_to_conduct")
        for expected in [
            "Mål saknas.",
            "Syfte saknas.",
            "Frågan till invånarna saknas.",
            "Grad av inflytande är inte vald.",
            "Det står inte hur synpunkterna ska användas.",
            "Datum för återkoppling är inte satt.",
            "Inga målgrupper är angivna.",
        ]:
            assert expected in blockers
        assert any(b.startswith("Checklistan:") for b in blockers)

    def test_announce_needs_timeline_and_a_way_to_take_part(self, dialogue, people, today):
        Dialogue.objects.filter(pk=dialogue.pk).update(
            status=DialogueStatus.DECIDED_TO_CONDUCT,
            goal="m",
            purpose="s",
            question="q",
            influence_level="konsultation",
            input_use="u",
            feedback_due=today + datetime.timedelta(days=60),
        )
        dialogue.refresh_from_db()
        blockers = lifecycle.transition_blockers(dialogue, "announce")
        assert "Tidplan saknas: ange när dialogen öppnar och stänger." in blockers
        assert "Det finns inget sätt att delta: lägg till minst en aktivitet." in blockers

    def test_registered_gate_checks_from_other_apps_are_applied(self, dialogue, people):
        def needs_something(d):
            return ["Något från en annan app saknas."]

        Dialogue.objects.filter(pk=dialogue.pk).update(status=DialogueStatus.OPEN)
        dialogue.refresh_from_db()
        lifecycle.register_gate_check("close_participation", needs_something)
        try:
            assert "Något från en annan app saknas." in lifecycle.transition_blockers(
                dialogue, "close_participation"
            )
        finally:
            lifecycle._extra_checks["close_participation"].remove(needs_something)


def test_plan_frozen_after_decision_to_conduct(dialogue, people, today):
    Dialogue.objects.filter(pk=dialogue.pk).update(
        status=DialogueStatus.DECIDED_TO_CONDUCT,
        influence_level="konsultation",
        feedback_due=today + datetime.timedelta(days=60),
    )
    dialogue.refresh_from_db()
    with pytest.raises(DomainError, match="kan inte ändras"):
        actions.update_plan(
            actor=people["official"],
            dialogue=dialogue,
            changes={"influence_level": "medbeslutande"},
        )
    with pytest.raises(DomainError, match="kan inte ändras"):
        actions.update_plan(
            actor=people["official"],
            dialogue=dialogue,
            changes={"feedback_due": today + datetime.timedelta(days=200)},
        )
    assert Dialogue.objects.get(pk=dialogue.pk).influence_level == "konsultation"


def test_feedback_date_defaults_from_the_profile(dialogue, people, today):
    ends = today + datetime.timedelta(days=30)
    actions.update_plan(actor=people["official"], dialogue=dialogue, changes={"ends_on": ends})
    dialogue.refresh_from_db()
    days = dialogue.municipality.profile.feedback_days_after_close
    assert dialogue.feedback_due == ends + datetime.timedelta(days=days)
