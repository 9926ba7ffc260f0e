"""Feedback (återkoppling, F2), accountability for decisions and followers.

Feedback is an obligation with a date (`Dialogue.feedback_due`, fixed at approval):
it holds the results and how participation affected the process, is published on the
dialogue's page, mailed once to every participant with contact details and reported to
the owning body. After the political decision, `ProposalHandling` says how each theme
or proposal was handled and later how far it has been implemented.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped
from delaktig.governance.models import Alternative, Dialogue
from delaktig.organisation.models import Body
from delaktig.participation.models import Contribution


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publicerad")


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def published(self) -> FeedbackQuerySet:
        return self.filter(status=FeedbackStatus.PUBLISHED)


class Feedback(TimeStamped):
    """One dialogue's feedback to participants, residents at large and the owning body."""

    dialogue = models.OneToOneField(Dialogue, on_delete=models.CASCADE, related_name="feedback")
    results_summary = models.TextField(_("resultatet i korthet"))
    participation_effect = models.TextField(_("så påverkade deltagandet processen"))
    next_steps = models.TextField(_("det här händer nu"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.DRAFT
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("återkoppling")
        verbose_name_plural = _("återkopplingar")

    def __str__(self) -> str:
        return f"{self.dialogue} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == FeedbackStatus.PUBLISHED

    @property
    def on_time(self) -> bool | None:
        """Published no later than the feedback date; None while unknown."""
        from django.utils import timezone

        if not self.published_at or not self.dialogue.feedback_due:
            return None
        return timezone.localdate(self.published_at) <= self.dialogue.feedback_due


def _token() -> str:
    return secrets.token_urlsafe(32)


# A failed e-mail is tried again by the task and the sweep, at most this many times.
MAX_DELIVERY_ATTEMPTS = 5


class FeedbackDelivery(models.Model):
    """One email of the feedback to one recipient. The unique key makes sending idempotent."""

    class Source(models.TextChoices):
        CONTRIBUTION = "contribution", _("Lämnade bidrag")
        ACCOUNT = "account", _("Deltog inloggad")
        OPT_IN = "opt_in", _("Bad om återkopplingen")
        MEETING = "meeting", _("Anmäld till möte")
        PROPOSER = "proposer", _("Föreslog dialogen")
        FOLLOWER = "follower", _("Följer dialogen")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(_("e-post"))
    language = models.CharField(_("språk"), max_length=5, default="sv")
    source = models.CharField(max_length=20, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The link in the e-mail that stops feedback mail for this address and dialogue.
    token = models.CharField(max_length=64, unique=True, default=_token)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "email"], name="one_delivery_per_email")
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def failed(self) -> bool:
        return self.sent_at is None and self.attempts >= MAX_DELIVERY_ATTEMPTS


class FeedbackReport(TimeStamped):
    """The feedback reported to the owning body: meeting, § and case number (F2, F3)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reports")
    body = models.ForeignKey(Body, verbose_name=_("organ"), on_delete=models.PROTECT)
    meeting_date = models.DateField(_("sammanträdesdatum"))
    paragraph = models.CharField(_("paragraf (§)"), max_length=20)
    case_number = models.CharField(_("diarienummer"), max_length=40)
    note = models.TextField(_("kommentar"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting_date", "id"]
        verbose_name = _("rapport till organ")
        verbose_name_plural = _("rapporter till organ")
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "body", "paragraph", "case_number"],
                name="one_feedback_report_per_paragraph",
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.meeting_date} § {self.paragraph} ({self.case_number})"


class HandlingOutcome(models.TextChoices):
    ADOPTED = "adopted", _("Genomförs")
    PARTLY = "partly", _("Genomförs delvis")
    NOT_ADOPTED = "not_adopted", _("Genomförs inte")


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Klar")
    NOT_DONE = "not_done", _("Blev inte av")


class ProposalHandling(TimeStamped):
    """How one theme or proposal from the dialogue was handled in the decision."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="handlings")
    alternative = models.ForeignKey(
        Alternative,
        verbose_name=_("förslag i dialogen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handlings",
    )
    title = models.CharField(_("tema eller förslag"), max_length=200)
    outcome = models.CharField(
        _("hur det hanterades"), max_length=20, choices=HandlingOutcome.choices
    )
    reason = models.TextField(_("motivering"))
    implementation_status = models.CharField(
        _("genomförande"), max_length=20, choices=ImplementationStatus.choices, blank=True
    )
    implementation_date = models.DateField(_("datum för genomförandet"), null=True, blank=True)
    implementation_note = models.TextField(_("kommentar om genomförandet"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("hantering av förslag")
        verbose_name_plural = _("hantering av förslag")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "title"], name="one_handling_per_title")
        ]

    def __str__(self) -> str:
        return self.title


class HandlingUpdate(models.Model):
    """Append-only history of what was decided and implemented; followers hear of each."""

    handling = models.ForeignKey(ProposalHandling, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=HandlingOutcome.choices)
    implementation_status = models.CharField(
        max_length=20, choices=ImplementationStatus.choices, blank=True
    )
    implementation_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("Handling updates are append-only")
        super().save(*args, **kwargs)


class FollowerQuerySet(models.QuerySet["Follower"]):
    def active(self) -> FollowerQuerySet:
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Follower(models.Model):
    """A resident who follows a dialogue by email, no account needed (double opt-in)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(_("e-post"))
    language = models.CharField(_("språk"), max_length=5, default="sv")
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "email"], name="one_follow_per_email")
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class FollowerNotification(models.Model):
    """One notification of one change to one follower; the key makes it idempotent."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=60)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "key"], name="one_notification_per_change")
        ]


class FeedbackReminder(models.Model):
    """A warning or escalation mailed about a feedback date. At most one a day per person."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("Återkopplingsdatum närmar sig")
        OVERDUE = "overdue", _("Återkopplingen är försenad")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="+")
    on_date = models.DateField()
    email = models.EmailField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "on_date", "email"], name="one_reminder_per_day"
            )
        ]


class FeedbackContact(models.Model):
    """An address a participant gave only to get this dialogue's feedback (consent, F2).

    Written by `actions.ask_for_feedback` from every method's optional "Mejla mig när
    återkopplingen kommer"; used for the feedback of this dialogue and nothing else.
    """

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="feedback_contacts"
    )
    email = models.EmailField(_("e-post"))
    language = models.CharField(_("språk"), max_length=5, default="sv")
    source = models.CharField(_("lämnad via"), max_length=30)
    consented_at = models.DateTimeField()
    # The official who typed the address in from paper or a meeting, on the person's
    # recorded consent; empty when the person gave it themselves.
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    # The receipt with the link to take the opt-in back; mailed once per consent.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("adress för återkoppling")
        verbose_name_plural = _("adresser för återkoppling")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "email"], name="one_feedback_contact_per_email"
            )
        ]

    def __str__(self) -> str:
        return self.email


class ContactGiver(models.Model):
    """The participant who gave a feedback address, as `results.selectors.participants`
    counts people: by participant key, by a keyless contribution (a paper form typed in) or
    as one of a meeting's attendees. It makes reach a count of people, not of addresses."""

    contact = models.ForeignKey(FeedbackContact, on_delete=models.CASCADE, related_name="givers")
    participant_key = models.CharField(max_length=100, blank=True)
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "participant_key"],
                condition=~models.Q(participant_key=""),
                name="one_giver_per_key",
            ),
            models.UniqueConstraint(
                fields=["contact", "contribution"], name="one_giver_per_contribution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}"
