"""`delaktig gallra`: thinning past the retention period, dry run and real, archive rules kept."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from delaktig.accounts.models import ConsentRecord, DialogueRetention, SchoolSession, User
from delaktig.accounts.retention import register_thinner
from delaktig.core.actions import record_audit
from delaktig.core.models import AuditEvent
from delaktig.governance.models import Decision, Dialogue, DialogueEvent
from delaktig.organisation.models import Body, Gate
from delaktig.participation.actions import record_contribution
from delaktig.participation.models import Activity, Contribution

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def dialogue_with_input(municipality: Any, slug: str, status: str, ended_days_ago: int, author):
    dialogue = Dialogue.objects.create(
        municipality=municipality,
        title=slug.capitalize(),
        slug=slug,
        status=status,
        ends_on=TODAY - datetime.timedelta(days=ended_days_ago),
    )
    activity = Activity.objects.create(dialogue=dialogue, method="survey", title="E", slug="e")
    record_contribution(
        activity=activity,
        kind="answer",
        text=f"Publicerat {slug}",
        author=author,
        participant_key="k1",
        data={"display_name": "Anna", "demographics": {"age_band": "25-44"}},
    )
    record_contribution(activity=activity, kind="comment", text="Väntar", status="pending")
    record_contribution(activity=activity, kind="comment", text="Dold", status="hidden")
    DialogueEvent.objects.create(dialogue=dialogue, from_status="open", to_status="compiling")
    Decision.objects.create(
        dialogue=dialogue,
        gate=Gate.values[0],
        body=Body.objects.first(),
        decided_on=TODAY - datetime.timedelta(days=ended_days_ago + 30),
        paragraph="12",
        case_number="KS 2023/1",
        outcome="approved",
        rationale="Beslutat",
    )
    SchoolSession.objects.create(
        dialogue=dialogue,
        code=f"S{slug[:5].upper()}",
        class_label="7B",
        age_band="13-15",
        valid_until=timezone.now() + datetime.timedelta(days=1),
        max_uses=5,
    )
    return dialogue


@pytest.fixture
def world(municipality: Any, people: Any) -> dict[str, Any]:
    resident = people["resident"]
    old = dialogue_with_input(municipality, "gammal", "archived", 3 * 365, resident)
    recent = dialogue_with_input(municipality, "nyligen", "decided", 200, resident)
    short = dialogue_with_input(municipality, "kortregel", "evaluated", 200, resident)
    DialogueRetention.objects.create(dialogue=short, months=6, note="DHP 3.2")
    still_open = dialogue_with_input(municipality, "oppen", "open", -10, resident)
    now = timezone.now()
    ConsentRecord.objects.create(
        user=None,
        purpose="demographics",
        text_version="2026-1",
        given_at=now - datetime.timedelta(days=1200),
        withdrawn_at=now - datetime.timedelta(days=1000),
    )
    ConsentRecord.objects.create(
        user=None,
        purpose="demographics",
        text_version="2026-1",
        given_at=now - datetime.timedelta(days=100),
        withdrawn_at=now - datetime.timedelta(days=50),
    )
    ConsentRecord.objects.create(user=resident, purpose="notifications", text_version="2026-1")
    stale = User.objects.create_user(username="glomd@exempel.se", email="glomd@exempel.se")
    User.objects.filter(pk=stale.pk).update(date_joined=now - datetime.timedelta(days=60))
    fresh = User.objects.create_user(username="ny@exempel.se", email="ny@exempel.se")
    record_audit(actor=people["official"], action="test.event", summary="finns kvar")
    return {
        "old": old,
        "recent": recent,
        "short": short,
        "open": still_open,
        "stale": stale,
        "fresh": fresh,
        "resident": resident,
    }


def archive_counts() -> tuple[int, int, int, int]:
    return (
        Decision.objects.count(),
        DialogueEvent.objects.count(),
        AuditEvent.objects.count(),
        Contribution.objects.published().count(),
    )


def snapshot() -> dict[str, Any]:
    return {
        "contributions": sorted(Contribution.objects.values_list("pk", "author_id", "status")),
        "consents": ConsentRecord.objects.count(),
        "users": User.objects.count(),
        "schools": SchoolSession.objects.count(),
        "archive": archive_counts(),
    }


def test_dry_run_reports_and_changes_nothing(world: dict[str, Any]) -> None:
    before = snapshot()
    out = StringIO()
    call_command("gallra", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "provkörning" in text
    assert "Dialoger förbi bevarandetiden: 2" in text
    assert "Gammal" in text and "Kortregel" in text and "Nyligen" not in text
    assert "Bidrag raderade: 4" in text
    assert "Bidrag avidentifierade: 2" in text
    assert "Samtycken raderade: 1" in text
    assert "Konton raderade: 1" in text
    assert "Skolpass raderade: 2" in text
    assert snapshot() == before


def test_real_run_thins_and_respects_archive_rules(world: dict[str, Any]) -> None:
    decisions, events, audits, published = archive_counts()
    out = StringIO()
    call_command("gallra", stdout=out)
    assert "Gallring genomförd" in out.getvalue()
    # Archive rules: nothing of these is ever deleted (one audit row is added).
    assert archive_counts() == (decisions, events, audits + 1, published)
    for key in ("old", "short"):
        dialogue = world[key]
        assert not Contribution.objects.filter(dialogue=dialogue).exclude(status="published")
        kept = Contribution.objects.get(dialogue=dialogue)
        assert kept.author_id is None
        assert kept.participant_key == "k1"
        assert kept.data == {"demographics": {"age_band": "25-44"}}
        assert not SchoolSession.objects.filter(dialogue=dialogue).exists()
    for key in ("recent", "open"):
        dialogue = world[key]
        assert Contribution.objects.filter(dialogue=dialogue).count() == 3
        assert Contribution.objects.get(dialogue=dialogue, status="published").author_id
        assert SchoolSession.objects.filter(dialogue=dialogue).exists()
    assert ConsentRecord.objects.filter(user__isnull=True).count() == 1
    assert ConsentRecord.objects.filter(user=world["resident"]).count() == 1
    assert not User.objects.filter(pk=world["stale"].pk).exists()
    assert User.objects.filter(pk=world["fresh"].pk).exists()
    assert User.objects.filter(pk=world["resident"].pk).exists()
    audit = AuditEvent.objects.get(action="gallring.run")
    assert audit.data["counts"]["Bidrag raderade"] == 4
    # Running again finds nothing more to do.
    again = StringIO()
    call_command("gallra", "--dry-run", stdout=again)
    assert "Bidrag raderade: 0" in again.getvalue()
    assert "Bidrag avidentifierade: 0" in again.getvalue()


def test_now_option_moves_the_horizon(world: dict[str, Any]) -> None:
    out = StringIO()
    future = (TODAY + datetime.timedelta(days=3 * 365)).isoformat()
    call_command("gallra", "--dry-run", "--now", future, stdout=out)
    assert "Dialoger förbi bevarandetiden: 3" in out.getvalue()


def test_other_apps_register_their_own_thinning(world: dict[str, Any]) -> None:
    seen: list[str] = []

    @register_thinner("Anmälningar till möten")
    def forget_registrations(dialogue: Any) -> int:
        seen.append(dialogue.slug)
        return 7

    try:
        out = StringIO()
        call_command("gallra", "--dry-run", stdout=out)
    finally:
        from delaktig.accounts import retention

        retention._THINNERS.pop("Anmälningar till möten")
    assert sorted(seen) == ["gammal", "kortregel"]
    assert "Anmälningar till möten: 14" in out.getvalue()


# --- Thinners generated from the personal-data registry -------------------------------------


def _activity(dialogue: Any, method: str) -> Activity:
    return Activity.objects.create(dialogue=dialogue, method=method, title=method, slug=method)


def _registration(dialogue: Any, user: Any) -> Any:
    from delaktig.participation.meetings.models import Meeting, Registration

    now = timezone.now()
    meeting = Meeting.objects.create(
        activity=_activity(dialogue, "cafe"), starts_at=now, ends_at=now, capacity=10
    )
    return Registration.objects.create(
        meeting=meeting,
        name="Anna Berg",
        email="anna@exempel.se",
        needs="Hörslinga",
        user=user,
        participant_key="k1",
        status="confirmed",
        consent_given_at=now,
    )


def _follower(dialogue: Any, user: Any) -> Any:
    from delaktig.feedback.models import Follower

    return Follower.objects.create(dialogue=dialogue, email="anna@exempel.se")


def _initiative(dialogue: Any, user: Any) -> Any:
    from delaktig.governance.models import Initiative

    return Initiative.objects.create(
        dialogue=dialogue,
        proposer_kind="resident",
        proposer_name="Anna Berg",
        proposer_email="anna@exempel.se",
        proposer=user,
        description="En idé",
    )


def _idea(dialogue: Any, user: Any) -> Any:
    from delaktig.participation.ideas.models import Idea

    return Idea.objects.create(
        activity=_activity(dialogue, "idea_workshop"),
        title="Skatepark",
        text="Bygg en",
        author=user,
        author_name="Anna Berg",
        participant_key="k1",
    )


def _pending_statement(dialogue: Any, user: Any) -> Any:
    from delaktig.participation.opinions.models import Statement

    return Statement.objects.create(
        activity=_activity(dialogue, "opinions"), text="Fler hundrastgårdar", author=user
    )


def _survey_draft(dialogue: Any, user: Any) -> Any:
    from delaktig.participation.surveys.models import Response, Survey

    survey = Survey.objects.create(activity=_activity(dialogue, "text_review"))
    return Response.objects.create(survey=survey, author=user, draft={"q1": "Anna Berg"})


def _gone(obj: Any) -> bool:
    return not type(obj).objects.filter(pk=obj.pk).exists()


def _fields(*names: str, expected: tuple[Any, ...]) -> Any:
    def check(obj: Any) -> bool:
        obj.refresh_from_db()
        return tuple(getattr(obj, n) for n in names) == expected

    return check


@pytest.mark.parametrize(
    ("make", "thinned"),
    [
        (_registration, _fields("name", "email", "needs", "user_id", expected=("", "", "", None))),
        (_follower, _gone),
        (
            _initiative,
            _fields("proposer_name", "proposer_email", "proposer_id", expected=("", "", None)),
        ),
        (_idea, _fields("author_name", "author_id", expected=("", None))),
        (_pending_statement, _gone),
        (_survey_draft, _gone),
    ],
    ids=["registration", "follower", "initiative", "idea", "statement", "survey-draft"],
)
def test_registry_thinners_thin_rows_past_retention_and_keep_recent_ones(
    world: dict[str, Any], make: Any, thinned: Any
) -> None:
    resident = world["resident"]
    old = make(world["old"], resident)
    recent = make(world["recent"], resident)
    before = {k: v for k, v in vars(type(recent).objects.get(pk=recent.pk)).items() if k[0] != "_"}
    call_command("gallra", stdout=StringIO())
    assert thinned(old)
    after = {k: v for k, v in vars(type(recent).objects.get(pk=recent.pk)).items() if k[0] != "_"}
    assert after == before
