"""Ideas and e-proposals end to end through the resident and official pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.governance.walk import verified_resident

from delaktig.core.models import AuditEvent
from delaktig.participation.ideas.models import Idea, IdeaComment, IdeaSupport
from delaktig.participation.models import Activity, Contribution

pytestmark = pytest.mark.django_db


def make_activity(dialogue: Any, method: str = "idea_workshop", **fields: Any) -> Activity:
    return Activity.objects.create(
        dialogue=dialogue, method=method, title="Idéer för unga", slug=f"a-{method}", **fields
    )


def submit(client: Any, activity: Activity, **data: Any) -> Any:
    payload = {"title": "Skatepark vid Centrum", "text": "Bygg en skatepark.", "category": ""}
    payload.update(data)
    return client.post(reverse("ideas:activity", kwargs={"activity_id": activity.pk}), payload)


def test_entry_page_shows_influence_and_input_use_before_the_form(client, dialogue):
    activity = make_activity(dialogue)
    response = client.get(activity.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert activity.get_absolute_url() == f"/delta/ideer/{activity.pk}/"
    assert "Grad av inflytande" in html and "Inflytande" in html
    assert html.index("Så används dina synpunkter") < html.index('name="title"')
    assert html.index(dialogue.input_use) < html.index('name="text"')


def test_anonymous_resident_submits_idea_and_it_becomes_a_contribution(client, dialogue):
    activity = make_activity(dialogue)
    response = submit(client, activity, category="Idrott")
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("ideas:idea", kwargs={"idea_id": idea.pk})
    contribution = Contribution.objects.get(kind="idea")
    assert contribution.source_type == "ideas.Idea" and contribution.source_id == str(idea.pk)
    assert (
        contribution.channel == "digital" and contribution.participant_key == idea.participant_key
    )
    assert contribution.data == {"title": "Skatepark vid Centrum", "category": "Idrott"}
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Skatepark vid Centrum" in page


def test_double_submission_with_same_key_saves_one_idea(client, dialogue):
    activity = make_activity(dialogue)
    submit(client, activity, submission_key="abc123")
    submit(client, activity, submission_key="abc123")
    assert Idea.objects.count() == 1
    assert Contribution.objects.count() == 1


def test_closed_activity_refuses_and_saves_nothing(client, dialogue):
    dialogue.status = "compiling"
    dialogue.save()
    activity = make_activity(dialogue)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "inte öppen för deltagande" in page and 'name="title"' not in page
    response = submit(client, activity)
    assert response.status_code == 403
    assert Idea.objects.count() == 0 and Contribution.objects.count() == 0


def test_activity_closed_by_date_refuses(client, dialogue):
    activity = make_activity(dialogue, closes_at=timezone.now() - datetime.timedelta(hours=1))
    assert submit(client, activity).status_code == 403
    assert not Idea.objects.exists()


def test_wrong_identity_level_is_refused_and_verified_resident_may(
    client, dialogue, people, verify
):
    activity = make_activity(dialogue, identity_level="email")
    response = submit(client, activity)
    assert response.status_code == 403
    assert "verifierad e-post" in response.content.decode()
    client.force_login(people["resident"])
    assert submit(client, activity).status_code == 403
    verify(people["resident"])
    assert submit(client, activity).status_code == 302
    assert Idea.objects.get().author == people["resident"]


def test_eid_activity_refuses_email_level(client, dialogue, people, verify):
    activity = make_activity(dialogue, identity_level="eid")
    client.force_login(verify(people["resident"]))
    response = submit(client, activity)
    assert response.status_code == 403 and "e-legitimation" in response.content.decode()
    verify(people["resident"], "eid")
    assert submit(client, activity).status_code == 302


@pytest.mark.parametrize("field,length", [("title", 121), ("text", 4001), ("category", 61)])
def test_over_long_input_is_400_and_nothing_saved(client, dialogue, field, length):
    activity = make_activity(dialogue)
    response = submit(client, activity, **{field: "x" * length})
    assert response.status_code == 400
    assert "Något behöver rättas" in response.content.decode()
    assert Idea.objects.count() == 0 and Contribution.objects.count() == 0


def test_empty_idea_is_400(client, dialogue):
    activity = make_activity(dialogue)
    assert submit(client, activity, title="", text="").status_code == 400


def test_html_and_script_are_rendered_escaped(client, dialogue):
    activity = make_activity(dialogue)
    evil = '<script>alert("x")</script><b>fet</b>'
    submit(client, activity, title=evil, text=evil)
    idea = Idea.objects.get()
    client.post(reverse("ideas:comment", kwargs={"idea_id": idea.pk}), {"text": evil})
    for url in [activity.get_absolute_url(), reverse("ideas:idea", kwargs={"idea_id": idea.pk})]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>fet</b>" not in html
        assert "&lt;script&gt;alert" in html


def test_support_once_per_participant(client, dialogue):
    activity = make_activity(dialogue)
    submit(client, activity)
    idea = Idea.objects.get()
    url = reverse("ideas:support", kwargs={"idea_id": idea.pk})
    assert client.post(url).status_code == 302
    # Again (a double click, a resend): answered as the support already counted.
    assert client.post(url).status_code == 302
    assert IdeaSupport.objects.count() == 1
    assert Contribution.objects.filter(kind="support").count() == 1
    other = type(client)()
    assert other.post(url).status_code == 302
    assert IdeaSupport.objects.filter(idea=idea).count() == 2


def test_unique_constraint_holds_at_database_level(dialogue):
    from django.db import IntegrityError, transaction

    activity = make_activity(dialogue)
    idea = Idea.objects.create(activity=activity, title="t", text="t")
    IdeaSupport.objects.create(idea=idea, participant_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaSupport.objects.create(idea=idea, participant_key="k")


def test_support_refused_when_activity_closed(client, dialogue):
    activity = make_activity(dialogue)
    idea = Idea.objects.create(activity=activity, title="t", text="t")
    dialogue.status = "compiling"
    dialogue.save()
    response = client.post(reverse("ideas:support", kwargs={"idea_id": idea.pk}))
    assert response.status_code == 403 and not IdeaSupport.objects.exists()


def test_e_proposal_threshold_period_and_progress(client, dialogue, municipality):
    municipality.proposal_support_threshold = 3
    municipality.proposal_support_days = 41
    municipality.save()
    activity = make_activity(dialogue, method="e_proposal")
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "3 stöd inom 41 dagar" in page
    submit(client, activity)
    idea = Idea.objects.get()
    assert idea.support_threshold == 3
    assert idea.support_deadline - idea.created_at == datetime.timedelta(days=41)
    url = reverse("ideas:support", kwargs={"idea_id": idea.pk})
    # Only verified accounts count toward the threshold (test_threshold_needs_a_person.py).
    verified_resident("stod-1@exempel.se").post(url)
    detail = reverse("ideas:idea", kwargs={"idea_id": idea.pk})
    assert "1 av 3 stöd, 41 dagar kvar" in client.get(detail).content.decode()
    for n in range(2, 4):
        verified_resident(f"stod-{n}@exempel.se").post(url)
    idea.refresh_from_db()
    assert idea.threshold_reached_at is not None
    html = client.get(detail).content.decode()
    assert "3 av 3 stöd" in html and "Har nått målet" in html


def test_e_proposal_expires_and_refuses_support(client, dialogue, municipality):
    activity = make_activity(dialogue, method="e_proposal")
    submit(client, activity)
    idea = Idea.objects.get()
    idea.support_deadline = timezone.now() - datetime.timedelta(minutes=1)
    idea.save()
    detail = reverse("ideas:idea", kwargs={"idea_id": idea.pk})
    html = client.get(detail).content.decode()
    assert "0 av 50 stöd" in html and "Tiden har gått ut" in html
    response = type(client)().post(reverse("ideas:support", kwargs={"idea_id": idea.pk}))
    assert response.status_code == 403 and not IdeaSupport.objects.exists()


def test_lists_sort_by_newest_and_most_supported(client, dialogue):
    activity = make_activity(dialogue)
    old = Idea.objects.create(
        activity=activity,
        title="Fritidsgård öppen på helger",
        text="t",
        created_at=timezone.now() - datetime.timedelta(days=2),
    )
    Idea.objects.create(activity=activity, title="Skatepark", text="t")
    for key in ["a", "b"]:
        IdeaSupport.objects.create(idea=old, participant_key=key)
    newest = client.get(activity.get_absolute_url()).content.decode()
    assert newest.index("Skatepark") < newest.index("Fritidsgård")
    most = client.get(activity.get_absolute_url() + "?ordning=stod").content.decode()
    assert most.index("Fritidsgård") < most.index("Skatepark")


def test_comment_becomes_contribution_and_over_long_comment_is_400(client, dialogue):
    activity = make_activity(dialogue)
    idea = Idea.objects.create(activity=activity, title="t", text="t")
    url = reverse("ideas:comment", kwargs={"idea_id": idea.pk})
    assert client.post(url, {"text": "Bra idé!", "submission_key": "k1"}).status_code == 302
    assert client.post(url, {"text": "Bra idé!", "submission_key": "k1"}).status_code == 302
    assert client.post(url, {"text": "x" * 2001}).status_code == 400
    comment = IdeaComment.objects.get()
    c = Contribution.objects.get(kind="comment")
    assert c.source_id == str(comment.pk) and c.data == {"idea_id": idea.pk}


def test_moderation_with_reason_author_sees_reason_public_does_not(client, dialogue, people):
    activity = make_activity(dialogue)
    submit(client, activity, title="Olämplig idé")
    idea = Idea.objects.get()
    official = type(client)()
    official.force_login(people["official"])
    url = reverse("ideas:moderate", kwargs={"idea_id": idea.pk})
    assert official.post(url, {"action": "hide", "reason": ""}).status_code == 400
    response = official.post(url, {"action": "hide", "reason": "Innehåller personangrepp."})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.is_hidden
    assert Contribution.objects.get(kind="idea").status == "hidden"
    event = AuditEvent.objects.get(action="ideas.idea_hidden")
    assert event.actor == people["official"] and event.data["reason"] == "Innehåller personangrepp."
    # The author (same session) still sees it, with the reason.
    detail = reverse("ideas:idea", kwargs={"idea_id": idea.pk})
    author_view = client.get(detail)
    assert (
        author_view.status_code == 200
        and "Innehåller personangrepp." in author_view.content.decode()
    )
    assert "Innehåller personangrepp." in client.get(activity.get_absolute_url()).content.decode()
    # Others do not.
    stranger = type(client)()
    assert stranger.get(detail).status_code == 404
    assert "Olämplig idé" not in stranger.get(activity.get_absolute_url()).content.decode()
    official.post(url, {"action": "restore", "reason": "Ändrad efter kontakt."})
    assert stranger.get(detail).status_code == 200
    assert AuditEvent.objects.filter(action="ideas.idea_restored").count() == 1


def test_comment_moderation(client, dialogue, people):
    activity = make_activity(dialogue)
    idea = Idea.objects.create(activity=activity, title="t", text="t")
    client.post(reverse("ideas:comment", kwargs={"idea_id": idea.pk}), {"text": "Dumt svar"})
    comment = IdeaComment.objects.get()
    official = type(client)()
    official.force_login(people["official"])
    official.post(
        reverse("ideas:moderate_comment", kwargs={"comment_id": comment.pk}),
        {"action": "hide", "reason": "Kränkande"},
    )
    comment.refresh_from_db()
    assert comment.is_hidden
    assert (
        "Dumt svar"
        not in type(client)()
        .get(reverse("ideas:idea", kwargs={"idea_id": idea.pk}))
        .content.decode()
    )
    assert (
        "Kränkande"
        in client.get(reverse("ideas:idea", kwargs={"idea_id": idea.pk})).content.decode()
    )
    assert AuditEvent.objects.filter(action="ideas.comment_hidden").exists()


def test_official_answer_is_published_and_audited(client, dialogue, people):
    activity = make_activity(dialogue, method="e_proposal")
    idea = Idea.objects.create(activity=activity, title="t", text="t", support_threshold=50)
    url = reverse("ideas:answer", kwargs={"idea_id": idea.pk})
    client.force_login(people["resident"])
    assert client.post(url, {"answer": "Nej"}).status_code == 403
    client.force_login(people["official"])
    assert client.post(url, {"answer": ""}).status_code == 400
    assert client.post(url, {"answer": "Nämnden beslutar i juni."}).status_code == 302
    html = type(client)().get(reverse("ideas:idea", kwargs={"idea_id": idea.pk})).content.decode()
    assert "Kommunens svar" in html and "Nämnden beslutar i juni." in html
    event = AuditEvent.objects.get(action="ideas.answered")
    assert event.actor == people["official"] and event.object_id == str(idea.pk)


def test_paper_idea_entered_by_official_counts_like_digital(client, dialogue, people):
    activity = make_activity(dialogue)
    submit(client, activity)
    official = type(client)()
    official.force_login(people["official"])
    response = official.post(
        reverse("ideas:manage", kwargs={"activity_id": activity.pk}),
        {"title": "Fler bänkar", "text": "Från lapp i biblioteket", "channel": "paper"},
    )
    assert response.status_code == 302
    ideas = Contribution.objects.filter(dialogue=dialogue, kind="idea")
    assert ideas.count() == 2
    paper = ideas.get(channel="paper")
    assert paper.entered_by == people["official"] and paper.author is None
    assert AuditEvent.objects.filter(action="contribution.entered").count() == 1
    assert "Fler bänkar" in client.get(activity.get_absolute_url()).content.decode()


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
def test_manage_page_permission_matrix(client, dialogue, people, role, status):
    activity = make_activity(dialogue)
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(reverse("ideas:manage", kwargs={"activity_id": activity.pk}))
    assert response.status_code == status


def test_unknown_method_activity_is_404(client, dialogue):
    activity = make_activity(dialogue, method="survey")
    assert (
        client.get(reverse("ideas:activity", kwargs={"activity_id": activity.pk})).status_code
        == 404
    )


def test_english_translation_of_the_entry_page(client, dialogue, settings):
    activity = make_activity(dialogue, method="e_proposal")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "How your input is used" in html and "Submit an e-proposal" in html
    assert "Så används dina synpunkter" not in html
