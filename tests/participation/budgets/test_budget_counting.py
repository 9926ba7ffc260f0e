"""Each counting rule on small hand-made instances, with the answer worked out by hand."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest

from delaktig.participation.budgets import counting, pabulib
from delaktig.participation.budgets.counting import Ballot, Instance, Project


def instance(budget, projects, ballots, vote_type="approval", threshold=None):
    return Instance(
        budget=F(budget),
        projects=[Project(id=pid, cost=F(cost)) for pid, cost in projects],
        ballots=[
            Ballot(
                voter_id=str(i),
                scores={
                    p: F(s)
                    for p, s in (b.items() if isinstance(b, dict) else {x: 1 for x in b}.items())
                },
            )
            for i, b in enumerate(ballots)
        ],
        vote_type=vote_type,
        threshold=None if threshold is None else F(threshold),
    )


# Scores: A 5, B 4, C 3, D 2, E 1. Costs: A 50, B 60, C 30, D 15, E 5. Budget 100.
LADDER = instance(
    100,
    [("A", 50), ("B", 60), ("C", 30), ("D", 15), ("E", 5)],
    [["A", "B", "C", "D", "E"], ["A", "B", "C", "D"], ["A", "B", "C"], ["A", "B"], ["A"]],
    threshold=3,
)


@pytest.mark.parametrize(
    ("rule", "expected", "reasons"),
    [
        # skip B (60 > 50 left), fund C, D, E.
        ("greedy", ["A", "C", "D", "E"], ["funded", "too_expensive", "funded", "funded", "funded"]),
        # stop at B: nothing after it.
        ("greedy-no-skip", ["A"], ["funded", "stop", "after_stop", "after_stop", "after_stop"]),
        # META threshold 3 applies to every greedy variant; D (2) and E (1) are below.
        (
            "greedy-threshold",
            ["A", "C"],
            ["funded", "too_expensive", "funded", "below_threshold", "below_threshold"],
        ),
    ],
)
def test_greedy_family_on_a_ladder(rule, expected, reasons):
    inst = LADDER
    if rule == "greedy":
        outcome = counting.greedy(inst, skip=True, threshold=None)
    elif rule == "greedy-no-skip":
        outcome = counting.greedy(inst, skip=False, threshold=None)
    else:
        outcome = counting.count(inst, rule)
    assert outcome.selected == expected
    assert [s.reason for s in outcome.steps] == reasons
    assert [s.project_id for s in outcome.steps] == ["A", "B", "C", "D", "E"]


def test_greedy_threshold_needs_a_threshold():
    inst = instance(10, [("A", 5)], [["A"]])
    with pytest.raises(counting.CountingError, match="kräver en lägsta poäng"):
        counting.count(inst, "greedy-threshold")


def test_unknown_rule_is_refused_in_swedish():
    with pytest.raises(counting.CountingError, match="Okänd räkneregel"):
        counting.count(LADDER, "borda-magic")


def test_greedy_custom_funds_the_first_misfit_from_the_reserve_when_80_percent_is_left():
    # A 70 fits (30 left); B costs 36: 30 >= 0.8 * 36 = 28.8, so B is funded from the reserve.
    inst = instance(100, [("A", 70), ("B", 36), ("C", 10)], [["A", "B", "C"], ["A", "B"], ["A"]])
    inst.custom = counting.POZNAN_RESERVE
    outcome = counting.count(inst, "greedy-custom")
    assert outcome.selected == ["A", "B"]
    assert outcome.extra_selected == ["B"]
    # B costs 38: 30 < 30.4, no reserve; and no skipping, so C is not funded either.
    inst = instance(100, [("A", 70), ("B", 38), ("C", 10)], [["A", "B", "C"], ["A", "B"], ["A"]])
    inst.custom = counting.POZNAN_RESERVE
    assert counting.count(inst, "greedy-custom").selected == ["A"]


@pytest.mark.parametrize(
    ("projects", "ballots", "expected"),
    [
        # Equal score: more supporters first? Here equal too; the cheaper one wins.
        ([("X", 60), ("Y", 50)], [["X", "Y"], ["X", "Y"]], ["Y"]),
        # Equal score and cost: the one listed first wins.
        ([("X", 60), ("Y", 60)], [["X", "Y"], ["X", "Y"]], ["X"]),
        # Cumulative: same points (4), but Y has more supporters.
        ([("X", 60), ("Y", 60)], [{"X": 4}, {"Y": 2}, {"Y": 2}], ["Y"]),
    ],
)
def test_documented_tie_breaking(projects, ballots, expected):
    inst = instance(100, projects, ballots, vote_type="cumulative")
    assert counting.count(inst, "greedy").selected == expected


def test_equal_shares_gives_the_minority_its_project_where_greedy_does_not():
    # Two voters like A1, A2, A3; two others like B. All cost 30, budget 100.
    projects = [("A1", 30), ("A2", 30), ("A3", 30), ("B", 30)]
    ballots = [["A1", "A2", "A3"], ["A1", "A2", "A3"], ["B"], ["B"]]
    inst = instance(100, projects, ballots)
    assert counting.count(inst, "greedy").selected == ["A1", "A2", "A3"]
    # Shares of 25: A1 (15 each from the A voters), B (15 each); A2 is out of reach.
    assert counting.count(inst, "equalshares").selected == ["A1", "B"]
    # add1: at a share of 30 the A voters can also pay A2; 90 <= 100 and nothing more fits.
    outcome = counting.count(inst, "equalshares/add1")
    # All prices tie at 1/2 per unit; the tie rule (listed first) orders A1, A2, B.
    assert outcome.selected == ["A1", "A2", "B"]
    assert outcome.details["share_per_voter"] == 30


def test_add1_stops_before_the_outcome_overspends():
    # A (60) and C (40) by voters 1-3, B (40) by voter 4. Budget 100, shares 25.
    projects = [("A", 60), ("B", 40), ("C", 40)]
    ballots = [["A", "C"], ["A", "C"], ["A", "C"], ["B"]]
    inst = instance(100, projects, ballots)
    # A and C tie at a price of 1/3 per unit of utility; C is cheaper and goes first,
    # after which the three cannot pay A (35 < 60) and voter 4 cannot pay B (25 < 40).
    assert counting.count(inst, "equalshares").selected == ["C"]
    # Raising shares one krona at a time: at 34 the three can pay A (3 * (34 - 40/3) = 62).
    outcome = counting.count(inst, "equalshares/add1")
    assert outcome.selected == ["C", "A"]
    assert outcome.spent == 100
    steps = {s.project_id: s for s in outcome.steps}
    assert steps["C"].round == 1 and steps["A"].round == 2
    assert steps["B"].reason == "too_expensive"


def test_add1_greedy_fills_what_equal_shares_left():
    projects = [("A1", 30), ("A2", 30), ("A3", 30), ("B", 30)]
    ballots = [["A1", "A2", "A3"]] * 3 + [["B"]]
    inst = instance(100, projects, ballots)
    plain = counting.count(inst, "equalshares/add1")
    filled = counting.count(inst, "equalshares/add1/greedy")
    assert set(plain.selected) <= set(filled.selected)
    assert filled.spent <= 100
    assert all(p.cost > 100 - filled.spent for p in inst.projects if p.id not in filled.selected)


def test_cost_and_cardinal_utilities_can_differ():
    # One voter likes the big project, two like two small ones each.
    projects = [("Big", 90), ("S1", 10), ("S2", 10)]
    ballots = [["Big"], ["Big", "S1", "S2"], ["S1", "S2"]]
    inst = instance(100, projects, ballots)
    cost = counting.count(inst, "equalshares", utilities="cost")
    cardinal = counting.count(inst, "equalshares", utilities="cardinal")
    assert cost.details["utilities"] == "cost" and cardinal.details["utilities"] == "cardinal"
    assert set(cardinal.selected) == {"S1", "S2"}


def test_equal_shares_uses_points_for_cumulative_ballots():
    # Shares of 25. A costs its two fans 25/3 per point, B costs them 25 per point:
    # A goes first and uses up their money; C is paid by the other two.
    projects = [("A", 50), ("B", 50), ("C", 50)]
    ballots = [{"A": 3, "B": 1}, {"A": 3, "B": 1}, {"C": 1}, {"C": 1}]
    inst = instance(100, projects, ballots, vote_type="cumulative")
    outcome = counting.count(inst, "equalshares")
    assert outcome.details["utilities"] == "cardinal"
    assert outcome.selected == ["A", "C"]
    assert {s.project_id: s.price for s in outcome.steps}["A"] == F(25, 3)


def test_exact_arithmetic_budget_with_oere():
    # 0.1 + 0.2 style traps: the budget is exactly the sum of three costs with öre.
    inst = instance(
        F("0.3"), [("A", F("0.1")), ("B", F("0.2")), ("C", F("0.1"))], [["A", "B", "C"]] * 2
    )
    outcome = counting.greedy(inst, skip=False)
    assert sum(s.cost for s in outcome.steps if s.selected) <= F("0.3")


@pytest.mark.parametrize("seed", range(25))
def test_fast_equal_shares_matches_the_exact_count(seed):
    rng = random.Random(seed)
    n_projects = rng.randint(3, 9)
    projects = [(f"P{i}", rng.choice([5, 10, 15, 20, 25, 40, 60])) for i in range(n_projects)]
    ballots = []
    for _ in range(rng.randint(3, 30)):
        k = rng.randint(1, n_projects)
        ballots.append(rng.sample([p for p, _ in projects], k))
    inst = instance(rng.choice([50, 77, 100, 120]), projects, ballots)
    fast = counting.count(inst, "equalshares/add1")
    exact = counting.count(inst, "equalshares/add1", exact=True)
    assert fast.selected == exact.selected
    assert fast.details["share_per_voter"] == exact.details["share_per_voter"]


def test_pabulib_round_trip():
    text = pabulib.write(
        meta={
            "budget": "100",
            "vote_type": "approval",
            "rule": "greedy",
            "description": "Test; med semikolon",
        },
        projects=[
            {"project_id": "A", "cost": F(60), "name": 'Lekplats "Ekorren"', "selected": 1},
            {"project_id": "B", "cost": F("45.50"), "name": "Bänkar", "selected": 0},
        ],
        votes=[{"voter_id": "1", "vote": "A,B"}, {"voter_id": "2", "vote": "B"}],
    )
    pb, inst = pabulib.load(text)
    assert pb.meta["description"] == "Test; med semikolon"
    assert [p.name for p in inst.projects] == ['Lekplats "Ekorren"', "Bänkar"]
    assert inst.projects[1].cost == F("45.5")
    assert counting.count(inst).selected == ["B"]


GOOD_HEAD = "META\nkey;value\nbudget;100\nvote_type;approval\nrule;greedy\n"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("key;value\n", 1, "måste börja med raden META"),
        (GOOD_HEAD + "VOTES\n", 6, "fel ordning"),
        (GOOD_HEAD + "PROJECTS\nid;cost\n", 7, "saknar kolumnen project_id"),
        (GOOD_HEAD + "PROJECTS\nproject_id;cost\nA;tio\nVOTES\nvoter_id;vote\n", 8, "inte ett tal"),
        (GOOD_HEAD + "PROJECTS\nproject_id;cost\nA;10;x\nVOTES\nvoter_id;vote\n", 8, "3 fält"),
        (
            GOOD_HEAD + "PROJECTS\nproject_id;cost\nA;10\nA;5\nVOTES\nvoter_id;vote\n",
            9,
            "förekommer två gånger",
        ),
        (
            GOOD_HEAD + "PROJECTS\nproject_id;cost\nA;10\nVOTES\nvoter_id;vote\n1;A\n1;A\n",
            12,
            "Väljaren 1 förekommer två gånger",
        ),
        (
            GOOD_HEAD + "PROJECTS\nproject_id;cost\nA;10\nVOTES\nvoter_id;vote\n1;Z\n",
            11,
            "projektet Z, som inte finns",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;cumulative\n"
            "PROJECTS\nproject_id;cost\nA;10\nB;5\nVOTES\nvoter_id;vote;points\n1;A,B;3\n",
            11,
            "2 projekt men 1 poängvärden",
        ),
        (
            "META\nkey;value\nbudget;-5\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n",
            3,
            "negativ",
        ),
        (
            "META\nkey;value\nbudget;5\nvote_type;magic\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n",
            4,
            "Okänd röstningstyp",
        ),
        (GOOD_HEAD + "PROJECTS\nproject_id;cost\n", None, "Avsnittet VOTES saknas"),
    ],
)
def test_bad_files_get_swedish_errors_with_line_numbers(text, line, fragment):
    with pytest.raises(pabulib.PabulibError) as caught:
        pabulib.load(text)
    assert fragment in str(caught.value)
    assert caught.value.line == line
    if line:
        assert str(caught.value).startswith(f"Rad {line}:")


def test_command_reports_bad_files_in_swedish(tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "trasig.pb"
    bad.write_text(GOOD_HEAD + "PROJECTS\nproject_id;cost\nA;tio\nVOTES\nvoter_id;vote\n")
    with pytest.raises(CommandError, match="Rad 8: Kostnaden för A är inte ett tal"):
        call_command("pb", "count", str(bad))
    with pytest.raises(CommandError, match="finns inte"):
        call_command("pb", "count", str(tmp_path / "saknas.pb"))


def test_caps_per_district_skip_projects_that_would_exceed_them():
    inst = instance(100, [("N1", 40), ("N2", 30), ("S1", 20)], [["N1", "N2", "S1"]] * 3 + [["N1"]])
    inst.projects = [
        Project(id="N1", cost=F(40), categories=("district:Norr",)),
        Project(id="N2", cost=F(30), categories=("district:Norr",)),
        Project(id="S1", cost=F(20), categories=("district:Söder",)),
    ]
    inst.caps = {"district:Norr": F(50)}
    outcome = counting.count(inst, "greedy-no-skip")
    assert outcome.selected == ["N1", "S1"]
    assert {s.project_id: s.reason for s in outcome.steps}["N2"] == "cap_reached"
    with pytest.raises(counting.CountingError, match="lika andelar"):
        counting.count(inst, "equalshares/add1")
