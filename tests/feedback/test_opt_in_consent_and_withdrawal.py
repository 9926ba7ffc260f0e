"""F2 and GDPR art. 7: an address for the feedback is kept only on consent, and the consent
can be taken back before the feedback comes.

Set up through the back office (tests/governance/walk.py, via tests/feedback/test_reach.py);
residents and officials act over HTTP.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from delaktig.accounts.models import User
from delaktig.core.models import AuditEvent
from delaktig.feedback.models import ContactGiver, FeedbackContact, FeedbackDelivery
from delaktig.feedback.selectors import feedback_reach
from delaktig.participation.meetings.models import Meeting
from delaktig.participation.models import Contribution
from tests.feedback.test_reach import (
    feedback_mail,
    give_idea,
    mail_server_down,
    open_dialogue,
    open_idea_workshop,
    resident,
    to_feedback,
)
from tests.governance.walk import PASSWORD, Walk, post_ok, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def receipts(inbox: Any) -> list[Any]:
    return [m for m in inbox.messages if "Du får återkopplingen" in str(m["message"]["Subject"])]


def stop_link(message: Any) -> str:
    body = message["message"].get_body(("plain",)).get_content()
    link = re.search(r"http://[^\s]+(/aterkoppling/mejl/[^\s]+/sluta/)", body)
    assert link, body
    assert message["message"]["List-Unsubscribe"] == f"<{link.group(0)}>"
    return link.group(1)


# --- An official stores an address only with the person's recorded consent ---------------


def official_forms(walk: Walk, ids: dict[str, int]) -> dict[str, tuple[str, Any]]:
    """Each form where an official enters paper or meeting input: URL and fields (n unique)."""
    question = walk.dialogue.activities.get(method="survey").survey.questions.get()
    project = walk.dialogue.activities.get(method="budget").budget.projects.get()
    return {
        "paper survey": (
            f"/delta/enkat/{ids['survey']}/pappersenkat/",
            lambda n: {f"q{question.pk}": "1", "reference": f"Blankett {n}"},
        ),
        "paper idea": (
            f"/delta/ideer/{ids['idea_workshop']}/hantera/",
            lambda n: {
                "title": f"Idé {n}",
                "text": "Från en blankett.",
                "category": "",
                "channel": "paper",
                "author_name": "",
            },
        ),
        "paper ballot": (
            f"/delta/medborgarbudget/{ids['budget']}/pappersrost/",
            lambda n: {"nummer": str(n), "projekt": [project.pk]},
        ),
        "meeting notes": (
            f"/delta/moten/{ids['cafe']}/dokumentation/",
            lambda n: {
                "points": f"Punkt {n}",
                "topic": "",
                "channel": "meeting",
                "attendance": "12",
            },
        ),
    }


CASES = {
    # consent ticked, address given -> stored
    "consent and address": ({"feedback_optin": "1", "feedback_email": "X"}, True, ""),
    "address without consent": (
        {"feedback_email": "X"},
        False,
        "Adressen sparas bara med personens samtycke",
    ),
    "consent without address": ({"feedback_optin": "1"}, False, "Skriv personens e-postadress"),
    "neither": ({}, None, ""),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_official_stores_an_address_only_with_the_persons_recorded_consent(
    case, make_municipality, smtp_inbox
):
    walk, ids = open_dialogue(make_municipality("styrgrupp"))
    office = walk.client
    # The café has been held (the clock moves, not the meeting): only a meeting that has
    # begun can be documented.
    Meeting.objects.filter(activity_id=ids["cafe"]).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    fields, stored, error = CASES[case]
    for n, (form, (url, data)) in enumerate(official_forms(walk, ids).items(), start=1):
        email = f"person{n}@exempel.se"
        extra = {k: (email if v == "X" else v) for k, v in fields.items()}
        before = Contribution.objects.count()
        response = office.post(url, {**data(n), **extra})
        if stored is False:
            # Refused in Swedish, nothing saved, everything typed still in the form.
            assert response.status_code == 400, form
            html = response.content.decode()
            assert error in html, form
            assert Contribution.objects.count() == before, form
            assert not FeedbackContact.objects.filter(email=email).exists(), form
            continue
        assert response.status_code == 302, (form, response.content.decode()[:500])
        assert Contribution.objects.count() > before, form
        contact = FeedbackContact.objects.filter(email=email).first()
        if stored is None:
            assert contact is None, form
            continue
        assert contact is not None, form
        assert contact.consent_recorded_by == walk.official, form
        # Linked to the participant the compilation counts for this input.
        giver = ContactGiver.objects.get(contact=contact)
        if form == "meeting notes":
            assert giver.meeting == Meeting.objects.get(activity_id=ids["cafe"])
        elif form == "paper ballot":
            assert giver.participant_key == f"paper:{n}"
        else:
            assert giver.contribution is not None and giver.contribution.participant_key == ""
    entered = AuditEvent.objects.filter(action="feedback.contact_entered").count()
    assert entered == (4 if stored else 0)
    # Each person whose address was stored gets the receipt with its link to take it back.
    assert len(receipts(smtp_inbox)) == (4 if stored else 0)


def test_an_official_types_in_a_meetings_sign_up_sheet_one_address_per_line(
    make_municipality, smtp_inbox
):
    walk, ids = open_dialogue(make_municipality("styrgrupp"))
    Meeting.objects.filter(activity_id=ids["cafe"]).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    url, data = official_forms(walk, ids)["meeting notes"]
    sheet = "ada@exempel.se\nBo@Exempel.se, cia@exempel.se\n\nada@exempel.se"
    # One address that is not one: refused with that address named, nothing saved, all kept.
    bad = walk.client.post(
        url, {**data(1), "feedback_optin": "1", "feedback_email": sheet + "\nbo@"}
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and "”bo@” är ingen e-postadress" in html
    assert "Bo@Exempel.se, cia@exempel.se" in html and "Punkt 1" in html
    assert not FeedbackContact.objects.exists()
    assert (
        walk.client.post(
            url, {**data(1), "feedback_optin": "1", "feedback_email": sheet}
        ).status_code
        == 302
    )
    stored = sorted(FeedbackContact.objects.values_list("email", flat=True))
    assert stored == ["ada@exempel.se", "bo@exempel.se", "cia@exempel.se"]
    cafe = Meeting.objects.get(activity_id=ids["cafe"])
    assert ContactGiver.objects.filter(meeting=cafe).count() == 3  # three attendees reached
    assert len(receipts(smtp_inbox)) == 3


# --- Taking an opt-in back before the first mail ----------------------------------------


def test_an_opt_in_is_taken_back_by_the_receipts_link_before_the_feedback_comes(
    make_municipality, smtp_inbox
):
    walk, ideas = open_idea_workshop(make_municipality("styrgrupp"), "Torget")
    changed_mind = Client()
    give_idea(changed_mind, ideas, "a", "angrar@exempel.se")
    give_idea(Client(), ideas, "b", "kvar@exempel.se")
    # Asking twice gives one receipt.
    give_idea(changed_mind, ideas, "c", "angrar@exempel.se")
    mails = {m["to"][0]: m for m in receipts(smtp_inbox)}
    assert sorted(mails) == ["angrar@exempel.se", "kvar@exempel.se"]
    assert len(receipts(smtp_inbox)) == 2
    link = stop_link(mails["angrar@exempel.se"])
    assert "Ja, sluta skicka mejl" in Client().get(link).content.decode()
    done = Client().post(link)
    assert done.status_code == 200 and "inga fler mejl" in done.content.decode()

    feedback = to_feedback(walk)
    post_ok(walk.client, feedback + "publicera/", {})
    got = sorted(m["to"][0] for m in feedback_mail(smtp_inbox))
    assert got == ["forslag@exempel.se", "kvar@exempel.se"]
    # The one who took it back left no contact way: reached through the public page.
    reach = feedback_reach(walk.dialogue)
    assert (reach.participants, reach.reached, reach.no_contact) == (2, 1, 1)


def test_a_resident_sees_their_opt_ins_on_mina_uppgifter_and_takes_one_back(
    make_municipality, smtp_inbox
):
    walk, ideas = open_idea_workshop(make_municipality("styrgrupp"), "Torget")
    # Anonymously, with the address that is (later) her account's verified one.
    give_idea(Client(), ideas, "t", "lena@exempel.se")
    give_idea(Client(), ideas, "u", "annan@exempel.se")
    lena = User.objects.create_user("lena", password=PASSWORD, email="Lena@Exempel.se")
    unverified = User.objects.create_user("mallory", password=PASSWORD, email="annan@exempel.se")
    lena.email_verified_at = timezone.now()
    lena.save()
    client = Client()
    sign_in(client, "lena")
    page = client.get("/konto/mina-uppgifter/").content.decode()
    assert "Återkoppling du bett om att få mejlad" in page
    assert "Ångra: mejla inte återkopplingen från ”Torget”" in page
    # An address not verified as yours shows nothing and cannot be taken back.
    other = Client()
    sign_in(other, unverified.username)
    assert "Ångra: mejla inte" not in other.get("/konto/mina-uppgifter/").content.decode()
    theirs = FeedbackContact.objects.get(email="annan@exempel.se")
    refused = other.post(f"/aterkoppling/mina-adresser/{theirs.pk}/angra/", follow=True)
    assert "Anmälan finns inte" in refused.content.decode()
    assert FeedbackContact.objects.get(pk=theirs.pk).unsubscribed_at is None

    mine = FeedbackContact.objects.get(email="lena@exempel.se")
    done = client.post(f"/aterkoppling/mina-adresser/{mine.pk}/angra/", follow=True)
    assert "Vi mejlar inte återkopplingen från ”Torget” till dig." in done.content.decode()
    assert "ångrad" in done.content.decode()

    feedback = to_feedback(walk)
    post_ok(walk.client, feedback + "publicera/", {})
    got = sorted(m["to"][0] for m in feedback_mail(smtp_inbox))
    assert got == ["annan@exempel.se", "forslag@exempel.se"]
    assert not FeedbackDelivery.objects.filter(email="lena@exempel.se").exists()


def test_a_signed_in_participant_says_no_to_the_feedback_mail_before_it_comes(
    make_municipality, smtp_inbox
):
    walk, ideas = open_idea_workshop(make_municipality("styrgrupp"), "Parkleken")
    asa, bo = resident("asa", "asa@exempel.se"), resident("bo", "bo@exempel.se")
    give_idea(asa, ideas, "a")
    give_idea(bo, ideas, "b")
    page = asa.get("/konto/mina-uppgifter/").content.decode()
    assert "Återkoppling som ska komma" in page and "mejlas till dig" in page
    url = f"/aterkoppling/mitt-konto/dialog/{walk.pk}/mejl/"
    said_no = asa.post(url, {"mailed": "0"}, follow=True).content.decode()
    assert "Vi mejlar inte återkopplingen från ”Parkleken”" in said_no
    assert "mejlas inte, visas bara här" in said_no
    asa.post(url, {"mailed": "0"})  # idempotent
    # Changing her mind both ways works, and the last word counts.
    again = asa.post(url, {"mailed": "1"}, follow=True).content.decode()
    assert "Vi mejlar återkopplingen från ”Parkleken” till dig när den kommer." in again
    assert asa.post(url, {"mailed": "0"}).status_code == 302
    # Only for a dialogue you took part in.
    stranger = resident("cia", "cia@exempel.se")
    refused = stranger.post(url, {"mailed": "0"}, follow=True).content.decode()
    assert "Du kan bara välja för dialoger du har deltagit i" in refused
    feedback = to_feedback(walk)
    post_ok(walk.client, feedback + "publicera/", {})
    got = sorted(m["to"][0] for m in feedback_mail(smtp_inbox))
    assert got == ["bo@exempel.se", "forslag@exempel.se"]
    # Asa still finds it on her page.
    page = asa.get("/konto/mina-uppgifter/").content.decode()
    assert "Återkopplingen för ”Parkleken” är publicerad." in page
    assert "Återkoppling som ska komma" not in page


def test_every_mail_to_a_resident_about_the_feedback_has_a_working_unsubscribe(
    make_municipality, smtp_inbox
):
    """The receipt and the feedback itself: a link in the body and in List-Unsubscribe,
    which stops the mail with the mail client's one-click POST (RFC 8058)."""
    walk, ideas = open_idea_workshop(make_municipality("styrgrupp"), "Bron")
    give_idea(Client(), ideas, "r", "bro@exempel.se")
    (receipt,) = receipts(smtp_inbox)
    feedback = to_feedback(walk)
    post_ok(walk.client, feedback + "publicera/", {})
    for message in [receipt, *feedback_mail(smtp_inbox)]:
        assert message["message"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = stop_link(message)
        one_click = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
        assert one_click.status_code == 200, link
    assert FeedbackContact.objects.get(email="bro@exempel.se").unsubscribed_at is not None
    assert all(d.unsubscribed_at for d in FeedbackDelivery.objects.all())


def test_a_receipt_the_mail_server_dropped_is_sent_once_by_the_sweep(
    make_municipality, smtp_inbox, monkeypatch
):
    """The receipt is a background task: a failure never fails the resident's submission,
    and `feedback deliver` (after a restarted worker) sends it, once."""
    from delaktig.feedback.tasks import deliver_pending

    walk, ideas = open_idea_workshop(make_municipality("styrgrupp"), "Kajen")
    down = mail_server_down(monkeypatch)
    give_idea(Client(), ideas, "k", "kaj@exempel.se")
    assert receipts(smtp_inbox) == []
    assert FeedbackContact.objects.get(email="kaj@exempel.se").confirmation_sent_at is None
    down["yes"] = False
    deliver_pending()
    deliver_pending()
    assert [m["to"] for m in receipts(smtp_inbox)] == [["kaj@exempel.se"]]


# Who may take back an opt-in from Mina uppgifter: the account whose verified address it
# is (case aside); not an unverified account with the address, nor another resident. A
# superuser holds every permission (Django's own rule), and taking back only stops mail.
WITHDRAW = {
    "anonymous": (None, False, False),
    "owner, verified": ("Vera@Exempel.se", True, True),
    "same address, unverified": ("vera@exempel.se", False, False),
    "another resident": ("annan@exempel.se", True, False),
    "administrator": ("admin@exempel.se", True, True),
}


@pytest.mark.parametrize("who", list(WITHDRAW))
def test_permission_matrix_for_taking_back_an_opt_in(who, make_municipality, smtp_inbox):
    from django.contrib.auth.models import AnonymousUser

    from delaktig.core.exceptions import DomainError
    from delaktig.feedback import actions

    walk, ideas = open_idea_workshop(make_municipality("styrgrupp"), "Ån")
    give_idea(Client(), ideas, "v", "vera@exempel.se")
    contact = FeedbackContact.objects.get(email="vera@exempel.se")
    email, verified, allowed = WITHDRAW[who]
    user: Any = AnonymousUser()
    if email is not None:
        user = User.objects.create_user(who.replace(" ", "-")[:30], email=email)
        user.email_verified_at = timezone.now() if verified else None
        user.is_staff = user.is_superuser = who == "administrator"
        user.save()
    assert user.has_perm("feedback.withdraw_opt_in", contact) is allowed
    if allowed:
        actions.withdraw_opt_in(user=user, contact_id=contact.pk)
    else:
        with pytest.raises(DomainError):
            actions.withdraw_opt_in(user=user, contact_id=contact.pk)
    contact.refresh_from_db()
    assert (contact.unsubscribed_at is not None) is allowed
