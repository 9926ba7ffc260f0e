"""Rules, tie-breaks and messy real-world files: each case built by hand from a `.pb` text."""

from __future__ import annotations

import io
import json
from fractions import Fraction as F

import pytest
from django.core.management import CommandError, call_command

from delaktig.participation.budgets import counting, pabulib

# Every value of META `rule` in Pabulib's list (pabulib.org/format and its checker).
PABULIB_RULES = [
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "greedy-exclusive",
    "greedy-custom",
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
    "unknown",
]


def pb_text(
    projects: list[tuple[str, int]],
    votes: list[str],
    *,
    budget: int = 100,
    rule: str = "greedy",
    vote_type: str = "approval",
    points: list[str] | None = None,
    selected: list[str] | None = None,
    extra_meta: str = "",
    excludes: dict[str, str] | None = None,
) -> str:
    head = f"META\nkey;value\nbudget;{budget}\nvote_type;{vote_type}\nrule;{rule}\n{extra_meta}"
    columns = ["project_id", "cost"]
    if selected is not None:
        columns.append("selected")
    if excludes is not None:
        columns.append("excludes")
    rows = []
    for pid, cost in projects:
        row = [pid, str(cost)]
        if selected is not None:
            row.append("1" if pid in selected else "0")
        if excludes is not None:
            row.append(f'"{excludes.get(pid, "")}"')
        rows.append(";".join(row))
    vote_cols = "voter_id;vote" + (";points" if points is not None else "")
    vote_rows = []
    for i, vote in enumerate(votes):
        row = f'{i};"{vote}"'
        if points is not None:
            row += f';"{points[i]}"'
        vote_rows.append(row)
    return (
        head
        + "PROJECTS\n"
        + ";".join(columns)
        + "\n"
        + "\n".join(rows)
        + "\nVOTES\n"
        + vote_cols
        + "\n"
        + "\n".join(vote_rows)
        + "\n"
    )


def command(tmp_path, text: str, *args: str) -> dict:
    path = tmp_path / "val.pb"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("pb", "count", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_ballot_naming_a_project_twice_counts_once_with_a_warning(tmp_path):
    text = pb_text([("A", 60), ("B", 50)], ["A,A,B", "B", "A"])
    _, inst = pabulib.load(text)
    assert inst.scores() == {"A": 2, "B": 2}
    result = command(tmp_path, text)
    assert result["scores"] == {"A": 2, "B": 2}
    assert len(result["warnings"]) == 1
    assert "väljaren 0 nämner A mer än en gång" in result["warnings"][0]


def test_a_cumulative_ballot_naming_a_project_twice_keeps_the_first_points(tmp_path):
    text = pb_text(
        [("A", 60), ("B", 50)],
        ["A,B,A", "B"],
        vote_type="cumulative",
        points=["3,2,1", "1"],
    )
    _, inst = pabulib.load(text)
    assert inst.scores() == {"A": 3, "B": 3}
    assert inst.warnings


def test_pabulib_files_break_ties_by_the_official_project_order(tmp_path):
    # A and B both have 2 votes; B has a third, cumulative-free supporter? No: same score,
    # B is cheaper, A is listed first. Budget fits one.
    text = pb_text([("A", 60), ("B", 50)], ["A,B", "A,B"], budget=70)
    result = command(tmp_path, text)
    assert result["tie_break"] == "file-order"
    assert result["selected"] == ["A"]
    old = command(tmp_path, text, "--tie-break", "supporters-cost-order")
    assert old["tie_break"] == "supporters-cost-order"
    assert old["selected"] == ["B"]


def test_the_tie_break_applies_to_equal_shares_too():
    text = pb_text([("A", 50), ("B", 50), ("C", 40)], ["A,B,C"] * 2, budget=50)
    _, inst = pabulib.load(text)
    # Same price per unit of utility for A and B (cost utilities); C is cheaper.
    assert counting.count(inst, "equalshares").selected == ["A"]
    assert counting.count(inst, "equalshares", tie_break="supporters-cost-order").selected == ["C"]


def test_unknown_tie_break_is_refused_in_swedish():
    _, inst = pabulib.load(pb_text([("A", 10)], ["A"]))
    with pytest.raises(counting.CountingError, match="Okänt sätt att bryta lika"):
        counting.count(inst, tie_break="coin")


def test_greedy_no_skip_skips_a_withdrawn_project_costing_more_than_the_budget():
    # W has the most votes but was withdrawn (cost above the whole budget).
    text = pb_text(
        [("W", 999999999), ("A", 40), ("B", 30)],
        ["W,A,B", "W,A", "W"],
        rule="greedy-no-skip",
    )
    _, inst = pabulib.load(text)
    outcome = counting.count(inst)
    assert outcome.selected == ["A", "B"]
    assert {s.project_id: s.reason for s in outcome.steps}["W"] == "withdrawn"
    assert any("W kostar mer än hela budgeten" in w for w in outcome.warnings)


def test_greedy_exclusive_honours_projects_that_exclude_each_other(tmp_path):
    text = pb_text(
        [("A", 40), ("B", 40), ("C", 40)],
        ["A,B,C", "A,B", "A"],
        rule="greedy-exclusive",
        excludes={"A": "B"},
        budget=120,
    )
    _, inst = pabulib.load(text)
    assert inst.excludes == {"A": frozenset({"B"}), "B": frozenset({"A"})}
    outcome = counting.count(inst)
    assert outcome.selected == ["A", "C"]
    assert {s.project_id: s.reason for s in outcome.steps}["B"] == "excluded"
    # Plain greedy funds all three.
    assert counting.count(inst, "greedy").selected == ["A", "B", "C"]


def test_greedy_exclusive_without_exclusion_data_is_refused():
    _, inst = pabulib.load(pb_text([("A", 40)], ["A"], rule="greedy-exclusive"))
    with pytest.raises(counting.CountingError, match="greedy-exclusive kräver"):
        counting.count(inst)


def test_greedy_custom_is_counted_only_when_the_file_describes_poznans_reserve():
    projects, votes = [("A", 70), ("B", 36)], ["A,B", "A"]
    _, other = pabulib.load(
        pb_text(projects, votes, rule="greedy-custom", extra_meta="unit;Gdańsk\n")
    )
    with pytest.raises(counting.CountingError, match="Bara Poznańs reservregel"):
        counting.count(other)
    _, poznan = pabulib.load(
        pb_text(projects, votes, rule="greedy-custom", extra_meta="unit;Poznań\n")
    )
    assert counting.count(poznan).selected == ["A", "B"]
    assert counting.count(poznan).extra_selected == ["B"]


@pytest.mark.parametrize(
    ("x_voters", "y_voters", "winner", "selected", "prefers"),
    [
        # Three like X1, X2; two like Y. MES funds X1 and Y; greedy X1, X2; 3 prefer greedy.
        (3, 2, "greedy", ["X1", "X2"], (2, 3)),
        # Two like X1, X2; three like Y: greedy funds Y and X1 too, nobody prefers either,
        # and MES's outcome stays.
        (2, 3, "equalshares", ["X1", "Y"], (0, 0)),
    ],
)
def test_add1_comparison_takes_greedy_only_when_more_voters_prefer_it(
    x_voters, y_voters, winner, selected, prefers
):
    text = pb_text(
        [("X1", 40), ("X2", 40), ("Y", 40)],
        ["X1,X2"] * x_voters + ["Y"] * y_voters,
        rule="equalshares/add1-comparison",
        budget=80,
    )
    _, inst = pabulib.load(text)
    outcome = counting.count(inst)
    assert outcome.details["comparison_winner"] == winner
    assert sorted(outcome.selected) == selected
    assert (
        outcome.details["comparison_prefers_mes"],
        outcome.details["comparison_prefers_greedy"],
    ) == prefers


def test_comparison_is_refused_for_points_ballots():
    text = pb_text(
        [("A", 40)],
        ["A"],
        rule="equalshares/add1-comparison",
        vote_type="cumulative",
        points=["2"],
    )
    _, inst = pabulib.load(text)
    with pytest.raises(counting.CountingError, match="bara beskrivet för godkännanderöster"):
        counting.count(inst)


@pytest.mark.parametrize("rule", PABULIB_RULES)
@pytest.mark.parametrize("vote_type", ["approval", "choose-1", "cumulative", "ordinal"])
def test_every_pabulib_rule_is_counted_or_refused_by_name(tmp_path, rule, vote_type):
    points = ["2,1", "3", "1"] if vote_type == "cumulative" else None
    votes = ["A", "B", "A"] if vote_type == "choose-1" else ["A,B", "B", "A"]
    if vote_type == "cumulative":
        votes = ["A,B", "B", "A"]
    text = pb_text(
        [("A", 40), ("B", 50)],
        votes,
        rule=rule,
        vote_type=vote_type,
        points=points,
        extra_meta="min_project_score_threshold;1\n",
        selected=["A"],
    )
    try:
        result = command(tmp_path, text)
    except CommandError as exc:
        assert rule in str(exc)
        return
    assert result["rule"] == rule
    assert "reference" in result


def test_a_file_no_rule_reproduces_says_which_projects_differ(tmp_path):
    # The file claims C (1 vote) was funded instead of A (3 votes): no rule does that.
    text = pb_text([("A", 60), ("B", 30), ("C", 60)], ["A,B", "A,B", "A,C"], selected=["B", "C"])
    reference = command(tmp_path, text)["reference"]
    assert reference["agrees"] is False
    assert reference["only_in_file"] == ["C"]
    assert reference["only_in_count"] == ["A"]
    assert reference["reproduced_by"] == []
    assert "går inte att avgöra varför" in reference["message"]


def test_a_file_another_rule_reproduces_names_that_rule(tmp_path):
    # Stated greedy, but the city stopped at the first misfit (greedy-no-skip).
    text = pb_text([("A", 60), ("B", 50), ("C", 30)], ["A,B,C", "A,B", "A"], selected=["A"])
    reference = command(tmp_path, text)["reference"]
    assert reference["agrees"] is False
    assert {"rule": "greedy-no-skip", "tie_break": "file-order"} in reference["reproduced_by"]
    assert "Filens urval ges av" in reference["message"]


def test_warnings_reach_the_outcome_of_a_plain_instance():
    inst = counting.Instance(
        budget=F(10),
        projects=[counting.Project(id="A", cost=F(5))],
        ballots=[counting.Ballot(voter_id="1", scores={"A": F(1)})],
        warnings=["x"],
    )
    assert counting.count(inst).warnings == ["x"]
