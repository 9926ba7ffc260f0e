"""Demo data: an open medborgarbudget with twelve projects and a counted one."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from delaktig.participation.budgets import actions
from delaktig.participation.budgets.models import Phase, ProjectStatus

PROJECTS = [
    ("Utegym vid Edsviken", 180_000, "Norr", "Idrott"),
    ("Fler bänkar längs strandpromenaden", 60_000, "Söder", "Park"),
    ("Belysning på gångvägen till stationen", 220_000, "Centrum", "Trygghet"),
    ("Pumptrack för cykel och sparkcykel", 350_000, "Norr", "Idrott"),
    ("Blomsteräng i Centrumparken", 45_000, "Centrum", "Natur"),
    ("Boklådor vid busshållplatserna", 25_000, "Söder", "Kultur"),
    ("Grillplats vid badplatsen", 90_000, "Söder", "Park"),
    ("Lekplats med tillgänglig gunga", 280_000, "Centrum", "Lek"),
    ("Konstgräs på bollplanen i Tureberg", 400_000, "Norr", "Idrott"),
    ("Cykelpump och verktygsstation", 30_000, "Centrum", "Trafik"),
    ("Sommarbio i parken", 70_000, "Centrum", "Kultur"),
    ("Fågelholkar och insektshotell", 15_000, "Norr", "Natur"),
]


def _budget(ctx: Any, key: str, title: str, **activity_fields: Any) -> Any:
    activity = ctx.activity(
        key,
        "budget",
        title,
        identity_level="email",
        residency_rule="connected",
        min_age=13,
        description="Du bestämmer hur 1 miljon kronor ska användas i ditt närområde.",
        **activity_fields,
    )
    budget = actions.create_budget(
        activity=activity,
        by=ctx.users["handlaggare"],
        total=Decimal(1_000_000),
        max_project_cost=Decimal(500_000),
        ballot_type="knapsack",
        rule="greedy",
    )
    for order, (title_, cost, district, category) in enumerate(PROJECTS):
        budget.projects.create(
            title=title_,
            description=f"{title_}. Förslaget kommer från en invånare.",
            cost=Decimal(cost),
            district=district,
            category=category,
            status=ProjectStatus.FEASIBLE,
            review_reason="Kommunen bedömer att projektet går att genomföra inom ett år.",
            reviewed_by=ctx.users["handlaggare"],
            order=order,
        )
    budget.projects.create(
        title="Tunnelbana till Edsberg",
        description="En ny tunnelbanelinje.",
        proposed_cost=Decimal(5_000_000_000),
        status=ProjectStatus.INFEASIBLE,
        review_reason="Kostar långt mer än hela budgeten och är inte kommunens ansvar.",
        order=len(PROJECTS),
    )
    budget.phase = Phase.VOTING
    budget.save()
    return budget


def _ballots(budget: Any, n: int, by: Any) -> None:
    projects = list(budget.projects.filter(status=ProjectStatus.FEASIBLE))
    for i in range(n):
        chosen, cost = [], 0
        for j in (i % 5, (i * 3) % 12, (i * 7 + 1) % 12, 4, 9):
            p = projects[j]
            if p.pk not in chosen and cost + p.cost <= budget.total:
                chosen.append(p.pk)
                cost += p.cost
        if i % 4 == 0:
            actions.enter_paper_ballot(
                budget=budget, by=by, paper_number=f"D{i}", choices=[(pk, 1) for pk in chosen]
            )
        else:
            actions._store_ballot(
                budget=budget,
                user=None,
                participant_key=f"demo-{budget.pk}-{i}",
                choices=[(pk, 1) for pk in chosen],
                district="",
                channel="digital",
                demographics={"age_band": ["16-24", "25-44", "45-64", "65+"][i % 4]},
            )


def load(ctx: Any) -> None:
    open_budget = _budget(ctx, "open_budget", "Rösta på medborgarbudgeten 2027")
    _ballots(open_budget, 14, ctx.users["handlaggare"])
    key = "decided" if "decided" in ctx.dialogues else "evaluated"
    done = _budget(ctx, key, "Medborgarbudget 2025")
    # Ballots go in while the vote is open, then it closes and is counted.
    dialogue = done.activity.dialogue
    real_status, dialogue.status = dialogue.status, "open"
    dialogue.save(update_fields=["status"])
    _ballots(done, 57, ctx.users["handlaggare"])
    dialogue.status = real_status
    dialogue.save(update_fields=["status"])
    done.activity.closes_at = timezone.now() - datetime.timedelta(days=60)
    done.activity.save(update_fields=["closes_at"])
    actions.count_votes(budget=done, by=ctx.users["handlaggare"])
