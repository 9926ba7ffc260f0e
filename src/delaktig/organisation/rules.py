"""Who is who in the organisation, as django-rules predicates."""

from __future__ import annotations

from typing import Any

import rules

from delaktig.organisation.models import Role


def _roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_delaktig_roles", None)
    if cached is None:
        cached = set(user.staff_roles.values_list("role", flat=True))
        if user.is_superuser:
            cached.add(Role.ADMIN)
        user._delaktig_roles = cached
    return cached


@rules.predicate
def is_admin(user: Any) -> bool:
    return Role.ADMIN in _roles(user)


@rules.predicate
def is_strategist(user: Any) -> bool:
    return Role.STRATEGIST in _roles(user)


@rules.predicate
def is_official(user: Any) -> bool:
    return bool(_roles(user))


@rules.predicate
def is_elected(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    # Asked by every page's menu: once per request's user object, like the roles.
    cached = getattr(user, "_delaktig_elected", None)
    if cached is None:
        cached = user._delaktig_elected = user.body_memberships.exists()
    return bool(cached)


# The back office and the staff menu; the write limits count an official apart from residents.
rules.add_perm("organisation.view_backoffice", is_official)
rules.add_perm("organisation.view_member_pages", is_elected)
rules.add_perm("organisation.view_audit_log", is_strategist | is_admin)
