"""The demo data loads through the real actions."""

from __future__ import annotations

import pytest

from delaktig.governance.demo import build_demo
from delaktig.participation.discussions import demo
from delaktig.participation.discussions.models import Comment, Report, Section
from delaktig.participation.models import Contribution

pytestmark = pytest.mark.django_db


def test_demo_loads_discussion_and_text_review(client):
    ctx = build_demo(with_apps=False)
    demo.load(ctx)
    dialogue = ctx.dialogues["open"]
    assert Section.objects.filter(discussion__activity__dialogue=dialogue).count() == 5
    assert (
        Comment.objects.filter(
            discussion__activity__dialogue=dialogue, parent__isnull=False
        ).count()
        >= 2
    )
    assert Report.objects.filter(resolved_at__isnull=True).count() == 1
    assert (
        Contribution.objects.filter(dialogue=dialogue, kind="comment").count()
        == Comment.objects.count()
    )
    review = Section.objects.first().discussion.activity
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Avsnitt 2: Lek och rörelse" in html and "rullstol" in html
