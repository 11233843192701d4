"""Near-duplicate documents: candidates from MinHash + LSH, every candidate verified by exact
Jaccard over stored shingle hashes, clusters as connected components, one survivor per cluster.

The building blocks are pure functions on arrays (usable per partition by a distributed
engine), and :func:`deduplicate` / :class:`Deduplicator` chain them::

    texts --signatures--> (n, num_perm) --band_keys--> (n, bands) --candidate_pairs--> pairs
          --shingle_sets + verify_pairs--> verified pairs --connected_components--> labels
          --choose_survivors--> one kept document per cluster

The ``near-duplicate`` rule family (TQ301) is :mod:`textqa.duplicate_files`, which uses this module.
numpy is imported only when work needs it, so ``textqa check`` on one file never loads it.

>>> r = deduplicate(["the cat sat on the mat today", "The cat sat on the mat today!",
...                  "something else entirely, nothing alike at all"])
>>> [(c.members, c.keep) for c in r.clusters]
[((0, 1), 0)]
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from textqa.errors import UsageError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from textqa.minhash import ShingleSets, SignatureSpec

__all__ = [
    "DEFAULT_THRESHOLD",
    "Cluster",
    "DedupResult",
    "Deduplicator",
    "Explanation",
    "Region",
    "choose_survivors",
    "connected_components",
    "deduplicate",
    "exact_jaccard",
    "explain",
    "jaccard",
    "verify_pairs",
]

from textqa.duplicate_files import DEFAULT_THRESHOLD

KeepPolicy = Literal["first", "longest", "shortest"]
KeyFunction = Callable[[int], Any]


# -- exact verification -------------------------------------------------------------------
def jaccard(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> float:
    """Exact Jaccard similarity of two *sorted, de-duplicated* hash arrays (1.0 for two empty
    sets is never asked for: documents without shingles are never candidates; it returns 0.0).

    >>> import numpy as np
    >>> jaccard(np.array([1, 2, 3], np.uint64), np.array([2, 3, 4], np.uint64))
    0.5
    """
    import numpy as np  # noqa: PLC0415

    if len(a) == 0 or len(b) == 0:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    pos = np.searchsorted(b, a)
    pos[pos == len(b)] = 0
    inter = int(np.count_nonzero(b[pos] == a))
    return inter / (len(a) + len(b) - inter)


def exact_jaccard(
    sets: ShingleSets | Sequence[NDArray[np.uint64]], pairs: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Exact Jaccard of each pair ``(i, j)`` of rows of ``sets`` (sorted unique shingle hashes:
    a `ShingleSets` or a sequence of arrays).

    >>> from textqa.minhash import SignatureSpec, shingle_sets
    >>> import numpy as np
    >>> s = shingle_sets(["a b c d e f", "a b c d e g"], SignatureSpec())
    >>> exact_jaccard(s, np.array([[0, 1]])).tolist()
    [0.3333333333333333]
    """
    import numpy as np  # noqa: PLC0415

    out = np.empty(len(pairs), dtype=np.float64)
    for n, (i, j) in enumerate(pairs.tolist()):
        out[n] = jaccard(sets[i], sets[j])
    return out


def verify_pairs(
    sets: ShingleSets | Sequence[NDArray[np.uint64]], pairs: NDArray[np.int64], threshold: float
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The pairs whose exact Jaccard is at least ``threshold``, and their Jaccard values."""
    sims = exact_jaccard(sets, pairs)
    keep = sims >= threshold
    return pairs[keep], sims[keep]


# -- clusters -----------------------------------------------------------------------------
def connected_components(n: int, pairs: Iterable[tuple[int, int]] | NDArray[np.int64]) -> list[int]:
    """Union-find over ``n`` items: the label of each item is the smallest item of its
    component, so labels do not depend on the order of ``pairs``.

    >>> connected_components(5, [(3, 4), (1, 3)])
    [0, 1, 2, 1, 1]
    """
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows = pairs.tolist() if hasattr(pairs, "tolist") else pairs
    for i, j in rows:
        ri, rj = find(int(i)), find(int(j))
        if ri != rj:
            if ri < rj:
                parent[rj] = ri
            else:
                parent[ri] = rj
    return [find(x) for x in range(n)]


def choose_survivors(
    groups: Sequence[Sequence[int]],
    keep: KeepPolicy | KeyFunction = "first",
    *,
    lengths: Sequence[int] | None = None,
    ids: Sequence[str] | None = None,
) -> list[int]:
    """The member kept in each group (members are input positions).

    ``first`` keeps the earliest input; ``longest``/``shortest`` compare ``lengths``; a callable
    maps a position to a sort key and the smallest key wins. Ties go to the smallest id (when
    ``ids`` are given, which makes the choice independent of input order), then position.

    >>> choose_survivors([[0, 2, 5]], "longest", lengths=[3, 0, 9, 0, 0, 9], ids=list("abcdez"))
    [2]
    >>> choose_survivors([[0, 2]], lambda i: -i)
    [2]
    """

    def tie(i: int) -> tuple[str, int]:
        return (ids[i] if ids is not None else "", i)

    if keep == "first":
        return [min(g) for g in groups]
    if keep in ("longest", "shortest"):
        if lengths is None:
            raise UsageError(f"keep={keep!r} needs the document lengths")
        sign = -1 if keep == "longest" else 1
        return [min(g, key=lambda i: (sign * lengths[i], *tie(i))) for g in groups]
    if callable(keep):
        fn = keep
        return [min(g, key=lambda i: (fn(i), *tie(i))) for g in groups]
    raise UsageError(f"unknown keep policy {keep!r}; use first, longest, shortest or a function")


# -- the pipeline -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Cluster:
    """Documents that are near-duplicates (connected by verified pairs). ``members`` are input
    positions in ascending order; ``pairs`` are the verified ``(a, b, jaccard)`` edges."""

    members: tuple[int, ...]
    keep: int
    pairs: tuple[tuple[int, int, float], ...]

    @property
    def drop(self) -> tuple[int, ...]:
        """The members that are not kept."""
        return tuple(m for m in self.members if m != self.keep)


@dataclass(frozen=True, slots=True)
class DedupResult:
    """Clusters of size >= 2 (ordered by first member) and run statistics."""

    clusters: tuple[Cluster, ...]
    documents: int
    candidates: int
    verified: int
    bands: int
    rows: int
    threshold: float
    spec: SignatureSpec
    empty: tuple[int, ...] = ()

    def duplicates(self) -> set[int]:
        """Positions of every document that is not kept."""
        return {m for c in self.clusters for m in c.drop}

    def kept(self) -> list[int]:
        """Positions of the documents to keep (unique ones and one per cluster), ascending."""
        dup = self.duplicates()
        return [i for i in range(self.documents) if i not in dup]


class Deduplicator:
    """Streaming deduplication: :meth:`add` batches of texts (their LSH band keys are kept,
    neither texts nor signatures), then :meth:`finish`. Memory: ``8 * bands`` bytes per
    document plus, with ``keep_shingles``, 8 bytes per distinct shingle; otherwise
    :meth:`finish` asks for the texts of candidate documents again through ``fetch``.

    ``bands`` x ``rows`` default to :func:`textqa.lsh.choose_bands` for the threshold.
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        spec: SignatureSpec | None = None,
        bands: int | None = None,
        rows: int | None = None,
        keep_shingles: bool = False,
    ) -> None:
        from textqa.lsh import resolve_bands  # noqa: PLC0415
        from textqa.minhash import SignatureSpec  # noqa: PLC0415

        self.threshold = threshold
        self.spec: SignatureSpec = spec or SignatureSpec()
        self.bands, self.rows = resolve_bands(threshold, self.spec.num_perm, bands, rows)
        self.keep_shingles = keep_shingles
        self._keys: list[Any] = []
        self._valid: list[Any] = []
        self._sets: list[Any] = []
        self._lengths: list[int] = []

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, texts: Sequence[str]) -> None:
        """Add a batch of texts (positions continue from the previous batches). Only the band
        keys (8 bytes per band) and a validity flag of each document are kept."""
        from textqa.lsh import band_keys, valid_rows  # noqa: PLC0415
        from textqa.minhash import (  # noqa: PLC0415
            shingle_hashes,
            signatures_from_shingles,
            sorted_unique,
        )

        h, off = shingle_hashes(texts, self.spec)
        sigs = signatures_from_shingles(h, off, self.spec)
        self._keys.append(band_keys(sigs, self.bands, self.rows))
        self._valid.append(valid_rows(sigs))
        del sigs
        if self.keep_shingles:
            bounds = off.tolist()
            self._sets.extend(
                sorted_unique(h[bounds[i] : bounds[i + 1]]) for i in range(len(texts))
            )
        self._lengths.extend(len(t) for t in texts)

    def keys_of(self, texts: Sequence[str]) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
        """The band keys and validity flags :meth:`add` would keep for ``texts``, without
        adding them: computed in another process, they are added with :meth:`add_keys`."""
        from textqa.lsh import band_keys, valid_rows  # noqa: PLC0415
        from textqa.minhash import shingle_hashes, signatures_from_shingles  # noqa: PLC0415

        h, off = shingle_hashes(texts, self.spec)
        sigs = signatures_from_shingles(h, off, self.spec)
        return band_keys(sigs, self.bands, self.rows), valid_rows(sigs)

    def add_keys(
        self, keys: NDArray[np.uint64], valid: NDArray[np.bool_], lengths: Sequence[int]
    ) -> None:
        """Add documents by the :meth:`keys_of` result of a deduplicator with the same spec,
        bands and rows, and their text lengths (for the ``longest``/``shortest`` policies)."""
        if self.keep_shingles:
            raise UsageError("add_keys() cannot keep shingles: use add() with the texts")
        if keys.shape != (len(lengths), self.bands) or valid.shape != (len(lengths),):
            raise UsageError(
                f"band keys of shape {keys.shape} for {len(lengths)} documents "
                f"of {self.bands} bands"
            )
        self._keys.append(keys)
        self._valid.append(valid)
        self._lengths.extend(lengths)

    def band_keys(self) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
        """The band keys ``(documents, bands)`` and the validity flags added so far."""
        import numpy as np  # noqa: PLC0415

        if not self._keys:
            return np.zeros((0, self.bands), dtype=np.uint64), np.zeros(0, dtype=bool)
        if len(self._keys) > 1:
            self._keys = [np.concatenate(self._keys)]
            self._valid = [np.concatenate(self._valid)]
        return self._keys[0], self._valid[0]

    def candidates(self) -> NDArray[np.int64]:
        """Candidate pairs ``(i < j)`` from LSH banding."""
        from textqa.lsh import candidate_pairs  # noqa: PLC0415

        keys, valid = self.band_keys()
        return candidate_pairs(keys, valid)

    def finish(
        self,
        fetch: Callable[[Sequence[int]], Iterable[str]] | None = None,
        *,
        keep: KeepPolicy | KeyFunction = "first",
        ids: Sequence[str] | None = None,
    ) -> DedupResult:
        """Verify candidates, cluster, choose survivors. Without ``keep_shingles``, ``fetch``
        receives the sorted positions of candidate documents and must yield their texts in that
        order (for example by re-reading the input)."""
        import numpy as np  # noqa: PLC0415


        n = len(self)
        if ids is not None and len(ids) != n:
            raise UsageError(f"{len(ids)} ids for {n} documents")
        cand = self.candidates()
        involved = np.unique(cand.ravel())
        if self.keep_shingles:
            vpairs, sims = verify_pairs(self._sets, cand, self.threshold)
        else:
            if fetch is None:
                raise UsageError("finish() needs fetch= when shingles are not kept")
            texts = fetch(involved.tolist())
            vpairs, sims = _verify_streaming(texts, involved, cand, self.spec, self.threshold)
        return _result(
            vpairs,
            sims,
            n=n,
            candidates=len(cand),
            keep=keep,
            lengths=self._lengths,
            ids=ids,
            bands=self.bands,
            rows=self.rows,
            threshold=self.threshold,
            spec=self.spec,
            empty=tuple(np.flatnonzero(~self.band_keys()[1]).tolist()),
        )


def _verify_streaming(
    texts: Iterable[str],
    involved: NDArray[np.int64],
    cand: NDArray[np.int64],
    spec: SignatureSpec,
    threshold: float,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Verify ``cand`` while the texts of ``involved`` (ascending) arrive in order, keeping a
    document's shingle set only until its last partner has arrived."""
    import numpy as np  # noqa: PLC0415

    from textqa.minhash import iter_batches, shingle_hashes, sorted_unique  # noqa: PLC0415

    order = np.lexsort((cand[:, 0], cand[:, 1]))  # by later member, then earlier
    by_b = cand[order]
    last = np.zeros(int(involved[-1]) + 1 if len(involved) else 0, dtype=np.int64)
    np.maximum.at(last, by_b[:, 0], by_b[:, 1])
    np.maximum.at(last, by_b[:, 1], by_b[:, 1])
    alive: dict[int, NDArray[np.uint64]] = {}
    pairs_a: list[int] = []
    pairs_b: list[int] = []
    sims: list[float] = []
    rows = by_b.tolist()
    k = 0
    got = 0
    positions = involved.tolist()
    for batch in iter_batches(texts):
        h, off = shingle_hashes(batch, spec)
        bounds = off.tolist()
        for i in range(len(batch)):
            if got >= len(positions):
                raise UsageError(f"fetch returned more texts than the {len(positions)} asked for")
            doc = positions[got]
            got += 1
            mine = sorted_unique(h[bounds[i] : bounds[i + 1]])
            while k < len(rows) and rows[k][1] == doc:
                a = rows[k][0]
                sim = jaccard(alive[a], mine)
                if sim >= threshold:
                    pairs_a.append(a)
                    pairs_b.append(doc)
                    sims.append(sim)
                if last[a] == doc:
                    del alive[a]
                k += 1
            if last[doc] > doc:
                alive[doc] = mine
    if got != len(positions):
        raise UsageError(f"fetch returned {got} texts for {len(positions)} positions")
    vp = np.array([pairs_a, pairs_b], dtype=np.int64).T.reshape(-1, 2)
    order = np.lexsort((vp[:, 1], vp[:, 0]))
    return vp[order], np.array(sims, dtype=np.float64)[order]


def _result(
    vpairs: NDArray[np.int64],
    sims: NDArray[np.float64],
    *,
    n: int,
    candidates: int,
    keep: KeepPolicy | KeyFunction,
    lengths: Sequence[int],
    ids: Sequence[str] | None,
    bands: int,
    rows: int,
    threshold: float,
    spec: SignatureSpec,
    empty: tuple[int, ...],
) -> DedupResult:
    labels = connected_components(n, vpairs)
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(lab, []).append(i)
    multi = [g for g in groups.values() if len(g) > 1]
    multi.sort(key=lambda g: g[0])
    survivors = choose_survivors(multi, keep, lengths=lengths, ids=ids)
    edges: dict[int, list[tuple[int, int, float]]] = {}
    for (a, b), s in zip(vpairs.tolist(), sims.tolist(), strict=True):
        edges.setdefault(labels[a], []).append((a, b, s))
    clusters = tuple(
        Cluster(tuple(g), k, tuple(sorted(edges[labels[g[0]]])))
        for g, k in zip(multi, survivors, strict=True)
    )
    return DedupResult(
        clusters=clusters,
        documents=n,
        candidates=candidates,
        verified=len(vpairs),
        bands=bands,
        rows=rows,
        threshold=threshold,
        spec=spec,
        empty=empty,
    )


def deduplicate(
    texts: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    spec: SignatureSpec | None = None,
    bands: int | None = None,
    rows: int | None = None,
    keep: KeepPolicy | KeyFunction = "first",
    ids: Sequence[str] | None = None,
    batch_bytes: int | None = None,
) -> DedupResult:
    """Near-duplicate clusters of ``texts``: every reported pair has exact shingle Jaccard
    ``>= threshold``. Shingles are recomputed only for candidate documents, so memory beyond
    the texts is the signatures plus the candidates' shingles.
    """
    from textqa.minhash import DEFAULT_BATCH_BYTES, iter_batches  # noqa: PLC0415

    d = Deduplicator(threshold=threshold, spec=spec, bands=bands, rows=rows)
    for batch in iter_batches(texts, batch_bytes or DEFAULT_BATCH_BYTES):
        d.add(batch)
    return d.finish(lambda rows_: (texts[i] for i in rows_), keep=keep, ids=ids)


# -- explanations -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Region:
    """A matching stretch: 1-based inclusive line ranges and character offsets in each text."""

    a_lines: tuple[int, int]
    b_lines: tuple[int, int]
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    words: int


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why two texts are near-duplicates: exact and estimated Jaccard, and aligned regions."""

    jaccard: float
    estimated: float
    regions: tuple[Region, ...]


def _tokens(text: str, profile: str) -> tuple[list[int], list[tuple[int, int]]]:
    from textqa.minhash import normalize_for_hashing  # noqa: PLC0415
    from textqa.tokenize import iter_words  # noqa: PLC0415

    keys: list[int] = []
    spans: list[tuple[int, int]] = []
    table: dict[str, int] = {}
    for start, end, word in iter_words(text):
        norm = normalize_for_hashing(word, profile)
        keys.append(table.setdefault(norm, _stable_id(norm)))
        spans.append((start, end))
    return keys, spans


def _stable_id(word: str) -> int:
    import zlib  # noqa: PLC0415

    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = 0
    while True:
        j = min((k for k in (text.find("\n", i), text.find("\r", i)) if k >= 0), default=-1)
        if j < 0:
            return starts
        i = j + 2 if text.startswith("\r\n", j) else j + 1
        starts.append(i)


def explain(
    text_a: str, text_b: str, spec: SignatureSpec | None = None, *, min_words: int | None = None
) -> Explanation:
    """Exact and estimated Jaccard of two texts and their aligned matching regions (runs of at
    least ``min_words`` equal normalized words, default ``spec.ngram``; nearby runs merged), as
    1-based line ranges in both texts.

    >>> e = explain("intro\\nthe same five words here\\nend", "the same five words here\\nother")
    >>> e.jaccard, [(r.a_lines, r.b_lines) for r in e.regions]
    (0.25, [((2, 2), (1, 1))])
    """
    from rapidfuzz.distance import Indel  # noqa: PLC0415

    from textqa.minhash import (  # noqa: PLC0415
        SignatureSpec,
        estimate_jaccard,
        shingle_sets,
        signatures,
    )

    spec = spec or SignatureSpec()
    sets = shingle_sets([text_a, text_b], spec)
    sigs = signatures([text_a, text_b], spec)
    exact = jaccard(sets[0], sets[1])
    estimated = estimate_jaccard(sigs[0], sigs[1])
    need = spec.ngram if min_words is None else min_words
    ka, sa = _tokens(text_a, spec.normalization)
    kb, sb = _tokens(text_b, spec.normalization)
    blocks = [
        [op.src_start, op.src_end, op.dest_start, op.dest_end]
        for op in Indel.opcodes(ka, kb)
        if op.tag == "equal"
    ]
    merged: list[list[int]] = []
    for blk in blocks:
        if merged and blk[0] - merged[-1][1] <= need and blk[2] - merged[-1][3] <= need:
            merged[-1][1], merged[-1][3] = blk[1], blk[3]
            merged[-1].append(blk[1] - blk[0])
        else:
            merged.append([*blk, blk[1] - blk[0]])
    la, lb = _line_starts(text_a), _line_starts(text_b)
    regions = []
    for blk in merged:
        equal_words = sum(blk[4:])
        if equal_words < need:
            continue
        a0, a1 = sa[blk[0]][0], sa[blk[1] - 1][1]
        b0, b1 = sb[blk[2]][0], sb[blk[3] - 1][1]
        regions.append(
            Region(
                a_lines=(bisect.bisect_right(la, a0), bisect.bisect_right(la, a1 - 1)),
                b_lines=(bisect.bisect_right(lb, b0), bisect.bisect_right(lb, b1 - 1)),
                a_span=(a0, a1),
                b_span=(b0, b1),
                words=equal_words,
            )
        )
    return Explanation(exact, estimated, tuple(regions))
