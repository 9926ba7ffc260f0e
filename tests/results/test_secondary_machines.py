"""The compilation's, the themes' and the feedback's own states: step × state matrices.

Each step may start only from the states its declaration names, says why not in Swedish
otherwise, and leaves an event with its from and to in the audit log.
"""

from __future__ import annotations

from typing import Any

import pytest

from delaktig.core.exceptions import DomainError
from delaktig.core.machine import Machine
from delaktig.core.models import AuditEvent
from delaktig.feedback.actions import FEEDBACK
from delaktig.feedback.models import FeedbackStatus
from delaktig.results import actions
from delaktig.results.actions import COMPILATION, THEME
from delaktig.results.models import CompilationStatus, Theme, ThemeSource, ThemeStatus

pytestmark = pytest.mark.django_db

MACHINES: dict[str, tuple[Machine, Any]] = {
    "theme": (THEME, ThemeStatus),
    "compilation": (COMPILATION, CompilationStatus),
    "feedback": (FEEDBACK, FeedbackStatus),
}
CELLS = [
    (machine, step.name, status)
    for machine, (m, choices) in MACHINES.items()
    for step in m.steps
    for status in choices.values
]


@pytest.mark.parametrize(("machine", "step", "status"), CELLS)
def test_a_step_starts_only_where_it_is_declared(machine, step, status):
    m, _choices = MACHINES[machine]

    class Record:
        def __init__(self) -> None:
            self.status = status

    declared = m.step(step)
    assert declared.target in _choices.values and set(declared.source) <= set(_choices.values)
    if status not in declared.source:
        # Refused before any guard runs, with a sentence in Swedish.
        blockers = m.blockers(Record(), step)  # type: ignore[arg-type]
        assert len(blockers) == 1 and blockers[0][0].isupper() and blockers[0].endswith(".")
        with pytest.raises(DomainError):
            m.move(Record(), step, actor=None)  # type: ignore[arg-type]


def test_theme_steps_are_events_with_from_and_to(dialogue, people):
    compilation = actions.get_or_create_compilation(dialogue=dialogue)
    theme = Theme.objects.create(
        compilation=compilation,
        name="Ljus på kvällen",
        source=ThemeSource.AUTOMATIC,
        automatic_name="Ljus, kväll, lampa",
    )
    actions.reject_theme(theme=theme, actor=people["official"])
    actions.accept_theme(theme=theme, actor=people["official"])
    with pytest.raises(DomainError, match="kan inte godkännas"):
        actions.accept_theme(theme=theme, actor=people["official"])
    events = AuditEvent.objects.filter(object_id=str(theme.pk)).order_by("id")
    assert [(e.action, e.data["from"], e.data["to"]) for e in events] == [
        ("results.theme_rejected", "proposed", "rejected"),
        ("results.theme_accepted", "rejected", "accepted"),
    ]
    assert all(e.actor == people["official"] for e in events)


def test_a_merged_theme_cannot_be_merged_or_accepted_again(dialogue, people):
    compilation = actions.get_or_create_compilation(dialogue=dialogue)
    a, b = (
        actions.create_theme(compilation=compilation, actor=people["official"], name=n)
        for n in ("Ljus", "Belysning")
    )
    actions.merge_themes(target=a, others=[b], actor=people["official"])
    b.refresh_from_db()
    assert b.status == ThemeStatus.MERGED and b.merged_into == a
    with pytest.raises(DomainError):
        actions.merge_themes(target=b, others=[a], actor=people["official"])
    with pytest.raises(DomainError):
        actions.accept_theme(theme=b, actor=people["official"])
