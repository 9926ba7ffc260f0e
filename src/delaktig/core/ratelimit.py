"""Rate limits on login, contributions and votes (django-ratelimit on Django's cache).

The counters live in the default cache: Redis when REDIS_URL is set (shared by all app
processes), else the process's local memory (development and tests). A limited request
gets HTTP 429 with a Swedish explanation and a Retry-After header; nothing is saved.

Use:
    from delaktig.core.ratelimit import limit_contributions
    @limit_contributions
    def activity(request, activity_id): ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from delaktig.core.client_ip import client_ip

# Per-client limits. POSTs only: reading is never limited here.
LOGIN_RATE_IP = "20/m"
LOGIN_RATE_USERNAME = "5/m"
CONTRIBUTION_RATE = "30/m"
VOTE_RATE = "20/m"


def user_or_ip(group: str, request: HttpRequest) -> str:
    """Signed-in people by account (many residents share a school or library IP),
    anonymous ones by IP."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def username(group: str, request: HttpRequest) -> str:
    return "username:" + request.POST.get("username", "").strip().lower()[:150]


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = _(
        "Du har skickat för många förfrågningar på kort tid. Vänta en minut och försök igen."
    )
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(
            {"fel": {"kod": "for_manga_anrop", "meddelande": message}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        try:
            body = render_to_string("base.html", {"request": request}, request=request).replace(
                "</main>",
                f"<h1>{escape(_('För många försök'))}</h1><p>{escape(message)}</p></main>",
                1,
            )
        except Exception:  # the page must render even if the site template cannot
            body = f'<!DOCTYPE html><html lang="sv"><title>429</title><h1>{escape(message)}</h1>'
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


def limit(
    *rules: tuple[Callable[[str, HttpRequest], str] | str, str],
    group: str,
    methods: tuple[str, ...] = ("POST",),
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse with 429 when any (key, rate) rule is exceeded for this group."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                for key, rate in rules:
                    usage = get_usage(
                        request,
                        group=group,
                        key=key,
                        rate=rate,
                        method=list(methods),
                        increment=True,
                    )
                    if usage and usage["should_limit"]:
                        return too_many(request, usage["time_left"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


limit_login = limit(("ip", LOGIN_RATE_IP), (username, LOGIN_RATE_USERNAME), group="delaktig.login")
limit_contributions = limit((user_or_ip, CONTRIBUTION_RATE), group="delaktig.contribution")
limit_votes = limit((user_or_ip, VOTE_RATE), group="delaktig.vote")


def _login_view() -> Callable[..., HttpResponse]:
    from django.contrib.auth import views as auth_views

    view = auth_views.LoginView.as_view(template_name="accounts/login.html")
    return limit_login(cast(Callable[..., HttpResponse], view))


# The accounts login view with the login limit applied: point the "login" URL here.
login = _login_view()
