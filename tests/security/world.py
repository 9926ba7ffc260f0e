"""A small, deterministic municipality world for the quality tests.

One public dialogue per lifecycle state (plus an idea and one under assessment), with
influence level, decisions and one activity per participation method, built through the
real models and the governance actions. `build_world()` is used when the lead's
`delaktig.governance.demo.build_demo()` is not available; `demo_or_world()` prefers the demo.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

PASSWORD = "lösenord-123"


@dataclass
class World:
    municipality: Any
    people: dict[str, Any]
    dialogues: dict[str, Any] = field(default_factory=dict)
    activities: list[Any] = field(default_factory=list)
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)
    from_demo: bool = False


PUBLIC_STATES = [
    "approved",
    "planning",
    "decided_to_conduct",
    "announced",
    "open",
    "compiling",
    "feedback",
    "decided",
    "evaluated",
    "archived",
    "rejected",
]


def build_world(municipality: Any, people: dict[str, Any]) -> World:
    from delaktig.governance import actions
    from delaktig.governance.models import (
        Decision,
        Dialogue,
        DialogueTeamMember,
        InfluenceLevel,
        TeamRole,
    )
    from delaktig.organisation.models import Body, BodyKind, Gate
    from delaktig.participation.models import Activity, Method

    today = timezone.localdate()
    world = World(municipality=municipality, people=people)
    for role, user in people.items():
        if user is not None:
            world.logins[role] = (user.username, PASSWORD)
    nämnd = Body.objects.filter(municipality=municipality, kind=BodyKind.NAMND).first()
    ks = Body.objects.filter(municipality=municipality, kind=BodyKind.KS).first()
    office = people["official"].staff_roles.first().office

    idea = actions.submit_initiative(
        municipality=municipality,
        title="Fler bänkar längs Edsviken",
        description="Äldre behöver kunna vila på promenaden.",
        proposer_kind="resident",
        proposer_name="Anna",
        submission_key="world-idea",
    )
    world.dialogues["idea"] = idea.dialogue
    assessment = Dialogue.objects.create(
        municipality=municipality,
        title="Ny skolgård i Rotebro",
        slug="ny-skolgard-i-rotebro",
        status="assessment",
        office=office,
    )
    world.dialogues["assessment"] = assessment

    levels = list(InfluenceLevel.values)
    for i, state in enumerate(PUBLIC_STATES):
        d = Dialogue.objects.create(
            municipality=municipality,
            title=f"Dialog {i + 1}: {state.replace('_', ' ')} – parken",
            slug=f"dialog-{state.replace('_', '-')}",
            summary="Hur ska parken i centrum se ut?",
            status=state,
            influence_level=levels[i % len(levels)],
            input_use="Synpunkterna sammanställs och lämnas till nämnden.",
            question="Vad vill du kunna göra i parken?",
            owner_body=nämnd,
            office=office,
            starts_on=today - datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=20),
            feedback_due=today - datetime.timedelta(days=1)
            if state == "feedback"
            else today + datetime.timedelta(days=60),
        )
        Decision.objects.create(
            dialogue=d,
            gate=Gate.INVESTIGATE,
            body=ks,
            decided_on=today - datetime.timedelta(days=30),
            paragraph=f"{i + 10}",
            case_number=f"KS2026/{100 + i}",
            outcome=Decision.Outcome.APPROVED,
            rationale="Frågan är påverkbar och berör många.",
        )
        world.dialogues[state] = d
    DialogueTeamMember.objects.create(
        dialogue=world.dialogues["open"], user=people["official"], role=TeamRole.PROCESS_LEADER
    )
    now = timezone.now()
    open_dialogue = world.dialogues["open"]
    for j, method in enumerate(Method.values):
        world.activities.append(
            Activity.objects.create(
                dialogue=open_dialogue,
                method=method,
                title=f"Aktivitet {method}",
                slug=f"aktivitet-{method.replace('_', '-')}",
                description="Var med och tyck till.",
                opens_at=now - datetime.timedelta(days=1),
                closes_at=now + datetime.timedelta(days=14),
                place="Sollentuna centrum" if j % 2 else "",
                order=j,
            )
        )
    world.activities.append(
        Activity.objects.create(
            dialogue=world.dialogues["compiling"],
            method=Method.SURVEY,
            title="Enkät om trygghet",
            slug="enkat-om-trygghet",
            opens_at=now - datetime.timedelta(days=40),
            closes_at=now - datetime.timedelta(days=5),
        )
    )
    # An activity of a dialogue that is not public: never exposed.
    Activity.objects.create(
        dialogue=assessment, method=Method.SURVEY, title="Hemlig enkät", slug="hemlig-enkat"
    )
    return world


def demo_available() -> bool:
    try:
        module = importlib.import_module("delaktig.governance.demo")
    except ModuleNotFoundError:
        return False
    return hasattr(module, "build_demo")


def build_demo_world() -> World:
    """The lead's demo municipality, mapped onto the same World shape."""
    from delaktig.governance.demo import build_demo  # type: ignore[import-not-found]
    from delaktig.participation.models import Activity

    ctx = build_demo()
    role_of = {
        "admin": "admin",
        "strateg": "strategist",
        "handlaggare": "official",
        "processledare": "process_leader",
        "politiker": "elected",
        "sekreterare": "secretary",
        "invanare": "resident",
    }
    people: dict[str, Any] = {"anonymous": None}
    for key, user in ctx.users.items():
        people[role_of.get(key, key)] = user
    world = World(municipality=ctx.municipality, people=people, from_demo=True)
    world.dialogues = dict(ctx.dialogues)
    world.activities = list(Activity.objects.all())
    by_username = {u: (u, p) for _r, u, p in ctx.logins}
    for role, user in people.items():
        if user is not None and user.username in by_username:
            world.logins[role] = by_username[user.username]
    return world
