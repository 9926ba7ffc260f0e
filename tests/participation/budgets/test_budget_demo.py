"""The budget and vote demos load through the real actions and render."""

from __future__ import annotations

import pytest

from delaktig.governance.demo import build_demo
from delaktig.participation.budgets import demo
from delaktig.participation.budgets.models import Budget, Phase
from delaktig.participation.models import Contribution
from delaktig.participation.votes import demo as vote_demo

pytestmark = pytest.mark.django_db


def test_demo_has_an_open_and_a_counted_budget(client):
    ctx = build_demo(with_apps=False)
    demo.load(ctx)
    vote_demo.load(ctx)
    open_budget = Budget.objects.get(activity__dialogue=ctx.dialogues["open_budget"])
    assert open_budget.phase == Phase.VOTING
    assert open_budget.projects.filter(status="feasible").count() == 12
    assert open_budget.ballots.count() == 14
    assert Contribution.objects.filter(activity=open_budget.activity, kind="ballot").count() == 14
    done = Budget.objects.exclude(pk=open_budget.pk).get()
    assert done.phase == Phase.COUNTED and done.result["selected"]
    html = client.get(open_budget.activity.get_absolute_url()).content.decode()
    assert "Utegym vid Edsviken" in html
    html = client.get(f"/delta/medborgarbudget/{done.activity_id}/resultat/").content.decode()
    assert "Projekten som vann" in html and "Tunnelbana till Edsberg" in html
    assert Contribution.objects.filter(kind="vote").count() == 9
