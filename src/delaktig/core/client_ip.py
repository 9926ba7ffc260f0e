"""The address of the person making a request, for rate limits and abuse protection.

Behind a reverse proxy REMOTE_ADDR is the proxy's own address, so every resident would
share one limit. With DELAKTIG_TRUSTED_PROXIES = n (the number of proxies in front of the
app, set by the operator) the address is taken from X-Forwarded-For, n entries from the
right: the entries further left are written by the client and cannot be trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    address = str(request.META.get("REMOTE_ADDR", "") or "")
    hops = int(getattr(settings, "DELAKTIG_TRUSTED_PROXIES", 0) or 0)
    if hops > 0:
        forwarded = [
            part.strip()
            for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address or "unknown"
