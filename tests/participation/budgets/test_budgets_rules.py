"""Role × action matrix for the medborgarbudget rules, and the views that ask them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from delaktig.participation.budgets.models import Project

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "elected", "official", "other_official", "strategist", "admin"]
MANAGERS = {"official", "strategist", "admin"}
VERIFIED = set(ROLES) - {"anonymous"}
MATRIX = {
    "budgets.manage": MANAGERS,
    "budgets.review_project": MANAGERS,
    "budgets.enter_paper_ballot": MANAGERS,
    "budgets.count": MANAGERS,
    # A ballot decides: a verified account connected to the municipality, old enough.
    "budgets.participate": VERIFIED,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_rules_matrix(activity, people, verify, role, action):
    for name in ROLES[1:]:
        verify(people[name])
    user = people[role] or AnonymousUser()
    assert user.has_perm(action, activity) is (role in MATRIX[action])


@pytest.mark.parametrize("role", ROLES)
def test_official_pages_ask_their_permission(activity, people, role):
    """Every official page of a budget answers as its permission does."""
    from delaktig.participation.budgets import actions

    budget = actions.create_budget(activity=activity, by=people["official"], total=1000)
    project = Project.objects.create(budget=budget, title="Parkour", description="x")
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    pages = [
        f"/delta/medborgarbudget/{activity.pk}/hantera/",
        f"/delta/medborgarbudget/{activity.pk}/pappersrost/",
        f"/delta/medborgarbudget/projekt/{project.pk}/granska/",
        f"/delta/medborgarbudget/{activity.pk}/export.pb",
    ]
    for page in pages:
        status = client.get(page).status_code
        assert (status == 200) is (role in MANAGERS), (page, status)


@pytest.mark.parametrize("role", ROLES)
def test_official_actions_ask_their_permission(activity, people, role):
    """The actions refuse as the permissions do, whoever calls them."""
    from decimal import Decimal

    from delaktig.core.exceptions import DomainError, NotAllowed
    from delaktig.participation.budgets import actions

    budget = actions.create_budget(activity=activity, by=people["official"], total=1000)
    project = Project.objects.create(budget=budget, title="Parkour", description="x")
    user = people[role]
    writes = {
        "budgets.manage": lambda: actions.update_budget(budget=budget, by=user, total=2000),
        "budgets.review_project": lambda: actions.review_project(
            project=project, by=user, feasible=True, reason="Går att göra.", cost=Decimal(500)
        ),
        "budgets.enter_paper_ballot": lambda: actions.enter_paper_ballot(
            budget=budget, by=user, paper_number="1", choices=[]
        ),
        "budgets.count": lambda: actions.count_votes(budget=budget, by=user),
    }
    for perm, write in writes.items():
        if role in MATRIX[perm]:
            try:
                write()
            except NotAllowed:
                pytest.fail(f"{role} refused {perm}")
            except DomainError:
                pass  # the policy's own refusal (no ballots to count, voting not open)
        else:
            with pytest.raises(NotAllowed):
                write()
