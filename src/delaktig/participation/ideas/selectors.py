from __future__ import annotations

from typing import Any

from django.db.models import Q

from delaktig.participation.models import Activity

from .models import Idea, IdeaQuerySet


def ideas_for(activity: Activity, *, viewer_key: str = "", user: Any = None) -> IdeaQuerySet:
    """Published ideas, plus the viewer's own hidden ones (so they see the reason)."""
    own = Q(participant_key=viewer_key) if viewer_key else Q(pk__in=[])
    if getattr(user, "is_authenticated", False):
        own |= Q(author=user)
    return (
        Idea.objects.filter(activity=activity)
        .filter(Q(status="published") | own)
        .with_support_count()
        .select_related("activity")
    )


def is_own(obj: Any, *, viewer_key: str, user: Any) -> bool:
    if viewer_key and obj.participant_key == viewer_key:
        return True
    return bool(getattr(user, "is_authenticated", False) and obj.author_id == user.pk)
