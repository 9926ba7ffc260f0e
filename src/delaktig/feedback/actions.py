"""Every write in feedback: typed, keyword-only, atomic, audited; mail after commit."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.accounts.models import Notification
from delaktig.core import actions as core_actions
from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.machine import Machine, Step
from delaktig.core.mail import address_digest
from delaktig.core.permissions import require
from delaktig.feedback import selectors
from delaktig.feedback.models import (
    ContactGiver,
    Feedback,
    FeedbackContact,
    FeedbackDelivery,
    FeedbackReport,
    FeedbackStatus,
    Follower,
    HandlingOutcome,
    HandlingUpdate,
    ImplementationStatus,
    ProposalHandling,
)
from delaktig.governance.models import Alternative, Dialogue
from delaktig.governance.states import Feature, allows
from delaktig.organisation.models import Body
from delaktig.participation.models import Contribution


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value


@transaction.atomic
def save_feedback(
    *,
    actor: Any,
    dialogue: Dialogue,
    results_summary: str,
    participation_effect: str,
    next_steps: str = "",
) -> Feedback:
    """Write or revise the feedback. A draft stays a draft; published text is updated."""
    require(actor, "feedback.manage_feedback", dialogue)
    if not allows(dialogue, Feature.FEEDBACK_WRITABLE):
        raise DomainError(
            _("Återkopplingen skrivs när deltagandet har stängt och resultatet sammanställs.")
        )
    results = _text(results_summary, _("Beskriv resultatet av dialogen."))
    effect = _text(
        participation_effect,
        _("Beskriv hur deltagandet påverkade processen. Det är obligatoriskt."),
    )
    feedback, created = Feedback.objects.select_for_update().get_or_create(
        dialogue=dialogue,
        defaults={
            "results_summary": results,
            "participation_effect": effect,
            "next_steps": next_steps.strip(),
            "written_by": actor,
        },
    )
    if not created:
        feedback.results_summary = results
        feedback.participation_effect = effect
        feedback.next_steps = next_steps.strip()
        feedback.written_by = actor
        feedback.save()
    record_audit(
        actor=actor,
        action="feedback.saved",
        obj=dialogue,
        summary=_("Återkopplingen sparades (%(status)s).")
        % {"status": feedback.get_status_display()},
    )
    return feedback


def feedback_blockers(dialogue: Dialogue) -> list[str]:
    """What the feedback lacks before it may be published (and the dialogue decided)."""
    feedback = selectors.feedback_of(dialogue)
    if feedback is None:
        return [_("Återkopplingen är inte skriven.")]
    missing = []
    if not feedback.results_summary.strip():
        missing.append(_("Återkopplingen saknar resultatet av dialogen."))
    if not feedback.participation_effect.strip():
        missing.append(_("Återkopplingen beskriver inte hur deltagandet påverkade processen."))
    return missing


def _dialogue_allows_feedback(feedback: Feedback) -> list[str]:
    if allows(feedback.dialogue, Feature.FEEDBACK_WRITABLE):
        return []
    return [_("Återkopplingen kan publiceras när deltagandet har stängt.")]


# Published feedback stays published (it is what participants were sent); it is revised in
# place and sent again only to those who have not had it.
FEEDBACK = Machine(
    steps=(
        Step(
            "publish",
            (FeedbackStatus.DRAFT,),
            FeedbackStatus.PUBLISHED,
            "feedback.published",
            guards=(_dialogue_allows_feedback, lambda f: feedback_blockers(f.dialogue)),
        ),
    )
)


@transaction.atomic
def publish_feedback(*, actor: Any, dialogue: Dialogue) -> Feedback:
    """Publish on the dialogue's page and mail each participant once (idempotent)."""
    require(actor, "feedback.manage_feedback", dialogue)
    if not allows(dialogue, Feature.FEEDBACK_WRITABLE):
        raise DomainError(_("Återkopplingen kan publiceras när deltagandet har stängt."))
    missing = feedback_blockers(dialogue)
    if missing:
        raise DomainError(_("Återkopplingen kan inte publiceras ännu:"), missing=missing)
    feedback = Feedback.objects.select_for_update().get(dialogue=dialogue)
    first_time = feedback.status != FeedbackStatus.PUBLISHED
    if first_time:
        feedback.published_at = timezone.now()
        feedback.published_by = actor
        FEEDBACK.move(feedback, "publish", actor=actor, summary=_("Återkopplingen publicerades."))
    recipients = selectors.feedback_recipients(dialogue)
    FeedbackDelivery.objects.bulk_create(
        [
            FeedbackDelivery(feedback=feedback, email=r.email, language=r.language, source=r.source)
            for r in recipients
        ],
        ignore_conflicts=True,
    )
    notified = _notify_accounts(feedback)
    record_audit(
        actor=actor,
        action="feedback.sent" if first_time else "feedback.republished",
        obj=dialogue,
        summary=_("Återkopplingen publicerades och skickas till %(n)s mottagare.")
        % {"n": len(recipients)},
        data={"recipients": len(recipients), "notified": notified, "on_time": feedback.on_time},
    )
    feedback_id = feedback.pk
    transaction.on_commit(lambda: _enqueue_deliveries(feedback_id))
    return feedback


def _notify_accounts(feedback: Feedback) -> int:
    return notify_participants(
        dialogue=feedback.dialogue,
        kind=Notification.Kind.FEEDBACK_PUBLISHED,
        text=_("Återkopplingen för ”%(title)s” är publicerad.")
        % {"title": feedback.dialogue.title},
    )


def notify_decision(*, dialogue: Dialogue) -> int:
    """G12: the decision is taken (governance's `record_final_decision`); participants hear."""
    return notify_participants(
        dialogue=dialogue,
        kind=Notification.Kind.DECISION_TAKEN,
        text=_("Beslutet i ”%(title)s” är fattat. Se hur förslagen hanterades.")
        % {"title": dialogue.title},
    )


def notify_participants(*, dialogue: Dialogue, kind: str, text: str) -> int:
    """A notice on "Mina uppgifter" for each signed-in participant, once (the unique key)."""
    from django.urls import reverse

    link = reverse("feedback:accountability", kwargs={"slug": dialogue.slug})
    accounts = selectors.participant_accounts(dialogue).values_list("pk", flat=True)
    created = Notification.objects.bulk_create(
        [
            Notification(user_id=pk, kind=kind, dialogue=dialogue, text=text[:300], link=link)
            for pk in accounts
        ],
        ignore_conflicts=True,
    )
    return len(created)


def _enqueue_deliveries(feedback_id: int) -> None:
    from delaktig.feedback.tasks import deliver_feedback

    deliver_feedback.enqueue(feedback_id)


def ask_for_feedback(
    *,
    dialogue: Dialogue,
    email: str,
    language: str = "sv",
    source: str,
    consent: bool,
    entered_by: Any = None,
    participant_key: str = "",
    contribution: Contribution | None = None,
    meeting: Any = None,
) -> FeedbackContact:
    """F2: a participant wants this dialogue's feedback by e-mail (explicit consent).

    The one place every method stores the opt-in. `participant_key`, `contribution` or
    `meeting` say which participant gave it (`ContactGiver`), so reach counts people.
    An official (`entered_by`) may store it only on the person's recorded consent.
    Asking again keeps one row; asking after stopping the mail starts it again, since
    the person asked anew. A receipt with a link to take it back is mailed after commit.
    """
    if not consent:
        raise DomainError(
            _("Adressen sparas bara om personen har samtyckt till att få återkopplingen mejlad.")
        )
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise DomainError(_("Ange en giltig e-postadress för återkopplingen."))
    with transaction.atomic():
        contact, created = FeedbackContact.objects.select_for_update().get_or_create(
            dialogue=dialogue,
            email=email,
            defaults={
                "language": language,
                "source": source,
                "consented_at": timezone.now(),
                "consent_recorded_by": entered_by,
            },
        )
        renewed = not created and contact.unsubscribed_at is not None
        if not created:
            contact.language = language
            contact.consented_at = timezone.now()
            contact.unsubscribed_at = None
            if entered_by is not None:
                contact.consent_recorded_by = entered_by
            if renewed:
                contact.confirmation_sent_at = None
            contact.save(
                update_fields=[
                    "language",
                    "consented_at",
                    "unsubscribed_at",
                    "consent_recorded_by",
                    "confirmation_sent_at",
                ]
            )
            FeedbackDelivery.objects.filter(
                feedback__dialogue=dialogue, email=email, unsubscribed_at__isnull=False
            ).update(unsubscribed_at=None)
        _link_giver(contact, participant_key, contribution, meeting)
        if entered_by is not None:
            # An official typed it in from paper or a meeting, with the person's consent.
            record_audit(
                actor=entered_by,
                action="feedback.contact_entered",
                obj=dialogue,
                summary=_("Adress för återkopplingen inmatad med personens samtycke (%(source)s).")
                % {"source": source},
            )
        if created or renewed:
            contact_id = contact.pk
            transaction.on_commit(lambda: _enqueue_receipt(contact_id))
    return contact


def _link_giver(
    contact: FeedbackContact, participant_key: str, contribution: Any, meeting: Any
) -> None:
    if participant_key:
        ContactGiver.objects.get_or_create(contact=contact, participant_key=participant_key)
    elif contribution is not None:
        ContactGiver.objects.get_or_create(contact=contact, contribution=contribution)
    elif meeting is not None:
        ContactGiver.objects.get_or_create(contact=contact, meeting=meeting)


def _enqueue_receipt(contact_id: int) -> None:
    from delaktig.feedback.tasks import send_contact_receipt

    send_contact_receipt.enqueue(contact_id)


@transaction.atomic
def withdraw_opt_in(*, user: Any, contact_id: int) -> Dialogue:
    """ "Mina uppgifter": take back an opt-in made with the account's verified address."""
    contact = FeedbackContact.objects.select_related("dialogue").filter(pk=contact_id).first()
    if contact is None or not user.has_perm("feedback.withdraw_opt_in", contact):
        # The same answer either way: whether someone else's address is stored stays hidden.
        raise DomainError(_("Anmälan finns inte, eller är inte gjord med din adress."))
    return stop_feedback_mail(token=contact.token)


def set_account_feedback_mail(*, user: Any, dialogue_id: int, mailed: bool) -> Dialogue:
    """ "Mina uppgifter": a signed-in participant says whether a dialogue's feedback, when it
    comes, is mailed to the account's address or only shown on the site. Idempotent."""
    found = next(
        (row for row in selectors.awaited_by_account(user) if row["dialogue"].pk == dialogue_id),
        None,
    )
    if found is None:
        raise DomainError(
            _("Du kan bara välja för dialoger du har deltagit i, innan återkopplingen kommer.")
        )
    stop = {
        "address_digest": address_digest(user.email),
        "stream": selectors.account_mail_stream(dialogue_id),
    }
    if mailed:
        core_actions.resume_mail(**stop)
    else:
        core_actions.stop_mail(**stop)
    return found["dialogue"]


@transaction.atomic
def stop_feedback_mail(*, token: str) -> Dialogue:
    """The link in every feedback e-mail: no more mail about this dialogue to the address."""
    delivery = FeedbackDelivery.objects.select_related("feedback__dialogue").filter(token=token)
    row = delivery.first()
    contact = FeedbackContact.objects.select_related("dialogue").filter(token=token).first()
    if row is not None:
        dialogue, email = row.feedback.dialogue, row.email
    elif contact is not None:
        dialogue, email = contact.dialogue, contact.email
    else:
        raise DomainError(_("Länken är ogiltig."))
    now = timezone.now()
    FeedbackDelivery.objects.filter(
        feedback__dialogue=dialogue, email__iexact=email, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=now)
    FeedbackContact.objects.filter(
        dialogue=dialogue, email__iexact=email, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=now)
    Follower.objects.filter(
        dialogue=dialogue, email__iexact=email, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=now)
    return dialogue


@transaction.atomic
def report_to_body(
    *,
    actor: Any,
    dialogue: Dialogue,
    body: Body,
    meeting_date: datetime.date,
    paragraph: str,
    case_number: str,
    note: str = "",
) -> FeedbackReport:
    """F2/F3: the feedback was reported to the owning body at a meeting (§, case number)."""
    require(actor, "feedback.manage_feedback", dialogue)
    feedback = selectors.published_feedback(dialogue)
    if feedback is None:
        raise DomainError(_("Publicera återkopplingen innan den rapporteras till nämnden."))
    if body.municipality_id != dialogue.municipality_id:
        raise DomainError(_("Organet hör inte till kommunen."))
    paragraph = _text(paragraph, _("Ange paragraf (§)."))
    case_number = _text(case_number, _("Ange diarienummer."))
    if meeting_date > timezone.localdate():
        raise DomainError(_("Sammanträdet kan inte ha ett datum i framtiden."))
    report, created = FeedbackReport.objects.get_or_create(
        feedback=feedback,
        body=body,
        paragraph=paragraph,
        case_number=case_number,
        defaults={"meeting_date": meeting_date, "note": note.strip(), "reported_by": actor},
    )
    if created:
        record_audit(
            actor=actor,
            action="feedback.reported",
            obj=dialogue,
            summary=str(report),
            data={"body": body.pk},
        )
    return report


# --- Accountability ----------------------------------------------------------------------


def _notify_on_commit(dialogue_id: int, key: str) -> None:
    def enqueue() -> None:
        from delaktig.feedback.tasks import notify_followers

        notify_followers.enqueue(dialogue_id, key)

    transaction.on_commit(enqueue)


@transaction.atomic
def record_handling(
    *,
    actor: Any,
    dialogue: Dialogue,
    title: str,
    outcome: str,
    reason: str,
    alternative: Alternative | None = None,
) -> ProposalHandling:
    """How a theme or proposal was handled in the decision. Same title = revise it."""
    require(actor, "feedback.manage_feedback", dialogue)
    if not allows(dialogue, Feature.HANDLING_WRITABLE):
        raise DomainError(
            _("Hur förslagen hanterades redovisas med beslutet i sakfrågan, efter återkopplingen.")
        )
    if outcome not in HandlingOutcome.values:
        raise DomainError(_("Välj hur förslaget hanterades."))
    if alternative is not None and alternative.dialogue_id != dialogue.pk:
        raise DomainError(_("Förslaget hör inte till den här dialogen."))
    title = _text(
        title or (alternative.title if alternative else ""), _("Ange tema eller förslag.")
    )
    reason = _text(reason, _("Motivera hur förslaget hanterades."))
    handling, created = ProposalHandling.objects.get_or_create(
        dialogue=dialogue,
        title=title[:200],
        defaults={
            "outcome": outcome,
            "reason": reason,
            "alternative": alternative,
            "order": dialogue.handlings.count(),  # type: ignore[attr-defined]
        },
    )
    if not created:
        if handling.outcome == outcome and handling.reason == reason:
            return handling
        handling.outcome = outcome
        handling.reason = reason
        handling.alternative = alternative or handling.alternative
        handling.save()
    update = HandlingUpdate.objects.create(
        handling=handling,
        outcome=outcome,
        implementation_status=handling.implementation_status,
        implementation_date=handling.implementation_date,
        note=reason,
        actor=actor,
    )
    record_audit(
        actor=actor,
        action="handling.recorded",
        obj=dialogue,
        summary=f"{handling.title}: {handling.get_outcome_display()}",
    )
    _notify_on_commit(dialogue.pk, f"handling-update:{update.pk}")
    return handling


@transaction.atomic
def update_implementation(
    *,
    actor: Any,
    handling: ProposalHandling,
    implementation_status: str,
    implementation_date: datetime.date | None,
    implementation_note: str = "",
) -> ProposalHandling:
    """Later: how far the decision on this theme or proposal has been implemented."""
    dialogue = handling.dialogue
    require(actor, "feedback.manage_feedback", dialogue)
    if implementation_status not in ImplementationStatus.values:
        raise DomainError(_("Välj status för genomförandet."))
    if implementation_status in (ImplementationStatus.DONE, ImplementationStatus.NOT_DONE) and (
        implementation_date is None
    ):
        raise DomainError(_("Ange datum när genomförandet blev klart eller avbröts."))
    note = implementation_note.strip()
    unchanged = (
        handling.implementation_status == implementation_status
        and handling.implementation_date == implementation_date
        and handling.implementation_note == note
    )
    if unchanged:
        return handling
    handling.implementation_status = implementation_status
    handling.implementation_date = implementation_date
    handling.implementation_note = note
    handling.save()
    update = HandlingUpdate.objects.create(
        handling=handling,
        outcome=handling.outcome,
        implementation_status=implementation_status,
        implementation_date=implementation_date,
        note=note,
        actor=actor,
    )
    record_audit(
        actor=actor,
        action="handling.implementation",
        obj=dialogue,
        summary=f"{handling.title}: {handling.get_implementation_status_display()}",
    )
    _notify_on_commit(dialogue.pk, f"handling-update:{update.pk}")
    return handling


# --- Following a dialogue (no account needed) ---------------------------------------------

CONFIRMATION_RESEND_AFTER = datetime.timedelta(hours=12)


@transaction.atomic
def follow_dialogue(*, dialogue: Dialogue, email: str, language: str = "sv") -> Follower:
    """Ask to follow a dialogue; a confirmation link is mailed (double opt-in).

    Asking again is harmless: a pending request gets at most one new link per 12 hours,
    an active follower gets nothing, and a person who left may follow again.
    """
    email = (email or "").strip().lower()
    if "@" not in email:
        raise DomainError(_("Ange en giltig e-postadress."))
    now = timezone.now()
    try:
        with transaction.atomic():
            follower, created = Follower.objects.get_or_create(
                dialogue=dialogue, email=email, defaults={"language": language}
            )
    except IntegrityError:
        follower, created = Follower.objects.get(dialogue=dialogue, email=email), False
    if follower.is_active:
        return follower
    if follower.unsubscribed_at is not None:
        follower.unsubscribed_at = None
        follower.confirmed_at = None
    recently = follower.confirmation_sent_at and now - follower.confirmation_sent_at < (
        CONFIRMATION_RESEND_AFTER
    )
    if created or not recently:
        follower.confirmation_sent_at = now
        follower.language = language
        follower.save()
        follower_id = follower.pk

        def send() -> None:
            from delaktig.feedback.tasks import send_follow_confirmation

            send_follow_confirmation.enqueue(follower_id)

        transaction.on_commit(send)
    else:
        follower.save()
    return follower


@transaction.atomic
def confirm_follow(*, token: str) -> Follower:
    follower = Follower.objects.select_for_update().filter(token=token).first()
    if follower is None:
        raise DomainError(_("Länken är ogiltig eller har redan använts."))
    if follower.unsubscribed_at is not None:
        raise DomainError(_("Du har slutat följa dialogen. Anmäl dig igen om du vill följa den."))
    if follower.confirmed_at is None:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
    return follower


@transaction.atomic
def unfollow(*, token: str) -> Follower:
    follower = Follower.objects.select_for_update().filter(token=token).first()
    if follower is None:
        raise DomainError(_("Länken är ogiltig."))
    if follower.unsubscribed_at is None:
        follower.unsubscribed_at = timezone.now()
        follower.save(update_fields=["unsubscribed_at"])
    return follower
