"""Exact counting rules for participatory budgeting (medborgarbudget).

Pure Python, no Django: used by the management command, by the web app's result
page and by the Pabulib regression test. All money and points are `Fraction`s,
so no comparison can be flipped by rounding.

Rules (names as in Pabulib's META `rule`):

- ``greedy``: projects in order of score (approvals, points or rank points); fund
  each project that still fits in the remaining budget, skip the ones that do not.
- ``greedy-no-skip``: as greedy, but stop at the first project that does not fit. A
  project that costs more than the whole budget (Pabulib's mark for a withdrawn
  project) is skipped without stopping (``withdrawn``), as the cities did.
- ``greedy-threshold``: greedy, but only projects with score >= the threshold
  (META ``min_project_score_threshold``) take part. The threshold is applied by
  every greedy variant when META gives one.
- ``greedy-custom`` (Poznań): greedy-no-skip; then, if the remaining money covers
  at least 80 % of the first project that did not fit, that project is funded too
  (from the city's reserve, ``selected`` = 2 in Pabulib). Only counted when the
  instance says it is Poznań's rule (``custom = "poznan-reserve"``); any other city's
  own greedy variant is refused by name.
- ``greedy-exclusive``: greedy where some projects exclude each other
  (``Instance.excludes``): a project excluded by one already funded is skipped
  (``excluded``). Without exclusion data it is refused, never counted as plain greedy.
- Caps per district or category (``Instance.caps``) apply to the greedy rules: a
  project that would push its district or category over its cap is skipped
  (``cap_reached``), even under greedy-no-skip.
- ``equalshares``: the Method of Equal Shares (MES) without completion.
- ``equalshares/add1``: MES completed by raising every voter's share by one
  currency unit at a time while the outcome still fits the real budget
  (the completion used by equalshares.net and Pabulib).
- ``equalshares/add1/greedy``: add1 completion followed by greedy filling.
- ``equalshares-comparison``, ``equalshares/add1-comparison``: MES (with add1) and
  then the comparison step of equalshares.net and Pabulib's checker: the outcome of
  greedy (by votes, skipping) is taken instead if more voters fund more of their
  approved projects under it than under MES (approval and choose-1 ballots only).
- ``unknown``: Pabulib's mark for a rule nobody knows; refused by name.

Utilities in MES: for approval and choose-one ballots the utility of a project is
its cost (``cost`` utilities, as equalshares.net and the cities using MES do);
for cumulative, ordinal and scoring ballots it is the voter's points. Pass
``utilities="cardinal"`` to count each approval as utility 1 instead.

Tie-breaking is a named, stated part of the count (``TIE_BREAKS``; the outcome's
``details["tie_break"]``). Among projects with the same score (greedy) or the same
price per utility (MES):

- ``file-order``: the project listed first wins (the official project order: the
  order of the PROJECTS section). The default for Pabulib files.
- ``supporters-cost-order``: the one with more supporters wins, then the cheaper
  one, then the one listed first. The default for budgets counted in the app.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

GREEDY_RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "greedy-custom",
    "greedy-exclusive",
)
MES_RULES = (
    "equalshares",
    "equalshares/add1",
    "equalshares/add1/greedy",
    "equalshares-comparison",
    "equalshares/add1-comparison",
)
RULES = GREEDY_RULES + MES_RULES
# Names in Pabulib's rule list that no count can honour, refused with a reason.
REFUSED_RULES = ("unknown",)
POZNAN_RESERVE_SHARE = Fraction(4, 5)
POZNAN_RESERVE = "poznan-reserve"
FILE_ORDER = "file-order"
SUPPORTERS_COST_ORDER = "supporters-cost-order"
TIE_BREAKS = (FILE_ORDER, SUPPORTERS_COST_ORDER)


class CountingError(ValueError):
    """The instance cannot be counted with the requested rule (message in Swedish)."""


@dataclass(frozen=True)
class Project:
    id: str
    cost: Fraction
    name: str = ""
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ballot:
    voter_id: str
    # project id -> points (1 for an approval)
    scores: dict[str, Fraction]
    approved: tuple[str, ...] = ()


@dataclass
class Instance:
    budget: Fraction
    projects: list[Project]
    ballots: list[Ballot]
    vote_type: str = "approval"
    rule: str = "greedy"
    threshold: Fraction | None = None
    meta: dict[str, str] = field(default_factory=dict)
    # Most that may go to projects carrying a category (e.g. "district:Norr"); greedy only.
    caps: dict[str, Fraction] = field(default_factory=dict)
    tie_break: str = SUPPORTERS_COST_ORDER
    # project id -> the projects it excludes (symmetric); greedy-exclusive only.
    excludes: dict[str, frozenset[str]] = field(default_factory=dict)
    # Which city's own greedy variant greedy-custom means (only POZNAN_RESERVE is known).
    custom: str = ""
    # What reading the votes had to settle (e.g. a project named twice on a ballot).
    warnings: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, Fraction]:
        totals: dict[str, Fraction] = dict.fromkeys((p.id for p in self.projects), Fraction(0))
        # Sum integers first (fast path) and convert once.
        for ballot in self.ballots:
            for pid, points in ballot.scores.items():
                totals[pid] += points
        return totals

    def supporters(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys((p.id for p in self.projects), 0)
        for ballot in self.ballots:
            for pid, points in ballot.scores.items():
                if points > 0:
                    counts[pid] += 1
        return counts


@dataclass
class Step:
    """What happened to one project, in counting order; `reason` is a stable code."""

    project_id: str
    selected: bool
    reason: str
    score: Fraction
    cost: Fraction
    remaining_before: Fraction
    remaining_after: Fraction
    round: int | None = None
    price: Fraction | None = None  # MES: most a supporter paid per unit of utility
    extra: bool = False  # funded outside the ordinary rule (Poznań reserve)


@dataclass
class Outcome:
    rule: str
    budget: Fraction
    selected: list[str]
    steps: list[Step]
    scores: dict[str, Fraction]
    supporters: dict[str, int]
    extra_selected: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def spent(self) -> Fraction:
        costs = {s.project_id: s.cost for s in self.steps}
        return sum((costs[p] for p in self.selected), Fraction(0))

    def as_json(self) -> dict[str, Any]:
        return {
            "selected": list(self.selected),
            "rule": self.rule,
            "budget": _num(self.budget),
            "spent": _num(self.spent),
            "extra_selected": list(self.extra_selected),
            "scores": {pid: _num(v) for pid, v in self.scores.items()},
            "warnings": list(self.warnings),
            **{k: v for k, v in self.details.items() if isinstance(v, (int, str, float))},
        }


def _num(value: Fraction) -> int | str:
    if value.denominator == 1:
        return value.numerator
    return f"{float(value):.2f}"


def tie_keys(
    instance: Instance, scores: dict[str, Fraction], tie_break: str | None = None
) -> dict[str, tuple[Any, ...]]:
    """Project id -> sort key under the named tie-break (smaller wins)."""
    name = tie_break or instance.tie_break
    index = {p.id: i for i, p in enumerate(instance.projects)}
    if name == FILE_ORDER:
        return {p.id: (index[p.id],) for p in instance.projects}
    if name == SUPPORTERS_COST_ORDER:
        supporters = instance.supporters()
        return {
            p.id: (-scores[p.id], -supporters[p.id], p.cost, index[p.id]) for p in instance.projects
        }
    raise CountingError(f"Okänt sätt att bryta lika ”{name}”. Möjliga: {', '.join(TIE_BREAKS)}.")


def order_by_score(
    instance: Instance, scores: dict[str, Fraction], tie_break: str | None = None
) -> list[Project]:
    """Score descending; ties by the named tie-break."""
    keys = tie_keys(instance, scores, tie_break)
    return sorted(instance.projects, key=lambda p: (-scores[p.id], keys[p.id]))


def _refuse(rule: str, instance: Instance) -> None:
    """Every rule name that cannot be counted for this instance fails here, by name."""
    if rule == "unknown":
        raise CountingError(
            "Filen anger regeln ”unknown”: det är inte känt hur staden räknade. "
            "Välj en regel (till exempel --rule greedy) för att räkna ändå."
        )
    if rule == "greedy-custom" and instance.custom != POZNAN_RESERVE:
        raise CountingError(
            "Regeln greedy-custom är en stads egen variant av greedy. Bara Poznańs "
            "reservregel (80 procent) är beskriven och kan räknas; filen beskriver inte "
            "den. Välj en annan regel för att räkna ändå."
        )
    if rule == "greedy-exclusive" and not instance.excludes:
        raise CountingError(
            "Regeln greedy-exclusive kräver uppgift om vilka projekt som utesluter "
            "varandra (kolumnen excludes i PROJECTS), och filen saknar den. Räkna med "
            "--rule greedy om inga projekt utesluter varandra."
        )
    if rule.endswith("-comparison") and instance.vote_type not in ("approval", "choose-1"):
        raise CountingError(
            f"Jämförelsesteget i {rule} är bara beskrivet för godkännanderöster, "
            f"inte för röstningstypen {instance.vote_type}."
        )
    if rule not in RULES:
        known = ", ".join(RULES)
        raise CountingError(f"Okänd räkneregel ”{rule}”. Möjliga regler: {known}.")


def count(
    instance: Instance,
    rule: str | None = None,
    *,
    threshold: Fraction | None = None,
    utilities: str | None = None,
    exact: bool | None = None,
    tie_break: str | None = None,
) -> Outcome:
    """Count `instance` with `rule` (default: the instance's own rule) and a named
    tie-break (default: the instance's own)."""
    rule = (rule or instance.rule or "greedy").strip()
    tie_break = tie_break or instance.tie_break
    if threshold is None:
        threshold = instance.threshold
    _refuse(rule, instance)
    outcome = _count(instance, rule, threshold, utilities, exact, tie_break)
    outcome.details["tie_break"] = tie_break
    outcome.warnings = list(instance.warnings) + outcome.warnings
    return outcome


def _count(
    instance: Instance,
    rule: str,
    threshold: Fraction | None,
    utilities: str | None,
    exact: bool | None,
    tie_break: str,
) -> Outcome:
    if rule in GREEDY_RULES:
        if rule == "greedy-threshold" and threshold is None:
            raise CountingError(
                "Regeln greedy-threshold kräver en lägsta poäng (min_project_score_threshold)."
            )
        return greedy(
            instance,
            skip=rule in ("greedy", "greedy-threshold", "greedy-exclusive"),
            threshold=threshold,
            reserve=rule == "greedy-custom",
            exclusive=rule == "greedy-exclusive",
            rule=rule,
            tie_break=tie_break,
        )
    if rule in MES_RULES:
        if instance.caps:
            raise CountingError(
                "Tak per område eller kategori går inte att kombinera med lika andelar. "
                "Räkna varje område för sig eller välj en girig regel."
            )
        base = rule.removesuffix("-comparison")
        outcome = equal_shares(
            instance,
            completion=base.split("/", 1)[1] if "/" in base else "",
            utilities=utilities,
            rule=rule,
            exact=exact,
            tie_break=tie_break,
        )
        if rule.endswith("-comparison"):
            outcome = comparison_step(instance, outcome, tie_break=tie_break)
        return outcome
    raise CountingError(f"Okänd räkneregel ”{rule}”.")  # pragma: no cover - _refuse


def comparison_step(instance: Instance, mes: Outcome, *, tie_break: str) -> Outcome:
    """equalshares.net's comparison: greedy's outcome replaces MES's if more voters
    have more of their approved projects funded under greedy than under MES."""
    plain = greedy(instance, skip=True, threshold=None, rule=mes.rule, tie_break=tie_break)
    mes_set, greedy_set = set(mes.selected), set(plain.selected)
    prefers_mes = prefers_greedy = 0
    for ballot in instance.ballots:
        approved = {p for p, s in ballot.scores.items() if s > 0}
        a, b = len(approved & mes_set), len(approved & greedy_set)
        prefers_mes += a > b
        prefers_greedy += b > a
    chosen = plain if prefers_greedy > prefers_mes else mes
    chosen.details = {
        **mes.details,
        "comparison_prefers_mes": prefers_mes,
        "comparison_prefers_greedy": prefers_greedy,
        "comparison_winner": "greedy" if chosen is plain else "equalshares",
    }
    return chosen


def greedy(
    instance: Instance,
    *,
    skip: bool = True,
    threshold: Fraction | None = None,
    reserve: bool = False,
    exclusive: bool = False,
    rule: str = "greedy",
    tie_break: str | None = None,
) -> Outcome:
    scores = instance.scores()
    remaining = instance.budget
    selected: list[str] = []
    extra: list[str] = []
    steps: list[Step] = []
    warnings: list[str] = []
    stopped = False
    reserve_used = False
    cap_left = dict(instance.caps)
    excluded: set[str] = set()
    for project in order_by_score(instance, scores, tie_break):
        score = scores[project.id]
        before = remaining
        capped = [c for c in project.categories if c in cap_left and project.cost > cap_left[c]]
        if threshold is not None and score < threshold:
            reason, chosen = "below_threshold", False
        elif not skip and project.cost > instance.budget:
            # Pabulib marks a project withdrawn after the vote with a cost above the whole
            # budget; the cities went on down the list, so no-skip must not stop here.
            reason, chosen = "withdrawn", False
            warnings.append(
                f"Projektet {project.id} kostar mer än hela budgeten (tillbakadraget) "
                "och hoppades över utan att räkningen slutade."
            )
        elif exclusive and project.id in excluded:
            reason, chosen = "excluded", False
        elif stopped:
            reason, chosen = "after_stop", False
        elif capped and project.cost <= remaining:
            reason, chosen = "cap_reached", False
        elif project.cost <= remaining:
            reason, chosen = "funded", True
        elif reserve and not reserve_used and remaining >= POZNAN_RESERVE_SHARE * project.cost:
            reason, chosen = "funded_reserve", True
        else:
            reason, chosen = ("too_expensive" if skip else "stop"), False
        is_extra = reason == "funded_reserve"
        if chosen:
            if is_extra:
                extra.append(project.id)
                reserve_used = True
                remaining = Fraction(0)
                stopped = True
            else:
                remaining -= project.cost
                for c in project.categories:
                    if c in cap_left:
                        cap_left[c] -= project.cost
            if exclusive:
                excluded |= instance.excludes.get(project.id, frozenset())
            selected.append(project.id)
        elif reason == "stop":
            stopped = True
            if reserve and not reserve_used:
                reserve_used = True  # the reserve only ever looks at the first misfit
        steps.append(
            Step(
                project_id=project.id,
                selected=chosen,
                reason=reason,
                score=score,
                cost=project.cost,
                remaining_before=before,
                remaining_after=remaining,
                extra=is_extra,
            )
        )
    return Outcome(
        rule=rule,
        budget=instance.budget,
        selected=selected,
        steps=steps,
        scores=scores,
        supporters=instance.supporters(),
        extra_selected=extra,
        details={"threshold": _num(threshold) if threshold is not None else ""},
        warnings=warnings,
    )


# --- Method of Equal Shares -------------------------------------------------------------


@dataclass
class _Group:
    """Voters with identical ballots: their shares stay identical all the way."""

    weight: int
    scores: dict[str, Fraction]


def _groups(instance: Instance) -> list[_Group]:
    grouped: dict[tuple[tuple[str, Fraction], ...], int] = defaultdict(int)
    for ballot in instance.ballots:
        key = tuple(sorted((p, s) for p, s in ballot.scores.items() if s > 0))
        grouped[key] += 1
    return [_Group(weight=w, scores=dict(key)) for key, w in grouped.items()]


def _mes_fixed(
    projects: list[Project],
    groups: list[_Group],
    utility: dict[tuple[int, str], Fraction],
    supporters_of: dict[str, list[int]],
    share: Fraction,
    tie_key: dict[str, tuple[Any, ...]],
) -> tuple[list[str], list[tuple[str, Fraction]]]:
    """One exact MES run where every voter starts with `share`; winners in order.

    Prices per unit of utility only rise from round to round (money only shrinks), so
    a project whose last price is already above the best price found this round
    cannot win and is not recomputed (the usual lazy evaluation of MES).
    """
    money = [share] * len(groups)
    free = [p.id for p in projects if p.cost == 0 and supporters_of.get(p.id)]
    winners: list[str] = list(free)
    prices: list[tuple[str, Fraction]] = [(pid, Fraction(0)) for pid in free]
    last: dict[str, Fraction] = {
        p.id: Fraction(0) for p in projects if p.cost > 0 and supporters_of.get(p.id)
    }
    by_id = {p.id: p for p in projects}
    while last:
        best: Project | None = None
        best_rho: Fraction | None = None
        for pid in sorted(last, key=lambda q: (last[q], tie_key[q])):
            if best_rho is not None and last[pid] > best_rho:
                break
            project = by_id[pid]
            sup = supporters_of[pid]
            total = sum((money[g] * groups[g].weight for g in sup), Fraction(0))
            if total < project.cost:
                del last[pid]  # can never become affordable again: money only shrinks
                continue
            rho = _rho(project, sup, groups, money, utility)
            last[pid] = rho
            if (
                best is None
                or best_rho is None
                or rho < best_rho
                or (rho == best_rho and tie_key[pid] < tie_key[best.id])
            ):
                best, best_rho = project, rho
        if best is None or best_rho is None:
            break
        for g in supporters_of[best.id]:
            pay = best_rho * utility[(g, best.id)]
            money[g] = money[g] - pay if money[g] > pay else Fraction(0)
        winners.append(best.id)
        prices.append((best.id, best_rho))
        del last[best.id]
    return winners, prices


class _Ambiguous(Exception):
    """A float decision came within the safety margin: recount this run exactly."""


EPS = 1e-9


class _FastMES:
    """MES in floating point with NumPy, certified against a safety margin.

    Every decision (can the supporters pay, which project is cheapest, where the price
    lands among the supporters) is checked against a relative margin of 1e-9; if any
    decision is closer than that, `_Ambiguous` is raised and the caller recounts that
    run with exact fractions. The float errors here are around 1e-13, far inside the
    margin, so a run that does not raise has the same outcome as the exact count.
    """

    def __init__(
        self,
        projects: list[Project],
        groups: list[_Group],
        utility: dict[tuple[int, str], Fraction],
        supporters_of: dict[str, list[int]],
        tie_key: dict[str, tuple[Any, ...]],
    ) -> None:
        import numpy as np

        self.np = np
        self.projects = [p for p in projects if p.cost > 0 and supporters_of.get(p.id)]
        self.free = [p.id for p in projects if p.cost == 0 and supporters_of.get(p.id)]
        self.tie_key = tie_key
        self.weights = np.array([g.weight for g in groups], dtype=np.float64)
        self.sup = {p.id: np.array(supporters_of[p.id], dtype=np.int64) for p in self.projects}
        self.util = {
            p.id: np.array([float(utility[(g, p.id)]) for g in supporters_of[p.id]])
            for p in self.projects
        }
        self.wu = {p.id: self.weights[self.sup[p.id]] * self.util[p.id] for p in self.projects}
        self.cost = {p.id: float(p.cost) for p in self.projects}
        self.exact_price = {
            p.id: p.cost
            / sum(
                (groups[g].weight * utility[(g, p.id)] for g in supporters_of[p.id]),
                Fraction(0),
            )
            for p in self.projects
        }
        self.n_groups = len(groups)

    def run(self, share: Fraction) -> list[str]:
        np = self.np
        money = np.full(self.n_groups, float(share))
        winners = list(self.free)
        last = {p.id: 0.0 for p in self.projects}
        while last:
            best_rho = np.inf
            cands: list[tuple[float, str, Fraction | None]] = []
            for pid in sorted(last, key=lambda q: (last[q], self.tie_key[q])):
                if cands and last[pid] > best_rho * (1 + EPS):
                    break
                sup = self.sup[pid]
                cost = self.cost[pid]
                m = money[sup]
                w = self.weights[sup]
                total = float(m @ w)
                if abs(total - cost) <= EPS * cost:
                    raise _Ambiguous
                if total < cost:
                    del last[pid]
                    continue
                rho, exact_rho = self._rho(pid, m, w, cost)
                last[pid] = rho
                cands.append((rho, pid, exact_rho))
                best_rho = min(best_rho, rho)
            if not cands:
                break
            near = [c for c in cands if c[0] <= best_rho * (1 + EPS)]
            if len(near) == 1:
                best = near[0][1]
            elif all(c[2] is not None for c in near):
                # Nobody is capped in any of them, so the prices are exactly
                # cost / sum of utilities: compare them exactly, then by the tie rule.
                best = min(near, key=lambda c: (c[2], self.tie_key[c[1]]))[1]
                best_rho = float(min(c[2] for c in near if c[1] == best))  # type: ignore[type-var,arg-type]
            else:
                raise _Ambiguous  # a near tie that depends on money: count exactly
            sup = self.sup[best]
            money[sup] = np.maximum(money[sup] - best_rho * self.util[best], 0.0)
            winners.append(best)
            del last[best]
        return winners

    def _rho(self, pid: str, m: Any, w: Any, cost: float) -> tuple[float, Fraction | None]:
        np = self.np
        u = self.util[pid]
        ratio = m / u
        order = np.argsort(ratio, kind="stable")
        ratio = ratio[order]
        paid = np.concatenate(([0.0], np.cumsum((m * w)[order])[:-1]))
        wu = self.wu[pid][order]
        denominator = wu.sum() - np.concatenate(([0.0], np.cumsum(wu)[:-1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (cost - paid) / denominator
        ok = rho <= ratio
        k = int(np.argmax(ok))
        if not ok[k]:
            raise _Ambiguous  # pragma: no cover - affordable projects always have a price
        gap = np.abs(rho[: k + 1] - ratio[: k + 1])
        if np.any(gap <= EPS * np.maximum(np.abs(ratio[: k + 1]), 1e-300)):
            raise _Ambiguous
        return float(rho[k]), (self.exact_price[pid] if k == 0 else None)


def _rho(
    project: Project,
    sup: list[int],
    groups: list[_Group],
    money: list[Fraction],
    utility: dict[tuple[int, str], Fraction],
) -> Fraction:
    """Smallest price per unit of utility at which the supporters can pay the cost."""
    order = sorted(sup, key=lambda g: money[g] / utility[(g, project.id)])
    paid = Fraction(0)
    denominator = sum((groups[g].weight * utility[(g, project.id)] for g in sup), Fraction(0))
    for g in order:
        u = utility[(g, project.id)]
        rho = (project.cost - paid) / denominator
        if rho * u <= money[g]:
            return rho
        paid += money[g] * groups[g].weight
        denominator -= groups[g].weight * u
    raise AssertionError("affordable project without a price")  # pragma: no cover


def equal_shares(
    instance: Instance,
    *,
    completion: str = "add1",
    utilities: str | None = None,
    rule: str = "equalshares/add1",
    exact: bool | None = None,
    tie_break: str | None = None,
) -> Outcome:
    """MES. The completion's trial runs use the certified float path (exact fractions
    whenever a decision is close); `exact=True` counts every run in fractions. The
    final outcome and its prices always come from an exact run."""
    n = len(instance.ballots)
    scores = instance.scores()
    supporters = instance.supporters()
    if n == 0:
        raise CountingError("Det finns inga röster att räkna.")
    if utilities is None:
        utilities = "cost" if instance.vote_type in ("approval", "choose-1") else "cardinal"
    if utilities not in ("cost", "cardinal"):
        raise CountingError(f"Okänd nyttomodell ”{utilities}”; välj cost eller cardinal.")
    groups = _groups(instance)
    cost = {p.id: p.cost for p in instance.projects}
    utility: dict[tuple[int, str], Fraction] = {}
    supporters_of: dict[str, list[int]] = defaultdict(list)
    for g, group in enumerate(groups):
        for pid, s in group.scores.items():
            utility[(g, pid)] = s * cost[pid] if utilities == "cost" and cost[pid] > 0 else s
            supporters_of[pid].append(g)
    tie_key = tie_keys(instance, scores, tie_break)

    fast = (
        _FastMES(instance.projects, groups, utility, supporters_of, tie_key) if not exact else None
    )
    exact_runs = 0

    def run_winners(share: Fraction) -> list[str]:
        nonlocal exact_runs
        if fast is not None:
            try:
                return fast.run(share)
            except _Ambiguous:
                pass
        exact_runs += 1
        return _mes_fixed(instance.projects, groups, utility, supporters_of, share, tie_key)[0]

    def run(share: Fraction) -> tuple[list[str], list[tuple[str, Fraction]]]:
        nonlocal exact_runs
        exact_runs += 1
        return _mes_fixed(instance.projects, groups, utility, supporters_of, share, tie_key)

    def spent(ids: Iterable[str]) -> Fraction:
        return sum((cost[p] for p in ids), Fraction(0))

    share = instance.budget / n
    winners = run_winners(share)
    iterations = 1
    if completion.startswith("add1"):
        # Raise every voter's share by one unit while the outcome fits the real budget.
        while True:
            used = spent(winners)
            chosen = set(winners)
            exhaustive = all(
                p.id in chosen or used + p.cost > instance.budget for p in instance.projects
            )
            if exhaustive:
                break
            next_winners = run_winners(share + 1)
            iterations += 1
            if spent(next_winners) <= instance.budget:
                share += 1
                winners = next_winners
            else:
                break
    # The published outcome (with each winner's price) always comes from an exact run.
    winners, prices = run(share)
    mes_winners = list(winners)
    rounds = {pid: i + 1 for i, (pid, _) in enumerate(prices)}
    price_of = dict(prices)
    selected = list(winners)
    remaining = instance.budget - spent(selected)
    filled: list[str] = []
    if completion.endswith("greedy"):
        for project in order_by_score(instance, scores, tie_break):
            if project.id not in selected and project.cost <= remaining and scores[project.id] > 0:
                selected.append(project.id)
                filled.append(project.id)
                remaining -= project.cost
    steps: list[Step] = []
    running = instance.budget
    for pid in selected:
        before = running
        running -= cost[pid]
        steps.append(
            Step(
                project_id=pid,
                selected=True,
                reason="funded_equal_shares" if pid in mes_winners else "funded_completion",
                score=scores[pid],
                cost=cost[pid],
                remaining_before=before,
                remaining_after=running,
                round=rounds.get(pid),
                price=price_of.get(pid),
            )
        )
    for project in order_by_score(instance, scores, tie_break):
        if project.id in selected:
            continue
        if scores[project.id] <= 0:
            reason = "no_support"
        elif project.cost > remaining:
            reason = "too_expensive"
        else:
            reason = "supporters_cannot_pay"
        steps.append(
            Step(
                project_id=project.id,
                selected=False,
                reason=reason,
                score=scores[project.id],
                cost=project.cost,
                remaining_before=remaining,
                remaining_after=remaining,
            )
        )
    return Outcome(
        rule=rule,
        budget=instance.budget,
        selected=selected,
        steps=steps,
        scores=scores,
        supporters=supporters,
        details={
            "utilities": utilities,
            "share_per_voter": _num(share),
            "mes_iterations": iterations,
            "exact_runs": exact_runs,
        },
    )
