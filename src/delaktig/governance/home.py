"""The site's front page and the page about citizen dialogue: both show governance's data
(the dialogues residents can join now, the participation ladder), so they live here and
`core` stays a base layer that knows no domain app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from delaktig.governance.models import INFLUENCE_MEANING, InfluenceLevel
from delaktig.governance.selectors import public_dialogues


def home(request: HttpRequest) -> HttpResponse:
    dialogues = public_dialogues().participating()[:12]
    return render(request, "governance/home.html", {"dialogues": dialogues})


def about(request: HttpRequest) -> HttpResponse:
    ladder = [(level.label, INFLUENCE_MEANING[level]) for level in InfluenceLevel]
    return render(request, "governance/about.html", {"ladder": ladder})
