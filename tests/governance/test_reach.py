"""G10: several forms, times and places, and an activity that reaches every prioritised group.

Under the profiles whose policy says the dialogue *shall* offer them (styrgrupp, Trelleborg,
Vänersborg) announcing is refused; under the others it is a warning an official passes
only with a reason. Driven through the back office by HTTP.
"""

from __future__ import annotations

import pytest

from delaktig.organisation.models import PolicyProfile
from tests.governance.walk import PROFILES, Walk, post_ok

pytestmark = pytest.mark.django_db

CHILDREN = {
    "name": "Barn och unga",
    "priority": 1,
    "outreach": "Skolorna",
    "children_and_young": "on",
}


def _walk_to_conduct(make_municipality, profile: str) -> Walk:
    walk = Walk.begin(make_municipality(profile), "Ny lekpark")
    walk.to_decided_to_conduct()
    post_ok(walk.client, walk.url("malgrupp/"), CHILDREN)
    return walk


@pytest.mark.parametrize("profile", PROFILES)
def test_announcing_needs_reach_for_every_prioritised_group(make_municipality, profile):
    walk = _walk_to_conduct(make_municipality, profile)
    post_ok(
        walk.client,
        f"/delta/dialog/{walk.pk}/ny-aktivitet/",
        {
            "method": "idea_workshop",
            "title": "Idéverkstad",
            "description": "Kom med idéer.",
            "place": "Biblioteket",
            "identity_level": "anonymous",
            "residency_rule": "anyone",
        },
    )
    refuses = PolicyProfile.objects.get(slug=profile).reach_rule == "refuse"
    page = walk.refused_step("announce")
    assert "Ingen aktivitet når den prioriterade målgruppen Barn och unga" in page
    assert "Äldre" in page, "the walk's own priority group is not reached either"
    assert "Dialogen erbjuder bara ett sätt" in page
    if refuses:
        assert "kryssa i att du avviker" not in page
        assert "kryssa i att du avviker" not in walk.refused_step(
            "announce", override="1", note="Vi hinner inte."
        ), "under this profile it cannot be overridden"
    else:
        walk.step("announce", "announced", override="1", note="Skolorna kommer i nästa omgång.")
        assert "Skolorna kommer i nästa omgång." in walk.dialogue.events.last().note


def test_a_child_adapted_activity_and_a_second_form_let_it_be_announced(make_municipality):
    walk = _walk_to_conduct(make_municipality, "styrgrupp")
    groups = {g.name: g.pk for g in walk.dialogue.target_groups.all()}
    post_ok(
        walk.client,
        f"/delta/dialog/{walk.pk}/ny-aktivitet/",
        {
            "method": "idea_workshop",
            "title": "Idéverkstad i skolan",
            "description": "För klass 4–6.",
            "place": "Ekbackens skola",
            "accessibility_info": "Hiss finns",
            "identity_level": "anonymous",
            "residency_rule": "anyone",
            "for_children": "on",
            "target_groups": [groups["Barn och unga"]],
        },
    )
    blocked = walk.refused_step("announce")
    assert "Barn och unga" not in blocked and "Äldre" in blocked
    post_ok(
        walk.client,
        f"/delta/dialog/{walk.pk}/ny-aktivitet/",
        {
            "method": "cafe",
            "title": "Dialogcafé på träffpunkten",
            "description": "Fika och samtal.",
            "place": "Träffpunkt Eken",
            "accessibility_info": "Rullstolsanpassat",
            "identity_level": "anonymous",
            "residency_rule": "anyone",
            "target_groups": [groups["Äldre"]],
        },
    )
    walk.step("announce", "announced")


def test_one_form_is_enough_when_the_plan_says_why(make_municipality):
    walk = _walk_to_conduct(make_municipality, "trelleborg")
    groups = [g.pk for g in walk.dialogue.target_groups.all()]
    post_ok(
        walk.client,
        f"/delta/dialog/{walk.pk}/ny-aktivitet/",
        {
            "method": "survey",
            "title": "Enkät till alla",
            "description": "Tio frågor.",
            "identity_level": "anonymous",
            "residency_rule": "anyone",
            "for_children": "on",
            "target_groups": groups,
        },
    )
    assert "Dialogen erbjuder bara ett sätt" in walk.refused_step("announce")
    walk.plan(single_form_reason="Enkäten delas ut på papper i skolorna och på träffpunkterna.")
    walk.step("announce", "announced")
    page = walk.client.get(f"/dialoger/{walk.dialogue.slug}/").content.decode()
    assert "Enkäten delas ut på papper i skolorna och på träffpunkterna." in page
