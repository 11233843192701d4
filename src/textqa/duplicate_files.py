"""TQ301 ``near-duplicate-file``, the ``near-duplicate`` rule family of ``textqa check``.

A small module on purpose: every check with the default rules imports it, while the machinery
(:mod:`textqa.dedup`, numpy) is imported only once two files are to be compared.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textqa.errors import ConfigError
from textqa.model import Document, FileKind, Finding, Related
from textqa.rules import THRESHOLDS_BY_KEY

if TYPE_CHECKING:
    from textqa.check import Context
    from textqa.dedup import Deduplicator, DedupResult

__all__ = ["DEFAULT_THRESHOLD", "MIN_WORDS", "corpus_checker"]

#: the default Jaccard threshold of near-duplicates (TQ301 and `textqa.dedup`; the threshold
#: table, `textqa.rules.THRESHOLDS`, holds it)
DEFAULT_THRESHOLD = THRESHOLDS_BY_KEY["near-duplicate-file"].default
#: documents with fewer words than this are not compared by TQ301 (tiny files match too easily)
MIN_WORDS = int(THRESHOLDS_BY_KEY["near-duplicate-min-words"].default)


class _CorpusChecker:
    """TQ301 ``near-duplicate-file``: every file that is a near-duplicate of a file checked
    before it gets a finding pointing at the most similar earlier file."""

    def __init__(self, ctx: Context) -> None:
        self.threshold = ctx.settings.threshold("near-duplicate-file", DEFAULT_THRESHOLD)
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(
                f"thresholds.near-duplicate-file: expected a Jaccard in (0, 1], "
                f"got {self.threshold:g}"
            )
        self.min_words = int(ctx.settings.threshold("near-duplicate-min-words", MIN_WORDS))
        # only the texts are kept (not the parsed documents, whose tokens weigh far more);
        # the few flagged files are parsed again for positions
        self.docs: list[tuple[str | None, str, FileKind]] = []
        #: band keys and validity of each document, when they were computed where it was
        #: parsed (`summarize` in a ``--jobs`` worker); None for a document added here
        self.keys: list[tuple[Any, Any] | None] = []

    def _deduplicator(self) -> Deduplicator:
        from textqa.dedup import Deduplicator  # noqa: PLC0415

        return Deduplicator(threshold=self.threshold)

    @functools.cached_property
    def _signer(self) -> Deduplicator:
        """One deduplicator computing band keys for every document summarized here."""
        return self._deduplicator()

    def add(self, doc: Document) -> None:
        # one process: the signatures are computed in batches by `findings`
        if len(doc.tokens) >= self.min_words:
            self.docs.append((doc.path, doc.text, doc.kind))
            self.keys.append(None)

    def summarize(self, doc: Document) -> tuple[str | None, str, FileKind, Any, Any] | None:
        """What the checker keeps of one document: path, text, kind and its LSH band keys
        (computed here, in the worker that parsed it), or None when it is too short."""
        if len(doc.tokens) < self.min_words:
            return None
        keys, valid = self._signer.keys_of([doc.text])
        return doc.path, doc.text, doc.kind, keys, valid

    def add_summary(self, summary: tuple[str | None, str, FileKind, Any, Any] | None) -> None:
        """Keep one document's :meth:`summarize` result (in input order)."""
        if summary is not None:
            path, text, kind, keys, valid = summary
            self.docs.append((path, text, kind))
            self.keys.append((keys, valid))

    def _clusters(self, texts: list[str]) -> DedupResult:
        if not all(k is not None for k in self.keys):
            from textqa.dedup import deduplicate  # noqa: PLC0415

            return deduplicate(texts, threshold=self.threshold)
        import numpy as np  # noqa: PLC0415

        d = self._deduplicator()
        pairs = [k for k in self.keys if k is not None]
        d.add_keys(
            np.concatenate([k for k, _ in pairs]),
            np.concatenate([v for _, v in pairs]),
            [len(t) for t in texts],
        )
        return d.finish(lambda rows: (texts[i] for i in rows))

    def findings(self) -> Iterator[Finding]:
        if len(self.docs) < 2:
            return
        from textqa.dedup import explain  # noqa: PLC0415
        from textqa.parse import parse  # noqa: PLC0415
        from textqa.rules import make_finding  # noqa: PLC0415

        texts = [text for _, text, _ in self.docs]
        result = self._clusters(texts)
        best: dict[int, tuple[float, int]] = {}
        for c in result.clusters:
            for a, b, s in c.pairs:
                cur = best.get(b)
                if cur is None or (s, -a) > (cur[0], -cur[1]):
                    best[b] = (s, a)
        for b, (sim, a) in sorted(best.items()):
            (a_path, a_text, _), (b_path, b_text, b_kind) = self.docs[a], self.docs[b]
            db = parse(b_text, b_path, kind=b_kind)
            exp = explain(a_text, b_text, result.spec)
            if exp.regions:
                b_start, b_end = exp.regions[0].b_span[0], exp.regions[-1].b_span[1]
                a_lines = (exp.regions[0].a_lines[0], exp.regions[-1].a_lines[1])
                b_lines = (exp.regions[0].b_lines[0], exp.regions[-1].b_lines[1])
            else:
                b_start, b_end = 0, len(db.text)
                a_lines = (1, a_text.count("\n") + 1)
                b_lines = (1, len(db.lines) or 1)
            where = f"{a_path or '-'}"
            message = (
                f"near-duplicate of {where} (Jaccard {sim:.2f}): lines {b_lines[0]}-{b_lines[1]} "
                f"match its lines {a_lines[0]}-{a_lines[1]}"
            )
            related = Related(
                a_path,
                a_lines[0],
                1,
                end_line=a_lines[1],
                end_column=None,
                message=f"most similar earlier file (lines {a_lines[0]}-{a_lines[1]})",
            )
            yield make_finding(
                db, "TQ301", b_start, b_end, message, related=[related], confidence=sim
            )


def corpus_checker(ctx: Context) -> _CorpusChecker:
    """The TQ301 checker for files checked together (see :mod:`textqa.check`)."""
    return _CorpusChecker(ctx)
