from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class MunicipalityMiddleware:
    """Attach the deployment's municipality (lazily) to every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils.functional import SimpleLazyObject

        from delaktig.organisation.selectors import current_municipality

        request.municipality = SimpleLazyObject(current_municipality)  # type: ignore[attr-defined]
        return self.get_response(request)
