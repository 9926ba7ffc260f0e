"""The demo gets free-text themes for four dialogues and published compilations for three."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.governance.demo import build_demo
from delaktig.results.models import Compilation, PopulationTable


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_compilations() -> None:
    ctx = build_demo(with_apps=False)
    from delaktig.results import demo

    demo.load(ctx)
    tables = PopulationTable.objects.filter(municipality=ctx.municipality, is_sample=True)
    assert tables.count() == 1
    for key in ["compiling", "feedback", "decided", "evaluated"]:
        compilation = Compilation.objects.get(dialogue=ctx.dialogues[key])
        assert compilation.themes.count() >= 2
        assert compilation.is_published == (key != "compiling")
    page = Client().get(reverse("results:public", kwargs={"slug": ctx.dialogues["feedback"].slug}))
    assert page.status_code == 200
    assert "Stationsområdet" in page.content.decode()  # representativeness by district
