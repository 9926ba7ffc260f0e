"""Known data for feedback and follow-up tests: dialogues in a given state, contributions."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from delaktig.governance import lifecycle
from delaktig.governance.models import Decision, Dialogue, DialogueTeamMember, TeamRole
from delaktig.organisation.models import Body, Gate, Office
from delaktig.participation.actions import record_contribution
from delaktig.participation.models import Activity

_counter = itertools.count(1)


def make_dialogue(municipality: Any, status: str = "feedback", **fields: Any) -> Dialogue:
    n = next(_counter)
    title = fields.pop("title", f"Dialog {n}")
    owner = fields.pop(
        "owner_body", Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden")
    )
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "influence_level": "konsultation",
        "question": "Vad tycker du?",
        "input_use": "Synpunkterna blir underlag för beslutet.",
        "starts_on": today - datetime.timedelta(days=60),
        "ends_on": today - datetime.timedelta(days=30),
        "feedback_due": today + datetime.timedelta(days=30),
        "office": Office.objects.get(
            municipality=municipality, name="Samhällsbyggnadsförvaltningen"
        ),
    }
    defaults.update(fields)
    return Dialogue.objects.create(
        municipality=municipality,
        title=title,
        slug=f"{slugify(title)}-{n}",
        status=status,
        owner_body=owner,
        **defaults,
    )


def activity(dialogue: Dialogue, method: str = "survey", **fields: Any) -> Activity:
    n = next(_counter)
    return Activity.objects.create(
        dialogue=dialogue, method=method, title=f"Aktivitet {n}", slug=f"aktivitet-{n}", **fields
    )


def contribute(act: Activity, key: str = "", author: Any = None, **kwargs: Any) -> Any:
    return record_contribution(
        activity=act,
        kind="comment",
        text="En synpunkt",
        participant_key=key,
        author=author,
        **kwargs,
    )


def record_final_decision(dialogue: Dialogue, decided_on: datetime.date | None = None) -> Decision:
    """What governance needs before `record_final_decision`: the body's decision and its effect."""
    body = lifecycle.deciding_body(dialogue, Gate.FINAL) or dialogue.owner_body
    # Reports' fixtures in past years; the UI path is walked in tests/governance/test_loop.py.
    dialogue.final_decision_summary = "Nämnden beslutade om tre av förslagen."
    dialogue.influence_on_decision = "Två av tre förslag togs med i beslutet."
    dialogue.save(update_fields=["final_decision_summary", "influence_on_decision"])
    return Decision.objects.create(
        dialogue=dialogue,
        gate=Gate.FINAL,
        body=body,
        decided_on=decided_on or timezone.localdate(),
        paragraph="12",
        case_number="SBN 2026/100",
        outcome=Decision.Outcome.APPROVED,
        rationale="Beslut efter dialogen.",
    )


def lead(dialogue: Dialogue, leader: Any = None, owner: Any = None) -> None:
    if leader:
        DialogueTeamMember.objects.create(
            dialogue=dialogue, user=leader, role=TeamRole.PROCESS_LEADER
        )
    if owner:
        DialogueTeamMember.objects.create(
            dialogue=dialogue, user=owner, role=TeamRole.PROCESS_OWNER
        )
