"""Fixtures for the meetings tests: an open dialogue run by the official's office."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from delaktig.governance.models import Dialogue
from delaktig.organisation.models import Office


@pytest.fixture
def dialogue(municipality: Any, people: Any) -> Dialogue:
    return Dialogue.objects.create(
        municipality=municipality,
        title="Trygghet i Stationsområdet",
        slug="trygghet",
        status="open",
        influence_level="dialog",
        input_use="Det som kommer upp på mötena sammanställs och går till kommunstyrelsen.",
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
        user.save()
        return user

    return make
