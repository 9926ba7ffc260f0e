"""The profiles put the right bodies at each gate; the walk through the UI is in test_loop.py."""

from __future__ import annotations

import pytest

from delaktig.governance import lifecycle
from delaktig.governance.models import Dialogue
from delaktig.organisation.models import Body, ChecklistPhase, Gate, PolicyProfile

pytestmark = pytest.mark.django_db

PROFILES = ["styrgrupp", "trelleborg", "vanersborg", "sollentuna", "ljungby"]


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
