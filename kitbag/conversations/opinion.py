"""Opinion groups from agree / disagree / pass votes, as Polis computes them (decision 0038).

A pure numeric module: numpy only, no Django. Section numbers (§4.x) refer to
`docs/reference/polis-math.md` in the shared docs, which reads them from Polis's Clojure source.

Sign convention: **agree = +1, disagree = -1, pass = 0**, as in Polis's openData exports
(`votes.csv`, `participants-votes.csv`). Polis's internal matrix is the negative of this; every
quantity used here (components up to sign, projections up to sign, clusters, counts, extremity) is
unchanged by the flip, so the whole module works in the export convention and nothing is converted.

Two modes:
- ``polis`` (default): the Polis algorithm, with its history: a sticky in-conversation set, PCA warm
  started from the last run, base and group k-means warm started from the last run, and the
  four-run k-smoother. Its one departure: Polis's cold starts draw unseeded random numbers; here they
  are seeded, so the same inputs and state always give the same result.
- ``improved``: reproducible from the votes alone (no warm starts, no smoother): group k-means by
  seeded k-means++ with several starts, a minimum group size, and every k's silhouette stored.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

AGREE = 1.0
DISAGREE = -1.0
PASS = 0.0
# One-sided 90% significance for the proportion tests (§4.6).
Z_90 = 1.2816
META_PRIORITY = 49.0
VERSION = "opinion-1"

Mode = Literal["polis", "improved"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Parameters:
    """Every tunable of a run; stored with each run so it can be repeated."""

    mode: Mode = "polis"
    pca_iters: int = 100
    base_k: int = 100
    base_iters: int = 100
    # Polis means 100 group iterations but runs 20 (quirk Q3): faithful mode keeps 20.
    group_iters: int = 20
    max_max_k: int = 5
    in_conv_min_votes: int = 7
    in_conv_greedy_n: int = 15
    k_buffer: int = 4
    seed: int = 0
    # Improved mode only.
    n_init: int = 10
    min_group_size: int = 3
    min_group_share: float = 0.05

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Matrix:
    """Participants × statements; NaN where a participant has not voted."""

    participant_ids: tuple[int, ...]
    statement_ids: tuple[int, ...]
    values: FloatArray

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participant_ids), len(self.statement_ids))


@dataclass
class Analysis:
    result: dict[str, Any]
    state: dict[str, Any] = field(default_factory=dict)


# §4.1 The vote matrix ---------------------------------------------------------------------------


def vote_matrix(
    *,
    participants: Sequence[int] | IntArray,
    statements: Sequence[int] | IntArray,
    votes: Sequence[float] | FloatArray,
    statement_ids: Sequence[int] | None = None,
) -> Matrix:
    """Build the matrix from votes given in the order they were cast: the latest vote counts.

    Rows are in the order participants first voted (Polis adds rows as votes arrive, and its
    first-seen k-means initialisation depends on that order). Columns follow ``statement_ids``
    when given (statements nobody voted on get an empty column), otherwise first-seen order.
    """
    p = np.asarray(participants, dtype=np.int64)
    s = np.asarray(statements, dtype=np.int64)
    v = np.asarray(votes, dtype=np.float64)
    if not (len(p) == len(s) == len(v)):
        raise ValueError("participants, statements and votes must have the same length")
    if len(v) and not np.isin(v, (AGREE, DISAGREE, PASS)).all():
        raise ValueError("votes must be +1 (agree), -1 (disagree) or 0 (pass)")
    row_ids = _first_seen(p)
    if statement_ids is None:
        col_ids = _first_seen(s)
    else:
        col_ids = np.asarray(list(statement_ids), dtype=np.int64)
        unknown = np.setdiff1d(s, col_ids)
        if len(unknown):
            raise ValueError(f"votes on unknown statements: {sorted(unknown.tolist())[:10]}")
    rows = _positions(row_ids, p)
    cols = _positions(col_ids, s)
    values = np.full((len(row_ids), len(col_ids)), np.nan)
    if len(v):
        # The last vote on each (participant, statement) pair wins: find it explicitly rather than
        # rely on the order numpy applies repeated fancy-index assignments in.
        key = rows * max(len(col_ids), 1) + cols
        _, last_from_end = np.unique(key[::-1], return_index=True)
        last = len(key) - 1 - last_from_end
        values[rows[last], cols[last]] = v[last]
    return Matrix(tuple(row_ids.tolist()), tuple(col_ids.tolist()), values)


def _first_seen(ids: IntArray) -> IntArray:
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    uniq, first = np.unique(ids, return_index=True)
    return uniq[np.argsort(first, kind="stable")]


def _positions(ordered: IntArray, values: IntArray) -> IntArray:
    order = np.argsort(ordered, kind="stable")
    return order[np.searchsorted(ordered, values, sorter=order)].astype(np.int64)


def rating_matrix(values: FloatArray, mod_out: npt.NDArray[np.bool_]) -> FloatArray:
    """Moderated-out and meta columns set to 0 for every row, voters or not (`zero-out-columns`)."""
    rating = values.copy()
    rating[:, mod_out] = 0.0
    return rating


# §4.2 Who is clustered --------------------------------------------------------------------------


def in_conv_mask(
    *,
    vote_counts: IntArray,
    previous: npt.NDArray[np.bool_] | None,
    n_statements: int,
    min_votes: int = 7,
    greedy_n: int = 15,
) -> npt.NDArray[np.bool_]:
    """The sticky set: once in, always in; enter at min(7, n_statements) votes; top up to 15."""
    mask = vote_counts >= min(min_votes, n_statements)
    if previous is not None:
        mask = mask | previous
    if mask.sum() < greedy_n:
        rest = np.flatnonzero(~mask & (vote_counts > 0))
        # Highest counts first; ties in row (first-seen) order.
        rest = rest[np.argsort(-vote_counts[rest], kind="stable")]
        mask[rest[: greedy_n - int(mask.sum())]] = True
    return mask


# §4.3 PCA by power iteration --------------------------------------------------------------------


def pca(
    rating: FloatArray,
    *,
    n_comps: int = 2,
    iters: int = 100,
    start: FloatArray | None = None,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray]:
    """Column centre and components (n_comps × n_statements) of the mean-imputed matrix."""
    observed = ~np.isnan(rating)
    counts = observed.sum(axis=0)
    sums = np.where(observed, rating, 0.0).sum(axis=0)
    center = np.divide(sums, counts, out=np.zeros(rating.shape[1]), where=counts > 0)
    data = np.where(observed, rating, center) - center
    n_comps = min(n_comps, *data.shape) if data.size else 0
    rng = np.random.default_rng(seed)
    # X^T (X v) is computed as (X^T X) v: the same numbers, but the statements × statements
    # product is formed once instead of reading the whole matrix twice per iteration.
    gram = data.T @ data
    # Below this an eigenvalue is rounding noise: the matrix has no further direction.
    tolerance = 1e-10 * max(float(np.trace(gram)), 1.0)
    comps: list[FloatArray] = []
    for k in range(n_comps):
        v = None if start is None or k >= len(start) else np.asarray(start[k], dtype=np.float64)
        if v is None or not np.any(v):
            v = rng.random(data.shape[1])
        pc = _power_iteration(gram, v, iters, against=comps, tolerance=tolerance)
        comps.append(pc)
        # Deflate: remove this component before looking for the next ((I - pp^T) X^T X (I - pp^T)).
        projector = np.eye(len(pc)) - np.outer(pc, pc)
        gram = projector @ gram @ projector
    return center, np.array(comps).reshape(len(comps), rating.shape[1])


def _power_iteration(
    gram: FloatArray,
    start: FloatArray,
    iters: int,
    against: Sequence[FloatArray] = (),
    tolerance: float = 0.0,
) -> FloatArray:
    # Gram–Schmidt against the components already found keeps rounding noise left by the
    # deflation from steering a later component back onto an earlier one.
    vector = _orthogonal(start, against)
    vector = vector / (np.linalg.norm(vector) or 1.0)
    last = 0.0
    for _ in range(iters + 1):
        product = _orthogonal(gram @ vector, against)
        eigval = float(np.linalg.norm(product))
        if eigval <= tolerance:
            return vector
        vector = product / eigval
        if eigval == last:
            break
        last = eigval
    return vector


def _orthogonal(vector: FloatArray, against: Sequence[FloatArray]) -> FloatArray:
    for other in against:
        vector = vector - (vector @ other) * other
    return vector


# §4.4 Sparsity-aware projection -----------------------------------------------------------------


def project(rating: FloatArray, center: FloatArray, comps: FloatArray) -> FloatArray:
    """Each participant's 2-D point, scaled up by how few statements they voted on."""
    observed = ~np.isnan(rating)
    n_votes = observed.sum(axis=1)
    deviations = np.where(observed, rating - center, 0.0)
    scale = np.sqrt(rating.shape[1] / np.maximum(n_votes, 1))
    return (deviations @ comps.T) * scale[:, None]


def extremity(center: FloatArray, comps: FloatArray) -> FloatArray:
    """Distance from the origin of a virtual participant who agreed with one statement only."""
    n = center.shape[0]
    points = ((AGREE - center)[:, None] * comps.T) * math.sqrt(n)
    return np.linalg.norm(points, axis=1)


# §4.5 Clustering --------------------------------------------------------------------------------


@dataclass
class Clusters:
    """Centres and the member keys (participant ids or base-cluster ids) of each cluster."""

    ids: list[int]
    centres: FloatArray
    members: list[list[int]]

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"id": i, "centre": c.tolist(), "members": m}
            for i, c, m in zip(self.ids, self.centres, self.members, strict=True)
        ]

    @classmethod
    def from_json(cls, data: Sequence[Mapping[str, Any]]) -> Clusters:
        return cls(
            ids=[int(c["id"]) for c in data],
            centres=np.array([c["centre"] for c in data], dtype=np.float64).reshape(-1, 2),
            members=[[int(m) for m in c["members"]] for c in data],
        )


def nearest(points: FloatArray, centres: FloatArray) -> IntArray:
    # |x - c|^2 = |x|^2 - 2 x.c + |c|^2; |x|^2 is the same for every centre, so left out.
    d = (centres**2).sum(axis=1)[None, :] - 2 * points @ centres.T
    return np.argmin(d, axis=1).astype(np.int64)


def _weighted_centres(
    points: FloatArray, weights: FloatArray, labels: IntArray, n: int
) -> tuple[FloatArray, FloatArray]:
    total = np.bincount(labels, weights=weights, minlength=n).astype(np.float64)
    sx = np.bincount(labels, weights=weights * points[:, 0], minlength=n)
    sy = np.bincount(labels, weights=weights * points[:, 1], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        centres = np.stack([sx / total, sy / total], axis=1)
    return centres, total


def kmeans(
    points: FloatArray,
    centres: FloatArray,
    *,
    weights: FloatArray | None = None,
    max_iters: int = 100,
    threshold: float = 0.01,
) -> tuple[FloatArray, IntArray, IntArray]:
    """Polis's k-means loop from given starting centres.

    Each step assigns points to the nearest centre and re-centres (weighted); empty clusters are
    dropped; it stops when every centre moved less than ``threshold`` or after ``max_iters``.
    Returns the centres, each point's cluster and, for each centre, the index of the starting
    centre it descends from (so callers can carry cluster ids across).
    """
    w = np.ones(len(points)) if weights is None else weights
    origin = np.arange(len(centres), dtype=np.int64)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max_iters + 1):
        labels = nearest(points, centres)
        new, total = _weighted_centres(points, w, labels, len(centres))
        keep = total > 0
        same = bool(keep.all()) and bool((np.linalg.norm(new - centres, axis=1) < threshold).all())
        remap = np.cumsum(keep) - 1
        labels = remap[labels]
        centres, origin = new[keep], origin[keep]
        if same:
            break
    return centres, labels, origin


def first_distinct(points: FloatArray, k: int) -> FloatArray:
    """The first k distinct rows, in order (`init-clusters`)."""
    if not len(points):
        return points.reshape(0, 2)
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def clean_start(
    points: FloatArray,
    keys: Sequence[int],
    previous: Clusters,
    k: int,
    weights: FloatArray | None = None,
) -> tuple[FloatArray, list[int | None]]:
    """Starting centres from the last run's clusters (`clean-start-clusters`).

    Members still present keep their cluster; newcomers join the nearest previous centre; the
    clusters are re-centred, identical centres merged, and while there are fewer than k the most
    distant point from its centre is split off on its own. Returns centres and, per centre, the
    previous cluster id it continues (None for a split-off).
    """
    w = np.ones(len(points)) if weights is None else weights
    where = {key: i for i, key in enumerate(keys)}
    labels = np.full(len(points), -1, dtype=np.int64)
    for c, members in enumerate(previous.members):
        for m in members:
            if m in where:
                labels[where[m]] = c
    if len(previous.centres):
        newcomers = labels < 0
        labels[newcomers] = nearest(points[newcomers], previous.centres)
    else:
        labels[:] = 0
    n = max(len(previous.centres), 1)
    centres, total = _weighted_centres(points, w, labels, n)
    ids: list[int | None] = [previous.ids[i] if previous.ids else None for i in range(n)]
    keep = np.flatnonzero(total > 0)
    centres, ids = centres[keep], [ids[i] for i in keep]
    labels = (np.cumsum(total > 0) - 1)[labels]
    # Merge clusters whose centres coincide.
    _, first, inverse = np.unique(centres, axis=0, return_index=True, return_inverse=True)
    order = np.sort(first)
    rank = {int(f): r for r, f in enumerate(order)}
    merged = np.array([rank[int(first[inverse[i]])] for i in range(len(centres))], dtype=np.int64)
    labels = merged[labels]
    centres, ids = centres[order], [ids[i] for i in order]
    while len(centres) < k:
        dist = np.linalg.norm(points - centres[labels], axis=1)
        far = int(np.argmax(dist)) if len(dist) else 0
        if not len(dist) or dist[far] == 0.0:
            break
        old = labels[far]
        labels[far] = len(centres)
        centres = np.vstack([centres, points[far]])
        ids.append(None)
        rest = labels == old
        centres[old] = np.average(points[rest], axis=0, weights=w[rest])
    return centres, ids


def silhouette(points: FloatArray, labels: IntArray, weights: FloatArray | None = None) -> float:
    """Mean silhouette; a point alone in its cluster scores 0 (§4.5). Unweighted by default."""
    n = len(points)
    if n < 2 or len(np.unique(labels)) < 2:
        return 0.0
    d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    groups = np.unique(labels)
    member = labels[None, :] == groups[:, None]  # groups × points
    sums = d @ member.T.astype(np.float64)  # points × groups
    sizes = member.sum(axis=1).astype(np.float64)
    own = np.searchsorted(groups, labels)
    own_size = sizes[own] - 1
    a = np.divide(sums[np.arange(n), own], own_size, out=np.zeros(n), where=own_size > 0)
    other = sums / sizes[None, :]
    other[np.arange(n), own] = np.inf
    b = other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.divide(b - a, denom, out=np.zeros(n), where=denom > 0)
    s[own_size == 0] = 0.0
    return float(np.average(s, weights=weights))


def max_k(n_base: int, cap: int = 5) -> int:
    return min(cap, 2 + n_base // 12)


def smooth_k(this_k: int, smoother: Mapping[str, Any] | None, buffer: int = 4) -> dict[str, Any]:
    """The k-smoother: a new k is published once it has won `buffer` runs in a row."""
    last_k = smoother.get("last_k") if smoother else None
    count = int(smoother.get("last_k_count", 0)) if smoother else 0
    smoothed = smoother.get("smoothed_k") if smoother else None
    count = count + 1 if last_k == this_k else 1
    if count >= buffer or smoothed is None:
        smoothed = this_k
    return {"last_k": this_k, "last_k_count": count, "smoothed_k": smoothed}


def kmeans_plus_plus(
    points: FloatArray, weights: FloatArray, k: int, rng: np.random.Generator
) -> FloatArray:
    """Seeded weighted k-means++ starting centres (improved mode)."""
    first = rng.choice(len(points), p=weights / weights.sum())
    centres = [points[first]]
    for _ in range(1, k):
        d2 = ((points[:, None, :] - np.array(centres)[None, :, :]) ** 2).sum(axis=2).min(axis=1)
        p = d2 * weights
        if p.sum() == 0:
            break
        centres.append(points[rng.choice(len(points), p=p / p.sum())])
    return np.array(centres)


# §4.6–4.8 Statement statistics ------------------------------------------------------------------


def prop_test(succ: FloatArray, n: FloatArray) -> FloatArray:
    return 2 * np.sqrt(n + 1) * ((succ + 1) / (n + 1) - 0.5)


def two_prop_test(
    succ_in: FloatArray, succ_out: FloatArray, n_in: FloatArray, n_out: FloatArray
) -> FloatArray:
    s1, s2, n1, n2 = succ_in + 1, succ_out + 1, n_in + 1, n_out + 1
    p1, p2 = s1 / n1, s2 / n2
    pi = (s1 + s2) / (n1 + n2)
    var = pi * (1 - pi) * (1 / n1 + 1 / n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (p1 - p2) / np.sqrt(var)
    return np.where(pi == 1, 0.0, np.nan_to_num(z))


def counts(values: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Agree, disagree and seen (passes included) counts per column."""
    agree = (values > 0).sum(axis=0).astype(np.float64)
    disagree = (values < 0).sum(axis=0).astype(np.float64)
    seen = (~np.isnan(values)).sum(axis=0).astype(np.float64)
    return agree, disagree, seen


def group_counts(
    values: FloatArray, labels: IntArray, k: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per group (rows) and statement (columns): agree, disagree and seen counts."""
    agree, disagree, seen = (
        np.zeros((k, values.shape[1])),
        np.zeros((k, values.shape[1])),
        np.zeros((k, values.shape[1])),
    )
    for g in range(k):
        agree[g], disagree[g], seen[g] = counts(values[labels == g])
    return agree, disagree, seen


def repness_stats(na: FloatArray, nd: FloatArray, ns: FloatArray) -> dict[str, FloatArray]:
    """§4.6 for every group × statement, from group counts (rows are groups)."""
    na_rest, nd_rest, ns_rest = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    return {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": pa,
        "pd": pd,
        "pat": prop_test(na, ns),
        "pdt": prop_test(nd, ns),
        "ra": pa / ((na_rest + 1) / (ns_rest + 2)),
        "rd": pd / ((nd_rest + 1) / (ns_rest + 2)),
        "rat": two_prop_test(na, na_rest, ns, ns_rest),
        "rdt": two_prop_test(nd, nd_rest, ns, ns_rest),
    }


def select_representative(
    stats: Mapping[str, FloatArray], group: int, statement_ids: Sequence[int], skip: Collection[int]
) -> list[dict[str, Any]]:
    """Polis's `select-rep-comments` for one group (§4.6)."""

    def row(j: int) -> dict[str, float]:
        return {key: float(stats[key][group, j]) for key in stats}

    def finalise(j: int, s: dict[str, float], repful: str | None = None) -> dict[str, Any]:
        side = repful or ("agree" if s["rat"] > s["rdt"] else "disagree")
        if side == "agree":
            metric = s["ra"] * s["rat"] * s["pa"] * s["pat"]
        else:
            metric = s["rd"] * s["rdt"] * s["pd"] * s["pdt"]
        return {"statement": statement_ids[j], "repful": side, "metric": metric, **s}

    best: tuple[int, dict[str, float]] | None = None
    best_agree: tuple[int, dict[str, float]] | None = None
    sufficient: list[dict[str, Any]] = []
    for j, tid in enumerate(statement_ids):
        if tid in skip:
            continue
        s = row(j)
        if best is None or max(s["rat"], s["rdt"]) > max(best[1]["rat"], best[1]["rdt"]):
            best = (j, s)
        if _beats_best_agree(s, best_agree[1] if best_agree else None):
            best_agree = (j, s)
        if (s["rat"] > Z_90 and s["pat"] > Z_90) or (s["rdt"] > Z_90 and s["pdt"] > Z_90):
            sufficient.append(finalise(j, s))
    if not sufficient:
        if best_agree is not None:
            return [finalise(*best_agree, repful="agree")]
        return [finalise(*best)] if best is not None else []
    chosen: list[dict[str, Any]] = []
    if best_agree is not None:
        chosen.append(finalise(*best_agree, repful="agree"))
    taken = {c["statement"] for c in chosen}
    ranked = sorted(
        (c for c in sufficient if c["statement"] not in taken),
        key=lambda c: c["metric"],
        reverse=True,
    )
    chosen = (chosen + ranked)[:5]
    # Agrees before disagrees; the sort is stable so best-agree stays first.
    return sorted(chosen, key=lambda c: c["repful"] != "agree")


def _beats_best_agree(s: Mapping[str, float], current: Mapping[str, float] | None) -> bool:
    if s["na"] + s["nd"] == 0:
        return False
    if current is not None and current["ra"] > 1.0:
        return (
            s["ra"] * s["rat"] * s["pa"] * s["pat"]
            > current["ra"] * current["rat"] * current["pa"] * current["pat"]
        )
    if current is not None:
        return s["pa"] * s["pat"] > current["pa"] * current["pat"]
    return s["pat"] > Z_90 or (s["ra"] > 1.0 and s["pa"] > 0.5)


def consensus(
    rating: FloatArray, statement_ids: Sequence[int], skip: Collection[int]
) -> dict[str, list[dict[str, Any]]]:
    """§4.7: statements most of everyone agrees (or disagrees) with, top 5 each."""
    na, nd, ns = counts(rating)
    out: dict[str, list[dict[str, Any]]] = {}
    for side, n in (("agree", na), ("disagree", nd)):
        p = (n + 1) / (ns + 2)
        t = prop_test(n, ns)
        picks = [
            j
            for j, tid in enumerate(statement_ids)
            if tid not in skip and p[j] > 0.5 and t[j] > Z_90
        ]
        picks.sort(key=lambda j: p[j] * t[j], reverse=True)
        out[side] = [
            {"statement": statement_ids[j], "p": float(p[j]), "test": float(t[j])}
            for j in picks[:5]
        ]
    return out


def group_informed_consensus(agree: FloatArray, seen: FloatArray) -> FloatArray:
    """§4.8: the product over groups of each group's (Laplace-smoothed) agree share."""
    return np.prod((agree + 1) / (seen + 2), axis=0)


def priority(
    agree: FloatArray, disagree: FloatArray, seen: FloatArray, extremity: FloatArray
) -> FloatArray:
    """§4.9: routing weight; new and divisive statements first, decaying as votes arrive."""
    passes = seen - agree - disagree
    p_pass = (passes + 1) / (seen + 2)
    p_agree = (agree + 1) / (seen + 2)
    importance = (1 - p_pass) * (extremity + 1) * p_agree
    return (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2


# The whole run ----------------------------------------------------------------------------------


def analyse(
    matrix: Matrix,
    *,
    moderated_out: Collection[int] = (),
    meta: Collection[int] = (),
    parameters: Parameters | None = None,
    state: Mapping[str, Any] | None = None,
    state_only: bool = False,
) -> Analysis:
    """One analysis run. The same matrix, statement flags, parameters and state give the same result.

    ``state_only`` computes what the next run carries forward (the groups and the smoother) and
    leaves out the statements' statistics: a replayed history's earlier runs need nothing else."""
    params = parameters or Parameters()
    improved = params.mode == "improved"
    state = {} if improved or state is None else dict(state)
    pids, tids = list(matrix.participant_ids), list(matrix.statement_ids)
    n_p, n_s = matrix.shape
    mod_out_ids = set(moderated_out) | set(meta)
    mod_out = np.array([t in mod_out_ids for t in tids], dtype=bool)
    raw = matrix.values
    rating = rating_matrix(raw, mod_out)

    # §4.2
    raw_counts = (~np.isnan(raw)).sum(axis=1)
    previous_in = set(state.get("in_conv", []))
    prev_mask = np.array([p in previous_in for p in pids], dtype=bool)
    in_mask = in_conv_mask(
        vote_counts=raw_counts,
        previous=prev_mask,
        n_statements=n_s,
        min_votes=params.in_conv_min_votes,
        greedy_n=params.in_conv_greedy_n,
    )

    # §4.3–4.4 on everyone
    start = _aligned_components(state.get("pca"), tids)
    center, comps = pca(rating, iters=params.pca_iters, start=start, seed=params.seed)
    if comps.shape[0] < 2:
        comps = np.vstack([comps, np.zeros((2 - comps.shape[0], n_s))])
    points = project(rating, center, comps) if n_p else np.zeros((0, 2))
    extreme = extremity(center, comps)

    in_rows = np.flatnonzero(in_mask)
    in_pids = [pids[i] for i in in_rows]
    in_points = points[in_rows]

    # §4.5 base clusters
    base = _base_clusters(in_points, in_pids, state.get("base_clusters"), params, improved)
    base_points = base.centres
    base_weights = np.array([len(m) for m in base.members], dtype=np.float64)
    top_k = max_k(len(base.ids), params.max_max_k)
    previous_groups = state.get("group_clusterings", {})
    clusterings: dict[int, Clusters] = {}
    silhouettes: dict[int, float] = {}
    rejected: dict[int, str] = {}
    min_size = max(params.min_group_size, math.ceil(params.min_group_share * len(in_pids)))
    for k in range(2, top_k + 1):
        if len(base.ids) < k:
            break
        if improved:
            clustering = _improved_groups(base, base_weights, k, params)
        else:
            clustering = _polis_groups(base, base_weights, k, previous_groups.get(str(k)), params)
        labels = _labels_of(base.ids, clustering)
        clusterings[k] = clustering
        silhouettes[k] = silhouette(base_points, labels, weights=base_weights if improved else None)
        sizes = [int(sum(base_weights[base.ids.index(b)] for b in m)) for m in clustering.members]
        if improved and min(sizes) < min_size:
            rejected[k] = f"smallest group {min(sizes)} < minimum {min_size}"

    candidates = {k: s for k, s in silhouettes.items() if k not in rejected}
    smoother = state.get("smoother")
    if candidates:
        # Ties go to the higher k (delphi PR #2620).
        this_k = max(candidates, key=lambda k: (round(candidates[k], 12), k))
        if improved:
            k, reason = this_k, f"highest silhouette ({candidates[this_k]:.4f}) of k=2..{top_k}"
            if rejected:
                reason += "; rejected " + ", ".join(f"k={r} ({why})" for r, why in rejected.items())
        else:
            smoother = smooth_k(this_k, smoother, params.k_buffer)
            k = int(smoother["smoothed_k"])
            if k not in clusterings:
                k = this_k
            if k == this_k:
                reason = f"highest silhouette ({candidates[this_k]:.4f}) of k=2..{top_k}"
                if smoother["last_k_count"] < params.k_buffer and smoother["last_k_count"] > 1:
                    reason += f", {smoother['last_k_count']} runs in a row"
            else:
                reason = (
                    f"k-smoother kept k={k}: k={this_k} has the highest silhouette but has led "
                    f"{smoother['last_k_count']} of the {params.k_buffer} runs in a row needed"
                )
    else:
        this_k, k, reason = None, 1 if len(in_pids) else 0, "too few participants to divide"

    if k and k in clusterings:
        groups_of_base = _labels_of(base.ids, clusterings[k])
    else:
        groups_of_base = np.zeros(len(base.ids), dtype=np.int64)
    n_groups = int(groups_of_base.max()) + 1 if len(groups_of_base) else 0
    base_of_pid = {m: i for i, members in enumerate(base.members) for m in members}
    in_labels = np.array([groups_of_base[base_of_pid[p]] for p in in_pids], dtype=np.int64)

    in_rating, in_raw = rating[in_rows], raw[in_rows]
    ra, rd, rs = group_counts(in_raw, in_labels, n_groups)
    group_votes = {
        str(t): [int(ra[:, j].sum()), int(rd[:, j].sum()), int(rs[:, j].sum())]
        for j, t in enumerate(tids)
    }
    new_state: dict[str, Any] = {}
    if not improved:
        new_state = {
            "in_conv": in_pids,
            "pca": {"statements": tids, "components": comps.tolist()},
            "base_clusters": base.to_json(),
            # Every k's clustering is kept so a k that returns warm-starts (Polis issue #2358).
            "group_clusterings": {
                **previous_groups,
                **{str(kk): c.to_json() for kk, c in clusterings.items()},
            },
            "smoother": smoother,
            "group_votes": group_votes,
        }
    if state_only:
        summary = {"this_k": this_k, "k": k, "silhouettes": silhouettes, "n_in_conv": len(in_pids)}
        return Analysis(result=summary, state=new_state)

    # §4.6–4.9
    na, nd, ns = group_counts(in_rating, in_labels, n_groups)
    stats = repness_stats(na, nd, ns)
    repness = {g: select_representative(stats, g, tids, mod_out_ids) for g in range(n_groups)}
    gac = group_informed_consensus(ra, rs) if n_groups else np.zeros(n_s)
    # Routing uses the previous run's vote counts (quirk Q2) when there is one.
    prev_votes = state.get("group_votes")
    if prev_votes and not improved:
        A = np.array([prev_votes.get(str(t), [0, 0, 0])[0] for t in tids], dtype=np.float64)
        D = np.array([prev_votes.get(str(t), [0, 0, 0])[1] for t in tids], dtype=np.float64)
        S = np.array([prev_votes.get(str(t), [0, 0, 0])[2] for t in tids], dtype=np.float64)
    else:
        A, D, S = ra.sum(0), rd.sum(0), rs.sum(0)
    prio = priority(A, D, S, extreme)
    meta_set = set(meta)
    for j, t in enumerate(tids):
        if t in meta_set:
            prio[j] = META_PRIORITY
        elif t in mod_out_ids:
            prio[j] = 0.0

    groups = [
        {
            "id": g,
            "size": int((in_labels == g).sum()),
            "members": [p for p, lab in zip(in_pids, in_labels, strict=True) if lab == g],
            "representative": repness[g],
            "votes": {
                str(t): [int(ra[g, j]), int(rd[g, j]), int(rs[g, j])] for j, t in enumerate(tids)
            },
        }
        for g in range(n_groups)
    ]
    result: dict[str, Any] = {
        "version": VERSION,
        "mode": params.mode,
        "parameters": params.to_json(),
        "n_participants": n_p,
        "n_statements": n_s,
        "n_in_conv": len(in_pids),
        "participants": pids,
        "statements": tids,
        "in_conv": in_pids,
        "projection": _rounded(points),
        "pca": {"center": center.tolist(), "components": comps.tolist()},
        "base_clusters": base.to_json(),
        "silhouettes": {str(kk): v for kk, v in silhouettes.items()},
        "rejected_k": {str(kk): v for kk, v in rejected.items()},
        "this_k": this_k,
        "k": k,
        "k_reason": reason,
        "groups": groups,
        "consensus": consensus(rating, tids, mod_out_ids),
        "group_informed_consensus": {str(t): float(gac[j]) for j, t in enumerate(tids)},
        "extremity": {str(t): float(extreme[j]) for j, t in enumerate(tids)},
        "priority": {str(t): float(prio[j]) for j, t in enumerate(tids)},
    }
    result["smoother"] = smoother if not improved else None
    return Analysis(result=result, state=new_state)


# §4.5 History: Polis's published k is the smoother's, over every run of the conversation ---------

# Polis's math worker ran whenever new votes had arrived, taking in every vote cast by then; it
# polled about once a second. So a replay's run starts a second after the first vote since the
# last run and takes in every vote up to that moment. A large conversation's runs took longer, so
# each took in more votes: when a history would make more runs than its budget, the interval is
# lengthened step by step (thinning the one-second runs evenly instead moved brexit-consensus's k
# between 2 and 5; see decision 0050).
TICK_INTERVAL_MS = 1000
LONGER_INTERVALS_MS = (
    2_000,
    5_000,
    10_000,
    30_000,
    60_000,
    300_000,
    900_000,
    3_600_000,
    86_400_000,
)
# The budget: at most this many runs, and fewer for a large conversation, so that replaying takes
# a minute or two rather than hours. A run's cost is mostly PCA's statements x statements products:
# about P x S^2 + 2 x S^3 multiply-adds at its final size (P participants, S statements); a
# 6,289 x 2,161 conversation (the size of the largest openData export) takes about 4 s a run here.
MAX_REPLAY_TICKS = 4000
MIN_REPLAY_TICKS = 20
REPLAY_WORK = 1_500_000_000_000


def replay_budget(n_participants: int, n_statements: int) -> int:
    """How many runs a replay of a conversation this size may make."""
    work = max(n_participants * n_statements**2 + 2 * n_statements**3, 1)
    return int(min(MAX_REPLAY_TICKS, max(MIN_REPLAY_TICKS, REPLAY_WORK // work)))


def tick_ends(
    timestamps: Sequence[int] | IntArray, *, interval_ms: int = TICK_INTERVAL_MS
) -> list[int]:
    """The end (exclusive vote index) of each run, votes in cast order: a run ``interval_ms``
    after the first vote since the last run, taking in every vote cast by then."""
    t = np.asarray(timestamps, dtype=np.int64)
    ends: list[int] = []
    start = 0
    while start < len(t):
        start = int(np.searchsorted(t, t[start] + interval_ms, side="right"))
        ends.append(start)
    return ends


def replay_schedule(
    timestamps: Sequence[int] | IntArray, *, max_ticks: int
) -> tuple[list[int], int]:
    """The runs to replay within the budget, and the interval between them."""
    for interval in (TICK_INTERVAL_MS, *LONGER_INTERVALS_MS):
        ends = tick_ends(timestamps, interval_ms=interval)
        if len(ends) <= max_ticks:
            return ends, interval
    keep = np.unique(np.linspace(0, len(ends) - 1, max_ticks).round().astype(np.int64))
    return [ends[i] for i in keep], interval


@dataclass(frozen=True)
class VoteHistory:
    """Every vote as cast (changed votes included), in order: what a replay needs."""

    participants: Sequence[int] | IntArray
    statements: Sequence[int] | IntArray
    votes: Sequence[float] | FloatArray
    timestamps: Sequence[int] | IntArray


@dataclass(frozen=True)
class Replay:
    """The state a history leaves before its last run, how many runs made it, and how often."""

    state: dict[str, Any]
    runs: int
    interval_ms: int


def replay(
    history: VoteHistory,
    *,
    statement_ids: Sequence[int],
    moderated_out: Collection[int] = (),
    meta: Collection[int] = (),
    parameters: Parameters | None = None,
    max_ticks: int | None = None,
) -> Replay:
    """Every run but the last, on the votes cast up to it, each warm-started from the one before.

    The in-conversation set, the clusterings and the k-smoother arrive where Polis's did, so the
    last run (on all the votes, with this state) chooses the k Polis published rather than the k a
    single run on the final votes would. Polis mode only; improved mode has no history."""
    params = parameters or Parameters()
    p = np.asarray(history.participants, dtype=np.int64)
    s = np.asarray(history.statements, dtype=np.int64)
    v = np.asarray(history.votes, dtype=np.float64)
    row_ids = _first_seen(p)
    if max_ticks is None:
        max_ticks = replay_budget(len(row_ids), len(statement_ids))
    ends, interval = replay_schedule(history.timestamps, max_ticks=max_ticks)
    ends = ends[:-1]
    if params.mode != "polis" or not ends:
        return Replay({}, 0, interval)
    # Rows in first-voted order: the rows of any prefix of the votes are a prefix of these.
    col_ids = np.asarray(list(statement_ids), dtype=np.int64)
    rows, cols = _positions(row_ids, p), _positions(col_ids, s)
    values = np.full((len(row_ids), len(col_ids)), np.nan)
    seen = np.maximum.accumulate(rows) + 1
    state: dict[str, Any] = {}
    start = 0
    for end in ends:
        chunk = slice(start, end)
        key = rows[chunk] * len(col_ids) + cols[chunk]
        _, last_from_end = np.unique(key[::-1], return_index=True)
        last = start + (end - start) - 1 - last_from_end
        values[rows[last], cols[last]] = v[last]
        n_rows = int(seen[end - 1])
        matrix = Matrix(tuple(row_ids[:n_rows].tolist()), tuple(col_ids.tolist()), values[:n_rows])
        state = analyse(
            matrix,
            moderated_out=moderated_out,
            meta=meta,
            parameters=params,
            state=state,
            state_only=True,
        ).state
        start = end
    return Replay(state, len(ends), interval)


def _rounded(points: FloatArray) -> list[list[float]]:
    return [[round(float(x), 6), round(float(y), 6)] for x, y in points]


def _aligned_components(
    previous: Mapping[str, Any] | None, tids: Sequence[int]
) -> FloatArray | None:
    if not previous:
        return None
    where = {int(t): i for i, t in enumerate(previous["statements"])}
    old = np.asarray(previous["components"], dtype=np.float64)
    start = np.zeros((old.shape[0], len(tids)))
    for j, t in enumerate(tids):
        if t in where:
            start[:, j] = old[:, where[t]]
    return start


def _base_clusters(
    points: FloatArray,
    pids: list[int],
    previous: Sequence[Mapping[str, Any]] | None,
    params: Parameters,
    improved: bool,
) -> Clusters:
    if not len(points):
        return Clusters([], np.zeros((0, 2)), [])
    prev_ids: list[int | None]
    if previous and not improved:
        prev = Clusters.from_json(previous)
        start, prev_ids = clean_start(points, pids, prev, params.base_k)
        next_id = max(prev.ids, default=-1) + 1
    else:
        start = first_distinct(points, params.base_k)
        prev_ids, next_id = [None] * len(start), 0
    centres, labels, origin = kmeans(points, start, max_iters=params.base_iters)
    ids: list[int] = []
    for o in origin:
        old = prev_ids[int(o)]
        if old is None:
            old, next_id = next_id, next_id + 1
        ids.append(old)
    members: list[list[int]] = [[] for _ in ids]
    for p, lab in zip(pids, labels, strict=True):
        members[int(lab)].append(p)
    return Clusters(ids, centres, members)


def _polis_groups(
    base: Clusters,
    weights: FloatArray,
    k: int,
    previous: Sequence[Mapping[str, Any]] | None,
    params: Parameters,
) -> Clusters:
    if previous:
        start, _ = clean_start(base.centres, base.ids, Clusters.from_json(previous), k, weights)
    else:
        start = first_distinct(base.centres, k)
    centres, labels, _ = kmeans(base.centres, start, weights=weights, max_iters=params.group_iters)
    return _as_clusters(base, centres, labels)


def _improved_groups(base: Clusters, weights: FloatArray, k: int, params: Parameters) -> Clusters:
    rng = np.random.default_rng(params.seed + k)
    best: tuple[float, FloatArray, IntArray] | None = None
    for _ in range(params.n_init):
        start = kmeans_plus_plus(base.centres, weights, k, rng)
        centres, labels, _ = kmeans(
            base.centres, start, weights=weights, max_iters=100, threshold=1e-9
        )
        inertia = float((weights * ((base.centres - centres[labels]) ** 2).sum(axis=1)).sum())
        if best is None or inertia < best[0] - 1e-12:
            best = (inertia, centres, labels)
    assert best is not None
    return _as_clusters(base, best[1], best[2])


def _as_clusters(base: Clusters, centres: FloatArray, labels: IntArray) -> Clusters:
    members: list[list[int]] = [[] for _ in range(len(centres))]
    for b, lab in zip(base.ids, labels, strict=True):
        members[int(lab)].append(b)
    return Clusters(list(range(len(centres))), centres, members)


def _labels_of(base_ids: Sequence[int], clustering: Clusters) -> IntArray:
    group_of = {b: g for g, members in enumerate(clustering.members) for b in members}
    return np.array([group_of[b] for b in base_ids], dtype=np.int64)


def participant_groups(result: Mapping[str, Any]) -> dict[int, int]:
    """Participant id → group id for everyone clustered in a result."""
    return {int(p): int(g["id"]) for g in result["groups"] for p in g["members"]}


def adjusted_rand_index(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Agreement of two labellings of the same items, 1 for the same partition, about 0 by chance."""
    n = len(a)
    if n < 2:
        return float("nan")
    pairs = sum(math.comb(v, 2) for v in Counter(zip(a, b, strict=True)).values())
    in_a = sum(math.comb(v, 2) for v in Counter(a).values())
    in_b = sum(math.comb(v, 2) for v in Counter(b).values())
    expected = in_a * in_b / math.comb(n, 2)
    top = (in_a + in_b) / 2
    return 1.0 if top == expected else (pairs - expected) / (top - expected)


def group_agreement(groups: Mapping[int, int], other: Mapping[int, int]) -> tuple[float, int]:
    """The adjusted Rand index over the participants both groupings grouped, and how many."""
    common = sorted(set(groups) & set(other))
    return adjusted_rand_index([groups[p] for p in common], [other[p] for p in common]), len(common)


def fingerprint(
    matrix: Matrix,
    *,
    moderated_out: Collection[int],
    meta: Collection[int],
    parameters: Parameters,
    state: Mapping[str, Any] | None,
) -> str:
    """SHA-256 of everything a run depends on: the same fingerprint means the same result."""
    h = hashlib.sha256()
    h.update(np.asarray(matrix.participant_ids, dtype=np.int64).tobytes())
    h.update(np.asarray(matrix.statement_ids, dtype=np.int64).tobytes())
    h.update(np.nan_to_num(matrix.values, nan=9.0).astype(np.int8).tobytes())
    h.update(
        json.dumps(
            {
                "moderated_out": sorted(moderated_out),
                "meta": sorted(meta),
                "parameters": parameters.to_json(),
                "state": state or {},
                "version": VERSION,
            },
            sort_keys=True,
        ).encode()
    )
    return h.hexdigest()
