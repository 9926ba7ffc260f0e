"""Every URL pattern of the project × every role: back-office views refuse residents and
anonymous visitors (redirect to login or 403), and no view ever answers 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from delaktig.core import ratelimit
from tests.security.world import World

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "elected", "official", "other_official", "strategist", "admin"]
SKIP_PREFIXES = ("django-admin/", "i18n/", "jsi18n/", "static/")
# Paths that are for officials only (handläggning, moderation, managing an activity,
# entering paper answers and ballots, reviewing, documenting a meeting, the opinion map).
BACKOFFICE_MARKERS = (
    "handlaggning/",
    "/hantera/",
    "/moderera/",
    "/svara/",
    "/moderering/",
    "/granska/",
    "/dokumentation/",
    "/pappersrost/",
    "/pappersenkat/",
    "/import/",
    "/karta/",
)


def walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    out: list[tuple[str, URLPattern]] = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += walk(p.url_patterns, route)
        else:
            out.append((route, p))
    return out


def all_routes() -> list[str]:
    routes = []
    for route, _p in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or route.startswith("^"):
            continue
        routes.append(route)
    return sorted(set(routes))


def _first_pk(name: str) -> Any:
    """A real object for a kwarg like idea_id / member_pk / comment_id."""
    base = name.removesuffix("_id").removesuffix("_pk").replace("_", "")
    for model in apps.get_models():
        if model._meta.app_label.startswith(("auth", "admin", "contenttypes", "sessions")):
            continue
        if model._meta.model_name == base or model._meta.model_name.endswith(base):
            obj = model._default_manager.order_by("pk").first()
            if obj is not None:
                return obj.pk
    return 1


def fill(route: str, world: World) -> str | None:
    import re

    dialogue = world.dialogues["open"]
    values: dict[str, Any] = {
        "pk": dialogue.pk,
        "slug": dialogue.slug,
        "activity_id": world.activities[0].pk,
        "dialogue_id": dialogue.pk,
        "item_pk": dialogue.checklist.order_by("pk").values_list("pk", flat=True).first() or 1,
        "member_pk": dialogue.team.order_by("pk").values_list("pk", flat=True).first() or 1,
    }
    path = route
    for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
        conv, name = m.group(1) or "str", m.group(2)
        value = values.get(name)
        if value is None:
            value = _first_pk(name) if conv == "int" else "x"
        path = path.replace(m.group(0), str(value), 1)
    if "(?P<" in path or "<" in path:
        return None
    return "/" + path


def client_for(role: str, world: World) -> Client:
    c = Client(raise_request_exception=False)
    user = world.people.get(role)
    if user is not None:
        c.force_login(user)
    return c


def test_matrix(world: World, settings: Any) -> None:
    # The matrix asks who may do what; one client posting to every URL would otherwise meet
    # the write limits, which tests/security/test_write_limits.py exercises on their own.
    settings.DELAKTIG_RATE_LIMITS = {scope: [] for scope in ratelimit.SCOPES}
    routes = all_routes()
    assert len(routes) > 20
    failures: list[str] = []
    checked = 0
    for route in routes:
        path = fill(route, world)
        if path is None:
            continue
        backoffice = any(m in path for m in BACKOFFICE_MARKERS)
        for role in ROLES:
            client = client_for(role, world)
            methods = ["get", "post"] if backoffice else ["get"]
            for method in methods:
                response = getattr(client, method)(path)
                checked += 1
                # 503 is a deliberate "not configured" answer (e.g. e-legitimation off).
                if response.status_code >= 500 and response.status_code != 503:
                    failures.append(f"{role} {method.upper()} {path}: {response.status_code}")
                if backoffice and role in ("anonymous", "resident"):
                    ok = response.status_code in (403, 404, 405) or (
                        response.status_code == 302 and "/konto/logga-in/" in response["Location"]
                    )
                    if not ok:
                        failures.append(
                            f"{role} {method.upper()} {path}: {response.status_code} "
                            "(handläggning ska nekas)"
                        )
    assert checked > 100
    assert not failures, "\n".join(failures)


def test_backoffice_open_to_officials(world: World) -> None:
    for role in ("official", "strategist", "admin"):
        assert client_for(role, world).get("/handlaggning/").status_code == 200, role
    for role in ("anonymous", "resident", "elected"):
        assert client_for(role, world).get("/handlaggning/").status_code in (302, 403), role


# Who holds the staff permissions that are not about one dialogue (`organisation.*`, the
# moderation queue, the feedback overview, population tables, new dialogues).
STAFF = {"official", "other_official", "strategist", "admin"}
STAFF_MATRIX = {
    "organisation.view_backoffice": STAFF,
    "organisation.view_member_pages": {"elected"},
    "organisation.view_audit_log": {"strategist", "admin"},
    "governance.view_dialogue_backoffice": STAFF,
    "governance.create_dialogue": STAFF,
    "discussions.view_moderation_queue": STAFF,
    "feedback.view_overview": STAFF,
    "results.import_population": STAFF,
}


@pytest.mark.parametrize("perm", sorted(STAFF_MATRIX))
def test_staff_permission_matrix(world: World, perm: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    holders = {role for role in ROLES if (world.people.get(role) or AnonymousUser()).has_perm(perm)}
    assert holders == STAFF_MATRIX[perm]


def test_staff_menus_follow_the_permissions(world: World) -> None:
    """The frame shows the back office and the member pages to those who may open them."""
    for role in ROLES:
        page = client_for(role, world).get("/").content.decode()
        assert ('href="/handlaggning/"' in page) is (role in STAFF), role
        assert ('href="/mina-organ/"' in page) is (role == "elected"), role
