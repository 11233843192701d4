"""LSH banding by sort-and-group in numpy, and the bands x rows chooser.

A signature of ``num_perm`` slots is cut into ``bands`` bands of ``rows`` slots; two documents
are candidates when some band is equal in both. A pair with Jaccard ``s`` becomes a candidate
with probability ``1 - (1 - s**rows)**bands`` (the S-curve).

>>> bands, rows = choose_bands(0.8, 128)
>>> (bands, rows), round(candidate_probability(0.8, bands, rows), 4) >= 0.98
((17, 7), True)
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from textqa.errors import UsageError
from textqa.minhash import EMPTY_VALUE, fmix64

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "DEFAULT_MIN_RECALL",
    "band_keys",
    "candidate_pairs",
    "candidate_probability",
    "choose_bands",
    "optimal_bands",
    "resolve_bands",
]

#: every candidate is verified exactly, so the default chooser favours recall at the threshold
DEFAULT_MIN_RECALL = 0.98

_U = np.uint64
_K_ROW = _U(0xD6E8FEB86659FD93)


def candidate_probability(s: float, bands: int, rows: int) -> float:
    """Probability that a pair of Jaccard ``s`` shares at least one band.

    >>> round(candidate_probability(0.5, 20, 5), 3)
    0.47
    """
    return float(1.0 - (1.0 - s**rows) ** bands)


_STEPS = 200  # Simpson's rule intervals: plenty for these smooth curves, no scipy needed


def _settings(num_perm: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    arr = np.array(pairs, dtype=np.float64)
    return arr[:, 0], arr[:, 1]


def _areas(
    threshold: float, bands: NDArray[np.float64], rows: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """False-positive area (candidate probability over ``[0, t]``) and false-negative area
    (1 - probability over ``[t, 1]``) of every setting, by Simpson's rule."""
    weights = np.ones(_STEPS + 1)
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0

    def area(lo: float, hi: float, miss: bool) -> NDArray[np.float64]:
        s = np.linspace(lo, hi, _STEPS + 1)
        p = 1.0 - (1.0 - s[None, :] ** rows[:, None]) ** bands[:, None]
        y = 1.0 - p if miss else p
        result: NDArray[np.float64] = (y @ weights) * (hi - lo) / _STEPS / 3.0
        return result

    return area(0.0, threshold, False), area(threshold, 1.0, True)


@cache
def optimal_bands(
    threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` minimizing the weighted false-positive
    and false-negative areas under the S-curve (the criterion datasketch's ``MinHashLSH`` uses).

    >>> optimal_bands(0.8, 128)
    (9, 13)
    """
    _check(threshold, num_perm)
    bands, rows = _settings(num_perm)
    fp, fn = _areas(threshold, bands, rows)
    best = int(np.argmin(fp * fp_weight + fn * fn_weight))
    return int(bands[best]), int(rows[best])


@cache
def choose_bands(
    threshold: float,
    num_perm: int,
    *,
    min_recall: float = DEFAULT_MIN_RECALL,
    fp_weight: float = 0.5,
    fn_weight: float = 0.5,
) -> tuple[int, int]:
    """``(bands, rows)`` for a Jaccard ``threshold``: among settings whose candidate probability
    at the threshold is at least ``min_recall``, the one with the least weighted error.
    When no setting reaches ``min_recall`` (tiny ``num_perm``), the one with the highest
    candidate probability at the threshold.

    >>> choose_bands(0.5, 128)
    (30, 3)
    """
    _check(threshold, num_perm)
    if not 0.0 <= min_recall <= 1.0:
        raise UsageError(f"min_recall must be in [0, 1], not {min_recall}")
    bands, rows = _settings(num_perm)
    fp, fn = _areas(threshold, bands, rows)
    err = fp * fp_weight + fn * fn_weight
    recall = 1.0 - (1.0 - threshold**rows) ** bands
    ok = recall >= min_recall
    best = int(np.argmin(np.where(ok, err, np.inf))) if ok.any() else int(np.argmax(recall))
    return int(bands[best]), int(rows[best])


def resolve_bands(
    threshold: float, num_perm: int, bands: int | None = None, rows: int | None = None
) -> tuple[int, int]:
    """``(bands, rows)`` as given, or chosen by `choose_bands` when both are None; raises
    `UsageError` for a bad threshold, only one of the two, or a setting that does not fit.

    >>> resolve_bands(0.8, 128), resolve_bands(0.8, 128, 16, 8)
    ((17, 7), (16, 8))
    """
    _check(threshold, num_perm)
    if (bands is None) != (rows is None):
        raise UsageError("give both bands and rows, or neither")
    if bands is None or rows is None:
        return choose_bands(threshold, num_perm)
    if bands < 1 or rows < 1 or bands * rows > num_perm:
        raise UsageError(f"{bands} bands x {rows} rows do not fit num_perm={num_perm}")
    return bands, rows


def _check(threshold: float, num_perm: int) -> None:
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"threshold must be in (0, 1], not {threshold}")
    if num_perm < 1:
        raise UsageError(f"num_perm must be positive, not {num_perm}")


def band_keys(sigs: NDArray[np.uint32], bands: int, rows: int) -> NDArray[np.uint64]:
    """One 64-bit key per document and band: ``(documents, bands)``. Equal band contents give
    equal keys; the band number is mixed in, so keys of different bands never meet.
    Rows of all-``EMPTY_VALUE`` signatures (documents without shingles) get key 0 in every band
    and are ignored by :func:`candidate_pairs` when passed as ``valid``.
    """
    n, k = sigs.shape
    if bands * rows > k:
        raise UsageError(
            f"{bands} bands x {rows} rows need {bands * rows} slots; signatures have {k}"
        )
    view = sigs[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    keys = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), (n, bands)).copy()
    for r in range(rows):
        keys *= _K_ROW
        keys += view[:, :, r]
        fmix64(keys)
    return keys


def valid_rows(sigs: NDArray[np.uint32]) -> NDArray[np.bool_]:
    """False for documents without shingles (all-``EMPTY_VALUE`` signatures)."""
    result: NDArray[np.bool_] = ~(sigs == EMPTY_VALUE).all(axis=1)
    return result


def candidate_pairs(
    keys: NDArray[np.uint64], valid: NDArray[np.bool_] | None = None
) -> NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, of rows sharing a key in at least one band: an array of
    shape ``(pairs, 2)``, sorted and without repeats. Work per band: one sort and one group
    pass; the output lists every pair within each bucket.

    >>> keys = np.array([[1, 5], [1, 6], [2, 6], [3, 7]], dtype=np.uint64)
    >>> candidate_pairs(keys).tolist()
    [[0, 1], [1, 2]]
    """
    n, bands = keys.shape
    rows = np.arange(n, dtype=np.int64) if valid is None else np.flatnonzero(valid)
    found: list[NDArray[np.int64]] = []
    for b in range(bands):
        col = keys[rows, b]
        order = np.argsort(col, kind="stable")
        sk = col[order]
        same = sk[1:] == sk[:-1]
        if not same.any():
            continue
        # group boundaries among runs of equal keys
        starts = np.flatnonzero(np.r_[True, ~same])
        sizes = np.diff(np.r_[starts, len(sk)])
        multi = sizes > 1
        gstarts, gsizes = starts[multi], sizes[multi]
        members = rows[order]
        found.append(_pairs_in_groups(members, gstarts, gsizes))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    allp = np.concatenate(found)
    packed = np.unique(allp[:, 0] * np.int64(n) + allp[:, 1])
    return np.stack([packed // n, packed % n], axis=1)


def _pairs_in_groups(
    members: NDArray[np.int64], gstarts: NDArray[np.int64], gsizes: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Every pair inside each group ``members[gstarts[g]:gstarts[g]+gsizes[g]]``, as ``(i<j)``."""
    out: list[NDArray[np.int64]] = []
    # pairs (x, x+d) for d = 1 .. max size - 1, only in groups bigger than d
    for d in range(1, int(gsizes.max())):
        big = gsizes > d
        gs, gz = gstarts[big], gsizes[big]
        counts = gz - d
        base = np.repeat(gs, counts)
        within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(counts) - counts, counts
        )
        left = members[base + within]
        right = members[base + within + d]
        out.append(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1))
    return np.concatenate(out)
