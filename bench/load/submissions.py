"""Fixtures for the submission load test, made in the bench database through the app's own
actions: an anonymous one-page survey, an idea residents support anonymously, and a vote
for verified residents with one signed-in session each (one person, one vote).

    DJANGO_SETTINGS_MODULE=... python -m bench.load.submissions VOTERS COOKIE_FILE
    DJANGO_SETTINGS_MODULE=... python -m bench.load.submissions count FIXTURES_JSON

The first prints one JSON object: the activity and idea ids and the form fields to post.
The second prints what was stored: one row per acknowledged submission, and no person
counted twice.
"""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any

import django


def main(voters: int, cookie_file: str) -> dict[str, object]:
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from delaktig.accounts.models import User
    from delaktig.governance.models import Dialogue, DialogueStatus
    from delaktig.participation.ideas import actions as ideas
    from delaktig.participation.models import Activity, IdentityLevel, Method
    from delaktig.participation.surveys import actions as surveys
    from delaktig.participation.surveys.models import QuestionKind
    from delaktig.participation.votes import actions as votes

    official = User.objects.filter(is_superuser=True).first() or User.objects.first()
    dialogue = Dialogue.objects.filter(status=DialogueStatus.OPEN).order_by("pk").first()
    assert dialogue is not None, "the demo has an open dialogue"
    now = timezone.now()

    def activity(method: str, title: str, identity: str) -> Activity:
        return Activity.objects.create(
            dialogue=dialogue,
            method=method,
            title=title,
            slug=f"last-{method}",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=30),
            identity_level=identity,
        )

    survey_activity = activity(Method.SURVEY, "Lasttest: enkät", IdentityLevel.ANONYMOUS)
    survey = surveys.ensure_survey(
        activity=survey_activity, actor=official, one_page=True, ask_demographics=False
    )
    single = surveys.add_question(
        survey=survey,
        actor=official,
        kind=QuestionKind.SINGLE,
        label="Besöker du parken?",
        options=["Ja", "Nej"],
        required=True,
    )
    scale = surveys.add_question(
        survey=survey, actor=official, kind=QuestionKind.SCALE, label="Hur trivs du?"
    )
    text = surveys.add_question(
        survey=survey, actor=official, kind=QuestionKind.TEXT, label="Vad saknar du?"
    )

    idea_activity = activity(Method.IDEA_WORKSHOP, "Lasttest: idéer", IdentityLevel.ANONYMOUS)
    idea = ideas.submit_idea(
        activity=idea_activity,
        user=official,
        participant_key="bench",
        title="Fler bänkar",
        text="Vid dammen.",
    )

    vote_activity = activity(Method.VOTE, "Lasttest: omröstning", IdentityLevel.EMAIL)
    vote = votes.create_vote(
        activity=vote_activity, by=official, question="Vilket förslag?", options=["A", "B", "C"]
    )
    option = vote.options.order_by("order").first()
    assert option is not None

    users = User.objects.bulk_create(
        User(username=f"last{i}", email_verified_at=now, password="!") for i in range(voters)
    )
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = "django.contrib.auth.backends.ModelBackend"
    with open(cookie_file, "w") as out:
        for user in users:
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = backend
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            out.write(f"{session.session_key}\n")
    return {
        "survey_activity": survey_activity.pk,
        "survey_fields": {
            "sida": "1",
            "action": "submit",
            f"q{single.pk}": "0",
            f"q{scale.pk}": "4",
            f"q{text.pk}": "Mer skugga och fler bänkar.",
        },
        "idea": idea.pk,
        "vote_activity": vote_activity.pk,
        "vote_fields": {"alternativ": str(option.pk)},
    }


def count(fixtures: dict[str, Any]) -> dict[str, int]:
    django.setup()
    from django.db.models import Count

    from delaktig.participation.ideas.models import IdeaSupport
    from delaktig.participation.surveys.models import Response, ResponseStatus
    from delaktig.participation.votes.models import VoteBallot

    ballots = VoteBallot.objects.filter(vote__activity_id=fixtures["vote_activity"])
    return {
        "survey responses submitted": Response.objects.filter(
            survey__activity_id=fixtures["survey_activity"], status=ResponseStatus.SUBMITTED
        ).count(),
        "idea supports": IdeaSupport.objects.filter(idea_id=fixtures["idea"]).count(),
        "vote ballots": ballots.count(),
        "voters with more than one ballot": ballots.values("voter")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
    }


if __name__ == "__main__":
    if sys.argv[1] == "count":
        print(json.dumps(count(json.loads(sys.argv[2]))))
    else:
        print(json.dumps(main(int(sys.argv[1]), sys.argv[2])))
