"""A resident takes part everywhere through HTTP, exports their data, deletes the account,
and is then found nowhere: not in any table, the cache or a public page.

The municipality, its dialogues and activities come from the demo that officials would
set up (`build_demo`); everything the resident does goes through the pages they would
use. The database dump reads every column of every table through the connection's own
table list, so it works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import pickle
import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from delaktig.accounts.models import Notification
from delaktig.feedback.models import ContactGiver, FeedbackContact
from delaktig.governance.demo import DEMO_PASSWORD
from delaktig.governance.models import Dialogue, Initiative
from delaktig.participation.budgets.models import Ballot, Budget
from delaktig.participation.discussions.models import Comment
from delaktig.participation.ideas.models import Idea, IdeaComment, IdeaSupport
from delaktig.participation.meetings.models import Meeting, Registration
from delaktig.participation.models import Activity, Contribution
from delaktig.participation.opinions.models import Statement, StatementVote
from delaktig.participation.surveys.models import Response
from delaktig.participation.votes.models import Vote, VoteBallot

pytestmark = pytest.mark.django_db

NAME = "Zelda Qvarnström"
EMAIL = "zelda.qvarnstrom@exempel.se"
PASSWORD = "Gron-Park-2040!"
# What must be found nowhere afterwards: the name, its parts and the address.
NEEDLES = [NAME, "Qvarnström", EMAIL, "qvarnstrom"]
IDEA_TEXT = f"Bygg en pumptrack vid fritidsgården. Hälsningar {NAME}"
IDEA_COMMENT = "Gärna med belysning på kvällen."
DISCUSSION_TEXT = "Parken behöver fler skuggiga platser att sitta på."
NEEDS = "Rullstol och teckentolk"
STATEMENT = "Parken ska vara öppen för hundar."
SURVEY_TEXT = "Mer musik på fredagar, tack."


@pytest.fixture
def demo(db: Any) -> Any:
    from delaktig.governance.demo import build_demo

    return build_demo()


def ok(response: Any) -> Any:
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', response.content.decode())
    assert response.status_code in (200, 302), (response.status_code, errors)
    return response


def link(inbox: Any, pattern: str) -> str:
    for body in reversed(inbox.bodies()):
        match = re.search(r"https?://[^/\s]+(" + pattern + r")", body)
        if match:
            return match.group(1)
    raise AssertionError(f"no {pattern} in {inbox.bodies()}")


def take_part_everywhere(client: Client, inbox: Any, capture: Any) -> dict[str, Any]:
    """Everything a resident can do, as they would do it. Returns what they made."""
    # Before having an account: an idea with "Mejla mig när återkopplingen kommer".
    ideas = Activity.objects.get(method="idea_workshop", dialogue__status="open")
    with capture(execute=True):
        ok(
            client.post(
                reverse("ideas:activity", kwargs={"activity_id": ideas.pk}),
                {
                    "title": "Skateramp",
                    "text": "Vid skolan.",
                    "category": "Idrott",
                    "feedback_optin": "1",
                    "feedback_email": EMAIL,
                },
            )
        )
    link(inbox, r"/aterkoppling/mejl/[^/\s]+/sluta/")  # the receipt, with its stop link
    opt_in_key = ContactGiver.objects.get(contact__email=EMAIL).participant_key
    with capture(execute=True):
        ok(
            client.post(
                reverse("accounts:register"),
                {
                    "email": EMAIL,
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "birth_year": "1990",
                    "display_name": NAME,
                    "attest_residency": "on",
                },
            )
        )
    ok(client.get(link(inbox, r"/konto/bekrafta/[^/\s]+/")))
    response = client.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    ok(client.post(reverse("accounts:consent"), {"purpose": "notifications", "give": "on"}))
    ok(client.post(reverse("accounts:consent"), {"purpose": "demographics", "give": "on"}))
    ok(client.post(reverse("accounts:demographics"), {"gender": "kvinna", "district": "Centrum"}))
    made: dict[str, Any] = {"opt_in_key": opt_in_key}

    # A proposal for a dialogue (G1), with name and e-mail for the answer.
    ok(
        client.post(
            reverse("governance:propose"),
            {
                "title": "Pumptrack i Centrumparken",
                "description": f"Jag, {NAME}, föreslår en dialog om en pumptrack.",
                "proposer_kind": "resident",
                "proposer_name": NAME,
                "proposer_email": EMAIL,
                "submission_key": "zelda-proposal",
            },
        )
    )
    made["initiative"] = Initiative.objects.get(submission_key="zelda-proposal")

    # An idea and a comment in an ideas activity; support for someone else's idea.
    ok(
        client.post(
            reverse("ideas:activity", kwargs={"activity_id": ideas.pk}),
            {"title": "Pumptrack", "text": IDEA_TEXT, "category": "Idrott"},
        )
    )
    made["idea"] = Idea.objects.get(title="Pumptrack")
    # The municipality answers it: a notice on "Mina uppgifter".
    official = Client()
    ok(official.post(reverse("accounts:login"), {"username": "strateg", "password": DEMO_PASSWORD}))
    answer = reverse("ideas:answer", kwargs={"idea_id": made["idea"].pk})
    ok(official.post(answer, {"answer": "Vi tittar på platsen."}))
    ok(
        client.post(
            reverse("ideas:comment", kwargs={"idea_id": made["idea"].pk}), {"text": IDEA_COMMENT}
        )
    )
    other = Idea.objects.visible().filter(activity=ideas).exclude(pk=made["idea"].pk).first()
    ok(client.post(reverse("ideas:support", kwargs={"idea_id": other.pk})))
    made["support"] = IdeaSupport.objects.get(idea=other, user=made["idea"].author)

    # A post in a discussion.
    discussion = Activity.objects.get(method="discussion", dialogue__status="open")
    ok(client.post(discussion.get_absolute_url(), {"text": DISCUSSION_TEXT}))

    # A meeting registration with support needs (possibly health data).
    meeting = Meeting.objects.filter(
        activity__dialogue__status="open", registration_open=True, capacity__isnull=False
    ).first()
    with capture(execute=True):
        ok(
            client.post(
                meeting.activity.get_absolute_url(),
                {"name": NAME, "email": EMAIL, "needs": NEEDS, "consent": "on"},
            )
        )
    made["registration"] = Registration.objects.get(needs=NEEDS)

    # Following a dialogue, confirmed from the mail.
    followed = Dialogue.objects.get(slug="framtidens-centrumpark")
    with capture(execute=True):
        ok(
            client.post(
                reverse("feedback:follow", kwargs={"slug": followed.slug}), {"email": EMAIL}
            )
        )
    ok(client.post(link(inbox, r"/aterkoppling/foljupp/[^/\s]+/bekrafta/")))

    # A statement of their own (it waits for moderation) and a position on another.
    opinions = Activity.objects.get(method="opinions", dialogue__status="open")
    ok(
        client.post(
            reverse("opinions:add", kwargs={"activity_id": opinions.pk}), {"text": STATEMENT}
        )
    )
    made["statement"] = Statement.objects.get(text=STATEMENT)
    seed = Statement.objects.published().filter(activity=opinions).first()
    ok(
        client.post(
            reverse("opinions:vote", kwargs={"activity_id": opinions.pk}),
            {"statement": seed.pk, "vote": "1"},
        )
    )

    # A ranked vote.
    vote = Vote.objects.get(activity__dialogue__status="open")
    ranks = {f"rang-{o.pk}": str(i + 1) for i, o in enumerate(vote.options.all())}
    ok(client.post(reverse("votes:activity", kwargs={"activity_id": vote.activity_id}), ranks))

    # A survey answered on one page.
    survey_activity = Activity.objects.get(survey__one_page=True, dialogue__status="open")
    questions = {q.kind: q for q in survey_activity.survey.questions.all()}
    ok(
        client.post(
            reverse("surveys:activity", kwargs={"activity_id": survey_activity.pk}),
            {
                "sida": "1",
                "action": "submit",
                f"q{questions['single'].pk}": "0",
                f"q{questions['text'].pk}": SURVEY_TEXT,
            },
        )
    )

    # A participatory-budget ballot within the budget.
    budget = Budget.objects.get(phase="voting")
    cheapest = budget.projects.filter(status="feasible").order_by("cost").first()
    ok(
        client.post(
            reverse("budgets:activity", kwargs={"activity_id": budget.activity_id}),
            {"projekt": [cheapest.pk], "action": "skicka"},
        )
    )
    user = made["idea"].author
    assert user is not None and user.email == EMAIL
    made["user"] = user
    made["opinions"], made["vote"], made["budget"] = opinions, vote, budget
    made["survey"], made["discussion"], made["ideas"] = survey_activity, discussion, ideas
    made["meeting"], made["followed"] = meeting, followed
    return made


def test_the_export_contains_everything_the_resident_made(
    demo: Any, smtp_inbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    made = take_part_everywhere(client, smtp_inbox, django_capture_on_commit_callbacks)
    user = made["user"]
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sections = {k: v["rows"] for k, v in json.loads(response.content)["sections"].items()}

    assert [r["email"] for r in sections["accounts.User"]] == [EMAIL]
    assert {r["purpose"] for r in sections["accounts.ConsentRecord"]} == {
        "notifications",
        "demographics",
    }
    assert sections["accounts.Demographics"][0]["district"] == "Centrum"
    assert [r["proposer_email"] for r in sections["governance.Initiative"]] == [EMAIL]
    assert [r["text"] for r in sections["ideas.Idea"]] == [IDEA_TEXT]
    assert [r["text"] for r in sections["ideas.IdeaComment"]] == [IDEA_COMMENT]
    assert len(sections["ideas.IdeaSupport"]) == 1
    assert [r["text"] for r in sections["discussions.Comment"]] == [DISCUSSION_TEXT]
    assert [(r["name"], r["needs"]) for r in sections["meetings.Registration"]] == [(NAME, NEEDS)]
    assert [r["email"] for r in sections["feedback.Follower"]] == [EMAIL]
    assert sections["feedback.Follower"][0]["confirmed_at"] is not None
    assert [r["text"] for r in sections["opinions.Statement"]] == [STATEMENT]
    assert [r["value"] for r in sections["opinions.StatementVote"]] == [1]
    assert len(sections["votes.VoteBallot"]) == 1
    assert len(sections["budgets.Ballot"]) == 1
    assert [r["status"] for r in sections["surveys.Response"]] == ["submitted"]
    assert SURVEY_TEXT in [r["text"] for r in sections["surveys.Answer"]]
    # Every contribution, of every kind, as the database has them.
    kinds = sorted(r["kind"] for r in sections["participation.Contribution"])
    assert kinds == sorted(Contribution.objects.filter(author=user).values_list("kind", flat=True))
    assert {"idea", "comment", "vote", "ballot", "answer"} <= set(kinds)
    assert any(r["action"] == "initiative.submitted" for r in sections["core.AuditEvent"])
    # The address given for the feedback before the account existed, and the notices.
    assert [r["email"] for r in sections["feedback.FeedbackContact"]] == [EMAIL]
    assert [r["kind"] for r in sections["accounts.Notification"]] == ["idea_answered"]

    page = client.get(reverse("accounts:export_page")).content.decode()
    for text in [EMAIL, "Pumptrack", NEEDS, STATEMENT, "Dialogcafé"]:
        assert text in page, text


def database_dump_hits(needles: list[str]) -> list[str]:
    """Every text of every column of every table (the connection's own table list)."""
    lowered = [n.lower() for n in needles]
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    text = str(value).lower()
                    hits += [f"{table}.{column}: {n}" for n in lowered if n in text]
    for session in Session.objects.all():  # the one encoded column
        text = json.dumps(session.get_decoded(), ensure_ascii=False).lower()
        hits += [f"django_session (decoded): {n}" for n in lowered if n in text]
    return hits


def _cache_items() -> Any:
    """Every key and value in the configured cache: local memory, or Redis when REDIS_URL is
    set (CI's third pass), read from the server itself."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]  # `cache` is a proxy, not the backend itself
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client()
        return ((key, client.get(key)) for key in client.scan_iter())
    stored = getattr(backend, "_cache", None)
    assert stored is not None, "the test settings use the local-memory cache"
    return stored.items()


def cache_hits(needles: list[str]) -> list[str]:
    hits = []
    for key, value in _cache_items():
        raw = value if isinstance(value, bytes) else pickle.dumps(value)
        hits += [f"cache {key}: {n}" for n in needles if n.lower().encode() in raw.lower()]
    return hits


def test_after_deletion_the_resident_is_found_nowhere(
    demo: Any, smtp_inbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    made = take_part_everywhere(client, smtp_inbox, django_capture_on_commit_callbacks)
    public = [
        reverse("ideas:idea", kwargs={"idea_id": made["idea"].pk}),
        made["ideas"].get_absolute_url(),
        made["discussion"].get_absolute_url(),
        made["meeting"].activity.get_absolute_url(),
        made["opinions"].get_absolute_url(),
        made["survey"].get_absolute_url(),
        made["vote"].activity.get_absolute_url(),
        made["budget"].activity.get_absolute_url(),
        reverse("governance:dialogue", kwargs={"slug": made["followed"].slug}),
        reverse("feedback:accountability", kwargs={"slug": made["followed"].slug}),
        reverse("governance:register"),
        "/",
    ]
    anonymous = Client()
    before = "".join(anonymous.get(url).content.decode() for url in public)
    assert NAME in before  # the check below can see a name where one is shown
    # The dump sees the name where the issue found it left behind.
    assert {
        "accounts_user.email",
        "core_auditevent.actor_label",
        "discussions_comment.author_name",
        "feedback_follower.email",
        "feedback_feedbackcontact.email",
        "governance_initiative.proposer_email",
        "ideas_idea.author_name",
        "ideas_ideacomment.author_name",
        "meetings_registration.name",
    } <= {hit.split(":")[0] for hit in database_dump_hits(NEEDLES)}
    other_device = Client()
    other_device.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    assert Session.objects.filter(session_key=other_device.session.session_key).exists()

    page = client.get(reverse("accounts:delete"))
    assert page.status_code == 200
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 302  # signed out
    assert not Session.objects.filter(session_key=other_device.session.session_key).exists()

    assert database_dump_hits(NEEDLES) == []
    assert cache_hits(NEEDLES) == []
    for url in public:
        page = anonymous.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert [n for n in NEEDLES if n.lower() in html.lower()] == [], url

    # Published contributions stay as public records, under a pseudonym.
    idea = Idea.objects.get(pk=made["idea"].pk)
    assert (idea.author_id, idea.author_name) == (None, "")
    assert idea.text == "Bygg en pumptrack vid fritidsgården. Hälsningar [borttaget]"
    assert IdeaComment.objects.get(text=IDEA_COMMENT).author_name == ""
    assert Comment.objects.get(text=DISCUSSION_TEXT).author_id is None
    idea_page = anonymous.get(reverse("ideas:idea", kwargs={"idea_id": idea.pk})).content.decode()
    assert IDEA_COMMENT in idea_page and "Anonym" in idea_page
    # The pending statement, the registration and the follow are gone; votes still count.
    assert not Statement.objects.filter(pk=made["statement"].pk).exists()
    assert not Registration.objects.filter(pk=made["registration"].pk).exists()
    assert not FeedbackContact.objects.filter(email=EMAIL).exists()
    assert not ContactGiver.objects.filter(participant_key=made["opt_in_key"]).exists()
    assert not Notification.objects.filter(kind="idea_answered").exists()
    assert StatementVote.objects.filter(statement__activity=made["opinions"]).exists()
    assert VoteBallot.objects.filter(vote=made["vote"], voter__isnull=True).exists()
    assert Ballot.objects.filter(budget=made["budget"], voter__isnull=True).exists()
    assert Response.objects.filter(survey=made["survey"].survey, author__isnull=True).exists()
    initiative = Initiative.objects.get(pk=made["initiative"].pk)
    assert (initiative.proposer_name, initiative.proposer_email) == ("", "")
    assert initiative.proposer_id is None
