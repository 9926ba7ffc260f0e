"""State × feature: what each lifecycle state allows is what the apps let people do.

`governance.states.STATE_FEATURES` is the one declaration. Each feature has a probe here
that asks the code which enforces it (an action, a queryset, a rule), and the matrix
checks the probe's answer against the declaration in every state. A feature without a
probe, or a module that keeps its own set of states, fails the suite.
"""

from __future__ import annotations

import ast
import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from delaktig.accounts import retention
from delaktig.accounts.forms import SchoolSessionForm
from delaktig.core.exceptions import DomainError
from delaktig.feedback import actions as feedback_actions
from delaktig.feedback.models import HandlingOutcome
from delaktig.followup import actions as followup_actions
from delaktig.followup.indicators import dialogues_in_year
from delaktig.governance import actions
from delaktig.governance.models import Dialogue, DialogueStatus
from delaktig.governance.states import (
    PUBLIC_PATH,
    PUBLIC_PHASE,
    STATE_FEATURES,
    Feature,
    allows,
    public_phase,
    states_with,
)
from delaktig.participation import actions as participation_actions
from delaktig.participation.models import Activity, Contribution, Method
from delaktig.participation.votes.models import Vote
from delaktig.results import actions as results_actions
from delaktig.results.models import Compilation, CompilationStatus

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "delaktig"


def _done(call: Callable[[], Any]) -> bool:
    try:
        call()
    except DomainError:
        return False
    return True


def _in(qs: Any, d: Dialogue) -> bool:
    return qs.filter(pk=d.pk).exists()


Probe = Callable[[Dialogue, dict[str, Any]], bool | None]


def _plan_decided(d: Dialogue, people: dict[str, Any]) -> bool | None:
    # Only where the plan may be edited at all: then the approved question is frozen.
    if not allows(d, Feature.PLAN_EDITABLE):
        return None
    return not _done(
        lambda: actions.update_plan(
            actor=people["strategist"], dialogue=d, changes={"question": "En annan fråga?"}
        )
    )


def _compilation_writable(d: Dialogue, people: dict[str, Any]) -> bool:
    compilation = Compilation.objects.create(dialogue=d, status=CompilationStatus.PUBLISHED)
    return _done(
        lambda: results_actions.unpublish_compilation(
            compilation=compilation, actor=people["strategist"]
        )
    )


def _activity(d: Dialogue) -> Activity:
    return Activity.objects.create(dialogue=d, slug="prov", title="Prov", method=Method.SURVEY)


def _evaluated(d: Dialogue) -> bool:
    # Only a participant evaluates: the key took part (an answer) before it closed.
    Contribution.objects.create(
        dialogue=d, activity=_activity(d), kind="answer", participant_key="k", text="Ja"
    )
    return _done(
        lambda: followup_actions.submit_participant_evaluation(
            dialogue=d,
            participant_key="k",
            question_clear=4,
            understood_influence=4,
            got_feedback=4,
        )
    )


def _outcome_public(d: Dialogue, people: dict[str, Any]) -> bool | None:
    if not allows(d, Feature.PUBLIC):
        return None
    Dialogue.objects.filter(pk=d.pk).update(final_decision_summary="Parken byggs i etapper.")
    page = Client().get(f"/dialoger/{d.slug}/")
    assert page.status_code == 200
    return "Parken byggs i etapper." in page.content.decode()


PROBES: dict[Feature, Probe] = {
    Feature.OUTCOME_PUBLIC: _outcome_public,
    Feature.PUBLIC: lambda d, p: _in(Dialogue.objects.public(), d),
    Feature.PLAN_EDITABLE: lambda d, p: _done(
        lambda: actions.update_plan(
            actor=p["strategist"], dialogue=d, changes={"goal": "Ett tydligare mål"}
        )
    ),
    Feature.PLAN_DECIDED: _plan_decided,
    Feature.ACTIVITIES_ADDABLE: lambda d, p: _done(
        lambda: participation_actions.create_activity(
            actor=p["strategist"], dialogue=d, title="Enkät", method=Method.SURVEY
        )
    ),
    Feature.REGISTRATION_OPEN: lambda d, p: _in(Dialogue.objects.participating(), d),
    Feature.PARTICIPATION_OPEN: lambda d, p: (
        _activity(d).is_open
        and _in(Dialogue.objects.filter(activities__in=Activity.objects.open_now()), d)
    ),
    Feature.SCHOOL_CODES: lambda d, p: _in(
        SchoolSessionForm(municipality=d.municipality).fields["dialogue"].queryset, d
    ),
    Feature.COMPILATION_WRITABLE: _compilation_writable,
    Feature.OUTCOME_WRITABLE: lambda d, p: _done(
        lambda: actions.record_outcome(
            actor=p["strategist"],
            dialogue=d,
            final_decision_summary="Parken byggs.",
            influence_on_decision="Lekplatsen kom från dialogen.",
        )
    ),
    Feature.FEEDBACK_WRITABLE: lambda d, p: _done(
        lambda: feedback_actions.save_feedback(
            actor=p["strategist"],
            dialogue=d,
            results_summary="Många ville ha en lekplats.",
            participation_effect="Lekplatsen finns med i förslaget.",
        )
    ),
    Feature.HANDLING_WRITABLE: lambda d, p: _done(
        lambda: feedback_actions.record_handling(
            actor=p["strategist"],
            dialogue=d,
            title="Lekplats",
            outcome=HandlingOutcome.values[0],
            reason="Den ryms i budgeten.",
        )
    ),
    Feature.FEEDBACK_OWED: lambda d, p: (
        d.is_feedback_overdue and _in(Dialogue.objects.feedback_overdue(), d)
    ),
    Feature.PARTICIPANT_EVALUATION_OPEN: lambda d, p: _evaluated(d),
    Feature.ORGANISER_EVALUATION_OPEN: lambda d, p: _done(
        lambda: followup_actions.save_organiser_evaluation(
            actor=p["strategist"],
            dialogue=d,
            what_worked="Mötena.",
            what_to_improve="Fler unga.",
            reach="Bra.",
            target_groups_reached=0,
            effects_on_decision="Lekplatsen.",
        )
    ),
    Feature.HELD: lambda d, p: _in(dialogues_in_year(d.municipality, timezone.localdate().year), d),
    Feature.RESULTS_FINAL: lambda d, p: Vote(activity=_activity(d), question="?").is_closed,
    Feature.RETENTION_RUNS: lambda d, p: (
        d.pk
        in {x.pk for x in retention.dialogues_due(timezone.now() + datetime.timedelta(days=3650))}
    ),
}


def test_every_feature_has_a_probe_and_every_state_a_declaration():
    assert set(PROBES) == set(Feature)
    assert set(STATE_FEATURES) == set(DialogueStatus.values) == set(PUBLIC_PHASE)


@pytest.mark.parametrize("feature", list(Feature))
@pytest.mark.parametrize("status", DialogueStatus.values)
def test_state_feature_matrix(dialogue, people, status, feature):
    today = timezone.localdate()
    Dialogue.objects.filter(pk=dialogue.pk).update(
        status=status,
        feedback_due=today - datetime.timedelta(days=1),
        starts_on=today,
        ends_on=today,
    )
    dialogue.refresh_from_db()
    answer = PROBES[feature](dialogue, people)
    if answer is not None:
        assert answer == allows(status, feature), (status, feature)


def test_residents_see_phases_not_workflow_states():
    assert public_phase(DialogueStatus.IDEA) == public_phase(DialogueStatus.ASSESSMENT)
    assert {public_phase(s) for s in states_with(Feature.PUBLIC)} >= {"planeras", "pagar"}
    # The public path is each public state's phase, in lifecycle order, once.
    on_path = [public_phase(s) for s in states_with(Feature.PUBLIC)]
    assert [p for p in dict.fromkeys(on_path) if p in PUBLIC_PATH] == list(PUBLIC_PATH)


# Modules allowed to name several dialogue states together: the declaration, the machine
# that moves between them, the demo that builds each state, and the handbook, whose chapters
# say in which states they are read.
MAY_LIST_STATES = {"governance/states.py", "governance/lifecycle.py", "followup/handbook.py"}


def _lists_of_states(tree: ast.AST) -> list[int]:
    """Line numbers of tuples, lists and sets with two or more dialogue states in them."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            named = [
                e
                for e in node.elts
                if isinstance(e, ast.Attribute)
                and isinstance(e.value, ast.Name)
                and e.value.id in {"DialogueStatus", "S"}
            ]
            literal = [
                e
                for e in node.elts
                if isinstance(e, ast.Constant) and e.value in DialogueStatus.values
            ]
            if len(named) >= 2 or (len(literal) >= 2 and len(literal) == len(node.elts)):
                found.append(node.lineno)
    return found


STATE_TEST = re.compile(r"status\s*(?:==|!=|in)\s*\"([a-z_ ]+)\"")


def test_no_template_keeps_its_own_list_of_states():
    """A template may ask for one state (the step's own form); several: ask `|allows`."""
    offenders = []
    for path in SRC.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            named = [
                word
                for match in STATE_TEST.findall(line)
                for word in match.split()
                if word in DialogueStatus.values
            ]
            if len(named) >= 2:
                offenders.append(f"{path.relative_to(SRC).as_posix()}:{number}")
    assert offenders == [], "use {% load dialogue_states %} and |allows: " + ", ".join(offenders)


def test_no_app_keeps_its_own_list_of_states():
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative in MAY_LIST_STATES or "/migrations/" in relative or path.name == "demo.py":
            continue
        for line in _lists_of_states(ast.parse(path.read_text())):
            offenders.append(f"{relative}:{line}")
    assert offenders == [], "ask governance.states instead: " + ", ".join(offenders)
