"""Discussions and text review end to end: comments, replies, reports, moderation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from delaktig.core.models import AuditEvent
from delaktig.participation.discussions.actions import split_document
from delaktig.participation.discussions.models import Comment, Discussion, Report, Section
from delaktig.participation.models import Activity, Contribution

pytestmark = pytest.mark.django_db

DOCUMENT = """# Inledning
Parken ska bli en mötesplats för alla.

2. Lek och rörelse
Vi föreslår en ny lekplats vid dammen.
Den ska vara tillgänglig för barn med rörelsehinder.

Övriga tankar utan rubrik."""


def make_activity(dialogue: Any, method: str = "discussion", **fields: Any) -> Activity:
    return Activity.objects.create(
        dialogue=dialogue, method=method, title="Samtal om parken", slug=f"s-{method}", **fields
    )


def logged_in(client: Any, user: Any) -> Any:
    other = type(client)()
    other.force_login(user)
    return other


def set_up(client: Any, people: Any, activity: Activity, **data: Any) -> Any:
    payload = {"question": "Vad vill du göra i parken?", "document_title": "", "document_text": ""}
    payload.update(data)
    return logged_in(client, people["official"]).post(
        reverse("discussions:manage", kwargs={"activity_id": activity.pk}), payload
    )


def test_split_document_numbers_sections_and_finds_headings():
    assert split_document(DOCUMENT) == [
        ("Inledning", "Parken ska bli en mötesplats för alla."),
        (
            "2. Lek och rörelse",
            "Vi föreslår en ny lekplats vid dammen.\n"
            "Den ska vara tillgänglig för barn med rörelsehinder.",
        ),
        ("", "Övriga tankar utan rubrik."),
    ]


def test_question_discussion_happy_path_with_reply(client, dialogue, people):
    activity = make_activity(dialogue)
    assert set_up(client, people, activity).status_code == 302
    assert AuditEvent.objects.filter(action="discussions.set_up").exists()
    url = activity.get_absolute_url()
    assert url == f"/delta/samtal/{activity.pk}/"
    html = client.get(url).content.decode()
    assert html.index("Så används dina synpunkter") < html.index('name="text"')
    assert "Vad vill du göra i parken?" in html
    response = client.post(url, {"text": "Fler bänkar i skuggan."})
    assert response.status_code == 302
    first = Comment.objects.get()
    reply_url = reverse("discussions:reply", kwargs={"comment_id": first.pk})
    assert client.get(reply_url).status_code == 200
    assert client.post(reply_url, {"text": "Håller med!"}).status_code == 302
    reply = Comment.objects.get(parent=first)
    # A reply to a reply joins the same thread (one level of nesting).
    client.post(reverse("discussions:reply", kwargs={"comment_id": reply.pk}), {"text": "Jag med"})
    assert Comment.objects.filter(parent=first).count() == 2
    contributions = Contribution.objects.filter(kind="comment", dialogue=dialogue)
    assert contributions.count() == 3
    assert contributions.get(source_id=str(reply.pk)).data == {"reply_to": first.pk}
    html = client.get(url).content.decode()
    assert html.index("Fler bänkar i skuggan.") < html.index("Håller med!")


def test_text_review_comments_per_section(client, dialogue, people):
    activity = make_activity(dialogue, method="text_review")
    set_up(
        client, people, activity, document_title="Planprogram Centrumparken", document_text=DOCUMENT
    )
    discussion = Discussion.objects.get(activity=activity)
    assert list(discussion.sections.values_list("number", "heading")) == [
        (1, "Inledning"),
        (2, "2. Lek och rörelse"),
        (3, ""),
    ]
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "Avsnitt 2: 2. Lek och rörelse" in html
    assert 'id="avsnitt-2-id_text"' not in html and 'id="avsnitt-2-text"' in html
    response = client.post(
        activity.get_absolute_url(), {"text": "Lekplatsen behöver staket.", "section": "2"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.section.number == 2
    contribution = Contribution.objects.get(kind="comment")
    assert contribution.data == {"section": 2, "section_heading": "2. Lek och rörelse"}
    # The document cannot be swapped once it has comments.
    response = set_up(client, people, activity, document_text="Ny text")
    assert (
        response.status_code == 409 and Section.objects.filter(discussion=discussion).count() == 3
    )


def test_invalid_section_is_404(client, dialogue, people):
    activity = make_activity(dialogue, method="text_review")
    set_up(client, people, activity, document_text=DOCUMENT)
    assert (
        client.post(activity.get_absolute_url(), {"text": "x", "section": "9"}).status_code == 404
    )


def test_closed_activity_refuses_comment_and_reply(client, dialogue):
    activity = make_activity(dialogue)
    discussion = Discussion.objects.create(activity=activity, question="?")
    parent = Comment.objects.create(discussion=discussion, text="Tidigare")
    dialogue.status = "compiling"
    dialogue.save()
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "inte öppen för deltagande" in html and 'name="text"' not in html
    assert client.post(activity.get_absolute_url(), {"text": "Sent"}).status_code == 403
    reply_url = reverse("discussions:reply", kwargs={"comment_id": parent.pk})
    assert client.post(reply_url, {"text": "Sent"}).status_code == 403
    assert Comment.objects.count() == 1 and not Contribution.objects.exists()


def test_wrong_identity_level_refused(client, dialogue, people, verify):
    activity = make_activity(dialogue, identity_level="eid")
    response = client.post(activity.get_absolute_url(), {"text": "Hej"})
    assert response.status_code == 403 and "e-legitimation" in response.content.decode()
    resident = logged_in(client, verify(people["resident"]))
    assert resident.post(activity.get_absolute_url(), {"text": "Hej"}).status_code == 403
    verify(people["resident"], "eid")
    assert resident.post(activity.get_absolute_url(), {"text": "Hej"}).status_code == 302
    assert Comment.objects.get().author == people["resident"]


def test_over_long_comment_is_400_and_nothing_saved(client, dialogue):
    activity = make_activity(dialogue)
    response = client.post(activity.get_absolute_url(), {"text": "x" * 2001})
    assert response.status_code == 400 and "Något behöver rättas" in response.content.decode()
    assert not Comment.objects.exists() and not Contribution.objects.exists()


def test_double_submission_is_idempotent(client, dialogue):
    activity = make_activity(dialogue)
    for _ in range(2):
        client.post(activity.get_absolute_url(), {"text": "En gång", "submission_key": "s1"})
    assert Comment.objects.count() == 1 and Contribution.objects.count() == 1


def test_html_is_escaped(client, dialogue, people):
    activity = make_activity(dialogue, method="text_review")
    set_up(client, people, activity, document_text="<script>alert(1)</script>\n\nAvsnitt två")
    client.post(activity.get_absolute_url(), {"text": "<img src=x onerror=alert(2)>"})
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_report_and_moderation_queue(client, dialogue, people):
    activity = make_activity(dialogue)
    discussion = Discussion.objects.create(activity=activity, question="?")
    client.post(activity.get_absolute_url(), {"text": "Idioter allihop"})
    comment = Comment.objects.get()
    report_url = reverse("discussions:report", kwargs={"comment_id": comment.pk})
    reporter = type(client)()
    assert reporter.post(report_url, {"reason": ""}).status_code == 400
    assert reporter.post(report_url, {"reason": "Personangrepp"}).status_code == 302
    assert reporter.post(report_url, {"reason": "Igen"}).status_code == 409
    assert Report.objects.count() == 1
    official = logged_in(client, people["official"])
    queue = official.get(reverse("discussions:queue")).content.decode()
    assert "Idioter allihop" in queue and "Personangrepp" in queue
    # Officials of another office do not see or moderate this dialogue's comments.
    other = logged_in(client, people["other_official"])
    assert "Idioter allihop" not in other.get(reverse("discussions:queue")).content.decode()
    moderate_url = reverse("discussions:moderate", kwargs={"comment_id": comment.pk})
    assert other.post(moderate_url, {"action": "hide", "reason": "x"}).status_code == 403
    assert official.post(moderate_url, {"action": "hide", "reason": ""}).status_code == 400
    response = official.post(
        moderate_url,
        {"action": "hide", "reason": "Bryter mot reglerna", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response.url == reverse("discussions:queue")
    comment.refresh_from_db()
    assert comment.is_hidden and Report.objects.get().resolved_by == people["official"]
    assert Contribution.objects.get(kind="comment").status == "hidden"
    assert AuditEvent.objects.get(action="discussions.comment_hidden").actor == people["official"]
    assert "Idioter allihop" not in reporter.get(activity.get_absolute_url()).content.decode()
    author_view = client.get(activity.get_absolute_url()).content.decode()
    assert "Idioter allihop" in author_view and "Bryter mot reglerna" in author_view
    official.post(moderate_url, {"action": "restore", "reason": "Ändrat beslut"})
    assert "Idioter allihop" in reporter.get(activity.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(action="discussions.comment_restored").exists()
    assert discussion.comments.count() == 1


@pytest.mark.parametrize(
    "role,manage,queue",
    [
        ("anonymous", 302, 302),
        ("resident", 403, 403),
        ("elected", 403, 403),
        ("official", 200, 200),
        ("other_official", 403, 200),
        ("strategist", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_official_pages_permission_matrix(client, dialogue, people, role, manage, queue):
    activity = make_activity(dialogue)
    if people[role] is not None:
        client.force_login(people[role])
    assert client.get(reverse("discussions:manage", args=[activity.pk])).status_code == manage
    assert client.get(reverse("discussions:queue")).status_code == queue
