"""Demo: young people's ideas and e-proposals with supports and comments."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.utils import timezone

from delaktig.governance.demo_context import DemoContext
from delaktig.participation.models import Method

from . import actions
from .models import Idea

YOUTH_IDEAS = [
    (
        "Skatepark vid Centrumparken",
        "Idrott",
        34,
        "Vi vill ha en skatepark med ramper för både nybörjare och de som kan mer. "
        "Den ska ha belysning så att man kan vara där på kvällen.",
    ),
    (
        "Fritidsgården öppen på helger",
        "Fritidsgård",
        27,
        "Fritidsgården är stängd på lördagar och söndagar. Då finns ingenstans att vara "
        "när det är kallt ute.",
    ),
    (
        "Gratis gym för unga",
        "Idrott",
        15,
        "Ett gym i sporthallen där unga mellan 13 och 19 kan träna gratis efter skolan.",
    ),
    (
        "Utomhusscen för musik",
        "Kultur",
        9,
        "En liten scen i parken där unga band kan spela på sommaren.",
    ),
    (
        "Bättre belysning vid elljusspåret",
        "Trygghet",
        6,
        "Det är mörkt mellan skolan och spåret. Fler lampor skulle göra det tryggare.",
    ),
    (
        "Ett kafé som drivs av unga",
        "Fritidsgård",
        3,
        "Ett sommarkafé där unga får sommarjobb och lär sig driva något själva.",
    ),
]

COMMENTS = [
    "Ja! Jag åker till grannkommunen varje helg för att skejta.",
    "Viktigt att det finns bänkar för dem som bara vill titta.",
    "Gärna med en vuxen på plats ibland.",
]


def _key(n: int, salt: str) -> str:
    return hashlib.sha256(f"demo|{salt}|{n}".encode()).hexdigest()


def _supporters(n: int) -> list[Any]:
    """Residents with verified e-mail whose support counts toward a proposal's threshold.

    Created once without a password (nobody signs in as them); anonymous demo supports
    show as interest next to theirs.
    """
    from delaktig.accounts.models import User

    have = list(User.objects.filter(username__startswith="stodjare-").order_by("pk")[:n])
    while len(have) < n:
        i = len(have) + 1
        user = User(
            username=f"stodjare-{i}@exempelby.se",
            email=f"stodjare-{i}@exempelby.se",
            email_verified_at=timezone.now(),
            connected_to_municipality=True,
        )
        user.set_unusable_password()
        user.save()
        have.append(user)
    return have


def _support(idea: Idea, salt: str, *, counted: int, interest: int) -> None:
    for n, user in enumerate(_supporters(counted)):
        actions.support_idea(idea=idea, user=user, participant_key=_key(n, salt))
    for n in range(counted, counted + interest):
        actions.support_idea(idea=idea, user=None, participant_key=_key(n, salt))


def _backdate(idea: Idea, days_ago: int) -> None:
    created = timezone.now() - datetime.timedelta(days=days_ago)
    fields = {"created_at": created}
    if idea.support_deadline is not None:
        municipality = idea.activity.dialogue.municipality
        fields["support_deadline"] = created + datetime.timedelta(
            days=municipality.proposal_support_days
        )
    Idea.objects.filter(pk=idea.pk).update(**fields)
    idea.refresh_from_db()


def load(ctx: DemoContext) -> None:
    official = ctx.users.get("strateg")
    if "open_youth" in ctx.dialogues:
        _youth(ctx, official)
    if "open" in ctx.dialogues:
        _open_proposal(ctx, official)


def _youth(ctx: DemoContext, official: object) -> None:
    workshop = ctx.activity(
        "open_youth",
        Method.IDEA_WORKSHOP,
        "Idéverkstad: din fritid",
        description="Lämna idéer om vad som ska finnas för unga på fritiden, stöd andras "
        "idéer och kommentera. Idéerna med mest stöd tas med till kultur- och fritidsnämnden.",
        simple_description="Vad vill du göra på fritiden? Skriv din idé. Du kan också "
        "trycka på Stöd idén om du gillar någon annans idé.",
        for_children=True,
    )
    for i, (title, category, supports, text) in enumerate(YOUTH_IDEAS):
        idea = actions.submit_idea(
            activity=workshop,
            user=ctx.users.get("ung") if i == 0 else None,
            participant_key=_key(i, "youth-author"),
            title=title,
            text=text,
            category=category,
        )
        _backdate(idea, 20 - 3 * i)
        for n in range(supports):
            actions.support_idea(idea=idea, user=None, participant_key=_key(n, f"youth-{i}"))
        if i == 0:
            for n, comment in enumerate(COMMENTS):
                actions.comment_on_idea(
                    idea=idea, user=None, participant_key=_key(n, "youth-comment"), text=comment
                )
            bad = actions.comment_on_idea(
                idea=idea,
                user=None,
                participant_key=_key(9, "youth-comment"),
                text="Alla som skejtar är idioter.",
            )
            actions.moderate_comment(
                comment=bad,
                official=official,
                hide=True,
                reason="Kommentaren nedvärderar en grupp. Skriv gärna igen utan det.",
            )
        if i == 1:
            actions.answer_idea(
                idea=idea,
                official=official,
                answer="Tack för idén! Fritidsgården provar öppet på lördagar 12–18 under "
                "våren. Kultur- och fritidsnämnden utvärderar försöket i juni.",
            )
    actions.enter_idea_on_paper(
        activity=workshop,
        official=official,
        title="Fler basketkorgar på skolgårdarna",
        text="Från idélådan på biblioteket.",
        category="Idrott",
        channel="paper",
        author_name="Elev i årskurs 8",
    )
    proposals = ctx.activity(
        "open_youth",
        Method.E_PROPOSAL,
        "E-förslag från unga",
        description="Lämna ett e-förslag. Får det tillräckligt många stöd inom tiden tar "
        "kommunen upp det och svarar.",
        simple_description="Skriv ett förslag. Om många stöder det måste kommunen svara.",
        for_children=True,
    )
    reached = actions.submit_idea(
        activity=proposals,
        user=None,
        participant_key=_key(1, "youth-proposal"),
        title="Gratis busskort för alla under 20 på sommarlovet",
        text="Många unga kan inte ta sig till jobb eller aktiviteter på sommaren.",
        category="Trafik",
    )
    _backdate(reached, 30)
    threshold = ctx.municipality.proposal_support_threshold
    _support(reached, "bus", counted=threshold, interest=4)
    collecting = actions.submit_idea(
        activity=proposals,
        user=None,
        participant_key=_key(2, "youth-proposal"),
        title="Vattenpark vid badplatsen",
        text="En liten vattenlekpark med sprinklers för varma dagar.",
        category="Natur",
    )
    _backdate(collecting, 19)
    _support(collecting, "water", counted=min(23, threshold - 1), interest=6)
    actions.comment_on_idea(
        idea=collecting,
        user=None,
        participant_key=_key(0, "water"),
        text="Bra för småsyskon också!",
    )


def _open_proposal(ctx: DemoContext, official: object) -> None:
    activity = ctx.activity(
        "open",
        Method.E_PROPOSAL,
        "E-förslag om Centrumparken",
        description="Har du ett förslag för Centrumparken? Lämna det som e-förslag.",
    )
    idea = actions.submit_idea(
        activity=activity,
        user=ctx.users.get("invanare"),
        participant_key=_key(1, "park-proposal"),
        title="Hundrastgård i parkens norra del",
        text="En inhägnad hundrastgård så att hundar kan springa lösa utan att störa.",
        category="Natur",
    )
    _backdate(idea, 12)
    _support(idea, "dog", counted=12, interest=5)
    expired = actions.submit_idea(
        activity=activity,
        user=None,
        participant_key=_key(2, "park-proposal"),
        title="Minigolfbana",
        text="En enkel minigolfbana vid lekplatsen.",
        category="Fritid",
    )
    for n in range(4):
        actions.support_idea(idea=expired, user=None, participant_key=_key(n, "golf"))
    _backdate(expired, ctx.municipality.proposal_support_days + 5)
