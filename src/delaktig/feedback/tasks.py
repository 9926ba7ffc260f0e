"""Background work, enqueued after commit. Every task is idempotent: run it twice, mail once."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from delaktig.feedback import mail
from delaktig.feedback.models import (
    Feedback,
    FeedbackDelivery,
    Follower,
    FollowerNotification,
    HandlingUpdate,
)

log = logging.getLogger(__name__)


@task()
def deliver_feedback(feedback_id: int) -> int:
    """Mail the published feedback to each recipient who has not had it yet."""
    feedback = (
        Feedback.objects.select_related("dialogue__municipality").filter(pk=feedback_id).first()
    )
    if feedback is None or not feedback.is_published:
        return 0
    sent = 0
    pending = list(
        FeedbackDelivery.objects.filter(feedback=feedback, sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    context = {
        "dialogue": feedback.dialogue,
        "feedback": feedback,
        "page_url": mail.url("feedback:accountability", slug=feedback.dialogue.slug),
        "evaluation_url": mail.url("followup:participant_evaluation", slug=feedback.dialogue.slug),
    }
    for pk in pending:
        with transaction.atomic():
            # Lock the row: a parallel run skips it once this one has sent it.
            delivery = FeedbackDelivery.objects.select_for_update().get(pk=pk)
            if delivery.sent_at is not None:
                continue
            own = dict(context)
            follower = Follower.objects.filter(
                dialogue=feedback.dialogue, email=delivery.email
            ).first()
            if follower is not None and follower.is_active:
                own["unsubscribe_url"] = mail.url("feedback:unfollow", token=follower.token)
            try:
                mail.send(
                    to=delivery.email,
                    language=delivery.language,
                    template="feedback/email/feedback_published",
                    context=own,
                )
            except Exception as exc:  # a broken address must not stop the others
                log.warning("Feedback delivery %s failed: %s", pk, exc)
                delivery.error = str(exc)[:300]
                delivery.save(update_fields=["error"])
                continue
            delivery.sent_at = timezone.now()
            delivery.error = ""
            delivery.save(update_fields=["sent_at", "error"])
            sent += 1
    return sent


@task()
def send_follow_confirmation(follower_id: int) -> bool:
    follower = Follower.objects.select_related("dialogue").filter(pk=follower_id).first()
    if follower is None or follower.is_active or follower.unsubscribed_at is not None:
        return False
    mail.send(
        to=follower.email,
        language=follower.language,
        template="feedback/email/follow_confirm",
        context={
            "dialogue": follower.dialogue,
            "confirm_url": mail.url("feedback:follow_confirm", token=follower.token),
        },
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
                    headers={
                        "List-Unsubscribe": "<"
                        + mail.url("feedback:unfollow", token=follower.token)
                        + ">"
                    },
                )
        except IntegrityError:
            continue  # already told about this change
        except Exception as exc:  # the row rolled back with the failed send: retried next run
            log.warning("Notification %s to follower %s failed: %s", key, follower.pk, exc)
            continue
        sent += 1
    return sent
