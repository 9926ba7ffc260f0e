"""Discussions on a question, and text review of a document split into numbered sections.

Every comment and reply is also a `Contribution` (source = the comment).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.participation.models import Activity, ContributionStatus

COMMENT_MAX = 2000
REASON_MAX = 500
DOCUMENT_MAX = 100_000


class Discussion(models.Model):
    """The question or document residents comment on, one per activity."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="discussion")
    question = models.TextField(_("frågan"), blank=True)
    document_title = models.CharField(_("dokumentets namn"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("samtal")
        verbose_name_plural = _("samtal")

    def __str__(self) -> str:
        return self.document_title or self.question[:60]


class Section(models.Model):
    """A numbered section of a document under review."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveIntegerField()
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "number"], name="discussions_section_no")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}".strip()


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible_to(self, *, viewer_key: str = "", user: object = None) -> CommentQuerySet:
        own = Q(participant_key=viewer_key) if viewer_key else Q(pk__in=[])
        if getattr(user, "is_authenticated", False):
            own |= Q(author=user)
        return self.filter(Q(status=ContributionStatus.PUBLISHED) | own)

    def reported(self) -> CommentQuerySet:
        return self.filter(reports__resolved_at__isnull=True).distinct()


class Comment(models.Model):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("kommentar"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=100, blank=True)
    participant_key = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=ContributionStatus.choices, default=ContributionStatus.PUBLISHED
    )
    moderation_reason = models.TextField(blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_hidden(self) -> bool:
        return self.status == ContributionStatus.HIDDEN


class Report(models.Model):
    """A participant reports a comment; one open report per participant and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    participant_key = models.CharField(max_length=64)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("varför anmäler du kommentaren?"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "participant_key"], name="discussions_one_report_per_participant"
            )
        ]

    def __str__(self) -> str:
        return self.reason[:40]
