"""Ideas, e-proposals and their comments and supports (idéverkstad, framtidsverkstad, e-förslag).

Every idea, comment and support is also recorded as a `Contribution` (source = the row here),
so compilation treats them like any other input.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.participation.models import Activity, Channel, ContributionStatus

TITLE_MAX = 120
TEXT_MAX = 4000
COMMENT_MAX = 2000
CATEGORY_MAX = 60
REASON_MAX = 500


class IdeaQuerySet(models.QuerySet["Idea"]):
    def visible(self) -> IdeaQuerySet:
        return self.filter(status=ContributionStatus.PUBLISHED)

    def with_support_count(self) -> IdeaQuerySet:
        # Correlated subqueries, not a JOIN + GROUP BY: grouping by every selected column
        # of the idea and its activity, dialogue and municipality took ~30 ms on
        # PostgreSQL with a few thousand supports.
        def count(**where: object) -> Coalesce:
            supports = (
                IdeaSupport.objects.filter(idea=OuterRef("pk"), **where)
                .order_by()
                .values("idea")
                .annotate(n=Count("*"))
                .values("n")
            )
            return Coalesce(Subquery(supports, output_field=IntegerField()), 0)

        return self.annotate(support_count=count(), counted_support_count=count(counts=True))

    def sorted_by(self, order: str) -> IdeaQuerySet:
        if order == "stod":
            return self.order_by("-support_count", "-created_at", "-id")
        return self.order_by("-created_at", "-id")


class Idea(models.Model):
    """An idea (idéverkstad, framtidsverkstad) or an e-proposal (e-förslag)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(_("rubrik"), max_length=TITLE_MAX)
    text = models.TextField(_("beskriv idén"))
    category = models.CharField(_("kategori"), max_length=CATEGORY_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    author_name = models.CharField(_("namn som visas"), max_length=100, blank=True)
    participant_key = models.CharField(max_length=64, blank=True, db_index=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.DIGITAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ContributionStatus.choices, default=ContributionStatus.PUBLISHED
    )
    moderation_reason = models.TextField(_("skäl"), blank=True)
    # E-proposals: the municipality's threshold and period, fixed when the proposal is made.
    support_threshold = models.PositiveIntegerField(null=True, blank=True)
    support_deadline = models.DateTimeField(null=True, blank=True)
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("kommunens svar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idé")
        verbose_name_plural = _("idéer")

    def __str__(self) -> str:
        return self.title

    @property
    def is_proposal(self) -> bool:
        return self.support_threshold is not None

    @property
    def is_hidden(self) -> bool:
        return self.status == ContributionStatus.HIDDEN

    def supports_total(self) -> int:
        """Every support, counted or not: what an idea list sorts by."""
        value = getattr(self, "support_count", None)
        return value if value is not None else self.supports.count()

    def counted_supports(self) -> int:
        """Supports that count toward the threshold (`IdeaSupport.counts`)."""
        value = getattr(self, "counted_support_count", None)
        return value if value is not None else self.supports.filter(counts=True).count()

    def interest_total(self) -> int:
        """Supports shown as interest: recorded, but never toward the threshold."""
        return self.supports_total() - self.counted_supports()

    @property
    def days_left(self) -> int:
        if self.support_deadline is None:
            return 0
        remaining = self.support_deadline - timezone.now()
        if remaining <= datetime.timedelta(0):
            return 0
        return remaining.days + (1 if remaining.seconds or remaining.microseconds else 0)

    @property
    def threshold_reached(self) -> bool:
        if self.threshold_reached_at is not None:
            return True
        return self.is_proposal and self.counted_supports() >= (self.support_threshold or 0)

    @property
    def support_expired(self) -> bool:
        return (
            self.is_proposal
            and not self.threshold_reached
            and self.support_deadline is not None
            and self.support_deadline <= timezone.now()
        )

    @property
    def collecting(self) -> bool:
        return self.is_proposal and not self.threshold_reached and not self.support_expired


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("kommentar"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=100, blank=True)
    participant_key = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=20, choices=ContributionStatus.choices, default=ContributionStatus.PUBLISHED
    )
    moderation_reason = models.TextField(_("skäl"), blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kommentar till idé")
        verbose_name_plural = _("kommentarer till idéer")

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_hidden(self) -> bool:
        return self.status == ContributionStatus.HIDDEN


class IdeaSupport(models.Model):
    """One support per participant and idea, enforced by the database."""

    # Indexed by the unique (idea, participant_key) constraint, which starts with it.
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="supports", db_index=False
    )
    participant_key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Toward an e-proposal's threshold, which starts formal handling: only from a person at
    # the level the policy profile sets for counts that decide
    # (`eligibility.counts_toward_threshold`). Any other support is shown as interest.
    counts = models.BooleanField(_("räknas mot målet"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stöd")
        verbose_name_plural = _("stöd")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "participant_key"], name="ideas_one_support_per_participant"
            ),
            models.CheckConstraint(
                condition=~Q(participant_key=""), name="ideas_support_has_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"Stöd för {self.idea_id}"
