"""Issue 13 item 6: published statistics do not disclose individuals.

A property test over generated cross-tabs: after `disclosure.hide`, a reader who has the
published table (visible groups' sizes and cells), the column totals and the grand total,
and who knows the rule ("färre än N" is 1..N-1 people, "dolt" at least N), cannot work out
any hidden group's size, nor any hidden cell, except cells that are zero for every hidden
group alike (then the column total says "nobody of these at least N people", as a shown
group would). Bounds are found by linear programming (scipy), independently of the
algorithm's own reasoning. Then the defect of the issue (16–24: n = 63 − 62 = 1 and that
person's answer follows) through the officials' survey results page and the compilation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from delaktig.core import disclosure

TOL = 1e-6


def _reader_bounds(
    cells: list[list[int]], skips: list[int], hidden: disclosure.Hidden, limit: int
) -> tuple[dict[int, tuple[float, float]], dict[tuple[int, int], tuple[float, float]]]:
    """The lowest and highest value of every hidden size and cell consistent with what is
    published. Variables per hidden group g: its size n_g, its cells x_gc, its skips s_g."""
    sizes = [sum(row) + s for row, s in zip(cells, skips, strict=True)]
    columns = len(cells[0])
    groups = sorted(hidden.all)
    visible = [g for g in range(len(cells)) if g not in hidden.all]
    residual_n = sum(sizes) - sum(sizes[g] for g in visible)
    residual_c = [
        sum(cells[g][c] for g in range(len(cells))) - sum(cells[g][c] for g in visible)
        for c in range(columns)
    ]
    per = columns + 2  # n, x_1..x_C, s
    nvars = per * len(groups)
    a_eq, b_eq = [], []
    row = np.zeros(nvars)
    for k in range(len(groups)):
        row[k * per] = 1
    a_eq.append(row)
    b_eq.append(residual_n)
    for c in range(columns):
        row = np.zeros(nvars)
        for k in range(len(groups)):
            row[k * per + 1 + c] = 1
        a_eq.append(row)
        b_eq.append(residual_c[c])
    for k in range(len(groups)):
        row = np.zeros(nvars)
        row[k * per] = 1
        row[k * per + 1 : k * per + 1 + columns] = -1
        row[k * per + columns + 1] = -1
        a_eq.append(row)
        b_eq.append(0)
    bounds: list[tuple[float, float | None]] = []
    for g in groups:
        if hidden.everything:
            bounds.append((1, None))
        elif g in hidden.primary:
            bounds.append((1, limit - 1))
        else:
            bounds.append((limit, None))
        bounds += [(0, None)] * (columns + 1)

    def extent(index: int) -> tuple[float, float]:
        objective = np.zeros(nvars)
        objective[index] = 1
        low = linprog(objective, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0 and high.status == 0  # the true table is always feasible
        return low.fun, -high.fun

    size_extent = {g: extent(k * per) for k, g in enumerate(groups)}
    cell_extent = {
        (g, c): extent(k * per + 1 + c) for k, g in enumerate(groups) for c in range(columns)
    }
    return size_extent, cell_extent


@st.composite
def tables(draw: Any) -> tuple[list[list[int]], list[int], int]:
    limit = draw(st.sampled_from([3, 5, 10]))
    columns = draw(st.integers(2, 4))
    n_groups = draw(st.integers(2, 7))
    small = st.integers(0, limit + 2)
    cells = [[draw(small) for _ in range(columns)] for _ in range(n_groups)]
    skips = [draw(st.integers(0, 2)) for _ in range(n_groups)]
    # a listed group has somebody in it
    skips = [s if sum(row) + s else 1 for row, s in zip(cells, skips, strict=True)]
    return cells, skips, limit


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_hidden_figure_can_be_worked_out_from_the_totals(
    table: tuple[list[list[int]], list[int], int],
) -> None:
    cells, skips, limit = table
    sizes = [sum(row) + s for row, s in zip(cells, skips, strict=True)]
    hidden = disclosure.hide(sizes, limit)
    # every group below the minimum is hidden; never exactly one
    assert {g for g, n in enumerate(sizes) if n < limit} <= hidden.all
    assert len(hidden.all) != 1
    assume(hidden.all)
    if hidden.everything:
        return  # a cross-tab then lists no groups at all (see test_cross_tab_* below)
    assert sum(sizes[g] for g in hidden.all) >= limit
    size_extent, cell_extent = _reader_bounds(cells, skips, hidden, limit)
    for g, (low, high) in size_extent.items():
        assert low - TOL <= sizes[g] <= high + TOL
        assert high - low >= 1 - TOL, f"group {g} of {sizes} is {sizes[g]}: derivable"
    columns = len(cells[0])
    visible = [g for g in range(len(cells)) if g not in hidden.all]
    for (g, c), (low, high) in cell_extent.items():
        residual = sum(cells[h][c] for h in range(len(cells))) - sum(cells[h][c] for h in visible)
        if residual == 0:
            continue  # "none of these people" – true of the hidden groups together
        assert high - low >= 1 - TOL, f"cell {g},{c} of {cells} derivable ({columns} columns)"


@pytest.mark.parametrize(
    ("sizes", "limit", "primary", "complementary"),
    [
        ([1, 62], 5, {0}, {1}),  # the issue: one small group is never hidden alone
        ([1, 30, 32], 5, {0}, {1}),  # the next smallest goes too
        ([2, 2, 40], 5, {0, 1}, {2}),  # two small groups of 4 together: still too few
        ([3, 3, 40, 41], 5, {0, 1}, set()),  # 6 together, sizes 1..4 each: undetermined
        ([1, 5, 40], 5, {0}, {1, 2}),  # 1 + 5: "färre än 5" could only be 1
        ([10, 20], 5, set(), set()),
    ],
)
def test_complementary_suppression_matrix(sizes, limit, primary, complementary) -> None:
    hidden = disclosure.hide(sizes, limit)
    assert hidden.primary == primary
    assert hidden.complementary == complementary


# --- The issue's case through the officials' pages -------------------------------------


@pytest.fixture
def one_young_person(dialogue: Any, activity: Any, people: Any, settings: Any) -> dict[str, Any]:
    """63 answers: the only person aged 16-24 says "Nej", everybody else "Ja"."""
    from delaktig.participation.surveys import actions

    settings.DELAKTIG_MIN_GROUP_SIZE = 5
    survey = actions.ensure_survey(activity=activity, actor=people["official"])
    question = actions.add_question(
        survey=survey,
        actor=people["official"],
        kind="single",
        label="Vill du ha fler bänkar?",
        options=["Ja", "Nej"],
        required=True,
    )
    ages = ["16-24"] + ["25-34"] * 20 + ["35-44"] * 20 + ["65+"] * 22
    for i, age in enumerate(ages):
        response = actions.start_response(survey=survey, participant_key=f"t{i}")
        actions.submit_response(
            response=response,
            answers={question.pk: 1 if age == "16-24" else 0},
            consent=True,
            demographics={"age_band": age},
        )
    return {"dialogue": dialogue, "activity": activity, "question": question}


def _group_sizes(html: str, labels: list[str]) -> dict[str, str]:
    import re

    found = {}
    for label in labels:
        m = re.search(rf'<th scope="row">{re.escape(label)}</th><td class="num">([^<]*)</td>', html)
        assert m, label
        found[label] = m.group(1).strip()
    return found


def test_a_group_of_one_cannot_be_worked_out_on_the_survey_results_page(
    one_young_person, people
) -> None:
    from django.test import Client
    from django.urls import reverse

    c = Client()
    c.force_login(people["official"])
    url = reverse("surveys:results", kwargs={"activity_id": one_young_person["activity"].pk})
    html = c.get(url, {"fraga": one_young_person["question"].pk, "by": "age_band"}).content
    sizes = _group_sizes(html.decode(), ["16-24", "25-34", "35-44", "65+"])
    assert sizes["16-24"] == "färre än 5"
    assert sizes["25-34"] == "dolt"  # the smallest other group goes too
    shown = sum(int(n) for n in sizes.values() if n.isdigit())
    assert 63 - shown >= 5  # total minus the shown groups: no group of one
    assert "”dolt” är större" in html.decode()


def test_a_group_of_one_cannot_be_worked_out_in_the_compilation(one_young_person, people) -> None:
    from django.test import Client
    from django.urls import reverse

    from delaktig.results.report import build_report

    dialogue = one_young_person["dialogue"]
    c = Client()
    c.force_login(people["official"])
    html = c.get(reverse("results:compilation", kwargs={"dialogue_id": dialogue.pk})).content
    sizes = _group_sizes(html.decode(), ["16-24", "25-34", "35-44", "65+"])
    assert sizes["16-24"] == "färre än 5" and sizes["25-34"] == "dolt"
    # the data behind the PDF says the same, and no share of a hidden group is given
    (section,) = build_report(dialogue)["surveys"]
    (tab,) = [t for t in section["crosstabs"] if t["by_label"] == "Ålder"]
    groups = {g["label"]: g for g in tab["groups"]}
    assert groups["16-24"]["suppressed"] and groups["25-34"]["suppressed"]
    assert groups["16-24"]["shares"] == [None, None] == groups["25-34"]["shares"]
    assert groups["35-44"]["n"] == "20" and groups["65+"]["n"] == "22"
