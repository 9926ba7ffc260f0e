"""Role × action matrix for the meetings rules."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from delaktig.participation.meetings.models import Meeting
from delaktig.participation.models import Activity

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "elected", "official", "other_official", "strategist", "admin"]
MANAGERS = {"official", "strategist", "admin"}
MATRIX = {
    "meetings.register": set(ROLES),
    "meetings.manage_activity": MANAGERS,
    "meetings.document_meeting": MANAGERS,
    "meetings.view_registrations": MANAGERS,
}


def meeting_activity(dialogue, **fields) -> Activity:
    activity = Activity.objects.create(
        dialogue=dialogue, method="cafe", title="x", slug="x", **fields
    )
    starts = timezone.now() + datetime.timedelta(days=3)
    Meeting.objects.create(
        activity=activity, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    return Activity.objects.select_related("meeting").get(pk=activity.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_rules_matrix(dialogue, people, role, action):
    activity = meeting_activity(dialogue)
    user = people[role] or AnonymousUser()
    assert user.has_perm(action, activity) is (role in MATRIX[action])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "status,allowed", [("announced", True), ("open", True), ("compiling", False)]
)
def test_register_by_dialogue_status_and_identity(dialogue, people, verify, role, status, allowed):
    for name in ROLES[1:]:
        verify(people[name])
    dialogue.status = status
    dialogue.save()
    activity = meeting_activity(dialogue, identity_level="email")
    user = people[role] or AnonymousUser()
    expected = allowed and role != "anonymous"
    assert user.has_perm("meetings.register", activity) is expected
