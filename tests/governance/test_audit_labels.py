"""Every action the code writes to the audit log has a name for the people who read it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from delaktig.governance.audit_labels import ACTION_LABELS, action_label
from delaktig.governance.lifecycle import TRANSITIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "delaktig"


def recorded_actions() -> set[str]:
    """Every code an `action=` argument can take (also `"a" if x else "b"`), and the
    steps of the secondary state machines."""
    from delaktig.feedback.actions import FEEDBACK
    from delaktig.results.actions import COMPILATION, THEME

    found = {step.action for machine in (THEME, COMPILATION, FEEDBACK) for step in machine.steps}
    for path in SRC.rglob("*.py"):
        for line in re.findall(r"action=(.*)", path.read_text()):
            found |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', line))
            if line.startswith('f"opinions.statement_'):
                found |= {"opinions.statement_approved", "opinions.statement_hidden"}
    return found


def test_every_recorded_action_has_a_name() -> None:
    actions = recorded_actions()
    assert len(actions) > 50
    assert sorted(actions - set(ACTION_LABELS)) == []
    assert sorted(set(ACTION_LABELS) - actions) == [], "a name for an action nothing records"


def test_every_step_of_the_lifecycle_has_a_name() -> None:
    for name, transition in TRANSITIONS.items():
        assert action_label(f"dialogue.{name}") == f"Dialogen: {transition.label}"
    assert action_label("okand.kod") == "okand.kod"  # from an older version: shown as it is


@pytest.mark.django_db
def test_the_audit_log_shows_names(people, dialogue) -> None:
    from delaktig.core.actions import record_audit

    record_audit(actor=people["official"], action="plan.updated", obj=dialogue, summary="x")
    client = Client()
    client.force_login(people["admin"])
    page = client.get("/handlaggning/logg/").content.decode()
    assert "Planen ändrad <code>plan.updated</code>" in page
