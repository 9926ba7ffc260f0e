"""Background work, enqueued after commit. Every task is idempotent: run it twice, mail once."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from delaktig.core.mail import unsubscribe_headers
from delaktig.feedback import mail
from delaktig.feedback.models import (
    MAX_DELIVERY_ATTEMPTS,
    Feedback,
    FeedbackContact,
    FeedbackDelivery,
    FeedbackStatus,
    Follower,
    FollowerNotification,
    HandlingUpdate,
)

log = logging.getLogger(__name__)


# A failed e-mail is tried again after this long, where the task backend can defer.
RETRY_AFTER = datetime.timedelta(minutes=10)


@task()
def deliver_feedback(feedback_id: int) -> int:
    """Mail the published feedback to each recipient who has not had it yet.

    Idempotent: a sent row is never sent again, and each row is locked while it is sent.
    A failure keeps its error and attempt count and is tried again, at most
    MAX_DELIVERY_ATTEMPTS times, by a deferred run of this task or by `feedback deliver`
    (which also picks up the work of a worker that was restarted).
    """
    feedback = (
        Feedback.objects.select_related("dialogue__municipality").filter(pk=feedback_id).first()
    )
    if feedback is None or not feedback.is_published:
        return 0
    sent = 0
    pending = list(
        _pending(FeedbackDelivery.objects.filter(feedback=feedback)).values_list("pk", flat=True)
    )
    context = {
        "dialogue": feedback.dialogue,
        "feedback": feedback,
        "page_url": mail.url("feedback:accountability", slug=feedback.dialogue.slug),
        "evaluation_url": mail.url("followup:participant_evaluation", slug=feedback.dialogue.slug),
    }
    retry = False
    for pk in pending:
        with transaction.atomic():
            # Lock the row: a parallel run skips it once this one has sent it.
            delivery = FeedbackDelivery.objects.select_for_update().get(pk=pk)
            if not _pending(FeedbackDelivery.objects.filter(pk=pk)).exists():
                continue
            stop_url = mail.url("feedback:stop_mail", token=delivery.token)
            delivery.attempts += 1
            try:
                mail.send(
                    to=delivery.email,
                    language=delivery.language,
                    template="feedback/email/feedback_published",
                    context={**context, "unsubscribe_url": stop_url},
                    headers=unsubscribe_headers(stop_url),
                )
            except Exception as exc:  # a broken address must not stop the others
                log.warning("Feedback delivery %s failed: %s", pk, exc)
                delivery.error = str(exc)[:300]
                delivery.save(update_fields=["error", "attempts"])
                retry = retry or delivery.attempts < MAX_DELIVERY_ATTEMPTS
                continue
            delivery.sent_at = timezone.now()
            delivery.error = ""
            delivery.save(update_fields=["sent_at", "error", "attempts"])
            sent += 1
    if retry and deliver_feedback.get_backend().supports_defer:
        deliver_feedback.using(run_after=timezone.now() + RETRY_AFTER).enqueue(feedback_id)
    return sent


def _pending(qs: QuerySet[FeedbackDelivery]) -> QuerySet[FeedbackDelivery]:
    return qs.filter(
        sent_at__isnull=True, unsubscribed_at__isnull=True, attempts__lt=MAX_DELIVERY_ATTEMPTS
    )


# A receipt that could not be sent is tried again by the sweep for this long after consent.
RECEIPT_RETRY_FOR = datetime.timedelta(days=7)


def deliver_pending() -> int:
    """Run the delivery of every published feedback that still has e-mails to send, and
    send the receipts a restarted worker or a mail server that was down left unsent.
    Returns the number of feedback e-mails sent."""
    ids = (
        _pending(FeedbackDelivery.objects.filter(feedback__status=FeedbackStatus.PUBLISHED))
        .values_list("feedback_id", flat=True)
        .distinct()
    )
    sent = sum(deliver_feedback.call(pk) for pk in sorted(set(ids)))
    receipts = FeedbackContact.objects.filter(
        confirmation_sent_at__isnull=True,
        unsubscribed_at__isnull=True,
        consented_at__gte=timezone.now() - RECEIPT_RETRY_FOR,
    ).exclude(dialogue__feedback__status=FeedbackStatus.PUBLISHED)
    for pk in receipts.order_by("pk").values_list("pk", flat=True):
        send_contact_receipt.call(pk)
    return sent


@task()
def send_contact_receipt(contact_id: int) -> bool:
    """The receipt of an opt-in, with the link to take it back before any feedback comes.

    Idempotent: the row is locked and marked sent in the same transaction as the send.
    """
    with transaction.atomic():
        contact = (
            FeedbackContact.objects.select_for_update()
            .select_related("dialogue__municipality")
            .filter(pk=contact_id)
            .first()
        )
        if contact is None or contact.unsubscribed_at or contact.confirmation_sent_at:
            return False
        stop_url = mail.url("feedback:stop_mail", token=contact.token)
        try:
            mail.send(
                to=contact.email,
                language=contact.language,
                template="feedback/email/contact_receipt",
                context={
                    "dialogue": contact.dialogue,
                    "page_url": mail.url("governance:dialogue", slug=contact.dialogue.slug),
                    "unsubscribe_url": stop_url,
                },
                headers=unsubscribe_headers(stop_url),
            )
        except Exception as exc:  # the opt-in stands; the feedback mail has its own retries
            log.warning("Receipt for feedback contact %s failed: %s", contact_id, exc)
            return False
        contact.confirmation_sent_at = timezone.now()
        contact.save(update_fields=["confirmation_sent_at"])
    return True


@task()
def send_follow_confirmation(follower_id: int) -> bool:
    follower = Follower.objects.select_related("dialogue").filter(pk=follower_id).first()
    if follower is None or follower.is_active or follower.unsubscribed_at is not None:
        return False
    stop_url = mail.url("feedback:unfollow", token=follower.token)
    mail.send(
        to=follower.email,
        language=follower.language,
        template="feedback/email/follow_confirm",
        context={
            "dialogue": follower.dialogue,
            "confirm_url": mail.url("feedback:follow_confirm", token=follower.token),
            "unsubscribe_url": stop_url,
        },
        headers=unsubscribe_headers(stop_url),
    )
    return True


@task()
def notify_followers(dialogue_id: int, key: str) -> int:
    """Tell each active follower about one change (key: "handling-update:<id>")."""
    update = None
    if key.startswith("handling-update:"):
        update = (
            HandlingUpdate.objects.select_related("handling__dialogue")
            .filter(pk=int(key.split(":", 1)[1]))
            .first()
        )
    if update is None:
        return 0
    dialogue = update.handling.dialogue
    sent = 0
    for follower in Follower.objects.active().filter(dialogue_id=dialogue_id).order_by("pk"):
        try:
            with transaction.atomic():
                FollowerNotification.objects.create(follower=follower, key=key)
                mail.send(
                    to=follower.email,
                    language=follower.language,
                    template="feedback/email/handling_changed",
                    context={
                        "dialogue": dialogue,
                        "handling": update.handling,
                        "update": update,
                        "page_url": mail.url("feedback:accountability", slug=dialogue.slug),
                        "unsubscribe_url": mail.url("feedback:unfollow", token=follower.token),
                    },
                    headers=unsubscribe_headers(
                        mail.url("feedback:unfollow", token=follower.token)
                    ),
                )
        except IntegrityError:
            continue  # already told about this change
        except Exception as exc:  # the row rolled back with the failed send: retried next run
            log.warning("Notification %s to follower %s failed: %s", key, follower.pk, exc)
            continue
        sent += 1
    return sent
