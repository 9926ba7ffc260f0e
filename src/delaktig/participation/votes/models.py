"""Rådslag med omröstning: a question with options, one ballot per verified person.

Results are published only when the vote has closed, so early results cannot sway
later voters.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped
from delaktig.governance.models import Alternative
from delaktig.governance.states import Feature, allows
from delaktig.participation.models import Activity, Channel


class VoteType(models.TextChoices):
    SINGLE = "single", _("Välj ett alternativ")
    APPROVAL = "approval", _("Välj alla alternativ du kan tänka dig")
    RANKED = "ranked", _("Rangordna alternativen")


class Vote(TimeStamped):
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="vote")
    question = models.CharField(_("frågan"), max_length=300)
    vote_type = models.CharField(
        _("typ av omröstning"), max_length=20, choices=VoteType.choices, default=VoteType.SINGLE
    )
    max_choices = models.PositiveSmallIntegerField(
        _("högst antal val"), null=True, blank=True, help_text=_("Tomt betyder obegränsat.")
    )

    class Meta:
        verbose_name = _("omröstning")
        verbose_name_plural = _("omröstningar")

    def __str__(self) -> str:
        return self.question

    @property
    def is_closed(self) -> bool:
        """Closed when its closing time has passed or the dialogue has moved on."""
        activity = self.activity
        if activity.closes_at is not None and activity.closes_at <= timezone.now():
            return True
        return allows(activity.dialogue, Feature.RESULTS_FINAL)


class Option(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(_("alternativ"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    alternative = models.ForeignKey(
        Alternative, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("alternativ")
        verbose_name_plural = _("alternativ")

    def __str__(self) -> str:
        return self.title


class VoteBallot(models.Model):
    """One person's vote; the unique constraint makes it count exactly once."""

    # Indexed by the unique (vote, participant_key) constraint, which starts with it.
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots", db_index=False)
    participant_key = models.CharField(max_length=100)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Option pks; for ranked votes in order of preference.
    choices = models.JSONField(default=list)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.DIGITAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        constraints = [
            models.UniqueConstraint(fields=["vote", "participant_key"], name="one_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"Röst {self.pk}"
