"""The demo data loads through the real actions and shows what the method can do."""

from __future__ import annotations

import pytest

from delaktig.governance.demo import build_demo
from delaktig.participation.ideas import demo
from delaktig.participation.ideas.models import Idea
from delaktig.participation.models import Contribution

pytestmark = pytest.mark.django_db


def test_demo_loads_ideas_and_e_proposals(client):
    ctx = build_demo(with_apps=False)
    demo.load(ctx)
    youth = ctx.dialogues["open_youth"]
    ideas = Idea.objects.filter(activity__dialogue=youth).with_support_count()
    assert ideas.filter(title__icontains="Skatepark").get().support_count == 34
    reached = ideas.get(title__startswith="Gratis busskort")
    assert reached.threshold_reached_at is not None
    assert ideas.filter(answer__gt="").exists()
    assert Idea.objects.filter(activity__dialogue=ctx.dialogues["open"]).exists()
    assert Contribution.objects.filter(dialogue=youth, kind="support").count() > 100
    assert Contribution.objects.filter(dialogue=youth, channel="paper").count() == 1
    workshop = ideas.first().activity
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert "Skatepark vid Centrumparken" in html
    proposal = ideas.get(title="Vattenpark vid badplatsen")
    html = client.get(f"/delta/ideer/ide/{proposal.pk}/").content.decode()
    threshold = ctx.municipality.proposal_support_threshold
    assert f"23 av {threshold} stöd, " in html and "dagar kvar" in html
