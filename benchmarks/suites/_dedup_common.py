"""Pieces shared by the ``minhash`` and ``dedup-quality`` suites: the corpus on disk, the peers'
pipelines written the way their users write them, exact all-pairs ground truth, and the
``prepare_*`` targets for fresh-process peak-memory measurements.

Peers tokenize with ``text.lower().split()`` and shingle with ``" ".join`` of 5 words: the
cheapest Python a user would write (textqa's own tokenizer does more work: Unicode words,
normalization). Every pipeline does the same job end to end: signatures, LSH candidates, exact
Jaccard verification of every candidate over the candidate documents' shingle sets (recomputed
from the texts, as textqa does), and union-find clusters.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

NUM_PERM = 128
NGRAM = 5
THRESHOLD = 0.8
RENSA_BANDS = 16
SEED = 42


# -- the corpus on disk (so fresh processes can load it fast) --------------------------------
def write_corpus(path: Path, texts: Sequence[str]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for t in texts:
            fh.write(json.dumps({"text": t}) + "\n")
    return path


def read_corpus(path: str | Path) -> list[str]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


# -- peer shingling -------------------------------------------------------------------------
def peer_shingles(text: str, n: int = NGRAM) -> list[str]:
    """Word n-grams as strings, the usual way: ``lower().split()`` and ``" ".join``.

    >>> peer_shingles("A b c d e F", 5)
    ['a b c d e', 'b c d e f']
    >>> peer_shingles("a b", 5)
    ['a b']
    """
    words = text.lower().split()
    if len(words) < n:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]


def _union_find(n: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _verify(
    texts: Sequence[str], candidates: set[tuple[int, int]], threshold: float
) -> list[tuple[int, int, float]]:
    """Exact Jaccard of candidate pairs over shingle sets recomputed for candidate documents."""
    involved = sorted({i for p in candidates for i in p})
    sets = {i: set(peer_shingles(texts[i])) for i in involved}
    out = []
    for a, b in sorted(candidates):
        sa, sb = sets[a], sets[b]
        union = len(sa | sb)
        j = len(sa & sb) / union if union else 0.0
        if j >= threshold:
            out.append((a, b, j))
    return out


# -- the pipelines ----------------------------------------------------------------------------
def textqa_pipeline(texts: Sequence[str], scheme: str = "oph") -> list[list[int]]:
    from textqa import deduplicate
    from textqa.minhash import SignatureSpec

    spec = SignatureSpec(scheme=scheme, num_perm=NUM_PERM, ngram=NGRAM)  # type: ignore[arg-type]
    result = deduplicate(texts, threshold=THRESHOLD, spec=spec)
    return [list(c.members) for c in result.clusters]


def datasketch_pipeline(texts: Sequence[str]) -> list[list[int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    sketches = MinHash.bulk(
        ([s.encode("utf-8") for s in peer_shingles(t)] for t in texts), num_perm=NUM_PERM
    )
    for i, m in enumerate(sketches):
        lsh.insert(i, m)
    candidates = {
        (min(i, j), max(i, j)) for i, m in enumerate(sketches) for j in lsh.query(m) if j != i
    }
    verified = _verify(texts, candidates, THRESHOLD)
    return _union_find(len(texts), ((a, b) for a, b, _ in verified))


def rensa_pipeline(texts: Sequence[str]) -> list[list[int]]:
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=RENSA_BANDS)
    sketches = []
    for i, t in enumerate(texts):
        m = RMinHash(num_perm=NUM_PERM, seed=SEED)
        m.update(peer_shingles(t))
        lsh.insert(i, m)
        sketches.append(m)
    candidates = {
        (min(i, j), max(i, j)) for i, m in enumerate(sketches) for j in lsh.query(m) if j != i
    }
    verified = _verify(texts, candidates, THRESHOLD)
    return _union_find(len(texts), ((a, b) for a, b, _ in verified))


PIPELINES: dict[str, Callable[[Sequence[str]], list[list[int]]]] = {
    "textqa": textqa_pipeline,
    "textqa-kperm": lambda texts: textqa_pipeline(texts, "kperm"),
    "datasketch": datasketch_pipeline,
    "rensa": rensa_pipeline,
}


def prepare_pipeline(corpus: str, method: str) -> Callable[[], object]:
    """Fresh-process memory target: load libraries and the corpus, return the end-to-end job."""
    texts = read_corpus(corpus)
    import numpy  # noqa: F401 -- loaded before the baseline, like the corpus

    if method.startswith("textqa"):
        import textqa.dedup
        import textqa.lsh
        import textqa.minhash
        import textqa.normalize  # noqa: F401
    elif method == "datasketch":
        import datasketch  # noqa: F401
    elif method == "rensa":
        import rensa  # noqa: F401
    fn = PIPELINES[method]
    return lambda: fn(texts)


# -- exact all-pairs ground truth ------------------------------------------------------------
def exact_pairs(texts: Sequence[str], threshold: float = THRESHOLD) -> dict[tuple[int, int], float]:
    """Every pair with exact shingle Jaccard >= ``threshold`` (textqa's shingles), found by
    prefix filtering -- exact, not approximate: sort each set by global shingle frequency
    (rarest first); two sets with Jaccard >= t share a shingle among the first
    ``|A| - ceil(t * |A|) + 1`` of each (Chaudhuri et al. 2006; Bayardo et al. 2007), so
    checking every pair that shares a prefix shingle (and passes the size filter) finds all
    of them. Each candidate is then intersected exactly with ``numpy.intersect1d``."""
    import numpy as np

    from textqa.minhash import SignatureSpec, shingle_sets

    sets = shingle_sets(texts, SignatureSpec(num_perm=NUM_PERM, ngram=NGRAM))
    values, offsets = sets.values, sets.offsets
    sizes = np.diff(offsets)
    uniq, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    # global order: rarest first, ties by hash value
    order = np.lexsort((uniq, counts))
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    token_rank = rank[inverse]
    post_tok: list[Any] = []
    post_doc: list[Any] = []
    for d in range(len(texts)):
        n = int(sizes[d])
        if n == 0:
            continue
        need = math.ceil(threshold * n - 1e-9)
        p = n - need + 1
        r = np.sort(token_rank[offsets[d] : offsets[d + 1]])[:p]
        post_tok.append(r)
        post_doc.append(np.full(len(r), d, dtype=np.int64))
    if not post_tok:
        return {}
    tok = np.concatenate(post_tok)
    doc = np.concatenate(post_doc)
    o = np.lexsort((doc, tok))
    tok, doc = tok[o], doc[o]
    bounds = np.flatnonzero(np.r_[True, tok[1:] != tok[:-1], True])
    candidates: set[tuple[int, int]] = set()
    for s, e in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if e - s < 2:
            continue
        group = doc[s:e].tolist()
        for i in range(len(group)):
            a = group[i]
            for b in group[i + 1 :]:
                na, nb = sizes[a], sizes[b]
                if threshold * max(na, nb) <= min(na, nb) + 1e-9:
                    candidates.add((a, b))
    out: dict[tuple[int, int], float] = {}
    for a, b in candidates:
        sa, sb = sets[a], sets[b]
        inter = len(np.intersect1d(sa, sb, assume_unique=True))
        j = inter / (len(sa) + len(sb) - inter)
        if j >= threshold:
            out[a, b] = j
    return out


def iter_pairs(clusters: Iterable[Sequence[int]]) -> Iterator[tuple[int, int]]:
    for members in clusters:
        ms = sorted(members)
        for i in range(len(ms)):
            for j in ms[i + 1 :]:
                yield ms[i], j
