"""Fixtures for medborgarbudget: an open co-decision dialogue with a budget activity."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from delaktig.governance.models import Dialogue
from delaktig.organisation.models import Office
from delaktig.participation.budgets import actions
from delaktig.participation.budgets.models import Budget, Phase, ProjectStatus
from delaktig.participation.models import Activity


@pytest.fixture
def dialogue(municipality: Any, people: Any) -> Dialogue:
    return Dialogue.objects.create(
        municipality=municipality,
        title="Medborgarbudget 2027",
        slug="medborgarbudget-2027",
        status="open",
        influence_level="medbeslutande",
        input_use="De projekt som vinner omröstningen genomförs under 2027.",
        office=Office.objects.get(municipality=municipality, name="Samhällsbyggnadsförvaltningen"),
    )


@pytest.fixture
def verify() -> Any:
    def make(user: Any, level: str = "email") -> Any:
        if user is None:
            return None
        user.email_verified_at = timezone.now()
        if level == "eid":
            user.eid_verified_at = timezone.now()
        user.connected_to_municipality = True
        user.birth_year = timezone.localdate().year - 30
        user.save()
        return user

    return make


@pytest.fixture
def activity(dialogue: Dialogue) -> Activity:
    return Activity.objects.create(
        dialogue=dialogue,
        method="budget",
        title="Rösta på medborgarbudgeten",
        slug="rosta",
        identity_level="email",
        residency_rule="connected",
        min_age=16,
    )


def close(activity: Activity) -> None:
    activity.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    activity.save()


@pytest.fixture
def make_budget(activity: Activity, people: Any) -> Any:
    """A budget in the voting phase with reviewed projects (costs in kronor)."""

    def make(
        ballot_type: str = "approval",
        projects: list[tuple[str, int]] | None = None,
        total: int = 100_000,
        **fields: Any,
    ) -> Budget:
        budget = actions.create_budget(
            activity=activity,
            by=people["official"],
            total=Decimal(total),
            ballot_type=ballot_type,
            **fields,
        )
        for order, (title, cost) in enumerate(
            projects or [("Lekplats", 60_000), ("Bänkar", 30_000), ("Blommor", 20_000)]
        ):
            budget.projects.create(
                title=title,
                description=f"Beskrivning av {title}.",
                cost=Decimal(cost),
                status=ProjectStatus.FEASIBLE,
                review_reason="Genomförbart.",
                order=order,
            )
        budget.phase = Phase.VOTING
        budget.save()
        return budget

    return make
