"""A proposed dialogue run by an office, with a process leader from another office."""

from __future__ import annotations

import pytest

from delaktig.governance import actions
from delaktig.governance.models import TeamRole
from delaktig.organisation.models import Office


@pytest.fixture
def dialogue(municipality, people):
    initiative = actions.submit_initiative(
        municipality=municipality,
        title="Ny park",
        description="En park i centrum.",
        proposer_kind="resident",
    )
    d = initiative.dialogue
    d.office = Office.objects.get(municipality=municipality, name="Samhällsbyggnadsförvaltningen")
    d.save()
    actions.set_team_member(
        actor=people["strategist"],
        dialogue=d,
        user=people["process_leader"],
        role=TeamRole.PROCESS_LEADER,
    )
    return d
