"""F2: the feedback reaches every participant who can be reached, once, with the least data.

A dialogue is taken to open through the back office (tests/governance/walk.py); residents
then take part in every method, anonymously with the optional "Mejla mig när
återkopplingen kommer" or signed in, officials enter paper and meeting input, and the
feedback is published over HTTP. Who got the e-mail and the notice is asserted exactly.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from delaktig.accounts.models import Notification, User
from delaktig.feedback import actions as feedback_actions
from delaktig.feedback.models import (
    MAX_DELIVERY_ATTEMPTS,
    FeedbackContact,
    FeedbackDelivery,
)
from delaktig.feedback.selectors import Reach, feedback_reach
from delaktig.governance.models import DialogueStatus
from delaktig.organisation.models import Gate
from delaktig.participation.budgets import actions as budget_actions
from delaktig.participation.budgets.models import Phase, ProjectStatus
from delaktig.participation.discussions import actions as discussion_actions
from delaktig.participation.meetings.models import Meeting
from delaktig.participation.models import Contribution
from delaktig.participation.opinions import actions as opinion_actions
from delaktig.participation.surveys import actions as survey_actions
from delaktig.participation.surveys.models import QuestionKind
from delaktig.participation.votes import actions as vote_actions
from delaktig.results.selectors import participants
from tests.governance.walk import PASSWORD, Walk, post_ok, sign_in

# Transactional, so the delivery task runs after commit as in production.
pytestmark = pytest.mark.django_db(transaction=True)

METHODS = [
    ("survey", "Enkät"),
    ("idea_workshop", "Idéverkstad"),
    ("discussion", "Diskussion"),
    ("opinions", "Påståenden"),
    ("vote", "Omröstning"),
    ("budget", "Medborgarbudget"),
    ("cafe", "Dialogcafé"),
]


def opt_in(email: str) -> dict[str, str]:
    return {"feedback_optin": "1", "feedback_email": email}


def open_idea_workshop(municipality: Any, title: str) -> tuple[Walk, int]:
    """A proposed dialogue taken to open through the back office, with its idea workshop."""
    walk = Walk.begin(municipality, title, email="forslag@exempel.se")
    walk.to_open()
    return walk, walk.dialogue.activities.get(method="idea_workshop").pk


def give_idea(client: Client, activity: int, key: str, email: str = "") -> None:
    """A resident's idea, with "Mejla mig när återkopplingen kommer" when `email` is given."""
    post_ok(
        client,
        f"/delta/ideer/{activity}/",
        {"title": f"Idé {key}", "text": "Skugga.", "category": "", "submission_key": key}
        | (opt_in(email) if email else {}),
    )


def mail_server_down(monkeypatch: Any) -> dict[str, bool]:
    """The feedback app's mail fails until the returned switch's "yes" is set to False."""
    from delaktig.feedback import mail

    real_send = mail.send
    down = {"yes": True}

    def flaky(**kwargs: Any) -> None:
        if down["yes"]:
            raise OSError("Servern svarar inte")
        real_send(**kwargs)

    monkeypatch.setattr(mail, "send", flaky)
    return down


def feedback_mail(inbox: Any) -> list[Any]:
    """The feedback e-mails (the proposer also gets mail about the dialogue's steps)."""
    return [m for m in inbox.messages if str(m["message"]["Subject"]).startswith("Återkoppling")]


def resident(username: str, email: str) -> Client:
    """A resident with a verified account, signed in."""
    user = User.objects.create_user(username=username, password=PASSWORD, email=email)
    user.email_verified_at = timezone.now()
    user.connected_to_municipality = True
    user.birth_year = timezone.localdate().year - 30
    user.save()
    client = Client()
    sign_in(client, username)
    return client


def open_dialogue(municipality: Any) -> tuple[Walk, dict[str, int]]:
    walk = Walk.begin(municipality, "Parken vid ån", email="Forslag@Exempel.se")
    walk.to_decided_to_conduct()
    ids = {method: walk.add_activity(method, title) for method, title in METHODS}
    walk.step("announce", "announced")
    walk.step("open", "open")
    official = walk.official
    activities = {a.method: a for a in walk.dialogue.activities.all()}
    # The officials set up each method (their own forms are tested in each app).
    survey = survey_actions.ensure_survey(
        activity=activities["survey"], actor=official, one_page=True
    )
    survey_actions.add_question(
        survey=survey,
        actor=official,
        kind=QuestionKind.SINGLE,
        label="Besöker du parken?",
        options=["Ja", "Nej"],
        page=1,
    )
    discussion_actions.set_up_discussion(
        activity=activities["discussion"], official=official, question="Vad behöver parken?"
    )
    opinion_actions.add_seed_statement(
        activity=activities["opinions"], actor=official, text="Parken behöver fler bänkar."
    )
    vote_actions.create_vote(
        activity=activities["vote"], by=official, question="Vad först?", options=["Bänkar", "Lek"]
    )
    budget = budget_actions.create_budget(
        activity=activities["budget"], by=official, total=Decimal(100_000), ballot_type="approval"
    )
    budget.projects.create(
        title="Bänkar",
        description="Fler bänkar.",
        cost=Decimal(30_000),
        status=ProjectStatus.FEASIBLE,
        review_reason="Genomförbart.",
    )
    budget.phase = Phase.VOTING
    budget.save()
    starts = timezone.now() + datetime.timedelta(days=3)
    Meeting.objects.create(
        activity=activities["cafe"], starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    return walk, ids


def take_part(walk: Walk, ids: dict[str, int]) -> None:
    # Anonymous residents, each asking for the feedback once or not at all.
    a, b, c, quiet = Client(), Client(), Client(), Client()
    survey_q = walk.dialogue.activities.get(method="survey").survey.questions.get()
    post_ok(
        a,
        f"/delta/enkat/{ids['survey']}/",
        {"sida": "1", "action": "submit", f"q{survey_q.pk}": "0", **opt_in("enkat@exempel.se")},
    )
    post_ok(
        b,
        f"/delta/ideer/{ids['idea_workshop']}/",
        {"title": "Bänk vid ån", "text": "Där vilar många.", "category": "", "submission_key": "i1"}
        | opt_in("ide@exempel.se"),
    )
    idea = Contribution.objects.get(kind="idea").source_id
    post_ok(c, f"/delta/ideer/ide/{idea}/stod/", opt_in("stod@exempel.se"))
    # The same person again, in capitals, from another method: still one address.
    post_ok(
        b,
        f"/delta/samtal/{ids['discussion']}/",
        {"text": "Mer skugga.", "submission_key": "d1", **opt_in("IDE@exempel.se")},
    )
    statement = walk.dialogue.activities.get(method="opinions").statements.get()
    post_ok(
        c,
        f"/delta/pastaenden/{ids['opinions']}/rosta/",
        {"statement": statement.pk, "vote": "1"},
    )
    post_ok(
        c,
        f"/delta/pastaenden/{ids['opinions']}/nytt/",
        {"text": "Parken behöver belysning.", "submission_key": "s1"},
    )
    # Someone who leaves no contact way.
    post_ok(quiet, f"/delta/ideer/ide/{idea}/stod/", {})
    # A half-filled opt-in is refused in Swedish and nothing is saved.
    refused = quiet.post(
        f"/delta/samtal/{ids['discussion']}/",
        {"text": "Glömde kryssa.", "submission_key": "d2", "feedback_email": "x@exempel.se"},
    )
    assert refused.status_code == 403
    assert "Kryssa i rutan" in refused.content.decode()
    assert "Glömde kryssa." in refused.content.decode()
    assert not FeedbackContact.objects.filter(email="x@exempel.se").exists()

    # A meeting registrant gives an address for the meeting: a contact way too.
    post_ok(
        Client(),
        f"/delta/moten/{ids['cafe']}/",
        {"name": "Kim", "email": "mote@exempel.se", "needs": "", "consent": "on"},
    )

    # Signed-in residents are reached through their account, without an opt-in.
    anna = resident("anna", "Anna@Exempel.se")
    # Anna registers for the café with her account's address too: still one person.
    post_ok(
        anna,
        f"/delta/moten/{ids['cafe']}/",
        {"name": "Anna", "email": "Anna@Exempel.se", "needs": "", "consent": "on"},
    )
    vote = walk.dialogue.activities.get(method="vote").vote
    post_ok(anna, f"/delta/omrostning/{ids['vote']}/", {"alternativ": [vote.options.first().pk]})
    project = walk.dialogue.activities.get(method="budget").budget.projects.get()
    post_ok(
        anna,
        f"/delta/medborgarbudget/{ids['budget']}/",
        {"projekt": [project.pk], "action": "skicka"},
    )
    nomail = resident("bo", "")
    post_ok(nomail, f"/delta/ideer/ide/{idea}/stod/", {})

    # Officials enter paper and meeting input with the address the person gave.
    office = walk.client
    post_ok(
        office,
        f"/delta/enkat/{ids['survey']}/pappersenkat/",
        {f"q{survey_q.pk}": "1", "reference": "Blankett 1", **opt_in("papper@exempel.se")},
    )
    # Three days on, the café has been held (the clock moves, not the meeting): only a
    # meeting that has begun can be documented.
    Meeting.objects.filter(activity_id=ids["cafe"]).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    post_ok(
        office,
        f"/delta/moten/{ids['cafe']}/dokumentation/",
        {
            "points": "Fler papperskorgar",
            "topic": "",
            "channel": "meeting",
            "attendance": "12",
            **opt_in("kafe@exempel.se"),
        },
    )


def to_feedback(walk: Walk) -> str:
    office = walk.client
    walk.step("close_participation", "compiling")
    results = f"/resultat/handlaggning/dialog/{walk.pk}/"
    post_ok(
        office,
        results + "text/",
        {"summary": "Bänkar.", "next_steps": "Nämnden beslutar.", "method_notes": ""},
    )
    post_ok(office, results + "publish/", {})
    walk.step("start_feedback", DialogueStatus.FEEDBACK)
    feedback = f"/aterkoppling/handlaggning/dialog/{walk.pk}/"
    post_ok(
        office,
        feedback + "spara/",
        {
            "results_summary": "Flest vill ha bänkar vid ån.",
            "participation_effect": "Bänkarna kom med i förslaget.",
            "next_steps": "",
        },
    )
    return feedback


EXPECTED = [
    "anna@exempel.se",  # signed in: account
    "enkat@exempel.se",  # survey, anonymous opt-in
    "forslag@exempel.se",  # proposed the dialogue
    "ide@exempel.se",  # idea and discussion comment, one address
    "kafe@exempel.se",  # meeting input, entered by an official
    "mote@exempel.se",  # meeting registration
    "papper@exempel.se",  # paper survey, entered by an official
    "stod@exempel.se",  # support, statement vote and statement
]


def test_feedback_reaches_every_participant_of_every_method_and_channel_exactly_once(
    make_municipality, smtp_inbox
):
    walk, ids = open_dialogue(make_municipality("styrgrupp"))
    take_part(walk, ids)
    feedback = to_feedback(walk)
    office = walk.client

    post_ok(office, feedback + "publicera/", {})
    assert sorted(m["to"][0] for m in feedback_mail(smtp_inbox)) == EXPECTED
    # Signed-in participants get the notice on "Mina uppgifter", with or without e-mail.
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["anna", "bo"]
    page = Client()
    sign_in(page, "bo")
    assert (
        "Återkopplingen är publicerad: Parken vid ån"
        in page.get("/konto/mina-uppgifter/").content.decode()
    )

    # Every e-mail has its own working unsubscribe link, in the body and the header.
    for message in feedback_mail(smtp_inbox):
        body = message["message"].get_body(("plain",)).get_content()
        link = re.search(r"http://[^\s]+/aterkoppling/mejl/[^\s]+/sluta/", body)
        assert link, body
        assert message["message"]["List-Unsubscribe"] == f"<{link.group(0)}>"

    # Publishing again, and running the task again, sends nothing twice.
    post_ok(office, feedback + "publicera/", {})
    from delaktig.feedback.tasks import deliver_pending

    assert deliver_pending() == 0
    assert len(feedback_mail(smtp_inbox)) == len(EXPECTED)
    assert Notification.objects.count() == 2

    # Reach, per person, exactly. The participants are those the compilation counts: six
    # residents by their keys (a, b, c, the quiet supporter, anna, bo), the paper survey
    # and the café's twelve attendees (not the statement the official seeded). Reached:
    # a (enkat), b (ide, twice), c (stod), anna (account, notice and registration: once),
    # bo (notice), the paper survey (papper) and two of the twelve at the café (kafe,
    # typed in; mote, registered).
    reach = feedback_reach(walk.dialogue)
    counted = participants([walk.dialogue.pk])[walk.dialogue.pk].total
    assert reach == Reach(
        participants=counted, reached=8, with_contact=0, no_contact=11, failed=0, pending=0
    )
    assert counted == 6 + 1 + 12
    shown = {"Deltagare": 19, "Nådda direkt": 8, "Lämnade ett sätt": 0, "Lämnade inget": 11}
    manage = office.get(feedback).content.decode()
    public = Client().get(f"/dialoger/{walk.dialogue.slug}/").content.decode()
    for html in (manage, public):
        assert "Så många nådde återkopplingen" in html
        for label, n in shown.items():
            assert re.search(rf"<th scope=\"row\">{label}[^<]*</th><td>{n}</td>", html), label
    # The annual report, on the web and as PDF, adds up the same numbers.
    from delaktig.core.models import AuditEvent
    from delaktig.followup.indicators import compute

    year = timezone.localdate().year
    totals = compute(walk.dialogue.municipality, year)
    assert (
        totals.feedback_reached,
        totals.feedback_with_contact,
        totals.feedback_no_contact,
        totals.feedback_failed,
    ) == (8, 0, 11, 0)
    report = office.get(f"/uppfoljning/kommunen/{year}/").content.decode()
    for key, n in (("reached", 8), ("with_contact", 0), ("no_contact", 11), ("failed", 0)):
        assert f'data-key="feedback_{key}">{n}</td>' in report, key
    pdf = office.get(f"/uppfoljning/kommunen/{year}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    # The addresses officials typed in from paper and a meeting are in the audit log.
    assert AuditEvent.objects.filter(action="feedback.contact_entered").count() == 2

    # The decision, with how the proposals were handled: one more notice each, once.
    handling = {"alternative": "", "outcome": "adopted", "reason": "Flest ville."}
    post_ok(office, feedback + "hantering/", {"title": "Bänk vid ån", **handling})
    post_ok(office, feedback + "hantering/", {"title": "Mer skugga", **handling})
    decided = Notification.objects.filter(kind=Notification.Kind.DECISION_TAKEN)
    assert not decided.exists(), "handling proposals is not yet the decision"
    walk.decide(Gate.FINAL)
    post_ok(
        office,
        walk.url("utfall/"),
        {
            "final_decision_summary": "Två bänkar vid ån.",
            "influence_on_decision": "Bänken vid ån kom från dialogen.",
        },
    )
    walk.step("record_final_decision", "decided")
    assert sorted(decided.values_list("user__username", flat=True)) == ["anna", "bo"]
    assert (
        "Beslutet är fattat: Parken vid ån" in page.get("/konto/mina-uppgifter/").content.decode()
    )


def test_the_unsubscribe_link_stops_the_mail_without_an_account(make_municipality, smtp_inbox):
    walk, ideas = open_idea_workshop(make_municipality("styrgrupp"), "Torget")
    give_idea(Client(), ideas, "t1", "ide@exempel.se")
    feedback = to_feedback(walk)
    post_ok(walk.client, feedback + "publicera/", {})
    delivery = FeedbackDelivery.objects.get(email="ide@exempel.se")
    url = f"/aterkoppling/mejl/{delivery.token}/sluta/"
    assert "Ja, sluta skicka mejl" in Client().get(url).content.decode()
    # One-click from the mail client (RFC 8058): a POST without a CSRF token.
    done = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "inga fler mejl" in done.content.decode()
    assert FeedbackContact.objects.get(email="ide@exempel.se").unsubscribed_at is not None
    assert Client().get("/aterkoppling/mejl/fel/sluta/").status_code == 404
    # A new recipient list leaves the address out.
    from delaktig.feedback.selectors import feedback_recipients

    assert "ide@exempel.se" not in [r.email for r in feedback_recipients(walk.dialogue)]


def test_a_failed_delivery_keeps_its_error_and_is_retried_a_bounded_number_of_times(
    make_municipality, smtp_inbox, monkeypatch
):
    from delaktig.feedback.tasks import deliver_pending

    walk = Walk.begin(make_municipality("styrgrupp"), "Bron", email="forslag@exempel.se")
    walk.to_open()
    feedback = to_feedback(walk)
    down = mail_server_down(monkeypatch)
    post_ok(walk.client, feedback + "publicera/", {})
    delivery = FeedbackDelivery.objects.get(email="forslag@exempel.se")
    assert delivery.attempts == 1 and "svarar inte" in delivery.error and delivery.sent_at is None
    assert feedback_reach(walk.dialogue).pending == 1
    # The worker was restarted, the mail server is back: the sweep sends it once.
    down["yes"] = False
    assert deliver_pending() == 1
    assert deliver_pending() == 0
    assert [m["to"] for m in feedback_mail(smtp_inbox)] == [["forslag@exempel.se"]]
    # An address that never works is given up after MAX_DELIVERY_ATTEMPTS and counted.
    feedback_actions.ask_for_feedback(
        dialogue=walk.dialogue, email="trasig@exempel.se", source="paper", consent=True
    )
    down["yes"] = True
    post_ok(walk.client, feedback + "publicera/", {})
    for _ in range(MAX_DELIVERY_ATTEMPTS + 2):
        deliver_pending()
    broken = FeedbackDelivery.objects.get(email="trasig@exempel.se")
    assert broken.attempts == MAX_DELIVERY_ATTEMPTS and broken.failed
    assert feedback_reach(walk.dialogue).failed == 1
    assert "Mejl som inte gick fram" in walk.client.get(feedback).content.decode()
