from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from delaktig.core import actions, mail


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


# RFC 8058 one-click unsubscribe: the mail client POSTs without a CSRF token; the signed
# token in the link is what authorises the request, and it can only stop mail.
@csrf_exempt
def stop_mail(request: HttpRequest, token: str) -> HttpResponse:
    """The stop link of every resident's mail that has a stream: confirm with POST."""
    found = mail.read_stop_token(token)
    if found is None:
        return render(request, "core/stop_mail.html", {"invalid": True}, status=404)
    if request.method == "POST":
        digest, stream = found
        actions.stop_mail(address_digest=digest, stream=stream)
        return render(request, "core/stop_mail.html", {"done": True})
    return render(request, "core/stop_mail.html", {"token": token})
