from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.cache import cache

from delaktig.core.public_cache import fragment_seconds, memoized, public_generation
from delaktig.organisation.models import Municipality

_MISSING = object()  # a cached None means "no municipality", not "not cached"


def current_municipality() -> Municipality | None:
    """The deployment's municipality: the configured slug, else the first one.

    Every page needs it, so it is cached under the public generation, which moves on
    whenever a municipality or policy profile is saved (delaktig.core.public_cache).
    """
    return cast(Municipality | None, memoized("municipality", _cached_municipality))


def _cached_municipality() -> Municipality | None:
    seconds = fragment_seconds()
    if not seconds:
        return _find_municipality()
    key = f"delaktig:municipality:{public_generation()}"
    cached = cache.get(key, _MISSING)
    if cached is not _MISSING:
        return cast(Municipality | None, cached)
    municipality = _find_municipality()
    cache.set(key, municipality, seconds)
    return municipality


def _find_municipality() -> Municipality | None:
    qs = Municipality.objects.select_related("profile")
    slug = settings.DELAKTIG_MUNICIPALITY_SLUG
    if slug:
        return qs.filter(slug=slug).first()
    return qs.order_by("pk").first()
