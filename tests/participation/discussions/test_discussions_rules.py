"""Role × action matrix for the discussions rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from delaktig.participation.models import Activity

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "elected", "official", "other_official", "strategist", "admin"]
EVERYONE = set(ROLES)
MATRIX = {
    "discussions.participate": EVERYONE,
    "discussions.report_comment": EVERYONE,
    "discussions.manage_activity": {"official", "strategist", "admin"},
    "discussions.view_moderation_queue": {"official", "other_official", "strategist", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_rules_matrix(dialogue, people, role, action):
    activity = Activity.objects.create(dialogue=dialogue, method="discussion", title="x", slug="x")
    user = people[role] or AnonymousUser()
    assert user.has_perm(action, activity) is (role in MATRIX[action])


@pytest.mark.parametrize("role", ROLES)
def test_email_level_activity_matrix(dialogue, people, verify, role):
    for name in ROLES[1:]:
        verify(people[name])
    activity = Activity.objects.create(
        dialogue=dialogue, method="text_review", title="x", slug="x", identity_level="email"
    )
    user = people[role] or AnonymousUser()
    assert user.has_perm("discussions.participate", activity) is (role != "anonymous")
