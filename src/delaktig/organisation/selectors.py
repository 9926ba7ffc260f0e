from __future__ import annotations

from typing import cast

from django.conf import settings

from delaktig.core.public_cache import cached_public, memoized
from delaktig.organisation.models import Municipality


def current_municipality() -> Municipality | None:
    """The deployment's municipality: the configured slug, else the first one.

    Every page needs it, so it is cached under the public generation, which moves on
    whenever a municipality or policy profile is saved (delaktig.core.public_cache).
    """
    return cast(
        Municipality | None,
        memoized("municipality", lambda: cached_public("municipality", _find_municipality)),
    )


def _find_municipality() -> Municipality | None:
    qs = Municipality.objects.select_related("profile")
    slug = settings.DELAKTIG_MUNICIPALITY_SLUG
    if slug:
        return qs.filter(slug=slug).first()
    return qs.order_by("pk").first()
