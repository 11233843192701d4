"""Cross-document boilerplate: paragraphs and lines that recur in many documents of a corpus
(navigation, footers, cookie notices, sign-offs).

Two passes over the corpus:

1. `BoilerplateCounter.add` counts, for every distinct paragraph and line key, the number of
   documents containing it. Only a 64-bit hash of each key is kept (never the text), so memory
   grows with the number of distinct keys, not with the corpus.
2. `BoilerplateCounter.document` finds, in one document, the spans of paragraphs and lines
   whose key occurs in at least ``min_docs`` documents, and the boilerplate character fraction.

Units: a paragraph is a run of two or more non-blank lines (a one-line paragraph is a line),
a line ends at ``\\n``, ``\\r\\n`` or ``\\r``; keys are `textqa.repetition.repetition_key`
(whitespace collapsed, case folded). Units without a letter or digit (``|``, ``---``,
``* * *``) are never boilerplate. The fraction is boilerplate characters over the characters
of all paragraphs (blank lines between paragraphs count in neither).

``min_docs`` of 1 or more is a document count; below 1 it is a fraction of the documents
counted (``0.3``: in at least 30 % of them); never fewer than 2 documents.

>>> docs = [f"Page {i} is about topic {i}.\\n\\nReport a bug\\nShow source" for i in range(4)]
>>> counter = BoilerplateCounter()
>>> for d in docs:
...     counter.add(d)
>>> b = counter.document("p0", docs[0], min_docs=3)
>>> [docs[0][s.start:s.end] for s in b.spans], round(b.fraction, 3)
(['Report a bug\\nShow source'], 0.5)
>>> [(u.unit, u.docs, u.text) for u in counter.units(min_docs=3)][:2]
[('paragraph', 4, 'report a bug show source'), ('line', 4, 'report a bug')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from textqa.markup import line_spans, merge_spans
from textqa.model import Span
from textqa.repetition import key_hash, min_docs_for, repetition_key

__all__ = [
    "DEFAULT_MIN_DOCS",
    "BoilerplateCounter",
    "BoilerplateReport",
    "BoilerplateUnit",
    "DocumentBoilerplate",
    "find_boilerplate",
    "iter_units",
]

Unit = Literal["paragraph", "line"]

#: a unit in at least this many documents is boilerplate
DEFAULT_MIN_DOCS = 3.0
_MAX_SAMPLE = 200


def _blocks(text: str) -> Iterator[list[tuple[int, int]]]:
    """The stripped ``(start, end)`` of the lines of each paragraph."""
    block: list[tuple[int, int]] = []
    for s, e, _ in [*line_spans(text), (len(text), len(text), len(text))]:
        raw = text[s:e]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            block.append((s + lead, s + lead + len(stripped)))
        elif block:
            yield block
            block = []


def iter_units(text: str) -> Iterator[tuple[Unit, int, int]]:
    """``(unit, start, end)`` of every paragraph of two or more lines and of every non-blank
    line (a one-line paragraph is a line), each paragraph before its lines; spans exclude
    surrounding whitespace.

    >>> list(iter_units(" a\\nb\\n\\n c "))
    [('paragraph', 1, 4), ('line', 1, 2), ('line', 3, 4), ('line', 7, 8)]
    """
    for block in _blocks(text):
        if len(block) > 1:
            yield "paragraph", block[0][0], block[-1][1]
        for s, e in block:
            yield "line", s, e


def _keyed(text: str) -> Iterator[tuple[Unit, int, int, str, int]]:
    """Units with a letter or digit, with their key and the key's hash (paragraph and line
    keys hashed apart)."""
    for unit, s, e in iter_units(text):
        key = repetition_key(text[s:e])
        if not any(c.isalnum() for c in key):
            continue
        yield unit, s, e, key, key_hash(("p:" if unit == "paragraph" else "l:") + key)


@dataclass(frozen=True, slots=True)
class BoilerplateUnit:
    """A recurring paragraph or line: how many documents hold it, its key text (whitespace
    collapsed, case folded, cut at 200 characters) and the id of the first document seen with
    it in the second pass."""

    unit: Unit
    docs: int
    text: str
    first_id: str


@dataclass(frozen=True, slots=True)
class DocumentBoilerplate:
    """The boilerplate of one document: merged spans, their characters and the fraction of
    the document's paragraph characters they cover."""

    id: str
    spans: tuple[Span, ...]
    chars: int
    total_chars: int

    @property
    def fraction(self) -> float:
        return self.chars / self.total_chars if self.total_chars else 0.0


class BoilerplateCounter:
    """Document frequency of paragraph and line keys (see the module docs)."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}
        self.n_docs = 0
        self._samples: dict[int, tuple[Unit, str, str]] = {}

    def add(self, text: str) -> None:
        """Count the distinct keys of one document (pass 1)."""
        self.n_docs += 1
        counts = self.counts
        for h in {h for _, _, _, _, h in _keyed(text)}:
            counts[h] = counts.get(h, 0) + 1

    def merge(self, other: BoilerplateCounter) -> None:
        """Add the counts of ``other`` (a counter over other documents, e.g. another partition
        of the corpus counted in parallel): the result equals one counter over all of them.

        >>> a, b, c = BoilerplateCounter(), BoilerplateCounter(), BoilerplateCounter()
        >>> for i, t in enumerate(["x\\n\\nfooter", "y\\n\\nfooter", "z\\n\\nfooter"]):
        ...     (a if i < 2 else b).add(t)
        ...     c.add(t)
        >>> a.merge(b)
        >>> a.counts == c.counts, a.n_docs
        (True, 3)
        """
        counts = self.counts
        for h, n in other.counts.items():
            counts[h] = counts.get(h, 0) + n
        self.n_docs += other.n_docs

    def threshold(self, min_docs: float) -> int:
        """The document count that makes a key boilerplate in this corpus."""
        return min_docs_for(min_docs, self.n_docs)

    def document(
        self, doc_id: str, text: str, *, min_docs: float = DEFAULT_MIN_DOCS
    ) -> DocumentBoilerplate:
        """The boilerplate spans of one counted document (pass 2). Also remembers the text of
        each boilerplate key the first time it is seen, for `units`."""
        need = self.threshold(min_docs)
        hits: list[tuple[int, int]] = []
        total = sum(block[-1][1] - block[0][0] for block in _blocks(text))
        for unit, s, e, key, h in _keyed(text):
            if self.counts.get(h, 0) < need:
                continue
            hits.append((s, e))
            if h not in self._samples:
                self._samples[h] = (unit, key[:_MAX_SAMPLE], doc_id)
        spans = merge_spans(hits)
        return DocumentBoilerplate(doc_id, spans, sum(len(s) for s in spans), total)

    def units(self, *, min_docs: float = DEFAULT_MIN_DOCS) -> list[BoilerplateUnit]:
        """Boilerplate keys seen by `document` so far, most frequent first (then paragraphs
        before lines, then by text)."""
        need = self.threshold(min_docs)
        out = [
            BoilerplateUnit(unit, self.counts[h], text, first)
            for h, (unit, text, first) in self._samples.items()
            if self.counts[h] >= need
        ]
        out.sort(key=lambda u: (-u.docs, u.unit != "paragraph", u.text))
        return out


@dataclass(frozen=True, slots=True)
class BoilerplateReport:
    """`find_boilerplate`'s result: the recurring units and every document's boilerplate."""

    units: tuple[BoilerplateUnit, ...]
    documents: tuple[DocumentBoilerplate, ...]
    n_docs: int
    threshold: int


def find_boilerplate(
    corpus: Callable[[], Iterable[tuple[str, str]]],
    *,
    min_docs: float = DEFAULT_MIN_DOCS,
) -> BoilerplateReport:
    """Both passes over ``corpus``, a callable returning a fresh iterable of ``(id, text)``
    each time it is called (e.g. a function re-reading the files with
    `textqa.records.iter_records`, so the texts are never all in memory at once).

    >>> pages = [(f"p{i}", f"Body {i}.\\n\\nHome | About") for i in range(3)]
    >>> r = find_boilerplate(lambda: pages)
    >>> [u.text for u in r.units], [round(d.fraction, 2) for d in r.documents]
    (['home | about'], [0.63, 0.63, 0.63])
    """
    counter = BoilerplateCounter()
    for _, text in corpus():
        counter.add(text)
    docs = tuple(counter.document(i, t, min_docs=min_docs) for i, t in corpus())
    return BoilerplateReport(
        tuple(counter.units(min_docs=min_docs)), docs, counter.n_docs, counter.threshold(min_docs)
    )
