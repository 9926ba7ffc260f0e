"""Warn before the feedback date, escalate after it; the public accountability page; followers."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from delaktig.feedback import actions
from delaktig.feedback.models import Follower, FollowerNotification
from delaktig.feedback.selectors import deadline_state, feedback_watchlist
from delaktig.governance.models import Alternative, DialogueStatus
from tests.feedback.factories import lead, make_dialogue

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 10)


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def watch(municipality, people):
    """Sollentuna warns 14 days ahead. One dialogue in each situation."""
    soon = make_dialogue(
        municipality, status=DialogueStatus.COMPILING, title="Snart", feedback_due=_days(5)
    )
    late = make_dialogue(
        municipality, status=DialogueStatus.FEEDBACK, title="Sen", feedback_due=_days(-3)
    )
    later = make_dialogue(
        municipality, status=DialogueStatus.FEEDBACK, title="Senare", feedback_due=_days(30)
    )
    done = make_dialogue(
        municipality, status=DialogueStatus.FEEDBACK, title="Klar", feedback_due=_days(-3)
    )
    decided = make_dialogue(
        municipality, status=DialogueStatus.DECIDED, title="Beslutad", feedback_due=_days(-40)
    )
    for d in (soon, late, later, done, decided):
        lead(d, leader=people["process_leader"], owner=people["official"])
    actions.save_feedback(
        actor=people["admin"], dialogue=done, results_summary="R", participation_effect="E"
    )
    actions.publish_feedback(actor=people["admin"], dialogue=done)
    return {"soon": soon, "late": late, "later": later, "done": done, "decided": decided}


def test_deadline_states(watch):
    assert deadline_state(watch["soon"], TODAY).state == "upcoming"
    assert deadline_state(watch["soon"], TODAY).days_left == 5
    assert deadline_state(watch["late"], TODAY).state == "overdue"
    assert deadline_state(watch["later"], TODAY).state == "ok"
    assert deadline_state(watch["done"], TODAY).state == "published"
    assert deadline_state(watch["decided"], TODAY).state == "none"


def test_watchlist_lists_upcoming_and_overdue(municipality, watch):
    result = feedback_watchlist(municipality, today=TODAY)
    assert [r["dialogue"].title for r in result["upcoming"]] == ["Snart"]
    assert [r["dialogue"].title for r in result["overdue"]] == ["Sen"]
    assert result["overdue"][0]["days_late"] == 3


def test_remind_command_warns_and_escalates_once_a_day(watch, people, smtp_inbox):
    call_command("feedback", "remind", date=TODAY.isoformat())
    # Process leader, process owner and the strategist, for each of the two dialogues.
    sent = sorted((m["to"][0], m["message"]["Subject"]) for m in smtp_inbox.messages)
    assert sent == [
        ("official@exempelby.se", "Försenad återkoppling: ”Sen”"),
        ("official@exempelby.se", "Påminnelse: återkoppling för ”Snart”"),
        ("process_leader@exempelby.se", "Försenad återkoppling: ”Sen”"),
        ("process_leader@exempelby.se", "Påminnelse: återkoppling för ”Snart”"),
        ("strategist@exempelby.se", "Försenad återkoppling: ”Sen”"),
        ("strategist@exempelby.se", "Påminnelse: återkoppling för ”Snart”"),
    ]
    overdue_body = next(
        m["message"].get_body(("plain",)).get_content()
        for m in smtp_inbox.messages
        if m["message"]["Subject"].startswith("Försenad")
    )
    assert "3 dagar försenad" in overdue_body

    call_command("feedback", "remind", date=TODAY.isoformat())
    assert len(smtp_inbox.messages) == 6  # same day: nothing again

    call_command("feedback", "remind", date=_days(1).isoformat())
    assert len(smtp_inbox.messages) == 12  # the next day it reminds again


def test_remind_command_refuses_a_bad_date(watch):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("feedback", "remind", date="10 juni")


def test_overview_page_shows_overdue_and_upcoming(client, people, municipality):
    today = timezone.localdate()
    make_dialogue(
        municipality, title="Försenad dialog", feedback_due=today - datetime.timedelta(days=2)
    )
    make_dialogue(
        municipality, title="Snart dags dialog", feedback_due=today + datetime.timedelta(days=3)
    )
    make_dialogue(
        municipality, title="Långt kvar", feedback_due=today + datetime.timedelta(days=90)
    )
    client.force_login(people["official"])
    html = client.get("/aterkoppling/handlaggning/").content.decode()
    overdue, upcoming = html.split('id="snart"')
    assert "Försenad dialog" in overdue and "Snart dags dialog" not in overdue
    assert "Snart dags dialog" in upcoming
    assert "Långt kvar" not in html
    client.force_login(people["resident"])
    assert client.get("/aterkoppling/handlaggning/").status_code == 403


@pytest.fixture
def decided(municipality, people):
    d = make_dialogue(municipality, status=DialogueStatus.FEEDBACK, title="Parkleken")
    alt = Alternative.objects.create(dialogue=d, title="Förslag A: klätterställning")
    actions.save_feedback(
        actor=people["official"],
        dialogue=d,
        results_summary="312 svar. Flest ville ha en klätterställning.",
        participation_effect="Klätterställningen lades till i planen.",
        next_steps="Nämnden beslutar i mars.",
    )
    actions.publish_feedback(actor=people["official"], dialogue=d)
    d.status = DialogueStatus.DECIDED
    d.final_decision_summary = "Lekplatsen byggs om 2027."
    d.save()
    actions.record_handling(
        actor=people["official"],
        dialogue=d,
        title="",
        alternative=alt,
        outcome="adopted",
        reason="Flest ville ha den.",
    )
    actions.record_handling(
        actor=people["official"],
        dialogue=d,
        title="Plaskdamm",
        outcome="not_adopted",
        reason="För dyr i drift <script>alert(1)</script>",
    )
    return d


def test_accountability_page_shows_feedback_decision_and_handling(client, decided, people):
    handling = decided.handlings.get(title="Förslag A: klätterställning")
    actions.update_implementation(
        actor=people["official"],
        handling=handling,
        implementation_status="done",
        implementation_date=datetime.date(2026, 5, 2),
        implementation_note="Invigd på nationaldagen.",
    )
    response = client.get(f"/aterkoppling/{decided.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "312 svar. Flest ville ha en klätterställning." in html
    assert "Klätterställningen lades till i planen." in html
    assert "Lekplatsen byggs om 2027." in html
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td>", html)
    assert rows == [
        ("Förslag A: klätterställning", "Genomförs"),
        ("Plaskdamm", "Genomförs inte"),
    ]
    assert "Klar" in html and "2 maj 2026" in html and "Invigd på nationaldagen." in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_dialogue_page_partial_renders_with_dialogue_from_context(rf, decided):
    from django.template.loader import render_to_string

    html = render_to_string(
        "feedback/includes/dialogue_feedback.html", {"dialogue": decided}, request=rf.get("/")
    )
    assert "Så påverkade deltagandet processen" in html
    assert "Genomförs inte" in html
    assert f"/aterkoppling/{decided.slug}/" in html


def test_unpublished_feedback_is_not_shown(client, municipality, people):
    d = make_dialogue(municipality, status=DialogueStatus.FEEDBACK, title="Hemlig")
    actions.save_feedback(
        actor=people["official"], dialogue=d, results_summary="Utkasttext", participation_effect="E"
    )
    html = client.get(f"/aterkoppling/{d.slug}/").content.decode()
    assert "Utkasttext" not in html
    assert "Återkopplingen kommer senast" in html


def test_follow_double_opt_in_notify_and_unsubscribe(
    client, decided, people, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/aterkoppling/{decided.slug}/folj/", {"email": "Eva@Exempel.se"})
    assert response.status_code == 200
    follower = Follower.objects.get()
    assert follower.email == "eva@exempel.se" and not follower.is_active
    assert len(smtp_inbox.messages) == 1
    confirm_body = smtp_inbox.bodies()[0]
    link = re.search(r"http://\S+/bekrafta/", confirm_body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    # Following again before confirming sends no second link right away.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/aterkoppling/{decided.slug}/folj/", {"email": "eva@exempel.se"})
    assert len(smtp_inbox.messages) == 1

    # Changes before confirmation are not mailed.
    handling = decided.handlings.get(title="Plaskdamm")
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_implementation(
            actor=people["official"],
            handling=handling,
            implementation_status="planned",
            implementation_date=None,
        )
    assert len(smtp_inbox.messages) == 1

    assert client.get("/" + path).status_code == 200  # a GET only shows the button
    follower.refresh_from_db()
    assert not follower.is_active
    client.post("/" + path)
    follower.refresh_from_db()
    assert follower.is_active

    with django_capture_on_commit_callbacks(execute=True):
        actions.update_implementation(
            actor=people["official"],
            handling=handling,
            implementation_status="in_progress",
            implementation_date=None,
            implementation_note="Utredning pågår.",
        )
    assert len(smtp_inbox.messages) == 2
    notice = smtp_inbox.messages[1]["message"]
    assert notice["Subject"] == "Nytt om ”Parkleken”"
    assert "List-Unsubscribe" in notice
    text = notice.get_body(("plain",)).get_content()
    assert "Plaskdamm: Genomförs inte" in text and "Pågår" in text
    assert FollowerNotification.objects.count() == 1

    # The same change is never mailed twice.
    from delaktig.feedback.tasks import notify_followers

    notify_followers.call(decided.pk, FollowerNotification.objects.get().key)
    assert len(smtp_inbox.messages) == 2

    unsubscribe = re.search(r"http://\S+/sluta-folja/", text).group(0)
    client.post("/" + unsubscribe.split("://", 1)[1].split("/", 1)[1])
    follower.refresh_from_db()
    assert not follower.is_active
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_implementation(
            actor=people["official"],
            handling=handling,
            implementation_status="not_done",
            implementation_date=datetime.date(2026, 4, 1),
        )
    assert len(smtp_inbox.messages) == 2


def test_unknown_follow_token_is_404(client, municipality):
    assert client.get("/aterkoppling/foljupp/finns-inte/bekrafta/").status_code == 404
