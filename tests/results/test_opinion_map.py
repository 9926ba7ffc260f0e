"""The opinion map (Polis-style) on synthetic matrices and on real Polis conversations."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from scipy.optimize import linear_sum_assignment

from delaktig.participation.opinions.opinion_map import (
    build_matrix,
    compute_opinion_map,
    consensus_statements,
    in_conversation,
    latest_votes,
    map_polis_export,
    prop_test,
    two_prop_test,
)


def shared_data() -> Path:
    return Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data"))


def polis_dirs() -> list[Path]:
    base = shared_data() / "polis"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if (p / "votes.csv").is_file())


def two_camps(n_per_camp: int = 20, n_statements: int = 10, seed: int = 1) -> dict:
    """Camp A agrees with statements 0-4 and disagrees with 5-9; camp B the opposite.
    Everybody agrees with statement 10 (consensus)."""
    rng = np.random.default_rng(seed)
    votes = {}
    for camp, sign in (("a", 1), ("b", -1)):
        for i in range(n_per_camp):
            for s in range(n_statements):
                v = sign if s < n_statements // 2 else -sign
                if rng.random() < 0.1:
                    v = 0
                votes[(f"{camp}{i}", str(s))] = v
            votes[(f"{camp}{i}", "10")] = 1
    return votes


def test_latest_vote_wins_whatever_the_row_order() -> None:
    rows = [("p1", "s1", 1, 300), ("p1", "s1", -1, 100), ("p1", "s1", 0, 200), ("p2", "s1", 1, 5)]
    assert latest_votes(rows) == {("p1", "s1"): 1, ("p2", "s1"): 1}
    assert latest_votes([("p", "s", -1, 1), ("p", "s", 1, 1)]) == {("p", "s"): 1}


def test_unknown_vote_value_is_refused() -> None:
    with pytest.raises(ValueError):
        latest_votes([("p", "s", 2, 1)])


def test_moderated_out_statements_are_left_out() -> None:
    matrix = build_matrix({("p", "1"): 1, ("p", "2"): -1, ("q", "2"): 1}, exclude_statements=["2"])
    assert matrix.statements == ["1"]
    assert matrix.participants == ["p"]  # q only voted on the removed statement


def test_participants_with_few_votes_are_not_clustered() -> None:
    votes = two_camps()
    votes.update({("few", "0"): 1, ("few", "1"): 1})
    matrix = build_matrix(votes)
    mask = in_conversation(matrix)
    assert not mask[matrix.participants.index("few")]
    assert mask.sum() == 40
    # With few statements, voting on all of them is enough (Polis: min(7, statements)).
    small = build_matrix({(f"p{i}", str(s)): 1 for i in range(20) for s in range(3)})
    assert in_conversation(small).all()


def test_greedy_fill_to_fifteen_participants() -> None:
    votes = {(f"p{i}", str(s)): 1 for i in range(20) for s in range(i % 5 + 1)}
    matrix = build_matrix(votes)
    assert in_conversation(matrix).sum() == 15


def test_two_camps_are_found_with_k_by_silhouette() -> None:
    result = compute_opinion_map(build_matrix(two_camps()))
    assert result.k == 2
    groups = result.groups
    assert len({groups[f"a{i}"] for i in range(20)}) == 1
    assert len({groups[f"b{i}"] for i in range(20)}) == 1
    assert groups["a0"] != groups["b0"]
    assert set(result.silhouettes) == {2, 3, 4, 5}
    assert result.silhouettes[2] == max(result.silhouettes.values())
    assert result.group_sizes == {0: 20, 1: 20}


def test_forced_k_and_determinism() -> None:
    matrix = build_matrix(two_camps())
    first = compute_opinion_map(matrix, k=3).to_dict()
    second = compute_opinion_map(matrix, k=3).to_dict()
    assert first["k"] == 3
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_representative_and_consensus_statements() -> None:
    result = compute_opinion_map(build_matrix(two_camps()))
    group_a = result.groups["a0"]
    reps_a = result.representative[group_a]
    assert reps_a, "every group gets at least one representative statement"
    for row in reps_a:
        s = int(row["statement"])
        assert s < 10  # the consensus statement does not set a group apart
        assert row["repful_for"] == ("agree" if s < 5 else "disagree")
        assert row["repness"] > 1 and row["repness_test"] > 1.2816
    assert [r["statement"] for r in result.consensus["agree"]] == ["10"]
    assert result.consensus["disagree"] == []


def test_polis_statistics() -> None:
    assert prop_test(0, 0) == pytest.approx(1.0)
    assert prop_test(9, 9) == pytest.approx(2 * np.sqrt(10) * 0.5)
    assert two_prop_test(10, 0, 10, 10) > 3
    assert two_prop_test(5, 5, 10, 10) == pytest.approx(0.0)
    values = np.array([[1.0], [1.0], [1.0], [np.nan]])
    assert consensus_statements(values, ["s"])["agree"][0]["n_trials"] == 3


def test_empty_input_gives_an_empty_map() -> None:
    result = compute_opinion_map(build_matrix({}))
    assert result.k == 0 and result.groups == {}


def _agreement(groups: dict[str, int], truth: dict[str, str]) -> float:
    labels = sorted(set(truth.values()))
    k = max([*groups.values(), len(labels) - 1]) + 1
    counts = np.zeros((k, len(labels)))
    for participant, group in groups.items():
        if participant in truth:
            counts[group, labels.index(truth[participant])] += 1
    rows, cols = linear_sum_assignment(-counts)
    return counts[rows, cols].sum() / len(truth)


# Polis's own groups for london.youth.policing (18/3/3 of 24) are not a k-means optimum
# of its final votes: with Polis's centres the squared error is about twice that of the
# k-means solution, and the partition is not even a fixed point of one k-means step in the
# final PCA space. Polis's history-dependent k-means (seeded from earlier runs) explains it;
# we do not fit to it. See docs/opinions.md.
HISTORY_DEPENDENT = {"london.youth.policing"}


@pytest.mark.slow
@pytest.mark.parametrize("folder", polis_dirs(), ids=lambda p: p.name)
def test_groups_agree_with_polis(folder: Path) -> None:
    """Groups agree with Polis's group-id for >= 90 % of the participants Polis clustered.

    The same settings for every conversation: k = Polis's number of groups, and every
    participant with a vote is clustered (min_votes=1), because these exports were made by
    Polis versions that clustered people with a single vote (football-concussions: 838 of
    its 1,434 clustered participants have fewer than 7 votes)."""
    with (folder / "participants-votes.csv").open(newline="") as fh:
        truth = {r["participant"]: r["group-id"] for r in csv.DictReader(fh) if r["group-id"]}
    k = len(set(truth.values()))
    out = io.StringIO()
    call_command("opinions", "map", str(folder), "--k", str(k), "--min-votes", "1", stdout=out)
    result = json.loads(out.getvalue())
    assert result["k"] == k
    assert set(result["representative"]) == {str(g) for g in range(k)}
    agreement = _agreement({p: int(g) for p, g in result["groups"].items()}, truth)
    print(f"{folder.name}: {agreement:.3f}")
    if folder.name in HISTORY_DEPENDENT:
        assert agreement >= 0.5
        pytest.xfail(f"Polis's groups are history-dependent here; agreement {agreement:.3f}")
    assert agreement >= 0.90


@pytest.mark.skipif(not polis_dirs(), reason="shared Polis data absent")
def test_map_command_default_follows_polis_participation_rule() -> None:
    folder = next(p for p in polis_dirs() if p.name == "15-per-hour-seattle")
    result = map_polis_export(folder)
    # 138 participants have at least 7 votes; Polis clustered exactly those.
    with (folder / "participants-votes.csv").open(newline="") as fh:
        polis_clustered = {r["participant"] for r in csv.DictReader(fh) if r["group-id"]}
    assert set(result["groups"]) == polis_clustered
    assert result["k"] == 2  # chosen by silhouette, as Polis's own count
    assert result["consensus"]["agree"] or result["consensus"]["disagree"]
    assert all(row["text"] for rows in result["representative"].values() for row in rows)


def test_map_command_refuses_a_folder_without_exports(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("opinions", "map", str(tmp_path))
