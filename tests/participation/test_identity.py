"""Who may take part: identity level matrix, residency, age and school session codes."""

from __future__ import annotations

import datetime
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from delaktig.accounts.actions import create_school_session
from delaktig.accounts.models import SchoolSession, User
from delaktig.governance.models import Dialogue
from delaktig.participation.eligibility import refusal, refusal_for
from delaktig.participation.identity import participant_demographics, participant_key
from delaktig.participation.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dialogue(municipality: Any) -> Dialogue:
    return Dialogue.objects.create(
        municipality=municipality, title="Ungas fritid", slug="ungas-fritid", status="open"
    )


def activity(dialogue: Dialogue, **fields: Any) -> Activity:
    n = Activity.objects.count() + 1
    return Activity.objects.create(
        dialogue=dialogue, method="survey", title=f"Enkät {n}", slug=f"enkat-{n}", **fields
    )


def person(kind: str, **fields: Any) -> Any:
    if kind == "anonymous":
        return AnonymousUser()
    user = User.objects.create_user(username=f"{kind}-{User.objects.count()}", **fields)
    now = timezone.now()
    if kind in ("email", "eid"):
        user.email_verified_at = now
    if kind == "eid":
        user.eid_verified_at = now
    user.save()
    return user


MATRIX = {
    # (person, activity level) -> refusal code or None
    ("anonymous", "anonymous"): None,
    ("anonymous", "email"): "identity",
    ("anonymous", "eid"): "identity",
    ("unverified", "anonymous"): None,
    ("unverified", "email"): "identity",
    ("unverified", "eid"): "identity",
    ("email", "anonymous"): None,
    ("email", "email"): None,
    ("email", "eid"): "identity",
    ("eid", "anonymous"): None,
    ("eid", "email"): None,
    ("eid", "eid"): None,
}


@pytest.mark.parametrize(("who", "level"), list(MATRIX))
def test_identity_level_matrix(dialogue: Dialogue, who: str, level: str) -> None:
    act = activity(dialogue, identity_level=level)
    refusal = refusal_for(person(who), act)
    assert (refusal.code if refusal else None) == MATRIX[(who, level)]


def test_closed_activity_refuses_everyone(dialogue: Dialogue) -> None:
    act = activity(dialogue, closes_at=timezone.now() - datetime.timedelta(hours=1))
    for who in ("anonymous", "email", "eid"):
        assert refusal_for(person(who), act).code == "closed"


@pytest.mark.parametrize(("attested", "expected"), [(False, "residency"), (True, None)])
def test_residency_rule(dialogue: Dialogue, attested: bool, expected: str | None) -> None:
    act = activity(dialogue, identity_level="email", residency_rule="connected")
    user = person("email")
    if attested:
        from delaktig.accounts.actions import attest_residency

        attest_residency(user=user, attested=True)
        assert user.residency_attested_at is not None
    refusal = refusal_for(user, act)
    assert (refusal.code if refusal else None) == expected


def test_residency_attestation_through_the_page(client: Any, dialogue: Dialogue) -> None:
    user = person("email")
    client.force_login(user)
    client.post(reverse("accounts:residency"), {"attested": "on"})
    user.refresh_from_db()
    assert user.connected_to_municipality and user.residency_attested_at is not None
    client.post(reverse("accounts:residency"), {})
    user.refresh_from_db()
    assert not user.connected_to_municipality and user.residency_attested_at is None


@pytest.mark.parametrize(
    ("age", "expected"), [(None, "age"), (12, "age"), (15, None), (16, None), (70, None)]
)
def test_age_rule(dialogue: Dialogue, age: int | None, expected: str | None) -> None:
    act = activity(dialogue, identity_level="email", min_age=15)
    year = None if age is None else timezone.localdate().year - age
    refusal = refusal_for(person("email", birth_year=year), act)
    assert (refusal.code if refusal else None) == expected


# --- School sessions -----------------------------------------------------------------------


@pytest.fixture
def official(people: Any) -> User:
    return people["official"]


def make_school(official: User, dialogue: Dialogue, **fields: Any) -> SchoolSession:
    defaults = {
        "class_label": "7B",
        "age_band": "13-15",
        "valid_until": timezone.now() + datetime.timedelta(hours=2),
        "max_uses": 30,
    }
    return create_school_session(actor=official, dialogue=dialogue, **{**defaults, **fields})


def request_for(client: Any, user: Any = None) -> Any:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    key = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    # The configured engine: with Redis an anonymous session is only in the cache.
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    request.user = user or AnonymousUser()
    return request


def test_pupil_with_valid_code_takes_part_without_personal_data(client, official, dialogue):
    eid_vote = activity(dialogue, identity_level="eid", residency_rule="connected", min_age=16)
    school = make_school(official, dialogue, code="KLASS7B")
    response = client.post(reverse("accounts:school"), {"code": " klass7b "})
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:dialogue", kwargs={"slug": dialogue.slug})
    school.refresh_from_db()
    assert school.uses == 1
    request = request_for(client)
    assert refusal_for(AnonymousUser(), eid_vote) is not None
    assert refusal(request, eid_vote) is None
    assert participant_demographics(request, eid_vote) == {"age_band": "13-15"}
    # Another pupil in the same class gets another key; the same pupil keeps theirs.
    other = client.__class__()
    other.post(reverse("accounts:school"), {"code": "KLASS7B"})
    assert participant_key(request, eid_vote) == participant_key(request_for(client), eid_vote)
    assert participant_key(request, eid_vote) != participant_key(request_for(other), eid_vote)


def test_code_for_one_activity_does_not_open_another(client, official, dialogue) -> None:
    chosen = activity(dialogue, identity_level="email")
    other = activity(dialogue, identity_level="email")
    make_school(official, dialogue, activity=chosen, code="BARA1")
    response = client.post(reverse("accounts:school"), {"code": "BARA1"})
    assert response["Location"] == chosen.get_absolute_url()
    request = request_for(client)
    assert refusal(request, chosen) is None
    assert refusal(request, other).code == "identity"


def test_code_for_another_dialogue_gives_nothing_here(client, official, dialogue, municipality):
    elsewhere = Dialogue.objects.create(
        municipality=municipality, title="Annat", slug="annat", status="open"
    )
    make_school(official, elsewhere, code="ANNAN1")
    client.post(reverse("accounts:school"), {"code": "ANNAN1"})
    act = activity(dialogue, identity_level="email")
    assert refusal(request_for(client), act).code == "identity"


def test_expired_code_is_refused(client, official, dialogue) -> None:
    school = make_school(official, dialogue, code="GAMMAL")
    SchoolSession.objects.filter(pk=school.pk).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.post(reverse("accounts:school"), {"code": "GAMMAL"})
    assert response.status_code == 400
    assert "gäller inte längre" in response.content.decode()
    school.refresh_from_db()
    assert school.uses == 0


def test_exhausted_code_is_refused(client, official, dialogue) -> None:
    school = make_school(official, dialogue, code="FULL1", max_uses=1)
    assert client.post(reverse("accounts:school"), {"code": "FULL1"}).status_code == 302
    second = client.__class__().post(reverse("accounts:school"), {"code": "FULL1"})
    assert second.status_code == 400
    assert "redan använts" in second.content.decode()
    school.refresh_from_db()
    assert school.uses == 1


def test_unknown_code_is_refused(client: Any, db: Any) -> None:
    response = client.post(reverse("accounts:school"), {"code": "FINNSEJ"})
    assert response.status_code == 400
    assert "hittar ingen klass" in response.content.decode()


def test_school_session_expires_inside_the_browser_session(client, official, dialogue):
    act = activity(dialogue, identity_level="email")
    school = make_school(official, dialogue, code="SNART")
    client.post(reverse("accounts:school"), {"code": "SNART"})
    session = client.session
    data = session["delaktig_school"]
    data["valid_until"] = (timezone.now() - datetime.timedelta(seconds=1)).isoformat()
    session["delaktig_school"] = data
    session.save()
    assert refusal(request_for(client), act).code == "identity"
    assert school.pk


@pytest.mark.parametrize(
    ("role", "status"), [("resident", 403), ("elected", 403), ("official", 302)]
)
def test_only_officials_create_school_sessions(client, people, dialogue, role, status) -> None:
    client.force_login(people[role])
    assert client.get(reverse("accounts:school_new")).status_code == (200 if status == 302 else 403)
    valid_until = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("accounts:school_new"),
        {
            "dialogue": dialogue.pk,
            "class_label": "Klass 5A",
            "age_band": "0-12",
            "valid_until": valid_until,
            "max_uses": "28",
        },
    )
    assert response.status_code == status
    assert SchoolSession.objects.count() == (1 if status == 302 else 0)
    if status == 302:
        school = SchoolSession.objects.get()
        assert (school.class_label, school.age_band, school.max_uses) == ("Klass 5A", "0-12", 28)
        detail = client.get(response["Location"])
        assert school.code in detail.content.decode()


def test_school_session_form_rejects_past_time(client, people, dialogue) -> None:
    client.force_login(people["official"])
    response = client.post(
        reverse("accounts:school_new"),
        {
            "dialogue": dialogue.pk,
            "class_label": "5A",
            "age_band": "0-12",
            "valid_until": "2001-01-01T10:00",
            "max_uses": "5",
        },
    )
    assert response.status_code == 400
    assert not SchoolSession.objects.exists()
