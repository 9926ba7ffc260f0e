"""Opinion map (Polis-style): opinion groups from agree/disagree/pass votes on statements.

Pure functions on NumPy arrays; nothing here touches the database. The default method
("polis") follows Polis's math (compdemocracy.org, `math/src/polismath/math/`:
`conversation.clj`, `pca.clj`, `clusters.clj`), documented in docs/opinions.md:

1. Keep each participant's LATEST vote per statement (agree = 1, disagree = -1, pass = 0).
2. Statements a moderator removed, and Polis's meta statements, stay in the matrix as
   zeroed columns (Polis's `zero-out-columns`): they move nobody but still count as
   columns and as votes in step 4, exactly as in Polis.
3. A participant is "in the conversation" (clustered) with at least min(7, number of
   statements) votes, counting votes on removed statements too; those Polis had already
   placed in the conversation stay in (Polis's in-conv set only grows); if fewer than 15
   qualify, the most active are added up to 15.
4. Missing votes are replaced by the statement's mean vote; PCA to two components over
   every voter; each participant's position is then scaled by
   sqrt(statements / statements the participant voted on), Polis's sparsity-aware
   projection, so that sparse voters are not all pulled to the centre.
5. Up to 100 base clusters (k-means) of the in-conversation participants; the groups are a
   weighted k-means of the base clusters, k in 2..min(5, 2 + base clusters / 12) chosen by
   the silhouette over the base clusters, unless forced.
6. Representative statements per group (agree/disagree probability in the group against
   everyone outside it, with Polis's "repness" score and z-tests) and consensus statements
   (most participants agree, or disagree, significantly).

The earlier method ("plain": no scaling, k-means on the participants directly) is kept as
an option. Everything is deterministic: fixed seeds, fixed number of starts, stable orderings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from delaktig.core.parsing import parse_int

AGREE, DISAGREE, PASS = 1, -1, 0
MIN_VOTES = 7  # Polis: a participant is clustered after 7 votes (or all statements, if fewer)
GREEDY_N = 15  # Polis: with fewer than 15 such participants, take the most active ones
MAX_K = 5
BASE_K = 100  # Polis's :base-k
METHODS = ("polis", "plain")
Z_90 = 1.2816  # one-sided z for 90 % confidence, as Polis uses
SEED = 0
N_INIT = 10


@dataclass(frozen=True)
class VoteMatrix:
    """Participants × statements; NaN where a participant has not voted."""

    participants: list[str]
    statements: list[str]
    values: np.ndarray  # float, shape (len(participants), len(statements))

    @property
    def n_votes(self) -> np.ndarray:
        return (~np.isnan(self.values)).sum(axis=1)


def latest_votes(votes: Iterable[Sequence[Any]]) -> dict[tuple[str, str], int]:
    """(participant, statement, vote, timestamp) rows → the latest vote per pair.

    Ties on timestamp keep the row that comes last, as the export lists them.
    """
    rows = sorted(
        ((str(p), str(s), int(v), float(t), i) for i, (p, s, v, t) in enumerate(votes)),
        key=lambda r: (r[3], r[4]),
    )
    latest: dict[tuple[str, str], int] = {}
    for p, s, v, _t, _i in rows:
        if v not in (AGREE, DISAGREE, PASS):
            raise ValueError(f"Okänd röst {v!r}: ska vara 1, -1 eller 0.")
        latest[(p, s)] = v
    return latest


def _natural_key(value: str) -> tuple[int, int | str]:
    number = parse_int(value, signed=True)
    return (0, number) if number is not None else (1, value)


def build_matrix(
    votes: dict[tuple[str, str], int],
    *,
    statements: Sequence[str] | None = None,
    exclude_statements: Iterable[str] = (),
) -> VoteMatrix:
    """Build the vote matrix from latest votes; moderated-out statements are left out."""
    excluded = {str(s) for s in exclude_statements}
    participants = sorted({p for p, _ in votes}, key=_natural_key)
    if statements is None:
        statements = sorted({s for _, s in votes}, key=_natural_key)
    cols = [str(s) for s in statements if str(s) not in excluded]
    col_index = {s: j for j, s in enumerate(cols)}
    row_index = {p: i for i, p in enumerate(participants)}
    values = np.full((len(participants), len(cols)), np.nan)
    for (p, s), v in votes.items():
        j = col_index.get(s)
        if j is not None:
            values[row_index[p], j] = v
    # Participants whose only votes were on removed statements drop out.
    keep = ~np.all(np.isnan(values), axis=1) if cols else np.zeros(len(participants), bool)
    return VoteMatrix(
        participants=[p for p, k in zip(participants, keep, strict=True) if k],
        statements=cols,
        values=values[keep],
    )


def in_conversation(
    matrix: VoteMatrix, *, min_votes: int | None = None, already_in: Iterable[str] = ()
) -> np.ndarray:
    """Boolean mask of the participants that are clustered (Polis's "in-conv").

    Counts every vote in the matrix, also on zeroed (removed or meta) statements, as Polis
    counts its raw vote matrix. `already_in` are participants Polis had placed in the
    conversation before; they stay in, as in Polis.
    """
    n_votes = matrix.n_votes
    threshold = min(MIN_VOTES, len(matrix.statements)) if min_votes is None else min_votes
    mask = n_votes >= max(threshold, 1)
    keep = {str(p) for p in already_in}
    if keep:
        mask |= np.array([p in keep for p in matrix.participants], dtype=bool)
    if mask.sum() < GREEDY_N:
        for i in np.argsort(-n_votes, kind="stable"):
            if mask.sum() >= GREEDY_N:
                break
            if n_votes[i] > 0:
                mask[i] = True
    return mask


def impute(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Replace missing votes by each statement's mean vote; returns (matrix, means)."""
    with np.errstate(invalid="ignore"):
        counts = (~np.isnan(values)).sum(axis=0)
        sums = np.nansum(values, axis=0)
        means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(np.isnan(values), means, values), means


def project(values: np.ndarray, n_components: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PCA of the mean-imputed matrix: (coordinates, components, explained variance ratio)."""
    from sklearn.decomposition import PCA

    filled, _means = impute(values)
    n = min(n_components, filled.shape[0] - 1, filled.shape[1])
    if n <= 0 or not np.any(filled != filled[0]):
        return np.zeros((filled.shape[0], n_components)), np.zeros((0, 0)), np.zeros(0)
    pca = PCA(n_components=n, svd_solver="full")
    coords = pca.fit_transform(filled)
    components = pca.components_.copy()
    # Fix the signs so the same data always gives the same picture.
    for c in range(n):
        pivot = int(np.argmax(np.abs(components[c])))
        if components[c, pivot] < 0:
            components[c] *= -1
            coords[:, c] *= -1
    if n < n_components:
        coords = np.hstack([coords, np.zeros((coords.shape[0], n_components - n))])
    return coords, components, np.nan_to_num(pca.explained_variance_ratio_)


def cluster(
    points: np.ndarray, *, k: int | None = None, max_k: int = MAX_K, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
    """k-means; k chosen by silhouette among 2..max_k unless forced.

    Returns (labels, centres, silhouette per tried k). Groups are renumbered by size
    (largest first, ties by first member) so numbering is stable.
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n_distinct = len(np.unique(points, axis=0)) if len(points) else 0
    if n_distinct < 2:
        return np.zeros(len(points), int), points[:1].copy(), {}
    if k is not None:
        candidates = [max(1, min(int(k), n_distinct))]
    else:
        upper = min(max_k, n_distinct - 1, 2 + len(points) // 12)
        candidates = list(range(2, max(upper, 2) + 1))
    best: tuple[float, int, Any] | None = None
    scores: dict[int, float] = {}
    for kk in candidates:
        km = KMeans(n_clusters=kk, n_init=N_INIT, random_state=seed).fit(points)
        # The silhouette needs 2..n-1 groups; two distinct points in two groups have none.
        if 1 < len(set(km.labels_)) < len(points):
            score = float(silhouette_score(points, km.labels_))
        else:
            score = 0.0
        scores[kk] = score
        if best is None or score > best[0] + 1e-12:
            best = (score, kk, km)
    assert best is not None
    km = best[2]
    labels, centres = km.labels_, km.cluster_centers_
    order = sorted(
        range(len(centres)),
        key=lambda g: (-int((labels == g).sum()), int(np.argmax(labels == g))),
    )
    remap = np.empty(len(centres), int)
    remap[order] = np.arange(len(centres))
    return remap[labels], centres[order], scores


def zero_columns(values: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Polis's `zero-out-columns`: every participant gets 0 (pass) on these statements."""
    out = values.copy()
    if len(columns):
        out[:, list(columns)] = 0.0
    return out


def sparsity_scale(values: np.ndarray) -> np.ndarray:
    """sqrt(statements / statements voted on) per participant (Polis's sparsity-aware projection).

    Statements nobody voted on are not columns in Polis's matrix, so they do not count.
    """
    voted = ~np.isnan(values)
    n_columns = int(voted.any(axis=0).sum())
    return np.sqrt(n_columns / np.maximum(voted.sum(axis=1), 1))


def base_clusters(
    points: np.ndarray, *, base_k: int = BASE_K, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Polis's base clusters: (label per point, centres).

    With at most `base_k` distinct positions every distinct position is its own base
    cluster (what Polis's k-means starts from); otherwise seeded k-means with `base_k`
    clusters. Empty clusters are dropped and the rest renumbered.
    """
    from sklearn.cluster import KMeans

    distinct, inverse = np.unique(points, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    if len(distinct) <= base_k:
        return inverse, distinct
    km = KMeans(n_clusters=base_k, n_init=3, random_state=seed).fit(points)
    labels = np.asarray(km.labels_)
    used = np.unique(labels)
    remap = np.full(base_k, -1)
    remap[used] = np.arange(len(used))
    return remap[labels], km.cluster_centers_[used]


def group_base_clusters(
    centres: np.ndarray,
    weights: np.ndarray,
    *,
    k: int | None = None,
    max_k: int = MAX_K,
    seed: int = SEED,
) -> tuple[np.ndarray, dict[int, float]]:
    """Polis's group clusters: weighted k-means of the base clusters.

    k in 2..min(max_k, 2 + base clusters / 12) by the silhouette over the base clusters
    (unweighted, as Polis's `clusters/silhouette`), unless forced. Returns (group per base
    cluster, silhouette per tried k); groups are numbered by size (largest first).
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n_base = len(centres)
    if n_base < 2:
        return np.zeros(n_base, int), {}
    if k is not None:
        candidates = [max(1, min(int(k), n_base))]
    else:
        upper = min(max_k, 2 + n_base // 12, n_base - 1)
        candidates = list(range(2, max(upper, 2) + 1))
    best: tuple[float, np.ndarray] | None = None
    scores: dict[int, float] = {}
    for kk in candidates:
        km = KMeans(n_clusters=kk, n_init=N_INIT, random_state=seed)
        labels = np.asarray(km.fit(centres, sample_weight=weights).labels_)
        n_used = len(set(labels.tolist()))
        score = float(silhouette_score(centres, labels)) if 1 < n_used < n_base else 0.0
        scores[kk] = score
        if best is None or score > best[0] + 1e-12:
            best = (score, labels)
    assert best is not None
    labels = best[1]
    sizes = {int(g): float(weights[labels == g].sum()) for g in set(labels.tolist())}
    order = sorted(sizes, key=lambda g: (-sizes[g], int(np.argmax(labels == g))))
    remap = {g: i for i, g in enumerate(order)}
    return np.array([remap[int(g)] for g in labels]), scores


# --- statistics (Polis repness.clj / stats.clj) -------------------------------------------


def prop_test(successes: float, n: float) -> float:
    """z for "more than half" with a +1 pseudocount, as Polis computes it."""
    s, n1 = successes + 1, n + 1
    return 2 * math.sqrt(n1) * (s / n1 - 0.5)


def two_prop_test(succ_in: float, succ_out: float, n_in: float, n_out: float) -> float:
    """z for "the share is higher inside the group than outside it" (+1 pseudocounts)."""
    s1, s2, n1, n2 = succ_in + 1, succ_out + 1, n_in + 1, n_out + 1
    p1, p2 = s1 / n1, s2 / n2
    p = (s1 + s2) / (n1 + n2)
    if p >= 1:
        return 0.0
    return (p1 - p2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))


@dataclass(frozen=True)
class StatementStats:
    statement: str
    n_agree: int
    n_disagree: int
    n_seen: int

    @property
    def p_agree(self) -> float:
        return (1 + self.n_agree) / (2 + self.n_seen)

    @property
    def p_disagree(self) -> float:
        return (1 + self.n_disagree) / (2 + self.n_seen)


def _counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        (values == AGREE).sum(axis=0),
        (values == DISAGREE).sum(axis=0),
        (~np.isnan(values)).sum(axis=0),
    )


def representative_statements(
    values: np.ndarray, labels: np.ndarray, statements: Sequence[str], *, per_group: int = 5
) -> dict[int, list[dict[str, Any]]]:
    """Per group, the statements that set it apart from everyone else (Polis repness).

    For each statement: agree/disagree probability in the group (with +1/+2 smoothing),
    the ratio to the same probability outside the group ("repness"), and z-tests for both.
    A statement is representative when both tests are significant at 90 %; the score is
    repness × repness-z × probability × probability-z. A group with no significant
    statement gets its single best one, so no group is left without a description.
    """
    result: dict[int, list[dict[str, Any]]] = {}
    groups = sorted(set(int(g) for g in labels))
    na_all, nd_all, ns_all = _counts(values)
    for g in groups:
        inside = values[labels == g]
        na, nd, ns = _counts(inside)
        na_o, nd_o, ns_o = na_all - na, nd_all - nd, ns_all - ns
        chosen: list[dict[str, Any]] = []
        fallback: dict[str, Any] | None = None
        for j, sid in enumerate(statements):
            if ns[j] == 0:
                continue
            pa = (1 + na[j]) / (2 + ns[j])
            pd = (1 + nd[j]) / (2 + ns[j])
            ra = pa / ((1 + na_o[j]) / (2 + ns_o[j]))
            rd = pd / ((1 + nd_o[j]) / (2 + ns_o[j]))
            rat = two_prop_test(na[j], na_o[j], ns[j], ns_o[j])
            rdt = two_prop_test(nd[j], nd_o[j], ns[j], ns_o[j])
            pat = prop_test(na[j], ns[j])
            pdt = prop_test(nd[j], ns[j])
            if rat > rdt:
                row = _rep_row(sid, "agree", int(na[j]), int(ns[j]), pa, pat, ra, rat)
                passes = rat > Z_90 and pat > Z_90
            else:
                row = _rep_row(sid, "disagree", int(nd[j]), int(ns[j]), pd, pdt, rd, rdt)
                passes = rdt > Z_90 and pdt > Z_90
            if passes:
                chosen.append(row)
            if fallback is None or max(rat, rdt) > fallback["repness_test"]:
                fallback = row
        chosen.sort(key=lambda r: (-r["score"], _natural_key(r["statement"])))
        picked = chosen[:per_group] if chosen else ([fallback] if fallback else [])
        # Agreements first, then disagreements, as Polis shows them.
        result[g] = [r for r in picked if r["repful_for"] == "agree"] + [
            r for r in picked if r["repful_for"] == "disagree"
        ]
    return result


def _rep_row(
    sid: str, kind: str, n_success: int, n_trials: int, p: float, pt: float, r: float, rt: float
) -> dict[str, Any]:
    return {
        "statement": sid,
        "repful_for": kind,
        "n_success": n_success,
        "n_trials": n_trials,
        "p_success": round(float(p), 4),
        "p_test": round(float(pt), 4),
        "repness": round(float(r), 4),
        "repness_test": round(float(rt), 4),
        "score": round(float(r * rt * p * pt), 4),
    }


def consensus_statements(
    values: np.ndarray, statements: Sequence[str], *, top: int = 5
) -> dict[str, list[dict[str, Any]]]:
    """Statements most participants agree (or disagree) with, significantly (Polis)."""
    na, nd, ns = _counts(values)
    out: dict[str, list[dict[str, Any]]] = {"agree": [], "disagree": []}
    for kind, n_success in (("agree", na), ("disagree", nd)):
        rows = []
        for j, sid in enumerate(statements):
            p = (1 + n_success[j]) / (2 + ns[j])
            z = prop_test(n_success[j], ns[j])
            if p > 0.5 and z > Z_90:
                rows.append(
                    {
                        "statement": sid,
                        "n_success": int(n_success[j]),
                        "n_trials": int(ns[j]),
                        "p_success": round(float(p), 4),
                        "p_test": round(float(z), 4),
                        "_metric": p * z,
                    }
                )
        rows.sort(key=lambda r: (-r["_metric"], _natural_key(r["statement"])))
        for r in rows[:top]:
            r.pop("_metric")
        out[kind] = rows[:top]
    return out


@dataclass
class OpinionMap:
    participants: list[str]  # every participant with at least one counted vote
    statements: list[str]
    coordinates: np.ndarray  # PCA position of every participant
    clustered: np.ndarray  # mask: in the conversation
    labels: np.ndarray  # group per participant; -1 for those not clustered
    k: int
    silhouettes: dict[int, float]
    explained_variance: list[float]
    representative: dict[int, list[dict[str, Any]]]
    consensus: dict[str, list[dict[str, Any]]]
    components: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))
    method: str = "polis"
    message: str = ""  # why there are no groups, in Swedish; empty when there are

    @property
    def groups(self) -> dict[str, int]:
        return {
            p: int(g)
            for p, g, c in zip(self.participants, self.labels, self.clustered, strict=True)
            if c
        }

    @property
    def group_sizes(self) -> dict[int, int]:
        sizes = {g: 0 for g in range(self.k)}
        for g in self.groups.values():
            sizes[g] += 1
        return sizes

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "groups": self.groups,
            "group_sizes": {str(g): n for g, n in self.group_sizes.items()},
            "unclustered": [
                p for p, c in zip(self.participants, self.clustered, strict=True) if not c
            ],
            "silhouettes": {str(k): round(v, 4) for k, v in self.silhouettes.items()},
            "explained_variance": [round(v, 4) for v in self.explained_variance],
            "representative": {str(g): rows for g, rows in self.representative.items()},
            "consensus": self.consensus,
            "n_participants": len(self.participants),
            "n_clustered": int(self.clustered.sum()),
            "n_statements": len(self.statements),
            "method": self.method,
            "message": self.message,
        }


TOO_FEW_VOTES = "Det finns inga röster att göra en åsiktskarta av."
TOO_FEW_POSITIONS = (
    "För få deltagare har röstat olika för att dela in dem i grupper: "
    "alla som ingår hamnar i en och samma grupp."
)


def compute_opinion_map(
    matrix: VoteMatrix,
    *,
    k: int | None = None,
    min_votes: int | None = None,
    max_k: int = MAX_K,
    seed: int = SEED,
    method: str = "polis",
    zeroed: Iterable[str] = (),
    already_in: Iterable[str] = (),
) -> OpinionMap:
    """The whole pipeline on a vote matrix.

    `k` forces the number of groups; `zeroed` are statements that stay in the matrix as
    passes for everyone (Polis's removed and meta statements); `already_in` participants
    Polis had already clustered. `method="plain"` is the earlier method: no sparsity
    scaling, k-means on the participants directly, zeroed statements dropped instead.
    """
    if method not in METHODS:
        raise ValueError(f"Okänd metod {method!r}: ska vara {' eller '.join(METHODS)}.")
    zero = {str(s) for s in zeroed}
    if method == "plain" and zero:
        keep = [j for j, sid in enumerate(matrix.statements) if sid not in zero]
        values = matrix.values[:, keep]
        rows = ~np.all(np.isnan(values), axis=1) if keep else np.zeros(len(values), bool)
        matrix = VoteMatrix(
            participants=[p for p, r in zip(matrix.participants, rows, strict=True) if r],
            statements=[matrix.statements[j] for j in keep],
            values=values[rows],
        )
        zero = set()
    values = matrix.values
    n = values.shape[0]
    counted = [j for j, sid in enumerate(matrix.statements) if sid not in zero]
    if n == 0 or not counted or np.all(np.isnan(values[:, counted])):
        return OpinionMap(
            participants=list(matrix.participants),
            statements=list(matrix.statements),
            coordinates=np.zeros((n, 2)),
            clustered=np.zeros(n, bool),
            labels=np.full(n, -1),
            k=0,
            silhouettes={},
            explained_variance=[],
            representative={},
            consensus={"agree": [], "disagree": []},
            method=method,
            message=TOO_FEW_VOTES,
        )
    clustered = in_conversation(matrix, min_votes=min_votes, already_in=already_in)
    labels = np.full(n, -1)
    if method == "plain":
        coords, components, explained = project(values)
        sub_labels, _centres, scores = cluster(coords[clustered], k=k, max_k=max_k, seed=seed)
    else:
        zeroed_values = zero_columns(
            values, [j for j, sid in enumerate(matrix.statements) if sid in zero]
        )
        coords, components, explained = project(zeroed_values)
        coords = coords * sparsity_scale(zeroed_values)[:, None]
        base_labels, centres = base_clusters(coords[clustered], seed=seed)
        weights = np.bincount(base_labels, minlength=len(centres)).astype(float)
        group_of_base, scores = group_base_clusters(centres, weights, k=k, max_k=max_k, seed=seed)
        sub_labels = group_of_base[base_labels] if len(centres) else base_labels
    labels[clustered] = sub_labels
    n_groups = int(sub_labels.max()) + 1 if len(sub_labels) else 0
    in_values = values[clustered][:, counted]
    shown = [matrix.statements[j] for j in counted]
    return OpinionMap(
        participants=list(matrix.participants),
        statements=list(matrix.statements),
        coordinates=coords,
        clustered=clustered,
        labels=labels,
        k=n_groups,
        silhouettes=scores,
        explained_variance=[float(v) for v in explained],
        representative=representative_statements(in_values, sub_labels, shown)
        if n_groups > 1
        else {},
        consensus=consensus_statements(in_values, shown),
        components=components,
        method=method,
        message="" if n_groups > 1 else TOO_FEW_POSITIONS,
    )


# --- Polis export folders --------------------------------------------------------------------


@dataclass(frozen=True)
class PolisExport:
    statements: dict[str, dict[str, Any]]  # comment-id → {"text", "moderated", "author"}
    votes: list[tuple[str, str, int, float]]  # (voter-id, comment-id, vote, timestamp)
    # Participants Polis had clustered (a group-id in participants-votes.csv): Polis keeps a
    # participant in the conversation once in, and the export is the only record of that.
    clustered: frozenset[str] = frozenset()

    @property
    def moderated_out(self) -> set[str]:
        return {sid for sid, s in self.statements.items() if s["moderated"] == -1}


def read_polis_export(directory: Any) -> PolisExport:
    """Read `comments.csv`, `votes.csv` and, if present, who Polis clustered."""
    import csv
    from pathlib import Path

    folder = Path(directory)
    statements: dict[str, dict[str, Any]] = {}
    with (folder / "comments.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            statements[row["comment-id"]] = {
                "text": row.get("comment-body", ""),
                "moderated": int(row.get("moderated") or 0),
                "author": row.get("author-id", ""),
                "timestamp": float(row.get("timestamp") or 0),
            }
    votes: list[tuple[str, str, int, float]] = []
    with (folder / "votes.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            votes.append(
                (row["voter-id"], row["comment-id"], int(row["vote"]), float(row["timestamp"]))
            )
    clustered: set[str] = set()
    groups_file = folder / "participants-votes.csv"
    if groups_file.is_file():
        with groups_file.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if (row.get("group-id") or "").strip() and row.get("participant"):
                    clustered.add(row["participant"])
    return PolisExport(statements=statements, votes=votes, clustered=frozenset(clustered))


def map_polis_export(
    directory: Any,
    *,
    k: int | None = None,
    min_votes: int | None = None,
    method: str = "polis",
    meta: Iterable[str] = (),
    keep_polis_members: bool = True,
) -> dict[str, Any]:
    """The opinion map of a Polis export folder as one JSON-ready dict.

    `meta` are statements Polis marked as meta (e.g. demographic questions; the export does
    not say which): like removed statements they do not shape the map.
    `keep_polis_members` keeps the participants Polis had clustered in the conversation.
    """
    export = read_polis_export(directory)
    matrix = build_matrix(latest_votes(export.votes))
    result = compute_opinion_map(
        matrix,
        k=k,
        min_votes=min_votes,
        method=method,
        zeroed=export.moderated_out | {str(m) for m in meta},
        already_in=export.clustered if keep_polis_members else (),
    )
    data = result.to_dict()
    texts = {sid: s["text"] for sid, s in export.statements.items()}
    for rows in data["representative"].values():
        for row in rows:
            row["text"] = texts.get(row["statement"], "")
    for rows in data["consensus"].values():
        for row in rows:
            row["text"] = texts.get(row["statement"], "")
    return data


def agreement_with_groups(groups: dict[str, int], reference: dict[str, str]) -> float:
    """Share of the participants in `reference` (another tool's groups, e.g. Polis's own)
    who are in the matching group of `groups`, with the group labels matched one to one
    (Hungarian matching); a participant `groups` leaves out counts as a miss."""
    from scipy.optimize import linear_sum_assignment

    labels = sorted(set(reference.values()))
    k = max([*groups.values(), len(labels) - 1]) + 1
    counts = np.zeros((k, len(labels)))
    for participant, group in groups.items():
        if participant in reference:
            counts[group, labels.index(reference[participant])] += 1
    rows, cols = linear_sum_assignment(-counts)
    return float(counts[rows, cols].sum() / len(reference))
