from __future__ import annotations

from typing import Any

from delaktig.participation.models import Activity

from .models import Comment, Discussion, Section


def threads_for(
    discussion: Discussion, *, viewer_key: str, user: Any, show_hidden: bool = False
) -> tuple[list[Comment], list[Section]]:
    """General threads and the document's sections, each with its visible threads.

    Sets `visible_replies` on each top-level comment and `threads` on each section.
    """
    qs = discussion.comments.all()
    if not show_hidden:
        qs = qs.visible_to(viewer_key=viewer_key, user=user)
    comments = list(qs.order_by("created_at", "id"))
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    by_section: dict[int | None, list[Comment]] = {}
    for c in comments:
        if c.parent_id is None:
            c.visible_replies = replies.get(c.pk, [])  # type: ignore[attr-defined]
            by_section.setdefault(c.section_id, []).append(c)
    sections = list(discussion.sections.all())
    for s in sections:
        s.threads = by_section.get(s.pk, [])  # type: ignore[attr-defined]
    return by_section.get(None, []), sections


def discussion_for(activity: Activity) -> Discussion:
    discussion, _ = Discussion.objects.get_or_create(activity=activity)
    return discussion
