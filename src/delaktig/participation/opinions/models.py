"""Opinion statements (Polis-style): short statements residents agree or disagree with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.participation.models import Activity, Contribution

STATEMENT_MAX_LENGTH = 280


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på granskning")
    PUBLISHED = "published", _("Publicerat")
    HIDDEN = "hidden", _("Dolt")


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Håller med")
    DISAGREE = -1, _("Håller inte med")
    PASS = 0, _("Vet inte / avstår")


class StatementQuerySet(models.QuerySet["Statement"]):
    def published(self) -> StatementQuerySet:
        return self.filter(status=StatementStatus.PUBLISHED)

    def pending(self) -> StatementQuerySet:
        return self.filter(status=StatementStatus.PENDING)


class Statement(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("påstående"), max_length=STATEMENT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant_key = models.CharField(max_length=64, blank=True)
    # Seed statements written by the dialogue team are published at once.
    is_seed = models.BooleanField(_("från kommunen"), default=False)
    status = models.CharField(
        max_length=20, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    moderation_reason = models.TextField(_("skäl"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Idempotent submissions: the form carries a random key.
    submission_key = models.CharField(max_length=64, blank=True)
    # For imported conversations, e.g. "polis:12".
    external_id = models.CharField(max_length=64, blank=True)
    contribution = models.OneToOneField(
        Contribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("påstående")
        verbose_name_plural = _("påståenden")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="unique_statement_submission",
            ),
            models.UniqueConstraint(
                fields=["activity", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_statement_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class StatementVote(models.Model):
    """One participant's current position on one statement; a new vote replaces it."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant_key = models.CharField(max_length=64)
    value = models.SmallIntegerField(choices=VoteValue.choices)
    contribution = models.OneToOneField(
        Contribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["statement_id", "id"]
        verbose_name = _("ställningstagande")
        verbose_name_plural = _("ställningstaganden")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant_key"], name="unique_statement_vote"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.value}"
