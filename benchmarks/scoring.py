"""Quality scores shared by suites: precision/recall/F1 over pairs and over labelled spans.

>>> round(prf(8, 2, 2)["f1"], 3)
0.8
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["clusters_to_pairs", "per_kind", "prf", "score_pairs", "score_spans"]

Pair = tuple[str, str]
Span = tuple[str, int, int]  # (document id or path, start, end), end exclusive


def prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Precision, recall and F1; ``None`` where undefined (nothing predicted / nothing to find).

    >>> prf(0, 0, 0)
    {'precision': None, 'recall': None, 'f1': None}
    >>> prf(3, 1, 0)
    {'precision': 0.75, 'recall': 1.0, 'f1': 0.8571428571428571}
    """
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else None
    if f is None and p is not None and r is not None:
        f = 0.0
    return {"precision": p, "recall": r, "f1": f}


def _norm(pairs: Iterable[Sequence[str]]) -> set[Pair]:
    return {(min(a, b), max(a, b)) for a, b in pairs if a != b}


def clusters_to_pairs(clusters: Iterable[Iterable[str]]) -> set[Pair]:
    """Every unordered pair within each cluster.

    >>> sorted(clusters_to_pairs([["b", "a", "c"], ["d"]]))
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    return {
        (min(a, b), max(a, b))
        for members in clusters
        for a, b in itertools.combinations(sorted(set(members)), 2)
    }


def score_pairs(predicted: Iterable[Sequence[str]], truth: Iterable[Sequence[str]]
                ) -> dict[str, Any]:
    """Pairwise precision/recall/F1 of predicted duplicate pairs against true pairs (order in
    a pair does not matter).

    >>> s = score_pairs([("a", "b"), ("c", "a"), ("x", "y")], [("b", "a"), ("a", "c"), ("c", "b")])
    >>> s["tp"], s["fp"], s["fn"], round(s["f1"], 3)
    (2, 1, 1, 0.667)
    """
    pred, true = _norm(predicted), _norm(truth)
    tp = len(pred & true)
    return {**prf(tp, len(pred - true), len(true - pred)),
            "tp": tp, "fp": len(pred - true), "fn": len(true - pred)}


def score_spans(
    flags: Iterable[Span], defects: Iterable[Span], *, words: int | None = None
) -> dict[str, Any]:
    """Score flagged spans against labelled defect spans (the spelling-dev protocol): a flag is
    a true positive if it overlaps a defect of the same document, every other flag is a false
    flag; recall = defects hit / defects. ``words`` adds false flags per 10,000 words.

    >>> s = score_spans([("d", 0, 4), ("d", 10, 12), ("e", 0, 1)], [("d", 2, 6), ("d", 20, 25)],
    ...                 words=1000)
    >>> s["precision"], s["recall"], s["false_flags"], s["false_flags_per_10k_words"]
    (0.3333333333333333, 0.5, 2, 20.0)
    """
    by_doc: dict[str, list[tuple[int, int]]] = {}
    defect_list = list(defects)
    for doc, start, end in defect_list:
        by_doc.setdefault(doc, []).append((start, end))
    starts: dict[str, list[int]] = {}
    for doc, spans in by_doc.items():
        spans.sort()
        starts[doc] = [s for s, _ in spans]
    hit: set[tuple[str, int, int]] = set()
    tp_flags = fp_flags = 0
    for doc, start, end in flags:
        spans = by_doc.get(doc, [])
        # candidates: defects starting before the flag ends; overlapping if they end after start
        i = bisect.bisect_left(starts.get(doc, []), end)
        found = False
        for s, e in spans[:i]:
            if e > start and s < end:
                hit.add((doc, s, e))
                found = True
        if found:
            tp_flags += 1
        else:
            fp_flags += 1
    total = len({(d, s, e) for d, s, e in defect_list})
    p = tp_flags / (tp_flags + fp_flags) if tp_flags + fp_flags else None
    r = len(hit) / total if total else None
    f = (2 * p * r / (p + r) if p + r > 0 else 0.0) if p is not None and r is not None else None
    out: dict[str, Any] = {"precision": p, "recall": r, "f1": f, "flags": tp_flags + fp_flags,
                           "defects": total, "defects_found": len(hit), "false_flags": fp_flags}
    if words:
        out["false_flags_per_10k_words"] = fp_flags * 10_000 / words
    return out


def per_kind(
    flags: Iterable[Span], defects: Mapping[str, Iterable[Span]]
) -> dict[str, float | None]:
    """Recall per defect kind: ``{kind: share of that kind's defects overlapped by a flag}``.

    >>> per_kind([("d", 0, 3)], {"stutter": [("d", 1, 2)], "doubled-word": [("d", 5, 9)]})
    {'stutter': 1.0, 'doubled-word': 0.0}
    """
    flag_list = list(flags)
    return {kind: score_spans(flag_list, spans)["recall"] for kind, spans in defects.items()}
