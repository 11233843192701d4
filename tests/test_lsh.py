"""LSH banding and the bands x rows chooser, against brute-force references."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textqa.errors import UsageError
from textqa.lsh import (
    band_keys,
    candidate_pairs,
    candidate_probability,
    choose_bands,
    optimal_bands,
    valid_rows,
)
from textqa.minhash import EMPTY_VALUE, SignatureSpec, signatures


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9, 0.95])
@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_default_setting_keeps_recall_at_threshold(threshold: float, num_perm: int) -> None:
    bands, rows = choose_bands(threshold, num_perm)
    assert bands * rows <= num_perm
    assert candidate_probability(threshold, bands, rows) >= 0.98


def test_optimal_bands_matches_datasketch() -> None:
    lsh = pytest.importorskip("datasketch.lsh")
    for threshold in (0.3, 0.5, 0.8, 0.9):
        for num_perm in (32, 128):
            assert optimal_bands(threshold, num_perm) == lsh._optimal_param(
                threshold, num_perm, 0.5, 0.5
            )


def test_choose_bands_prefers_least_error_among_high_recall() -> None:
    bands, rows = choose_bands(0.8, 128)
    err = _weighted_error(0.8, bands, rows)
    for b in range(1, 129):
        for r in range(1, 128 // b + 1):
            if candidate_probability(0.8, b, r) >= 0.98:
                assert _weighted_error(0.8, b, r) >= err - 1e-9


def _weighted_error(t: float, b: int, r: int, steps: int = 2000) -> float:
    # midpoint rule, independent of the Simpson's rule in the module
    fp = sum(candidate_probability((i + 0.5) * t / steps, b, r) for i in range(steps)) * t / steps
    fn = (
        sum(1 - candidate_probability(t + (i + 0.5) * (1 - t) / steps, b, r) for i in range(steps))
        * (1 - t)
        / steps
    )
    return 0.5 * fp + 0.5 * fn


def test_tiny_num_perm_falls_back_to_best_recall() -> None:
    bands, rows = choose_bands(0.9, 2)
    assert (bands, rows) == (2, 1)
    with pytest.raises(UsageError):
        choose_bands(0.0, 128)
    with pytest.raises(UsageError):
        choose_bands(0.5, 128, min_recall=2.0)


@given(
    st.lists(st.lists(st.integers(0, 3), min_size=6, max_size=6), max_size=12),
    st.sampled_from([(1, 6), (2, 3), (3, 2), (6, 1), (2, 2)]),
)
def test_candidates_are_exactly_the_pairs_sharing_a_band(
    rows_: list[list[int]], shape: tuple[int, int]
) -> None:
    bands, rows = shape
    sigs = np.array(rows_, dtype=np.uint32).reshape(len(rows_), 6)
    got = {tuple(p) for p in candidate_pairs(band_keys(sigs, bands, rows)).tolist()}
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(len(rows_)), 2)
        if any(
            rows_[i][b * rows : (b + 1) * rows] == rows_[j][b * rows : (b + 1) * rows]
            for b in range(bands)
        )
    }
    assert got == expected


def test_big_buckets_give_every_pair_once() -> None:
    sigs = np.zeros((40, 4), dtype=np.uint32)
    sigs[::2, 2:] = 7  # two bands: all 40 share band 0, the even ones share band 1 too
    pairs = candidate_pairs(band_keys(sigs, 2, 2))
    assert len(pairs) == 40 * 39 // 2
    assert (pairs[:, 0] < pairs[:, 1]).all()


def test_documents_without_shingles_are_never_candidates() -> None:
    sigs = signatures(["", "", "a b c d e f", "a b c d e f"], SignatureSpec(num_perm=16))
    valid = valid_rows(sigs)
    assert valid.tolist() == [False, False, True, True]
    assert (sigs[0] == EMPTY_VALUE).all()
    assert candidate_pairs(band_keys(sigs, 4, 4), valid).tolist() == [[2, 3]]


def test_band_keys_reject_too_many_slots() -> None:
    with pytest.raises(UsageError, match="need 20 slots"):
        band_keys(np.zeros((2, 16), dtype=np.uint32), 4, 5)
