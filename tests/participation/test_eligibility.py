"""The one eligibility gate: method × identity level × dialogue state, and that every
participation view and action asks it (a ratchet over the source)."""

from __future__ import annotations

import pathlib
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from tests.governance.walk import Walk

from delaktig.accounts.models import User
from delaktig.governance.models import Dialogue
from delaktig.governance.states import DialogueStatus, Feature, allows
from delaktig.participation import eligibility
from delaktig.participation.models import METHOD_APP, Activity, Method

pytestmark = pytest.mark.django_db

SRC = pathlib.Path(eligibility.__file__).resolve().parents[1]
PEOPLE = ["anonymous", "unverified", "email", "eid"]


def person(kind: str) -> Any:
    if kind == "anonymous":
        return AnonymousUser()
    user = User.objects.create_user(username=f"{kind}-{User.objects.count()}")
    if kind in ("email", "eid"):
        user.email_verified_at = timezone.now()
    if kind == "eid":
        user.eid_verified_at = timezone.now()
    user.save()
    return user


def _activity(municipality: Any, method: str, level: str, status: str = "open") -> Activity:
    dialogue = Dialogue.objects.create(
        municipality=municipality,
        title=f"D {method} {status}",
        slug=f"d-{method}-{status}-{level}",
        status=status,
    )
    return Activity.objects.create(
        dialogue=dialogue, method=method, title=method, slug=method, identity_level=level
    )


RANK = {"anonymous": 0, "unverified": 0, "email": 1, "eid": 2}


@pytest.mark.parametrize("method", [m.value for m in Method if m.value in METHOD_APP])
@pytest.mark.parametrize("level", ["anonymous", "email", "eid"])
@pytest.mark.parametrize("deciding", ["email", "eid"])
def test_method_by_identity_level_matrix(
    municipality: Any, method: str, level: str, deciding: str
) -> None:
    """A count that decides (votes, budget ballots) asks at least the profile's level; every
    other method asks the level the official chose."""
    profile = municipality.profile
    profile.deciding_identity_level = deciding
    profile.save()
    act = _activity(municipality, method, level)
    needed = RANK[level]
    if eligibility.method_decides(method):
        needed = max(needed, RANK[deciding], 1)
    for who in PEOPLE:
        found = eligibility.refusal_for(person(who), act)
        expected = None if RANK[who] >= needed else "identity"
        assert getattr(found, "code", None) == expected, (method, level, deciding, who)


@pytest.mark.parametrize("status", [s.value for s in DialogueStatus])
def test_state_by_feature_matrix(municipality: Any, status: str) -> None:
    """The state's declaration alone decides: participation where PARTICIPATION_OPEN,
    meeting registration where REGISTRATION_OPEN."""
    act = _activity(municipality, "idea_workshop", "anonymous", status)
    for feature in (Feature.PARTICIPATION_OPEN, Feature.REGISTRATION_OPEN):
        found = eligibility.refusal_for(AnonymousUser(), act, feature=feature)
        assert (found is None) == allows(status, feature), (status, feature)
        if found is not None:
            assert found.code == "closed"


def test_a_school_session_never_replaces_a_person_where_the_count_decides(
    municipality: Any,
) -> None:
    pupil = {"pupil_key": "k", "age_band": "13-15"}
    survey = _activity(municipality, "survey", "eid")
    vote = _activity(municipality, "vote", "email")
    assert eligibility.refusal_for(AnonymousUser(), survey, school=pupil) is None
    found = eligibility.refusal_for(AnonymousUser(), vote, school=pupil)
    assert found is not None and found.code == "identity"


def test_the_activity_form_asks_for_a_person_where_the_count_decides(
    municipality: Any,
) -> None:
    walk = Walk.begin(municipality, "Ny lekplats i Exempelby")
    walk.to_decided_to_conduct()
    base = {
        "title": "Omröstning om lekplatsen",
        "description": "Välj den lekplats du vill ha.",
        "place": "Webben",
        "accessibility_info": "Går att använda med skärmläsare",
        "residency_rule": "anyone",
        "target_groups": [g.pk for g in walk.dialogue.target_groups.all()],
    }
    url = f"/delta/dialog/{walk.pk}/ny-aktivitet/"
    refused = walk.client.post(url, {**base, "method": "vote", "identity_level": "anonymous"})
    assert refused.status_code == 400
    assert "räknar varje person en gång" in refused.content.decode()
    assert not walk.dialogue.activities.filter(method="vote").exists()
    kept = walk.client.post(url, {**base, "method": "vote", "identity_level": "email"})
    assert kept.status_code == 302
    assert walk.dialogue.activities.get(method="vote").identity_level == "email"


def _sources(pattern: str) -> list[pathlib.Path]:
    return sorted(SRC.glob(pattern))


def test_every_method_view_asks_the_gate() -> None:
    apps = sorted(set(METHOD_APP.values()))
    for app in apps:
        view = SRC / "participation" / app / "views.py"
        text = view.read_text()
        if app == "meetings":  # registration asks the gate through meetings.rules
            text += (SRC / "participation" / "meetings" / "rules.py").read_text()
            assert "refusal_for(" in text, app
        else:
            assert "eligibility.refusal(" in text, app


def test_nothing_outside_the_gate_decides_who_may_take_part() -> None:
    """No hand-kept copies: no second refusal function, no identity-level comparisons."""
    gate = SRC / "participation" / "eligibility.py"
    offenders = []
    for path in _sources("**/*.py"):
        if path == gate or "migrations" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"participation_refusal|identity_level\s*[!=]=|LEVEL_RANK", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
