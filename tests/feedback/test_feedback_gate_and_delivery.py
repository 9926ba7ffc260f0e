"""Feedback is an obligation: no decision without it, and every participant gets it once."""

from __future__ import annotations

import pytest

from delaktig.accounts.models import User
from delaktig.core.exceptions import DomainError
from delaktig.feedback import actions
from delaktig.feedback.models import Feedback, FeedbackDelivery, FeedbackStatus, Follower
from delaktig.governance.actions import transition_dialogue
from delaktig.governance.models import DialogueStatus
from tests.feedback.factories import activity, contribute, make_dialogue, record_final_decision

pytestmark = pytest.mark.django_db


def _blocked_messages(people, dialogue) -> list[str]:
    with pytest.raises(DomainError) as info:
        transition_dialogue(actor=people["admin"], dialogue=dialogue, name="record_final_decision")
    return [str(m) for m in info.value.missing]


def test_dialogue_cannot_be_decided_without_published_feedback(people, municipality):
    dialogue = make_dialogue(municipality, status=DialogueStatus.FEEDBACK)
    record_final_decision(dialogue)

    assert _blocked_messages(people, dialogue) == [
        "Återkopplingen till deltagarna är inte skriven och publicerad."
    ]

    actions.save_feedback(
        actor=people["official"],
        dialogue=dialogue,
        results_summary="De flesta vill ha fler träd.",
        participation_effect="Planen fick fler träd tack vare dialogen.",
    )
    assert _blocked_messages(people, dialogue) == [
        "Återkopplingen till deltagarna är inte publicerad."
    ]
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.FEEDBACK

    actions.publish_feedback(actor=people["official"], dialogue=dialogue)
    transition_dialogue(actor=people["admin"], dialogue=dialogue, name="record_final_decision")
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.DECIDED


def test_feedback_without_how_participation_mattered_is_refused(people, municipality):
    dialogue = make_dialogue(municipality, status=DialogueStatus.FEEDBACK)
    with pytest.raises(DomainError) as info:
        actions.save_feedback(
            actor=people["official"],
            dialogue=dialogue,
            results_summary="Resultat",
            participation_effect="   ",
        )
    assert "hur deltagandet påverkade processen" in info.value.message
    assert not Feedback.objects.exists()


def test_feedback_cannot_be_written_while_participation_is_open(people, municipality):
    dialogue = make_dialogue(municipality, status=DialogueStatus.OPEN)
    with pytest.raises(DomainError):
        actions.save_feedback(
            actor=people["official"],
            dialogue=dialogue,
            results_summary="a",
            participation_effect="b",
        )


def test_gate_blocks_decision_in_the_back_office_with_a_swedish_message(
    client, people, municipality
):
    dialogue = make_dialogue(municipality, status=DialogueStatus.FEEDBACK)
    record_final_decision(dialogue)
    client.force_login(people["official"])
    response = client.post(
        f"/handlaggning/dialog/{dialogue.pk}/steg/", {"transition": "record_final_decision"}
    )
    assert response.status_code == 400
    assert (
        "Återkopplingen till deltagarna är inte skriven och publicerad."
        in response.content.decode()
    )
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.FEEDBACK


def _participants(dialogue):
    act = activity(dialogue)
    anna = User.objects.create_user("anna", email="Anna@Exempel.se", preferred_language="sv")
    john = User.objects.create_user("john", email="john@example.com", preferred_language="en")
    no_mail = User.objects.create_user("nomail", email="")
    contribute(act, "k-anna", author=anna)
    contribute(act, "k-anna", author=anna)  # two contributions, one email
    contribute(act, "k-john", author=john)
    contribute(act, "k-nomail", author=no_mail)
    contribute(act, "k-anon")  # anonymous, no contact
    contribute(act, "k-paper", channel="paper")
    # The official typed in the address the person gave on paper for the feedback.
    actions.ask_for_feedback(
        dialogue=dialogue, email="papper@exempel.se", source="paper", consent=True
    )
    Follower.objects.create(
        dialogue=dialogue, email="foljare@exempel.se", confirmed_at="2026-01-01T10:00:00Z"
    )
    Follower.objects.create(dialogue=dialogue, email="obekraftad@exempel.se")  # never confirmed
    return act


def test_publishing_mails_each_participant_once_in_their_language(
    people, municipality, smtp_inbox, django_capture_on_commit_callbacks
):
    dialogue = make_dialogue(municipality, status=DialogueStatus.FEEDBACK, title="Parken")
    act = _participants(dialogue)
    actions.save_feedback(
        actor=people["official"],
        dialogue=dialogue,
        results_summary="Ni ville ha fler bänkar.",
        participation_effect="Vi lade till tolv bänkar i planen.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_feedback(actor=people["official"], dialogue=dialogue)

    recipients = sorted(m["to"][0] for m in smtp_inbox.messages)
    assert recipients == [
        "anna@exempel.se",
        "foljare@exempel.se",
        "john@example.com",
        "papper@exempel.se",
    ]
    by_recipient = {m["to"][0]: m["message"] for m in smtp_inbox.messages}
    assert by_recipient["anna@exempel.se"]["Subject"] == "Återkoppling: Parken"
    assert by_recipient["john@example.com"]["Subject"] == "Feedback: Parken"
    anna_body = by_recipient["anna@exempel.se"].get_body(preferencelist=("plain",)).get_content()
    assert "Vi lade till tolv bänkar i planen." in anna_body
    assert "Så påverkade deltagandet processen" in anna_body
    follower_body = by_recipient["foljare@exempel.se"].get_body(("plain",)).get_content()
    assert "/aterkoppling/mejl/" in follower_body  # every feedback e-mail can be stopped
    assert FeedbackDelivery.objects.filter(sent_at__isnull=False).count() == 4

    # Publishing again sends nothing new ...
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_feedback(actor=people["official"], dialogue=dialogue)
    assert len(smtp_inbox.messages) == 4

    # ... except to a participant who was not there before.
    late = User.objects.create_user("sen", email="sen@exempel.se")
    contribute(act, "k-sen", author=late)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_feedback(actor=people["official"], dialogue=dialogue)
    assert sorted(m["to"][0] for m in smtp_inbox.messages).count("sen@exempel.se") == 1
    assert len(smtp_inbox.messages) == 5
    feedback = Feedback.objects.get(dialogue=dialogue)
    assert feedback.status == FeedbackStatus.PUBLISHED


def test_running_the_delivery_task_twice_sends_nothing_twice(
    people, municipality, smtp_inbox, django_capture_on_commit_callbacks
):
    from delaktig.feedback.tasks import deliver_feedback

    dialogue = make_dialogue(municipality, status=DialogueStatus.FEEDBACK)
    _participants(dialogue)
    actions.save_feedback(
        actor=people["official"], dialogue=dialogue, results_summary="R", participation_effect="E"
    )
    with django_capture_on_commit_callbacks(execute=True):
        feedback = actions.publish_feedback(actor=people["official"], dialogue=dialogue)
    deliver_feedback.call(feedback.pk)
    deliver_feedback.call(feedback.pk)
    assert len(smtp_inbox.messages) == 4


def test_publish_keeps_the_first_publication_date(people, municipality):
    dialogue = make_dialogue(municipality, status=DialogueStatus.FEEDBACK)
    actions.save_feedback(
        actor=people["official"], dialogue=dialogue, results_summary="R", participation_effect="E"
    )
    first = actions.publish_feedback(actor=people["official"], dialogue=dialogue).published_at
    actions.save_feedback(
        actor=people["official"], dialogue=dialogue, results_summary="R2", participation_effect="E2"
    )
    again = actions.publish_feedback(actor=people["official"], dialogue=dialogue)
    assert again.published_at == first
    assert again.results_summary == "R2"
