"""Reads shared by the participation methods."""

from __future__ import annotations

from django.http import Http404

from delaktig.core.public_cache import cached_public
from delaktig.participation.models import Activity


def public_activity(activity_id: int, method: str | None = None) -> Activity:
    """An activity with its dialogue and municipality, as residents' pages and
    submissions read it: from the public cache, which every save of an activity or a
    dialogue moves on (delaktig.core.public_cache). Not for officials' edits."""
    activity = cached_public(
        f"activity:{activity_id}",
        lambda: (
            Activity.objects.select_related("dialogue__municipality").filter(pk=activity_id).first()
        ),
    )
    if activity is None or (method is not None and activity.method != method):
        raise Http404
    return activity
