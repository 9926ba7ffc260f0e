"""Role × action matrix for the ideas rules."""

from __future__ import annotations

import pytest

from delaktig.participation.models import Activity

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "elected", "official", "other_official", "strategist", "admin"]

# action -> roles allowed
MATRIX = {
    "ideas.participate": {
        "anonymous",
        "resident",
        "elected",
        "official",
        "other_official",
        "strategist",
        "admin",
    },
    "participate_email": {
        "resident",
        "elected",
        "official",
        "other_official",
        "strategist",
        "admin",
    },
    "ideas.manage_activity": {"official", "strategist", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_rules_matrix(dialogue, people, verify, role, action):
    from django.contrib.auth.models import AnonymousUser

    for name in ROLES[1:]:
        verify(people[name])
    user = people[role] or AnonymousUser()
    level = "email" if action == "participate_email" else "anonymous"
    activity = Activity.objects.create(
        dialogue=dialogue, method="idea_workshop", title="x", slug="x", identity_level=level
    )
    perm = "ideas.participate" if action == "participate_email" else action
    assert user.has_perm(perm, activity) is (role in MATRIX[action])


@pytest.mark.parametrize("role", ROLES)
def test_nobody_participates_in_a_closed_activity(dialogue, people, role):
    from django.contrib.auth.models import AnonymousUser

    dialogue.status = "compiling"
    dialogue.save()
    activity = Activity.objects.create(dialogue=dialogue, method="e_proposal", title="x", slug="x")
    assert not (people[role] or AnonymousUser()).has_perm("ideas.participate", activity)
