from __future__ import annotations

from django.conf import settings

from delaktig.organisation.models import Municipality


def current_municipality() -> Municipality | None:
    """The deployment's municipality: the configured slug, else the first one."""
    qs = Municipality.objects.select_related("profile")
    slug = settings.DELAKTIG_MUNICIPALITY_SLUG
    if slug:
        return qs.filter(slug=slug).first()
    return qs.order_by("pk").first()
