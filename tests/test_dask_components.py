"""Distributed connected components against a slow, obviously-correct union-find oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

dask = pytest.importorskip("dask")

pytestmark = pytest.mark.filterwarnings(
    "ignore:Running on a single-machine scheduler when a distributed client:UserWarning"
)

from textqa.dask.components import (  # noqa: E402 -- after the importorskip above
    canonical,
    components_distributed,
    components_local,
    large_star,
    small_star,
)


def oracle(edges: list[tuple[int, int]]) -> dict[int, int]:
    """Each node of a non-loop edge -> the smallest node reachable from it (graph search)."""
    adj: dict[int, set[int]] = {}
    for a, b in edges:
        if a != b:
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
    label: dict[int, int] = {}
    for start in sorted(adj):
        if start in label:
            continue
        seen, todo = {start}, [start]
        while todo:
            for nxt in adj[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        for node in seen:
            label[node] = min(seen)
    return label


_graphs = st.integers(1, 40).flatmap(
    lambda n: st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=3 * n)
)


def _parts(edges: list[tuple[int, int]], k: int, scale: int) -> list[np.ndarray]:
    arr = np.asarray(edges, dtype=np.int64).reshape(-1, 2) * scale + (1 << 33)
    return [arr[i::k] for i in range(k)]


def _labels_of(parts: list[tuple[np.ndarray, np.ndarray]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for nodes, labels in parts:
        for n, lab in zip(nodes.tolist(), labels.tolist(), strict=True):
            assert out.setdefault(n, lab) == lab  # a node listed twice has one label
    return out


@settings(max_examples=40)
@given(
    edges=_graphs, k=st.integers(1, 4), q=st.integers(1, 5), scale=st.sampled_from([1, 7, 1 << 20])
)
def test_distributed_components_equal_union_find(
    edges: list[tuple[int, int]], k: int, q: int, scale: int
) -> None:
    parts = _parts(edges, k, scale)
    shifted = [(a * scale + (1 << 33), b * scale + (1 << 33)) for a, b in edges]
    expected = oracle(shifted)
    with dask.config.set(scheduler="sync"):
        label_parts, rounds = components_distributed(parts, npartitions=q)
        got = _labels_of(list(dask.compute(*label_parts)))
    assert got == expected
    assert rounds >= 1
    nodes, labels = components_local(parts)
    assert dict(zip(nodes.tolist(), labels.tolist(), strict=True)) == expected


def test_long_path_converges_in_few_rounds() -> None:
    # a path in a scrambled order is the slow case of plain label propagation (n rounds)
    rng = np.random.default_rng(1)
    perm = rng.permutation(2000).astype(np.int64)
    edges = np.stack([perm[:-1], perm[1:]], axis=1)
    with dask.config.set(scheduler="sync"):
        label_parts, rounds = components_distributed([edges[:1000], edges[1000:]], npartitions=3)
        got = _labels_of(list(dask.compute(*label_parts)))
    assert got == dict.fromkeys(range(2000), 0)
    assert rounds <= 30


def test_steps_keep_connectivity() -> None:
    e = canonical(np.array([[4, 1], [4, 2], [3, 2], [5, 3]], dtype=np.int64))
    both = np.concatenate([e, e[:, ::-1]])
    for step in (large_star(both), small_star(e)):
        assert oracle([tuple(x) for x in step.tolist()]) == oracle([tuple(x) for x in e.tolist()])


def test_empty() -> None:
    with dask.config.set(scheduler="sync"):
        label_parts, _ = components_distributed([np.zeros((0, 2), dtype=np.int64)])
        assert _labels_of(list(dask.compute(*label_parts))) == {}
    nodes, labels = components_local([])
    assert len(nodes) == len(labels) == 0
