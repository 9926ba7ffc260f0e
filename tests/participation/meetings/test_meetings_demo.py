"""The demo data loads through the real actions."""

from __future__ import annotations

import pytest

from delaktig.governance.demo import build_demo
from delaktig.participation.meetings import demo
from delaktig.participation.meetings.models import Meeting, MeetingNote, Registration
from delaktig.participation.models import Contribution

pytestmark = pytest.mark.django_db


def test_demo_loads_meetings_registrations_and_documentation(client):
    ctx = build_demo(with_apps=False)
    demo.load(ctx)
    open_meetings = Meeting.objects.filter(activity__dialogue=ctx.dialogues["open"])
    assert open_meetings.count() == 2
    space = open_meetings.get(activity__method="open_space")
    assert space.confirmed_count() == 12 and space.waiting_count() == 2
    assert (
        Registration.objects.filter(meeting__activity__dialogue=ctx.dialogues["announced"]).count()
        == 9
    )
    for key in ["compiling", "feedback", "decided"]:
        dialogue = ctx.dialogues[key]
        notes = MeetingNote.objects.filter(meeting__activity__dialogue=dialogue).count()
        assert notes > 0
        assert Contribution.objects.filter(dialogue=dialogue, kind="meeting_note").count() == notes
    assert Contribution.objects.filter(channel="interview").count() == 2
    cafe = open_meetings.get(activity__method="cafe")
    html = client.get(cafe.activity.get_absolute_url()).content.decode()
    assert "8 av 30 platser kvar" in html and "Hörslinga" in html
