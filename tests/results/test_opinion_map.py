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

from delaktig.participation.opinions.opinion_map import (
    TOO_FEW_POSITIONS,
    TOO_FEW_VOTES,
    agreement_with_groups,
    build_matrix,
    cluster,
    compute_opinion_map,
    consensus_statements,
    in_conversation,
    latest_votes,
    map_polis_export,
    project,
    prop_test,
    sparsity_scale,
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
    # k is tried from 2 up to min(5, 2 + base clusters / 12), as Polis does.
    assert 2 in result.silhouettes and set(result.silhouettes) <= {2, 3, 4, 5}
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


def test_sparse_voters_are_scaled_out_from_the_centre() -> None:
    """Polis's sparsity-aware projection: position × sqrt(statements / own votes)."""
    votes = two_camps()
    votes.update({("sparse", "0"): 1, ("sparse", "1"): 1, ("sparse", "2"): 1})
    matrix = build_matrix(votes)
    polis = compute_opinion_map(matrix)
    plain = compute_opinion_map(matrix, method="plain")
    i = matrix.participants.index("sparse")
    assert np.allclose(polis.coordinates[i], plain.coordinates[i] * np.sqrt(11 / 3))
    full = matrix.participants.index("a0")
    assert np.allclose(polis.coordinates[full], plain.coordinates[full])
    assert sparsity_scale(matrix.values)[i] == pytest.approx(np.sqrt(11 / 3))


def test_participants_polis_already_clustered_stay_in() -> None:
    votes = two_camps()
    votes.update({("early", "0"): 1})
    matrix = build_matrix(votes)
    assert not in_conversation(matrix)[matrix.participants.index("early")]
    kept = in_conversation(matrix, already_in=["early"])
    assert kept[matrix.participants.index("early")] and kept.sum() == 41


def test_zeroed_statements_move_nobody_but_count_as_votes() -> None:
    """Removed and meta statements stay as zeroed columns (Polis's zero-out-columns)."""
    votes = two_camps()
    for i in range(20):  # a statement that would split the camps in two on its own
        votes[(f"a{i}", "99")] = 1 if i % 2 else -1
        votes[(f"b{i}", "99")] = -1 if i % 2 else 1
    matrix = build_matrix(votes)
    result = compute_opinion_map(matrix, zeroed=["99"])
    assert result.k == 2 and result.groups["a0"] == result.groups["a1"]
    shown = {r["statement"] for rows in result.representative.values() for r in rows}
    shown |= {r["statement"] for rows in result.consensus.values() for r in rows}
    assert "99" not in shown
    plain = compute_opinion_map(matrix, zeroed=["99"], method="plain")
    assert "99" not in plain.statements and plain.groups["a0"] == plain.groups["a1"]


def test_plain_method_is_the_earlier_behaviour() -> None:
    matrix = build_matrix(two_camps())
    plain = compute_opinion_map(matrix, method="plain")
    coords, _components, _explained = project(matrix.values)
    labels, _centres, scores = cluster(coords[in_conversation(matrix)])
    assert np.allclose(plain.coordinates, coords)
    assert plain.silhouettes == scores and list(plain.labels) == list(labels)
    with pytest.raises(ValueError):
        compute_opinion_map(matrix, method="guess")


@pytest.mark.parametrize(
    "votes",
    [
        {},
        {("p", "1"): 1},
        {("p", "1"): 1, ("q", "1"): 1},
        {(f"p{i}", "1"): 1 for i in range(30)},
        {(f"p{i}", str(s)): 0 for i in range(30) for s in range(9)},
        {("p", "1"): 1, ("q", "1"): -1},
        {(f"p{i}", "1"): (1 if i % 2 else -1) for i in range(30)},
    ],
    ids=["empty", "one-vote", "two-same", "all-agree", "all-pass", "two-opposite", "one-stmt"],
)
@pytest.mark.parametrize("method", ["polis", "plain"])
def test_tiny_and_degenerate_conversations_never_crash(votes: dict, method: str) -> None:
    result = compute_opinion_map(build_matrix(votes), method=method)
    data = result.to_dict()
    json.dumps(data)
    assert data["k"] <= 2
    if data["k"] < 2:
        assert data["message"] in (TOO_FEW_VOTES, TOO_FEW_POSITIONS)
    assert compute_opinion_map(build_matrix(votes), zeroed=["1"], method=method).k <= 2


def test_only_zeroed_statements_give_the_message() -> None:
    result = compute_opinion_map(build_matrix(two_camps()), zeroed=[str(s) for s in range(11)])
    assert result.k == 0 and result.message == TOO_FEW_VOTES


def _polis_groups(folder: Path) -> dict[str, str]:
    with (folder / "participants-votes.csv").open(newline="") as fh:
        return {r["participant"]: r["group-id"] for r in csv.DictReader(fh) if r["group-id"]}


# Polis leaves "meta" statements (is_meta: questions about the participant, not about the
# topic) out of the map, like removed ones, but the export does not say which they are.
# london.youth.policing's statements 1-14 are the owner's demographic questions ("I am between
# 15 and 19 years old.", "I identify as male.", ... "My ethnicity is Arab.", "I had at least
# one encounter ... with the police."). Without this, agreement there is 0.50.
POLIS_META = {"london.youth.policing": "1-14"}

# Polis's k comes from its k-smoother (a new k must win the silhouette on four updates in a
# row) over the conversation's history, with each k's k-means warm-started from the previous
# update; a pure function of the final votes cannot see that history. On these two the
# silhouette on the final votes prefers another k than the one Polis settled on.
K_FROM_HISTORY = {"football-concussions", "london.youth.policing"}


def _map(folder: Path, *extra: str) -> dict:
    out = io.StringIO()
    args = ["opinions", "map", str(folder), *extra]
    if folder.name in POLIS_META:
        args += ["--meta", POLIS_META[folder.name]]
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.slow
@pytest.mark.parametrize("folder", polis_dirs(), ids=lambda p: p.name)
def test_groups_agree_with_polis(folder: Path) -> None:
    """Default method, Polis's number of groups: >= 90 % of the participants Polis
    clustered are in the matching group, on every conversation in the shared data."""
    truth = _polis_groups(folder)
    k = len(set(truth.values()))
    result = _map(folder, "--k", str(k))
    assert result["k"] == k and result["method"] == "polis"
    assert set(result["groups"]) == set(truth)  # Polis's participant filter, exactly
    assert set(result["representative"]) == {str(g) for g in range(k)}
    agreement = agreement_with_groups({p: int(g) for p, g in result["groups"].items()}, truth)
    print(f"\n{folder.name}: agreement {agreement:.3f} with Polis's {k} groups")
    assert agreement >= 0.90


@pytest.mark.slow
@pytest.mark.parametrize("folder", polis_dirs(), ids=lambda p: p.name)
def test_k_chosen_as_polis_chooses_it(folder: Path) -> None:
    """k by the silhouette over base clusters, as Polis; see K_FROM_HISTORY."""
    truth = _polis_groups(folder)
    first, second = _map(folder), _map(folder)
    assert first == second  # seeded: the same votes give the same map
    agreement = agreement_with_groups({p: int(g) for p, g in first["groups"].items()}, truth)
    print(f"\n{folder.name}: k {first['k']} (Polis {len(set(truth.values()))}), {agreement:.3f}")
    if folder.name in K_FROM_HISTORY:
        assert agreement >= 0.75
        pytest.xfail(f"Polis's k is history-dependent here: k {first['k']}, {agreement:.3f}")
    assert first["k"] == len(set(truth.values()))
    assert agreement >= 0.90


@pytest.mark.slow
@pytest.mark.parametrize("folder", polis_dirs(), ids=lambda p: p.name)
def test_plain_method_stays_available(folder: Path) -> None:
    truth = _polis_groups(folder)
    k = len(set(truth.values()))
    result = _map(folder, "--k", str(k), "--method", "plain", "--ignore-polis-members")
    assert result["method"] == "plain" and result["k"] == k


@pytest.mark.skipif(not polis_dirs(), reason="shared Polis data absent")
@pytest.mark.parametrize(
    "name", ["15-per-hour-seattle", "canadian-electoral-reform", "london.youth.policing"]
)
def test_polis_participant_rule_on_final_votes(name: str) -> None:
    """Without the export's record, Polis's rule (min(7, statements) votes, counting votes
    on removed statements too) reproduces exactly whom Polis clustered on these three;
    brexit-consensus and football-concussions kept people from earlier rules (stay in)."""
    folder = next(p for p in polis_dirs() if p.name == name)
    result = map_polis_export(folder, keep_polis_members=False)
    assert set(result["groups"]) == set(_polis_groups(folder))


@pytest.mark.skipif(not polis_dirs(), reason="shared Polis data absent")
def test_map_command_default_follows_polis_participation_rule() -> None:
    folder = next(p for p in polis_dirs() if p.name == "15-per-hour-seattle")
    result = map_polis_export(folder)
    assert set(result["groups"]) == set(_polis_groups(folder))
    assert result["k"] == 2  # chosen by silhouette, as Polis's own count
    assert result["consensus"]["agree"] or result["consensus"]["disagree"]
    assert all(row["text"] for rows in result["representative"].values() for row in rows)


def test_map_command_refuses_a_folder_without_exports(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("opinions", "map", str(tmp_path))


def _write_export(folder: Path, votes: list[tuple[int, int, int]]) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,0,0,0,0,1,Ett påstående\n1,x,1,0,0,0,-1,Borttaget\n",
        encoding="utf-8",
    )
    rows = ["timestamp,datetime,comment-id,voter-id,vote"]
    rows += [f"{i},x,{c},{p},{v}" for i, (p, c, v) in enumerate(votes)]
    (folder / "votes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    "votes",
    [[], [(1, 0, 1)], [(1, 1, 1), (2, 1, -1)], [(p, 0, 1) for p in range(40)]],
    ids=["no-votes", "one-vote", "only-removed", "all-agree"],
)
def test_map_command_on_tiny_exports_gives_a_swedish_message(tmp_path: Path, votes) -> None:
    _write_export(tmp_path, votes)
    out = io.StringIO()
    call_command("opinions", "map", str(tmp_path), stdout=out)
    result = json.loads(out.getvalue())
    assert result["k"] <= 1 and result["message"]


@pytest.mark.parametrize("bad", ["x", "3-1", "1-", "-2", "1,,a"])
def test_map_command_refuses_bad_meta_and_bad_votes(tmp_path: Path, bad: str) -> None:
    from django.core.management.base import CommandError

    _write_export(tmp_path, [(1, 0, 1)])
    with pytest.raises(CommandError, match="--meta"):
        call_command("opinions", "map", str(tmp_path), "--meta", bad)
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,7\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="Exporten"):
        call_command("opinions", "map", str(tmp_path))
