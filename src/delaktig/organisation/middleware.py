"""The deployment's municipality on every request (organisation owns who the municipality is)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from delaktig.core.public_cache import request_memo
from delaktig.organisation.selectors import current_municipality


class MunicipalityMiddleware:
    """Attach the deployment's municipality (lazily) to every request, and keep what the
    request reads of the public cache for the rest of it (delaktig.core.public_cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.municipality = SimpleLazyObject(current_municipality)  # type: ignore[attr-defined]
        with request_memo():
            return self.get_response(request)
