from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from delaktig.governance.selectors import public_dialogues


def home(request: HttpRequest) -> HttpResponse:
    dialogues = public_dialogues().participating()[:12]
    return render(request, "core/home.html", {"dialogues": dialogues})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def about(request: HttpRequest) -> HttpResponse:
    from delaktig.governance.models import INFLUENCE_MEANING, InfluenceLevel

    ladder = [(level.label, INFLUENCE_MEANING[level]) for level in InfluenceLevel]
    return render(request, "core/about.html", {"ladder": ladder})
