"""Role × permission matrix for votes: a vote decides, so only a verified account counts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "elected", "official", "other_official", "strategist", "admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verified", [True, False])
def test_cast_matrix(make_vote, people, verify, role, verified):
    vote = make_vote()
    user = people[role]
    if user is not None and verified:
        verify(user)
    allowed = user is not None and verified
    assert (user or AnonymousUser()).has_perm("votes.cast", vote.activity) is allowed
    # The page asks the same permission: the ballot's form is there exactly when it says yes.
    client = Client()
    if user is not None:
        client.force_login(user)
    page = client.get(f"/delta/omrostning/{vote.activity.pk}/").content.decode()
    assert ('name="alternativ"' in page) is allowed
