"""GDPR: consent, demographics only with consent, own data page, export, deletion."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from delaktig.accounts import actions
from delaktig.accounts.models import ConsentRecord, Demographics, EidIdentity, User
from delaktig.core.models import AuditEvent
from delaktig.participation.actions import record_contribution
from delaktig.participation.identity import participant_demographics
from delaktig.participation.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(people: Any) -> User:
    user = people["resident"]
    user.display_name = "Anna B"
    user.birth_year = timezone.localdate().year - 30
    user.email_verified_at = timezone.now()
    user.save()
    return user


@pytest.fixture
def contributions(resident: User, make_activity: Any, people: Any) -> dict[str, Contribution]:
    survey = make_activity(method="survey")
    ideas = make_activity(method="idea_workshop", title="Idéer", slug="ideer")
    vote = make_activity(method="vote", title="Omröstning", slug="omrostning")
    return {
        "answer": record_contribution(
            activity=survey,
            kind="answer",
            text="Fler bänkar",
            author=resident,
            participant_key="k-anna",
            data={"display_name": "Anna B", "answers": {"q1": 3}},
        ),
        "idea": record_contribution(
            activity=ideas, kind="idea", text="Plaskdamm", author=resident, participant_key="k-anna"
        ),
        "vote": record_contribution(
            activity=vote,
            kind="vote",
            author=resident,
            participant_key="k-anna",
            data={"choice": 2},
        ),
        "pending": record_contribution(
            activity=ideas,
            kind="comment",
            text="Väntar",
            author=resident,
            participant_key="k-anna",
            status="pending",
        ),
        "someone_else": record_contribution(
            activity=survey,
            kind="answer",
            text="Annans svar",
            author=people["elected"],
            participant_key="k-other",
        ),
    }


def test_demographics_are_only_stored_with_consent(client: Any, resident: User) -> None:
    client.force_login(resident)
    refused = client.post(reverse("accounts:demographics"), {"gender": "kvinna", "district": "X"})
    assert refused.status_code == 400
    assert not Demographics.objects.exists()

    client.post(reverse("accounts:consent"), {"purpose": "demographics", "give": "on"})
    consent = ConsentRecord.objects.get(user=resident)
    assert (consent.purpose, consent.text_version, consent.withdrawn_at) == (
        "demographics",
        "2026-1",
        None,
    )
    ok = client.post(reverse("accounts:demographics"), {"gender": "kvinna", "district": "Centrum"})
    assert ok.status_code == 302
    assert Demographics.objects.get(user=resident).district == "Centrum"

    client.post(reverse("accounts:consent"), {"purpose": "demographics"})  # withdraw
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not Demographics.objects.exists()


def test_giving_consent_twice_keeps_one_active_record(resident: User) -> None:
    actions.give_consent(user=resident, purpose="notifications")
    actions.give_consent(user=resident, purpose="notifications")
    assert ConsentRecord.objects.active().filter(user=resident).count() == 1
    actions.withdraw_consent(user=resident, purpose="notifications")
    actions.give_consent(user=resident, purpose="notifications")
    assert ConsentRecord.objects.filter(user=resident).count() == 2


def test_unknown_consent_purpose_is_a_400(client: Any, resident: User) -> None:
    client.force_login(resident)
    response = client.post(reverse("accounts:consent"), {"purpose": "marknadsforing", "give": "on"})
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()


def test_contribution_demographics_follow_consent(resident: User, make_activity: Any) -> None:
    act = make_activity()
    request = RequestFactory().get("/")
    request.session = {}
    request.user = resident
    assert participant_demographics(request, act) == {}
    actions.give_consent(user=resident, purpose="demographics")
    actions.save_demographics(user=resident, gender="kvinna", district="Centrum")
    assert participant_demographics(request, act) == {
        "age_band": "25-44",
        "gender": "kvinna",
        "district": "Centrum",
    }
    request.user = AnonymousUser()
    assert participant_demographics(request, act) == {}


def test_own_data_page_shows_everything(client: Any, resident: User, contributions: Any) -> None:
    actions.give_consent(user=resident, purpose="notifications")
    client.force_login(resident)
    page = client.get(reverse("accounts:me")).content.decode()
    for text in ["resident@exempelby.se", "Anna B", "Fler bänkar", "Plaskdamm", "Väntar"]:
        assert text in page
    assert "Annans svar" not in page
    assert "Ta tillbaka samtycket" in page


def test_export_contains_all_and_only_own_data(client, resident, contributions) -> None:
    actions.give_consent(user=resident, purpose="demographics")
    actions.save_demographics(user=resident, gender="kvinna", district="Centrum")
    EidIdentity.objects.create(user=resident, issuer="https://idp.example", subject_hash="a" * 64)
    client.force_login(resident)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "delaktig-personal-data/2"
    assert data["identity_level"] == "email"
    sections = {label: section["rows"] for label, section in data["sections"].items()}
    assert [row["email"] for row in sections["accounts.User"]] == ["resident@exempelby.se"]
    assert "password" not in sections["accounts.User"][0]
    assert sections["accounts.ConsentRecord"][0]["purpose"] == "demographics"
    assert sections["accounts.Demographics"][0]["district"] == "Centrum"
    assert sections["accounts.EidIdentity"][0]["issuer"] == "https://idp.example"
    texts = {c["text"] for c in sections["participation.Contribution"]}
    assert {"Fler bänkar", "Plaskdamm", "Väntar"} <= texts
    assert "Annans svar" not in texts
    assert {c["activity"] for c in sections["participation.Contribution"]} == {
        "Enkät 1",
        "Idéer",
        "Omröstning",
    }
    page = client.get(reverse("accounts:export_page"))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ["resident@exempelby.se", "Fler bänkar", "Plaskdamm", "Centrum", "<caption"]:
        assert text in html
    assert "Annans svar" not in html
    english = client.get(reverse("accounts:export_page"), HTTP_ACCEPT_LANGUAGE="en")
    assert "All your data" in english.content.decode()


def test_export_and_delete_need_login(client: Any, db: Any) -> None:
    for name in ["me", "export", "delete"]:
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_delete_account_keeps_published_contributions_pseudonymised(
    client: Any, resident: User, contributions: Any
) -> None:
    actions.give_consent(user=resident, purpose="demographics")
    actions.save_demographics(user=resident, gender="kvinna")
    EidIdentity.objects.create(user=resident, issuer="https://idp.example", subject_hash="b" * 64)
    user_id = resident.pk
    client.force_login(resident)
    assert client.get(reverse("accounts:delete")).status_code == 200
    not_confirmed = client.post(reverse("accounts:delete"), {})
    assert not_confirmed.status_code == 400
    assert User.objects.filter(pk=user_id).exists()

    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user_id).exists()
    for key in ("answer", "idea", "vote"):
        kept = Contribution.objects.get(pk=contributions[key].pk)
        assert kept.author_id is None
        assert kept.participant_key == "k-anna"
        assert "display_name" not in kept.data
    assert Contribution.objects.get(pk=contributions["answer"].pk).data == {"answers": {"q1": 3}}
    assert Contribution.objects.get(pk=contributions["vote"].pk).data == {"choice": 2}
    assert not Contribution.objects.filter(pk=contributions["pending"].pk).exists()
    assert Contribution.objects.get(pk=contributions["someone_else"].pk).author_id is not None
    assert not Demographics.objects.exists()
    assert not EidIdentity.objects.exists()
    consent = ConsentRecord.objects.get()
    assert consent.user_id is None and consent.withdrawn_at is not None
    audit = AuditEvent.objects.get(action="account.deleted")
    # That an account was deleted and how many rows of which kind, not whose account.
    assert "user_id" not in audit.data and str(user_id) not in audit.object_id
    assert audit.data["rows"]["participation.Contribution"] == 4  # 3 kept, 1 deleted
    assert "resident" not in audit.actor_label + audit.summary
    # Signed out, and the old password no longer works.
    assert client.get(reverse("accounts:me")).status_code == 302
    assert not client.login(username="resident", password="lösenord-123")


def test_own_data_page_escapes_user_text(client: Any, resident: User, make_activity: Any) -> None:
    resident.display_name = "<script>alert(1)</script>"
    resident.save()
    record_contribution(
        activity=make_activity(),
        kind="idea",
        text="<img src=x onerror=alert(2)>",
        author=resident,
    )
    client.force_login(resident)
    page = client.get(reverse("accounts:me")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


@pytest.mark.parametrize(
    ("role", "deletable"),
    [
        ("resident", True),
        ("elected", False),
        ("official", False),
        ("strategist", False),
        ("admin", False),
    ],
)
def test_only_accounts_without_assignments_are_deleted_here(
    client: Any, people: Any, role: str, deletable: bool
) -> None:
    user = people[role]
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == (302 if deletable else 400)
    assert User.objects.filter(pk=user.pk).exists() is not deletable
    if not deletable:
        assert "uppdrag i kommunen" in response.content.decode()


def test_deletion_removes_queued_mail_tasks_that_carry_the_address(resident: User) -> None:
    from django.utils import timezone as tz
    from django_tasks_db.models import DBTaskResult

    def mail_task(to: str, body: str) -> DBTaskResult:
        return DBTaskResult.objects.create(
            args_kwargs={"args": [to, "Ämne", body, "sv"], "kwargs": {}},
            task_path="delaktig.core.mail.send_notification",
            queue_name="default",
            backend_name="default",
            priority=0,
            run_after=tz.now(),
        )

    task = mail_task("resident@exempelby.se", "Hej Anna B")
    other = mail_task("annan@exempelby.se", "Hej")
    actions.delete_account(user=resident)
    assert not DBTaskResult.objects.filter(pk=task.pk).exists()
    assert DBTaskResult.objects.filter(pk=other.pk).exists()


def test_a_deleted_persons_place_at_a_coming_meeting_goes_to_the_waiting_list(
    resident: User, make_activity: Any
) -> None:
    import datetime

    from delaktig.participation.meetings import actions as meetings
    from delaktig.participation.meetings.models import Meeting, Registration

    starts = timezone.now() + datetime.timedelta(days=7)
    meeting = Meeting.objects.create(
        activity=make_activity(method="cafe", title="Café", slug="cafe"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=1,
    )
    meetings.register(
        meeting=meeting, user=resident, participant_key="k-anna", name="Anna B", consent=True
    )
    waiting = meetings.register(
        meeting=meeting, user=None, participant_key="k-kim", name="Kim", consent=True
    )
    assert waiting.status == "waiting"
    actions.delete_account(user=resident)
    assert not Registration.objects.filter(name="Anna B").exists()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
