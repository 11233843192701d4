"""Connected components of an edge list that may not fit on one machine.

Two ways, same answer (every node labelled with the smallest node of its component):

* :func:`components_local`: the edges are brought to the client and merged with union-find
  (:func:`textqa.dedup.connected_components`) over the nodes that occur in an edge. Costs the
  client ~16 bytes per edge plus ~100 bytes per distinct node; fine up to a few hundred million
  edges on a large client.
* :func:`components_distributed`: the alternating *large-star* / *small-star* algorithm of
  Kiveris, Lattanzi, Mirrokni, Rastogi and Vassilvitskii, "Connected Components in MapReduce
  and Beyond" (SoCC 2014). Edges stay on the workers, partitioned by a hash of their larger
  endpoint; each round is two shuffles of numpy arrays, and it converges in O(log² n) rounds
  (a handful for near-duplicate graphs). Only a per-partition "changed" flag travels to the
  client each round.

Nodes are non-negative int64 (textqa's document ordinals). Everything here is pure numpy on
arrays; the Dask graph is built with ``dask.delayed`` so it runs on any scheduler.

>>> import numpy as np

from textqa.dask._lazy import Layer, token
from textqa.dask._lazy import dask_module as _dask
>>> edges = np.array([[5, 3], [3, 9], [7, 8]], dtype=np.int64)
>>> nodes, labels = components_local([edges])
>>> dict(zip(nodes.tolist(), labels.tolist()))
{3: 3, 5: 3, 7: 7, 8: 7, 9: 3}
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import getitem
from typing import TYPE_CHECKING, Any

import numpy as np

from textqa.dask._lazy import Layer, token
from textqa.dask._lazy import dask_module as _dask

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "canonical",
    "components_distributed",
    "components_local",
    "large_star",
    "partition_of",
    "small_star",
    "star_labels",
]

_MIX = np.uint64(0x9E3779B97F4A7C15)
#: a generous bound: the algorithm needs O(log² n) rounds; 2**40 nodes need far fewer than this
MAX_ROUNDS = 200


def partition_of(nodes: NDArray[np.int64], npartitions: int) -> NDArray[np.int64]:
    """The partition of each node: a multiplicative hash of the node modulo ``npartitions``.

    >>> partition_of(np.array([0, 1, 2, 3], dtype=np.int64), 2).tolist()
    [0, 1, 0, 0]
    """
    h = nodes.astype(np.uint64) * _MIX
    return ((h >> np.uint64(32)) % np.uint64(npartitions)).astype(np.int64)


def canonical(edges: NDArray[np.int64]) -> NDArray[np.int64]:
    """Edges as sorted unique rows ``(big, small)`` without self-loops.

    >>> canonical(np.array([[1, 2], [2, 1], [3, 3], [0, 4]], dtype=np.int64)).tolist()
    [[2, 1], [4, 0]]
    """
    if len(edges) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    big = np.maximum(edges[:, 0], edges[:, 1])
    small = np.minimum(edges[:, 0], edges[:, 1])
    keep = big != small
    big, small = big[keep], small[keep]
    order = np.lexsort((small, big))
    big, small = big[order], small[order]
    if len(big) > 1:
        new = np.r_[True, (big[1:] != big[:-1]) | (small[1:] != small[:-1])]
        big, small = big[new], small[new]
    return np.stack([big, small], axis=1).astype(np.int64, copy=False)


def _concat(pieces: Sequence[NDArray[np.int64]]) -> NDArray[np.int64]:
    pieces = [p for p in pieces if len(p)]
    if not pieces:
        return np.zeros((0, 2), dtype=np.int64)
    return np.concatenate(pieces)


def _split(edges: NDArray[np.int64], npartitions: int) -> tuple[NDArray[np.int64], ...]:
    """Rows routed by the partition of their first column."""
    if npartitions == 1:
        return (edges,)
    dest = partition_of(edges[:, 0], npartitions)
    order = np.argsort(dest, kind="stable")
    bounds = np.searchsorted(dest[order], np.arange(npartitions + 1))
    sorted_edges = edges[order]
    return tuple(sorted_edges[bounds[i] : bounds[i + 1]] for i in range(npartitions))


def _group_min(keys: NDArray[np.int64], values: NDArray[np.int64]) -> NDArray[np.int64]:
    """For rows sorted by ``keys``: the minimum of ``values`` over each row's key group."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    mins = np.minimum.reduceat(values, starts)
    sizes = np.diff(np.r_[starts, len(keys)])
    return np.repeat(mins, sizes)


def large_star(adjacency: NDArray[np.int64]) -> NDArray[np.int64]:
    """One large-star step over rows ``(u, v)`` holding *both* directions of every edge of
    the nodes ``u`` present: each node's larger neighbours are linked to the smallest node of
    its closed neighbourhood. Returns canonical ``(big, small)`` edges.

    >>> adj = np.array([[1, 2], [2, 1], [2, 3], [3, 2]], dtype=np.int64)
    >>> large_star(adj).tolist()
    [[2, 1], [3, 1]]
    """
    if len(adjacency) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((adjacency[:, 1], adjacency[:, 0]))
    u, v = adjacency[order, 0], adjacency[order, 1]
    m = np.minimum(_group_min(u, v), u)
    emit = v > u
    return canonical(np.stack([v[emit], m[emit]], axis=1))


def small_star(edges: NDArray[np.int64]) -> NDArray[np.int64]:
    """One small-star step over canonical rows ``(big, small)`` holding every edge of the
    nodes ``big`` present: each node and its smaller neighbours are linked to the smallest of
    them. Returns canonical edges.

    >>> small_star(np.array([[3, 1], [3, 2], [4, 2]], dtype=np.int64)).tolist()
    [[2, 1], [3, 1], [4, 2]]
    """
    if len(edges) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((edges[:, 1], edges[:, 0]))
    u, v = edges[order, 0], edges[order, 1]
    m = _group_min(u, v)
    out = np.concatenate([np.stack([v, m], axis=1), np.stack([u, m], axis=1)])
    return canonical(out)


def star_labels(edges: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """``(nodes, labels)`` read off converged star edges ``(node, centre)``; a centre labels
    itself. Only meaningful once the large/small-star rounds stopped changing the edges."""
    if len(edges) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    nodes = np.concatenate([edges[:, 0], edges[:, 1]])
    labels = np.concatenate([edges[:, 1], edges[:, 1]])
    order = np.lexsort((labels, nodes))
    nodes, labels = nodes[order], labels[order]
    first = np.r_[True, nodes[1:] != nodes[:-1]]
    return nodes[first], labels[first]


def components_local(
    edge_parts: Sequence[NDArray[np.int64]],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Union-find on the client over the nodes that occur in an edge of ``edge_parts``
    (``(k, 2)`` arrays; self-loops are ignored): ``(nodes, labels)`` sorted by node, each label
    the smallest node of its component."""
    from textqa.dedup import connected_components  # noqa: PLC0415

    edges = _concat(edge_parts)
    edges = edges[edges[:, 0] != edges[:, 1]]
    if len(edges) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    nodes, local = np.unique(edges, return_inverse=True)
    local = local.reshape(edges.shape)
    labels_local = np.asarray(connected_components(len(nodes), local), dtype=np.int64)
    # union-find labels with the smallest local index; local order is node order
    return nodes, nodes[labels_local]


# -- the distributed rounds ---------------------------------------------------------------
def _route(edges: NDArray[np.int64], npartitions: int) -> tuple[NDArray[np.int64], ...]:
    return _split(edges, npartitions)


def _mirror_route(edges: NDArray[np.int64], npartitions: int) -> tuple[NDArray[np.int64], ...]:
    both = np.concatenate([edges, edges[:, ::-1]]) if len(edges) else edges
    return _split(both, npartitions)


def _large_star_route(adjacency: NDArray[np.int64], npartitions: int) -> tuple[Any, ...]:
    return _split(large_star(adjacency), npartitions)


def _small_star_route(edges: NDArray[np.int64], npartitions: int) -> tuple[Any, ...]:
    return _split(small_star(canonical(edges)), npartitions)


def _merge(pieces: Sequence[NDArray[np.int64]]) -> NDArray[np.int64]:
    return canonical(_concat(pieces))


def _changed(old: NDArray[np.int64], new: NDArray[np.int64]) -> bool:
    return old.shape != new.shape or not np.array_equal(old, new)


def _shuffle_layer(layer: Any, step: str, sources: list[Any], fn: Any, q: int) -> list[Any]:
    """Tasks ``fn(source, q) -> q pieces`` for each source key, then one task per output
    partition gathering its piece of every source (concatenated by the consumer)."""
    outs = [layer.add((step, i), fn, src, q) for i, src in enumerate(sources)]
    gathered = []
    for j in range(q):
        pieces = [layer.add((step + "-piece", i, j), getitem, o, j) for i, o in enumerate(outs)]
        gathered.append(pieces)
    return gathered


def components_distributed(
    edge_parts: Sequence[Any],
    *,
    npartitions: int | None = None,
    max_rounds: int = MAX_ROUNDS,
) -> tuple[list[Any], int]:
    """Connected components on the workers. ``edge_parts``: `dask.delayed` ``(k, 2)`` int64
    arrays. Returns ``(parts, rounds)``: persisted delayed ``(nodes, labels)`` pairs, one per
    partition, and the rounds it took. A component's smallest node may be listed by several
    partitions (always with itself as label); every other node by exactly one."""
    dask = _dask()

    q = npartitions or max(1, len(edge_parts))
    edge_parts = [e if hasattr(e, "key") else dask.delayed(e) for e in edge_parts]
    sources = [d.key for d in edge_parts]
    layer = Layer("textqa-components-start-" + token(sources, q), list(edge_parts))
    first = _shuffle_layer(layer, "route", sources, _route, q)
    keys = [layer.add(("merged", j), _merge, pieces) for j, pieces in enumerate(first)]
    (current,) = dask.persist([layer.delayed(k) for k in keys], optimize_graph=False)
    rounds = 0
    while True:
        if rounds >= max_rounds:
            raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
        rounds += 1
        keys = [c.key for c in current]
        layer = Layer(f"textqa-components-round-{rounds}-" + token(keys), list(current))
        mirrored = _shuffle_layer(layer, "mirror", keys, _mirror_route, q)
        m_keys = [layer.add(("m", j), _concat, pieces) for j, pieces in enumerate(mirrored)]
        large = _shuffle_layer(layer, "large", m_keys, _large_star_route, q)
        l_keys = [layer.add(("l", j), _concat, pieces) for j, pieces in enumerate(large)]
        small = _shuffle_layer(layer, "small", l_keys, _small_star_route, q)
        new_keys = [layer.add(("merged", j), _merge, pieces) for j, pieces in enumerate(small)]
        (new,) = dask.persist([layer.delayed(k) for k in new_keys], optimize_graph=False)
        flags = dask.compute(
            *[dask.delayed(_changed, pure=True)(o, n) for o, n in zip(current, new, strict=True)]
        )
        current = new
        if not any(flags):
            break
    labels = [dask.delayed(star_labels, nout=2, pure=True)(part) for part in current]
    (labels,) = dask.persist(labels)
    return labels, rounds
