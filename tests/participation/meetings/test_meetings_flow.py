"""Meetings end to end: public page, registration with waiting list, documentation."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from delaktig.core.models import AuditEvent
from delaktig.participation.meetings.models import Meeting, MeetingNote, Registration
from delaktig.participation.models import Activity, Contribution

pytestmark = pytest.mark.django_db


def make_meeting(
    dialogue: Any, method: str = "cafe", capacity: int | None = 2, days: int = 7, **fields: Any
) -> Meeting:
    """A meeting `days` from now (negative: it has been held)."""
    activity = Activity.objects.create(
        dialogue=dialogue,
        method=method,
        title="Dialogcafé om tryggheten",
        slug=f"m-{method}",
        place="Stationshuset",
        accessibility_info="Ingång från baksidan via ramp.",
        **fields,
    )
    starts = timezone.now() + datetime.timedelta(days=days)
    return Meeting.objects.create(
        activity=activity,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        address="Stationsvägen 1",
        accessibility=["hearing_loop", "wheelchair", "sign_language"],
        capacity=capacity,
    )


def register(client: Any, meeting: Meeting, **data: Any) -> Any:
    payload = {"name": "Kim", "email": "", "needs": "", "consent": "on"}
    payload.update(data)
    return client.post(meeting.activity.get_absolute_url(), payload)


def test_public_page_shows_influence_time_place_and_accessibility_before_form(client, dialogue):
    meeting = make_meeting(dialogue)
    url = meeting.activity.get_absolute_url()
    assert url == f"/delta/moten/{meeting.activity.pk}/"
    html = client.get(url).content.decode()
    assert html.index("Så mycket kan du påverka") < html.index('name="name"')
    assert html.index("Så används dina synpunkter") < html.index('name="consent"')
    for text in [
        "Hörslinga",
        "Rullstolsanpassad lokal",
        "Teckenspråkstolk på begäran",
        "Ingång från baksidan via ramp.",
        "Stationshuset",
        "Stationsvägen 1",
        "2 av 2 platser kvar",
        "raderas när",
    ]:
        assert text in html


def test_registration_capacity_waiting_list_and_cancellation(
    client, dialogue, smtp_inbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(dialogue, capacity=1)
    first = type(client)()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(first, meeting, email="kim@example.se")
    reg = Registration.objects.get()
    assert response.status_code == 302 and response.url == f"/delta/moten/anmalan/{reg.token}/"
    assert reg.status == "confirmed"
    second = type(client)()
    with django_capture_on_commit_callbacks(execute=True):
        register(second, meeting, name="Signatur Sol", email="sol@example.se")
    waiting = Registration.objects.get(name="Signatur Sol")
    assert waiting.status == "waiting" and waiting.waiting_position() == 1
    page = second.get(reverse("meetings:registration", args=[waiting.token])).content.decode()
    assert "På väntelistan" in page and "plats 1 på väntelistan" in page
    html = type(client)().get(meeting.activity.get_absolute_url()).content.decode()
    assert "Mötet är fullt" in html and "Ställ mig på väntelistan" in html
    # Cancelling through the link gives the place to the first on the waiting list.
    with django_capture_on_commit_callbacks(execute=True):
        response = first.post(reverse("meetings:registration", args=[reg.token]))
        assert response.status_code == 302
        first.post(reverse("meetings:registration", args=[reg.token]))  # idempotent
    reg.refresh_from_db()
    waiting.refresh_from_db()
    assert reg.status == "cancelled" and waiting.status == "confirmed"
    recipients = [m["to"] for m in smtp_inbox.messages]
    assert recipients == [["kim@example.se"], ["sol@example.se"], ["sol@example.se"]]
    bodies = smtp_inbox.bodies()
    assert f"/delta/moten/anmalan/{reg.token}/" in bodies[0]
    assert "väntelistan" in bodies[1] and "En plats blev ledig" in bodies[2]


def test_registration_is_idempotent_for_the_same_participant(client, dialogue):
    meeting = make_meeting(dialogue)
    register(client, meeting)
    response = register(client, meeting)
    assert response.status_code == 302
    assert Registration.objects.count() == 1
    html = client.get(meeting.activity.get_absolute_url()).content.decode()
    assert "Du är anmäld." in html and 'name="name"' not in html


def test_consent_is_required_and_bad_input_is_400(client, dialogue):
    meeting = make_meeting(dialogue)
    assert register(client, meeting, consent="").status_code == 400
    assert register(client, meeting, email="inte-en-adress").status_code == 400
    assert register(client, meeting, name="x" * 101).status_code == 400
    assert not Registration.objects.exists()


def test_registration_open_when_announced_but_closed_after_dialogue_closes(client, dialogue):
    dialogue.status = "announced"
    dialogue.save()
    meeting = make_meeting(dialogue)
    assert register(client, meeting).status_code == 302
    dialogue.status = "compiling"
    dialogue.save()
    response = register(type(client)(), meeting)
    assert (
        response.status_code == 403 and "Anmälan till mötet är stängd" in response.content.decode()
    )
    assert Registration.objects.count() == 1


def test_cancelled_meeting_refuses_registration(client, dialogue, people):
    meeting = make_meeting(dialogue)
    official = type(client)()
    official.force_login(people["official"])
    response = official.post(
        reverse("meetings:manage", args=[meeting.activity.pk]),
        {"cancel_meeting": "1", "reason": "Lokalen är vattenskadad."},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="meetings.cancelled").exists()
    assert register(client, meeting).status_code == 403
    assert "Inställt" in client.get(meeting.activity.get_absolute_url()).content.decode()


def test_wrong_identity_level_refuses_registration(client, dialogue, people, verify):
    meeting = make_meeting(dialogue, identity_level="email")
    response = register(client, meeting)
    assert response.status_code == 403 and "verifierad e-post" in response.content.decode()
    client.force_login(verify(people["resident"]))
    assert register(client, meeting).status_code == 302
    assert Registration.objects.get().user == people["resident"]


def test_html_in_name_is_escaped_for_officials(client, dialogue, people):
    meeting = make_meeting(dialogue)
    register(client, meeting, name="<script>alert(1)</script>")
    client.force_login(people["official"])
    html = client.get(reverse("meetings:manage", args=[meeting.activity.pk])).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_official_documents_meeting_one_contribution_per_point(client, dialogue, people):
    dialogue.status = "compiling"
    dialogue.save()
    meeting = make_meeting(dialogue, days=-1)
    # A digital comment from elsewhere in the dialogue, to count alongside.
    Contribution.objects.create(
        dialogue=dialogue, activity=meeting.activity, kind="comment", text="x"
    )
    client.force_login(people["official"])
    url = reverse("meetings:document", args=[meeting.activity.pk])
    assert client.post(url, {"points": "", "channel": "meeting"}).status_code == 400
    assert client.post(url, {"points": "x" * 2001, "channel": "meeting"}).status_code == 400
    response = client.post(
        url,
        {
            "points": "Dålig belysning i gångtunneln\n\n"
            "Fler vuxna ute på kvällarna\n<b>Väktare</b>",
            "topic": "Kvällstid",
            "channel": "meeting",
            "attendance": "23",
        },
    )
    assert response.status_code == 302
    notes = MeetingNote.objects.filter(meeting=meeting)
    assert notes.count() == 3
    contributions = Contribution.objects.filter(dialogue=dialogue, kind="meeting_note")
    assert contributions.count() == 3
    assert {c.channel for c in contributions} == {"meeting"}
    assert {c.entered_by for c in contributions} == {people["official"]}
    assert {c.source_type for c in contributions} == {"meetings.MeetingNote"}
    assert Contribution.objects.filter(dialogue=dialogue).count() == 4
    assert AuditEvent.objects.filter(action="contribution.entered").count() == 3
    assert AuditEvent.objects.get(action="meetings.documented").data["attendance"] == 23
    meeting.refresh_from_db()
    assert meeting.attendance == 23
    public = type(client)().get(meeting.activity.get_absolute_url()).content.decode()
    assert "Dålig belysning i gångtunneln" in public and "23 personer deltog" in public
    assert "&lt;b&gt;Väktare&lt;/b&gt;" in public


def test_interview_notes_use_interview_channel(client, dialogue, people):
    meeting = make_meeting(dialogue, method="interview", capacity=None, days=-1)
    client.force_login(people["official"])
    page = client.get(reverse("meetings:document", args=[meeting.activity.pk])).content.decode()
    assert re.search(r'value="interview"[^>]*checked', page)
    client.post(
        reverse("meetings:document", args=[meeting.activity.pk]),
        {"points": "Vill ha fler bänkar", "channel": "interview"},
    )
    assert Contribution.objects.get(kind="meeting_note").channel == "interview"


def test_official_creates_and_edits_meeting(client, dialogue, people):
    activity = Activity.objects.create(
        dialogue=dialogue, method="open_space", title="Open space", slug="os", place="Aulan"
    )
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "Tiden meddelas senare." in html and 'name="name"' not in html
    client.force_login(people["official"])
    url = reverse("meetings:manage", args=[activity.pk])
    data = {
        "starts_at": "2030-05-04T18:00",
        "ends_at": "2030-05-04T17:00",
        "accessibility": ["hearing_loop"],
        "capacity": "40",
        "registration_open": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "sluta efter" in response.content.decode()
    data["ends_at"] = "2030-05-04T21:00"
    assert client.post(url, data).status_code == 302
    meeting = Meeting.objects.get(activity=activity)
    assert meeting.capacity == 40 and meeting.accessibility == ["hearing_loop"]
    assert AuditEvent.objects.filter(action="meetings.created").exists()
    data["capacity"] = "41"
    client.post(url, data)
    assert AuditEvent.objects.filter(action="meetings.updated").exists()


def test_raising_capacity_promotes_waiting_list(client, dialogue, people):
    meeting = make_meeting(dialogue, capacity=1)
    register(type(client)(), meeting)
    register(type(client)(), meeting, name="Väntande")
    assert Registration.objects.get(name="Väntande").status == "waiting"
    client.force_login(people["official"])
    client.post(
        reverse("meetings:manage", args=[meeting.activity.pk]),
        {
            "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "2",
            "registration_open": "on",
        },
    )
    assert Registration.objects.get(name="Väntande").status == "confirmed"


def test_ics_download(client, dialogue):
    meeting = make_meeting(dialogue)
    response = client.get(reverse("meetings:ics", args=[meeting.activity.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    start = meeting.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in body
    assert "SUMMARY:Dialogcafé om tryggheten" in body
    assert "LOCATION:Stationshuset\\, Stationsvägen 1" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 302),
        ("resident", 403),
        ("elected", 403),
        ("official", 200),
        ("other_official", 403),
        ("strategist", 200),
        ("admin", 200),
    ],
)
def test_official_pages_permission_matrix(client, dialogue, people, role, status):
    meeting = make_meeting(dialogue)
    register(type(client)(), meeting, name="Personuppgift Persson")
    if people[role] is not None:
        client.force_login(people[role])
    for name in ["meetings:manage", "meetings:document"]:
        response = client.get(reverse(name, args=[meeting.activity.pk]))
        assert response.status_code == status
        assert ("Personuppgift Persson" in response.content.decode()) is (
            status == 200 and name == "meetings:manage"
        )
    held = make_meeting(dialogue, method="interview", days=-1)
    response = client.post(
        reverse("meetings:document", args=[held.activity.pk]),
        {"points": "Smygpunkt", "channel": "interview"},
    )
    assert MeetingNote.objects.exists() is (status == 200)


def test_a_meeting_that_has_not_happened_cannot_be_documented(client, dialogue, people):
    """What came up at a meeting is entered after it has begun: before, it would be made
    up and still count in the compilation as residents' input."""
    activity = Activity.objects.create(
        dialogue=dialogue, method="cafe", title="Dialogcafé", slug="cafe", place="Biblioteket"
    )
    client.force_login(people["official"])
    starts = timezone.localtime() + datetime.timedelta(days=2)
    when = {
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "",
        "registration_open": "on",
    }
    assert client.post(reverse("meetings:manage", args=[activity.pk]), when).status_code == 302
    url = reverse("meetings:document", args=[activity.pk])
    page = client.get(url).content.decode()
    assert "Mötet har inte hållits ännu" in page and 'name="points"' not in page
    response = client.post(url, {"points": "Fler lampor", "channel": "meeting", "attendance": "12"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    shown = date_format(starts, "DATETIME_FORMAT")  # "6 december 2026 21:00", as every page
    assert f"det börjar {shown}. Dokumentera det när det har börjat" in html
    assert not MeetingNote.objects.exists()
    assert not Contribution.objects.filter(kind="meeting_note").exists()
    assert Meeting.objects.get(activity=activity).attendance is None

    # The meeting is moved to an hour ago: it has begun, and what came up is entered.
    started = timezone.localtime() - datetime.timedelta(hours=1)
    when["starts_at"] = started.strftime("%Y-%m-%dT%H:%M")
    when["ends_at"] = (started + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(reverse("meetings:manage", args=[activity.pk]), when).status_code == 302
    done = client.post(url, {"points": "Fler lampor", "channel": "meeting", "attendance": "12"})
    assert done.status_code == 302
    assert MeetingNote.objects.get().text == "Fler lampor"


def test_meeting_mail_can_be_stopped_from_its_link_and_the_place_stays(
    client, dialogue, people, smtp_inbox, django_capture_on_commit_callbacks
):
    """Every meeting mail carries a stop link (text and List-Unsubscribe, one click)."""
    meeting = make_meeting(dialogue, capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        register(type(client)(), meeting, email="kim@example.se")
        register(type(client)(), meeting, name="Sol", email="sol@example.se")
    first = smtp_inbox.messages[0]["message"]
    stop = first["List-Unsubscribe"].strip("<>")
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop in smtp_inbox.bodies()[0]
    path = stop.split("://", 1)[-1].split("/", 1)[-1]
    mail_client = type(client)(enforce_csrf_checks=True)  # as a mail client's one click
    assert "Ja, sluta skicka mejl" in mail_client.get(f"/{path}").content.decode()
    assert mail_client.post(f"/{path}").status_code == 200
    assert mail_client.post(f"/{path}").status_code == 200  # idempotent
    assert mail_client.get("/mejl/sluta/fel/").status_code == 404
    client.force_login(people["official"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("meetings:manage", args=[meeting.activity.pk]),
            {"cancel_meeting": "1", "reason": "Lokalen är vattenskadad."},
        )
    told = [m["to"] for m in smtp_inbox.messages[2:]]
    assert told == [["sol@example.se"]]
    assert Registration.objects.get(email="kim@example.se").status == "confirmed"
