"""Per-document spelling anomaly rates, for filtering corpora (keep documents below a limit).

>>> from textqa import parse
>>> a = spelling_anomalies(parse("The the cat sat on thethe mat with a xqzvw."))
>>> a.words, a.non_words, a.stutters, a.doubled
(10, 2, 1, 1)
>>> round(a.non_word_ratio, 2), a.stutters_per_1k, a.doubled_per_1k
(0.2, 100.0, 100.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from textqa.model import Document

__all__ = ["SpellingAnomalies", "spelling_anomalies", "spelling_stats"]


@dataclass(frozen=True, slots=True)
class SpellingAnomalies:
    """Counts and rates of spelling anomalies in one document's prose (masked markup excluded).

    ``non_words`` counts alphabetic prose words that are neither in the lexicon nor in the
    given vocabulary (names included: a rate, not a list of errors); ``stutters``, ``doubled``
    and ``misspellings`` count TQ403, TQ404 and TQ401 findings.
    """

    words: int
    non_words: int
    stutters: int
    doubled: int
    misspellings: int

    @property
    def non_word_ratio(self) -> float:
        return self.non_words / self.words if self.words else 0.0

    def _per_1k(self, n: int) -> float:
        return 1000.0 * n / self.words if self.words else 0.0

    @property
    def stutters_per_1k(self) -> float:
        return self._per_1k(self.stutters)

    @property
    def doubled_per_1k(self) -> float:
        return self._per_1k(self.doubled)

    @property
    def misspellings_per_1k(self) -> float:
        return self._per_1k(self.misspellings)


def spelling_anomalies(
    doc: Document, *, language: str = "en", words: tuple[str, ...] = ()
) -> SpellingAnomalies:
    """The spelling anomaly counts of ``doc`` (see :class:`SpellingAnomalies`)."""
    from textqa.check import Context  # noqa: PLC0415 -- keep `import textqa` light
    from textqa.config import Settings  # noqa: PLC0415
    from textqa.lexicon import lexicon, normalize_apostrophes, user_words  # noqa: PLC0415
    from textqa.spelling import check_document  # noqa: PLC0415

    settings = Settings(language=language, words=words)  # type: ignore[arg-type]
    ctx = Context(frozenset({"TQ401", "TQ403", "TQ404"}), settings)
    counts = {"TQ401": 0, "TQ403": 0, "TQ404": 0}
    for f in check_document(doc, ctx):
        if f.code in counts:
            counts[f.code] += 1
    lex = lexicon(language)
    vocabulary = user_words(words, None)
    prose = [t for t in doc.tokens if t.kind == "word" and not t.masked]
    non_words = 0
    for tok in prose:
        word = normalize_apostrophes(tok.text)
        if word.endswith("'s"):
            word = word[:-2]
        if not word.replace("'", "").isalpha():
            continue
        if word in vocabulary or word.lower() in vocabulary:
            continue
        if lex.level(word) is None:
            non_words += 1
    return SpellingAnomalies(
        words=len(prose),
        non_words=non_words,
        stutters=counts["TQ403"],
        doubled=counts["TQ404"],
        misspellings=counts["TQ401"],
    )


def spelling_stats(text: str, options: object = None) -> dict[str, dict[str, float]]:
    """The ``spelling`` key of ``textqa stats``: the anomaly counts and rates of one document
    (read as plain text; a provider of :data:`textqa.stats.PROVIDERS`).

    >>> spelling_stats("The the cat sat on thethe mat.")["spelling"]["doubled_per_1k"]
    142.857
    """
    from textqa.parse import parse  # noqa: PLC0415

    a = spelling_anomalies(parse(text))
    return {
        "spelling": {
            "words": a.words,
            "non_words": a.non_words,
            "non_word_ratio": round(a.non_word_ratio, 6),
            "misspellings_per_1k": round(a.misspellings_per_1k, 3),
            "stutters_per_1k": round(a.stutters_per_1k, 3),
            "doubled_per_1k": round(a.doubled_per_1k, 3),
        }
    }
