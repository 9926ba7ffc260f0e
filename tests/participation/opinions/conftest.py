"""Fixtures for the opinions tests: an open dialogue with a statement activity."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from delaktig.governance.models import Dialogue
from delaktig.organisation.models import Office
from delaktig.participation.models import Activity


@pytest.fixture
def dialogue(municipality: Any, people: Any) -> Dialogue:
    return Dialogue.objects.create(
        municipality=municipality,
        title="Framtidens Centrumpark",
        slug="framtidens-centrumpark",
        status="open",
        influence_level="konsultation",
        input_use="Åsiktskartan lämnas till samhällsbyggnadsnämnden inför beslut.",
        office=Office.objects.get(municipality=municipality, name="Samhällsbyggnadsförvaltningen"),
    )


@pytest.fixture
def activity(dialogue: Dialogue) -> Activity:
    return Activity.objects.create(
        dialogue=dialogue, method="opinions", title="Tyck till om parken", slug="tyck-till"
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
        user.save()
        return user

    return make
