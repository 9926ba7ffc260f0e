from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """Refuse a query string that carries NUL characters, before any view sees it.

    Forms already refuse NUL (Django's ProhibitNullCharactersValidator), but views also
    filter on raw query parameters (search, slugs, paging). PostgreSQL cannot store or
    compare text with NUL and raises a server error, so the request is refused here once,
    with a clear Swedish 400, instead of in every view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
            return _bad_request(request, _("Adressen innehåller ett ogiltigt tecken (NUL)."))
        return self.get_response(request)


def _query_items(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"fel": {"kod": "ogiltig_parameter", "meddelande": message}},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request))
