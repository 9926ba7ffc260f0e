"""G5: the right body, at the right stage, with dates in order; corrections keep the original.

The rules are a matrix: profile × gate × which body × the dialogue's stage. The back-office
forms that use them are driven over HTTP below.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from delaktig.core.exceptions import DomainError
from delaktig.governance import actions, lifecycle
from delaktig.governance.models import Decision, Dialogue, DialogueStatus
from delaktig.organisation.models import Body, Gate
from tests.governance.walk import PROFILES, Walk, committee, post_ok, staff

pytestmark = pytest.mark.django_db

S = DialogueStatus
# A stage where each gate belongs, and one where it does not.
RIGHT_STAGE = {Gate.INVESTIGATE: S.ASSESSMENT, Gate.CONDUCT: S.PLANNING, Gate.FINAL: S.FEEDBACK}
WRONG_STAGE = {Gate.INVESTIGATE: S.PLANNING, Gate.CONDUCT: S.OPEN, Gate.FINAL: S.PLANNING}
CASES = [
    (profile, gate, who, stage)
    for profile in PROFILES
    for gate in Gate.values
    for who in ("deciding", "anchoring", "other")
    for stage in ("right", "wrong")
]


def _dialogue(municipality, status: str) -> Dialogue:
    initiative = actions.submit_initiative(
        municipality=municipality, title="Ny park", description="En park.", proposer_kind="resident"
    )
    Dialogue.objects.filter(pk=initiative.dialogue.pk).update(
        status=status, owner_body=committee(municipality)
    )
    return Dialogue.objects.select_related("municipality__profile").get(pk=initiative.dialogue.pk)


def _record(actor, dialogue, body, gate, outcome, **extra):
    anchoring = outcome == Decision.Outcome.ANCHORED
    return actions.record_decision(
        actor=actor,
        dialogue=dialogue,
        gate=gate,
        body=body,
        decided_on=extra.pop("decided_on", datetime.date.today()),
        paragraph=extra.pop("paragraph", "" if anchoring else "7"),
        case_number=extra.pop("case_number", "" if anchoring else "KS 2026/7"),
        outcome=outcome,
        rationale="Enligt förslaget.",
        **extra,
    )


@pytest.mark.parametrize(("profile", "gate", "who", "stage"), CASES)
def test_decision_rules_matrix(make_municipality, profile, gate, who, stage):
    municipality = make_municipality(profile)
    actor = staff(municipality, "strateg")
    status = RIGHT_STAGE[gate] if stage == "right" else WRONG_STAGE[gate]
    dialogue = _dialogue(municipality, status)
    rule = lifecycle.gate_rule(dialogue, gate)
    expected = lifecycle.expected_bodies(dialogue, gate)
    if who == "deciding":
        body = lifecycle.deciding_body(dialogue, gate) or committee(municipality)
        outcome = Decision.Outcome.APPROVED
    elif who == "anchoring":
        body = lifecycle.anchoring_body(dialogue, gate)
        if body is None:
            pytest.skip("the profile names no anchoring body at this gate")
        outcome = Decision.Outcome.ANCHORED
    else:
        body = (
            Body.objects.filter(municipality=municipality)
            .exclude(pk__in=list(expected))
            .order_by("pk")
            .first()
        )
        outcome = Decision.Outcome.APPROVED
    named = rule is None or body.pk in expected
    may = stage == "right" and named
    if may:
        decision = _record(actor, dialogue, body, gate, outcome)
        assert decision.deviation_reason == ""
        return
    with pytest.raises(DomainError) as info:
        _record(actor, dialogue, body, gate, outcome)
    problems = " ".join(str(m) for m in info.value.missing)
    if stage == "wrong":
        assert "registreras när dialogen har status" in problems
    if not named:
        assert "Enligt policyn fattas" in problems
        if stage == "right":
            # An explicit, visible deviation with its reason is accepted.
            decision = _record(
                actor,
                dialogue,
                body,
                gate,
                outcome,
                deviation_reason="Nämnden var jävig; kommunstyrelsen tog beslutet.",
            )
            assert decision.deviation_reason


@pytest.mark.parametrize("profile", PROFILES)
def test_an_anchoring_is_not_a_numbered_decision(make_municipality, profile):
    municipality = make_municipality(profile)
    actor = staff(municipality, "strateg")
    dialogue = _dialogue(municipality, S.PLANNING)
    deciding = lifecycle.deciding_body(dialogue, Gate.CONDUCT)
    with pytest.raises(DomainError) as info:
        _record(actor, dialogue, deciding, Gate.CONDUCT, "approved", paragraph="", case_number="")
    assert "Ange paragraf och diarienummer" in str(info.value.missing)
    anchor = lifecycle.anchoring_body(dialogue, Gate.CONDUCT)
    if anchor is not None:
        anchoring = _record(actor, dialogue, anchor, Gate.CONDUCT, "anchored")
        assert anchoring.paragraph == "" and "§" not in str(anchoring)


def test_dates_follow_the_gates_and_none_is_in_the_future(make_municipality):
    municipality = make_municipality("sollentuna")
    actor = staff(municipality, "strateg")
    dialogue = _dialogue(municipality, S.PLANNING)
    today = datetime.date.today()
    Decision.objects.create(
        dialogue=dialogue,
        gate=Gate.INVESTIGATE,
        body=committee(municipality),
        decided_on=today - datetime.timedelta(days=10),
        paragraph="1",
        case_number="SBN 1",
        outcome="approved",
        rationale="r",
    )
    body = lifecycle.deciding_body(dialogue, Gate.CONDUCT)
    for day, message in [
        (today + datetime.timedelta(days=1), "datum i framtiden"),
        (today - datetime.timedelta(days=11), "Datumet ligger före beslut om att utreda dialog"),
    ]:
        with pytest.raises(DomainError) as info:
            _record(actor, dialogue, body, Gate.CONDUCT, "approved", decided_on=day)
        assert message in " ".join(str(m) for m in info.value.missing)
    _record(actor, dialogue, body, Gate.CONDUCT, "approved", decided_on=today)


def test_a_correction_keeps_the_original_visible(make_municipality):
    municipality = make_municipality("trelleborg")
    walk = Walk.begin(municipality, "Ny lekplats")
    walk.step("start_assessment", "assessment")
    walk.assess(yes=True)
    walk.plan()
    walk.step("approve_for_planning", "approved")
    walk.decide(Gate.CONDUCT)
    wrong = walk.dialogue.decisions.get()
    data = {
        f"r{wrong.pk}-body": wrong.body_id,
        f"r{wrong.pk}-decided_on": wrong.decided_on.isoformat(),
        f"r{wrong.pk}-paragraph": "99",
        f"r{wrong.pk}-case_number": wrong.case_number,
        f"r{wrong.pk}-outcome": "approved",
        f"r{wrong.pk}-rationale": wrong.rationale,
        f"r{wrong.pk}-correction_reason": "",
    }
    url = walk.url(f"beslut/{wrong.pk}/rattelse/")
    refused = post_ok(walk.client, url, data, expect=400).content.decode()
    assert "Varför rättas beslutet?" in refused
    assert 'value="99"' in refused, "what was typed is kept"
    data[f"r{wrong.pk}-correction_reason"] = "Fel paragraf i protokollsutdraget."
    post_ok(walk.client, url, data)
    wrong.refresh_from_db()
    assert wrong.is_corrected and wrong.paragraph != "99"
    assert [d.pk for d in lifecycle.decisions_in_force(walk.dialogue)] == [wrong.correction.pk]
    page = Client().get(f"/dialoger/{walk.dialogue.slug}/").content.decode()
    assert "<del>" in page and "Fel paragraf i protokollsutdraget." in page
    # Sent twice, the correction is recorded once.
    post_ok(walk.client, url, data)
    assert walk.dialogue.decisions.count() == 2


def test_a_deviation_from_the_profile_is_public(make_municipality):
    municipality = make_municipality("sollentuna")
    walk = Walk.begin(municipality, "Ny bro")
    walk.step("start_assessment", "assessment")
    walk.assess(yes=True)
    walk.plan()
    ks = Body.objects.get(municipality=municipality, name="Kommunstyrelsen")
    data = {
        "gate": Gate.INVESTIGATE,
        "body": ks.pk,
        "decided_on": walk.today.isoformat(),
        "paragraph": "3",
        "case_number": "KS 2026/3",
        "outcome": "approved",
        "rationale": "Utred.",
    }
    refused = post_ok(walk.client, walk.url("beslut/"), data, expect=400).content.decode()
    assert "Enligt policyn fattas beslut om att utreda dialog av Samhällsbyggnadsnämnden" in refused
    assert not walk.dialogue.decisions.exists()
    post_ok(walk.client, walk.url("beslut/"), {**data, "deviation_reason": "Nämnden var jävig."})
    manage = walk.client.get(walk.url()).content.decode()
    assert "Avvikelse från policyn" in manage and "Nämnden var jävig." in manage
    # The recorded deviation stands in for the committee's decision.
    walk.step("approve_for_planning", "approved")
    page = Client().get(f"/dialoger/{walk.dialogue.slug}/").content.decode()
    assert "Avvikelse från policyn" in page and "Nämnden var jävig." in page


def test_what_is_decided_stays_decided_until_a_new_decision(make_municipality):
    municipality = make_municipality("vanersborg")
    walk = Walk.begin(municipality, "Nytt torg")
    walk.to_decided_to_conduct()
    for field, value in [("influence_level", "dialog"), ("kind", "user"), ("scope", "larger")]:
        response = walk.client.post(
            walk.url("plan/"),
            {
                "title": "Nytt torg",
                "kind": "citizen",
                "scope": "area",
                "owner_body": walk.owner.pk,
                "goal": "Fler bänkar där de behövs",
                "purpose": "Underlag till nämnden",
                "question": "Var behövs bänkar?",
                "influence_level": "konsultation",
                "input_use": "Sammanställs till nämnden före beslut.",
                "starts_on": walk.dialogue.starts_on.isoformat(),
                "ends_on": walk.dialogue.ends_on.isoformat(),
                "feedback_due": walk.dialogue.feedback_due.isoformat(),
                field: value,
            },
        )
        assert response.status_code == 400, field
        assert "kan inte ändras nu" in response.content.decode()
    assert walk.dialogue.influence_level == "konsultation"
    assert "Skriv varför" in walk.refused_step("replan")
    walk.step("replan", "planning", note="Nämnden vill ge mer inflytande.")
    walk.plan(influence_level="dialog")
    assert walk.dialogue.influence_level == "dialog"
    blocked = walk.refused_step("decide_to_conduct")
    assert "har inte fattat beslut om att genomföra dialog" in blocked
    walk.decide(Gate.CONDUCT, paragraph="44")
    walk.step("decide_to_conduct", "decided_to_conduct")
    # The register keeps it the whole time.
    assert "Nytt torg" in Client().get("/dialoger/").content.decode()


def test_a_public_dialogue_cannot_silently_leave_the_register(make_municipality):
    municipality = make_municipality("ljungby")
    walk = Walk.begin(municipality, "Ny gångväg")
    walk.to_planning()
    response = walk.client.post(
        walk.url("plan/"),
        {"title": "Ny gångväg", "kind": "user", "scope": "area", "owner_body": walk.owner.pk},
    )
    assert response.status_code == 400
    assert "Avbryt dialogen med en motivering" in response.content.decode()
    assert "Ny gångväg" in Client().get("/dialoger/").content.decode()


def test_every_field_a_guard_requires_is_settable_from_a_form():
    """A guard that asks for what no form can set would leave dialogues stuck (G12)."""
    from django import forms as django_forms

    from delaktig.governance import forms, urls

    routed = {p.name for p in urls.urlpatterns}
    assert {"plan", "outcome"} <= routed, "the forms that set them are served"
    settable = set()
    for form in vars(forms).values():
        if isinstance(form, type) and issubclass(form, django_forms.BaseForm):
            meta = getattr(form, "Meta", None)
            if (
                meta is None
                or getattr(meta, "model", None) is Dialogue
                or not hasattr(meta, "model")
            ):
                settable |= set(form.base_fields)
    missing = [f for f in lifecycle.GUARDED_FIELDS if f not in settable]
    assert missing == []


def test_the_outcome_form_says_what_is_missing_and_keeps_what_was_typed(make_municipality):
    municipality = make_municipality("sollentuna")
    walk = Walk.begin(municipality, "Ny simbassäng")
    refused = post_ok(
        walk.client,
        walk.url("utfall/"),
        {"final_decision_summary": "Nämnden sa ja.", "influence_on_decision": "  "},
        expect=400,
    ).content.decode()
    assert "Beskriv hur dialogen påverkade beslutet." in refused
    assert "Nämnden sa ja." in refused, "what was typed is kept"
    # Before participation has closed there is no decision on the matter to describe.
    refused = post_ok(
        walk.client,
        walk.url("utfall/"),
        {"final_decision_summary": "Nämnden sa ja.", "influence_on_decision": "Mycket."},
        expect=400,
    ).content.decode()
    assert "beskrivs när dialogen har stängt" in refused
    assert walk.dialogue.final_decision_summary == ""
