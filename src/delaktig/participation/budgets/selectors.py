"""Reads for medborgarbudget: the counting instance, the ballot summary, the explanation."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.participation.budgets import counting, pabulib
from delaktig.participation.budgets.models import (
    PABULIB_VOTE_TYPE,
    Ballot,
    BallotType,
    Budget,
    CapKind,
    Phase,
    Project,
    ProjectStatus,
    TieBreak,
    to_fraction,
)


def ballot_projects(budget: Budget) -> list[Project]:
    return list(budget.projects.on_ballot().order_by("order", "id"))


def kr(value: Fraction | Any) -> str:
    """Swedish money: 1 234 567 kr (öre only when there are any)."""
    value = Fraction(str(value)) if not isinstance(value, Fraction) else value
    whole = value.numerator // value.denominator
    text = f"{whole:,}".replace(",", "\u00a0")
    cents = value - whole
    if cents:
        text += "," + f"{int(round(float(cents) * 100)):02d}"
    return f"{text}\u00a0kr"


def cap_key(kind: str, name: str) -> str:
    return f"{kind}:{name}"


def instance_for(budget: Budget) -> counting.Instance:
    projects = ballot_projects(budget)
    ids = {p.pk: p.pb_id for p in projects}
    ballots = []
    for ballot in budget.ballots.all().only("id", "choices"):
        scores = {
            ids[c["project"]]: Fraction(c["points"])
            for c in ballot.choices
            if c["project"] in ids and c["points"] > 0
        }
        ballots.append(counting.Ballot(voter_id=str(ballot.pk), scores=scores))
    return counting.Instance(
        budget=to_fraction(budget.total),
        projects=[
            counting.Project(
                id=p.pb_id,
                cost=to_fraction(p.cost),
                name=p.title,
                categories=tuple(
                    k
                    for k in (
                        cap_key(CapKind.DISTRICT, p.district) if p.district else "",
                        cap_key(CapKind.CATEGORY, p.category) if p.category else "",
                    )
                    if k
                ),
            )
            for p in projects
        ],
        ballots=ballots,
        vote_type=PABULIB_VOTE_TYPE[BallotType(budget.ballot_type)],
        rule=budget.rule,
        tie_break=budget.tie_break,
        threshold=Fraction(budget.threshold) if budget.threshold is not None else None,
        caps={cap_key(c.kind, c.name): to_fraction(c.amount) for c in budget.caps.all()},
    )


@dataclass
class BallotSummary:
    chosen: list[Project]
    chosen_cost: Fraction
    remaining: Fraction
    choices_left: int | None
    points_left: int | None
    over_budget: bool

    @property
    def chosen_cost_text(self) -> str:
        return kr(self.chosen_cost)

    @property
    def remaining_text(self) -> str:
        return kr(self.remaining)


def ballot_summary(budget: Budget, choices: list[tuple[int, int]]) -> BallotSummary:
    """What the resident has chosen so far and what is left (shown after "Uppdatera")."""
    by_pk = {p.pk: p for p in ballot_projects(budget)}
    chosen = [by_pk[pk] for pk, points in choices if pk in by_pk and points > 0]
    cost = sum((to_fraction(p.cost) for p in chosen), Fraction(0))
    total = to_fraction(budget.total)
    choices_left = None
    if budget.ballot_type in (BallotType.APPROVAL, BallotType.RANKED) and budget.max_choices:
        choices_left = budget.max_choices - len(chosen)
    if budget.ballot_type == BallotType.CHOOSE_ONE:
        choices_left = 1 - len(chosen)
    points_left = None
    if budget.ballot_type == BallotType.CUMULATIVE:
        points_left = budget.points_total - sum(points for _, points in choices)
    return BallotSummary(
        chosen=chosen,
        chosen_cost=cost,
        remaining=total - cost,
        choices_left=choices_left,
        points_left=points_left,
        over_budget=cost > total,
    )


REASONS = {
    "funded": gettext_lazy(
        "Fick {score} och fick plats i budgeten: när det var projektets tur fanns "
        "{before} kvar och projektet kostar {cost}."
    ),
    "funded_reserve": gettext_lazy(
        "Fick {score}. Det fick inte plats fullt ut, men minst 80 procent av "
        "kostnaden fanns kvar och resten togs från reserven."
    ),
    "too_expensive": gettext_lazy(
        "Fick {score}, men när det var projektets tur fanns bara {before} kvar "
        "och projektet kostar {cost}. Det hoppades över och nästa projekt prövades."
    ),
    "stop": gettext_lazy(
        "Fick {score}, men när det var projektets tur fanns bara {before} kvar och "
        "projektet kostar {cost}. Enligt regeln slutar räkningen här."
    ),
    "after_stop": gettext_lazy(
        "Fick {score}. Räkningen hade redan slutat vid ett dyrare projekt med fler "
        "röster, så projektet prövades inte."
    ),
    "below_threshold": gettext_lazy(
        "Fick {score}, färre än de {threshold} som krävs för att kunna vinna."
    ),
    "cap_reached": gettext_lazy(
        "Fick {score} och fick plats i budgeten, men taket för området eller "
        "kategorin hade redan nåtts."
    ),
    "funded_equal_shares": gettext_lazy(
        "Fick {score}. Med lika andelar kunde de som röstade på projektet "
        "betala det tillsammans ur sina andelar av budgeten (vald i omgång {round})."
    ),
    "funded_completion": gettext_lazy(
        "Fick {score}. Valdes när den budget som blev över efter lika andelar "
        "fördelades till de projekt med flest röster som fick plats."
    ),
    "supporters_cannot_pay": gettext_lazy(
        "Fick {score}. De som röstade på projektet hade redan använt så "
        "mycket av sina andelar på andra projekt att det inte räckte."
    ),
    "no_support": gettext_lazy("Fick inga röster."),
}

RULE_EXPLANATION = {
    "greedy": gettext_lazy(
        "Projekten ordnades efter antal röster. Det projekt som fått flest röster "
        "valdes först, sedan nästa, så länge pengarna räckte. Ett projekt som inte fick "
        "plats hoppades över och nästa prövades."
    ),
    "greedy-no-skip": gettext_lazy(
        "Projekten ordnades efter antal röster och valdes i tur och ordning. "
        "Räkningen slutade vid det första projekt som inte fick plats."
    ),
    "greedy-threshold": gettext_lazy(
        "Projekten ordnades efter antal röster. Bara projekt med minst "
        "{threshold} röster kunde vinna. De valdes i tur och ordning så länge "
        "pengarna räckte."
    ),
    "equalshares/add1": gettext_lazy(
        "Budgeten delades lika mellan alla som röstade. Ett projekt valdes om "
        "de som röstade på det kunde betala det tillsammans ur sina andelar. "
        "Det projekt som blev billigast per nöjd röstande valdes först. För att "
        "använda så mycket av budgeten som möjligt höjdes andelarna en krona i "
        "taget så länge resultatet fick plats i budgeten."
    ),
}

TIE_RULES: dict[str, Any] = {
    TieBreak.SUPPORTERS_COST_ORDER: gettext_lazy(
        "Om två projekt fick lika många röster går det projekt före som flest personer "
        "röstat på, sedan det billigare, sedan det som står först i listan."
    ),
    TieBreak.FILE_ORDER: gettext_lazy(
        "Om två projekt fick lika många röster går det projekt före som står först i "
        "den officiella projektlistan."
    ),
}


def tie_explanation(budget: Budget) -> str:
    """The tie-break the count used (stored with the result), in plain Swedish."""
    used = budget.result.get("details", {}).get("tie_break") or budget.tie_break
    return str(TIE_RULES.get(used, TIE_RULES[TieBreak.SUPPORTERS_COST_ORDER]))


def score_text(budget: Budget, score: Fraction) -> str:
    n = int(score) if score.denominator == 1 else float(score)
    if budget.ballot_type in (BallotType.CUMULATIVE, BallotType.RANKED):
        return _("%(n)s poäng") % {"n": n}
    return _("1 röst") if n == 1 else _("%(n)s röster") % {"n": n}


def explain(budget: Budget) -> list[dict[str, Any]]:
    """One row per project on the ballot with a plain-Swedish reason, in counting order."""
    steps = budget.result.get("steps", [])
    projects = {p.pb_id: p for p in ballot_projects(budget)}
    rows = []
    for step in steps:
        project = projects.get(step["project_id"])
        if project is None:
            continue
        score = Fraction(step["score"])
        text = str(REASONS.get(step["reason"], "")).format(
            score=score_text(budget, score),
            cost=kr(Fraction(step["cost"])),
            before=kr(Fraction(step["remaining_before"])),
            threshold=budget.threshold or 0,
            round=step.get("round") or "",
        )
        rows.append(
            {
                "project": project,
                "selected": step["selected"],
                "score": score_text(budget, score),
                "cost": kr(Fraction(step["cost"])),
                "reason": text,
            }
        )
    return rows


def rule_explanation(budget: Budget) -> str:
    return str(RULE_EXPLANATION.get(budget.rule, "")).format(threshold=budget.threshold or 0)


def outcome_to_result(outcome: counting.Outcome) -> dict[str, Any]:
    return {
        "rule": outcome.rule,
        "selected": outcome.selected,
        "spent": str(outcome.spent),
        "steps": [
            {
                "project_id": s.project_id,
                "selected": s.selected,
                "reason": s.reason,
                "score": str(s.score),
                "cost": str(s.cost),
                "remaining_before": str(s.remaining_before),
                "remaining_after": str(s.remaining_after),
                "round": s.round,
            }
            for s in outcome.steps
        ],
        "details": {k: v for k, v in outcome.details.items() if isinstance(v, (int, str))},
        "warnings": list(outcome.warnings),
    }


def export_pabulib(budget: Budget) -> str:
    """The budget's projects and ballots as a Pabulib `.pb` file (no personal data)."""
    activity = budget.activity
    projects = ballot_projects(budget)
    ids = {p.pk: p.pb_id for p in projects}
    selected = set(budget.result.get("selected", [])) if budget.phase == Phase.COUNTED else set()
    scores: dict[str, Fraction] = dict.fromkeys(ids.values(), Fraction(0))
    votes = []
    for ballot in budget.ballots.order_by("id"):
        chosen = [c for c in ballot.choices if c["project"] in ids and c["points"] > 0]
        for c in chosen:
            scores[ids[c["project"]]] += c["points"]
        record: dict[str, object] = {
            "voter_id": str(ballot.pk),
            "vote": ",".join(ids[c["project"]] for c in chosen),
        }
        if budget.ballot_type == BallotType.CUMULATIVE:
            record["points"] = ",".join(str(c["points"]) for c in chosen)
        record["voting_method"] = "paper" if ballot.channel == "paper" else "internet"
        votes.append(record)
    meta: dict[str, str] = {
        "description": activity.title,
        "country": "Sweden",
        "unit": activity.dialogue.municipality.name,
        "instance": str(activity.opens_at.year if activity.opens_at else activity.created_at.year),
        "num_projects": str(len(projects)),
        "num_votes": str(len(votes)),
        "budget": str(budget.total.normalize() if budget.total % 1 else int(budget.total)),
        "vote_type": PABULIB_VOTE_TYPE[BallotType(budget.ballot_type)],
        "rule": budget.rule,
        "language": "sv",
        "currency": "SEK",
    }
    if budget.ballot_type == BallotType.CUMULATIVE:
        meta["max_sum_points"] = str(budget.points_total)
    if budget.max_choices:
        meta["max_length"] = str(budget.max_choices)
    if budget.threshold is not None:
        meta["min_project_score_threshold"] = str(budget.threshold)
    project_rows: list[dict[str, object]] = []
    for p in projects:
        row: dict[str, object] = {
            "project_id": p.pb_id,
            "cost": to_fraction(p.cost),
            "votes": scores[p.pb_id],
            "name": p.title,
        }
        if p.category:
            row["category"] = p.category
        if p.district:
            row["district"] = p.district
        row["selected"] = 1 if p.pb_id in selected else 0
        project_rows.append(row)
    return pabulib.write(meta=meta, projects=project_rows, votes=votes)


def has_voted(budget: Budget, key: str) -> bool:
    return Ballot.objects.filter(budget=budget, participant_key=key).exists()


def review_queue(budget: Budget) -> list[Project]:
    return list(budget.projects.filter(status=ProjectStatus.PROPOSED))
