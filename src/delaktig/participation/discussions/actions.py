"""Writes for discussions and text reviews. Each comment also becomes a Contribution."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.permissions import require
from delaktig.participation import eligibility
from delaktig.participation.actions import record_contribution
from delaktig.participation.models import (
    Activity,
    Contribution,
    ContributionKind,
    ContributionStatus,
)

from .models import Comment, Discussion, Report, Section

_NUMBERED = re.compile(r"^\s*(?:§\s*)?(\d+(?:\.\d+)*)[.)]?\s+(.*)$")


def split_document(text: str) -> list[tuple[str, str]]:
    """Split a pasted document into sections at blank lines.

    A section's first line becomes its heading when it starts with "#" or a number
    ("1.", "2.3", "§ 4") and is short; otherwise the section has no heading.
    """
    sections: list[tuple[str, str]] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in block.strip().split("\n")]
        if not lines or not lines[0]:
            continue
        heading = ""
        first = lines[0].strip()
        if len(lines) > 1 and len(first) <= 150:
            if first.startswith("#"):
                heading = first.lstrip("#").strip()
            elif _NUMBERED.match(first):
                heading = first
        body = "\n".join(lines[1:] if heading else lines).strip()
        sections.append((heading, body))
    return sections


@transaction.atomic
def set_up_discussion(
    *,
    activity: Activity,
    official: Any,
    question: str,
    document_title: str = "",
    document_text: str = "",
) -> Discussion:
    """Set the question and, for a text review, replace the document's sections.

    Sections that already have comments are kept; the document can only be replaced
    while nobody has commented on it.
    """
    require(official, "discussions.manage_activity", activity)
    discussion, _created = Discussion.objects.get_or_create(activity=activity)
    discussion.question = question
    discussion.document_title = document_title
    discussion.save()
    if document_text.strip():
        if Comment.objects.filter(section__discussion=discussion).exists():
            raise DomainError(_("Dokumentet har redan fått kommentarer och kan inte bytas ut."))
        discussion.sections.all().delete()
        Section.objects.bulk_create(
            [
                Section(discussion=discussion, number=i, heading=heading, text=body)
                for i, (heading, body) in enumerate(split_document(document_text), start=1)
            ]
        )
    record_audit(
        actor=official,
        action="discussions.set_up",
        obj=discussion,
        summary=document_title or question[:200],
        data={"sections": discussion.sections.count()},
    )
    return discussion


@transaction.atomic
def post_comment(
    *,
    discussion: Discussion,
    user: Any,
    participant_key: str,
    text: str,
    section: Section | None = None,
    parent: Comment | None = None,
    submission_key: str | None = None,
    school: dict[str, Any] | None = None,
) -> Comment:
    """A participant comments on the question, a section, or replies to a comment."""
    if submission_key:
        existing = Comment.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    activity = discussion.activity
    eligibility.check(user, activity, school=school)
    if section is not None and section.discussion_id != discussion.pk:
        raise DomainError(_("Avsnittet finns inte i det här dokumentet."))
    if parent is not None:
        if parent.discussion_id != discussion.pk or parent.is_hidden:
            raise DomainError(_("Du kan inte svara på den kommentaren."))
        # One level of nesting: a reply to a reply joins the same thread.
        parent = parent.parent or parent
        section = parent.section
    authenticated = getattr(user, "is_authenticated", False)
    comment = Comment.objects.create(
        discussion=discussion,
        section=section,
        parent=parent,
        text=text,
        author=user if authenticated else None,
        author_name=user.public_name if authenticated else "",
        participant_key=participant_key,
        submission_key=submission_key or None,
    )
    data: dict[str, Any] = {}
    if section is not None:
        data["section"] = section.number
        data["section_heading"] = section.heading
    if parent is not None:
        data["reply_to"] = parent.pk
    record_contribution(
        activity=activity,
        kind=ContributionKind.COMMENT,
        text=text,
        data=data,
        author=user,
        participant_key=participant_key,
        source=comment,
    )
    return comment


def report_comment(*, comment: Comment, user: Any, participant_key: str, reason: str) -> Report:
    if not reason.strip():
        raise DomainError(_("Skriv varför du anmäler kommentaren."))
    try:
        with transaction.atomic():
            return Report.objects.create(
                comment=comment,
                participant_key=participant_key,
                reporter=user if getattr(user, "is_authenticated", False) else None,
                reason=reason,
            )
    except IntegrityError:
        raise DomainError(_("Du har redan anmält den här kommentaren."), code="duplicate") from None


@transaction.atomic
def moderate_comment(*, comment: Comment, official: Any, hide: bool, reason: str) -> Comment:
    """Hide or restore a comment with a reason; open reports on it are resolved."""
    require(official, "discussions.manage_activity", comment.discussion.activity)
    if not reason.strip():
        raise DomainError(_("Skriv ett skäl. Skälet visas för den som skrev kommentaren."))
    comment.status = ContributionStatus.HIDDEN if hide else ContributionStatus.PUBLISHED
    comment.moderation_reason = reason
    comment.save(update_fields=["status", "moderation_reason"])
    Contribution.objects.filter(source_type=comment._meta.label, source_id=str(comment.pk)).update(
        status=comment.status, moderation_reason=reason
    )
    resolved = comment.reports.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=official
    )
    record_audit(
        actor=official,
        action="discussions.comment_hidden" if hide else "discussions.comment_restored",
        obj=comment,
        summary=reason,
        data={"reason": reason, "reports_resolved": resolved},
    )
    return comment
