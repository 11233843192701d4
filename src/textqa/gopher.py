"""The Gopher repetition metrics used to filter training corpora, in two definitions.

Rae et al. (2021), "Scaling Language Models: Methods, Analysis & Insights from Training Gopher",
Appendix A, Table A1, removes a document when any of these exceeds its threshold:

=====================================  =========  ==========================
metric (datatrove's name)              threshold  meaning
=====================================  =========  ==========================
``dup_line_frac``                      0.30       duplicate line fraction
``dup_para_frac``                      0.30       duplicate paragraph fraction
``dup_line_char_frac``                 0.20       duplicate line character fraction
``dup_para_char_frac``                 0.20       duplicate paragraph character fraction
``top_2_gram``                         0.20       top 2-gram character fraction
``top_3_gram``                         0.18       top 3-gram character fraction
``top_4_gram``                         0.16       top 4-gram character fraction
``duplicated_5_n_grams``               0.15       duplicate 5-gram character fraction
``duplicated_6_n_grams`` ...           0.14 ...   ... down to 0.10 for 10-grams
=====================================  =========  ==========================

Two definitions (``docs/repetition.md`` has both in full, with test vectors):

``compat="textqa"`` (default)
    Blank lines are ignored, lines and paragraphs compare after whitespace normalization, words
    are textqa's word tokens, every character fraction has the characters of the same units as
    denominator (so every value is in [0, 1]), a top n-gram must occur at least twice, and a
    character covered by several occurrences counts once.
``compat="datatrove"``
    Equal (to 1e-9) to datatrove 0.10's ``GopherRepetitionFilter`` arithmetic, including its
    quirks: ``len(text)`` as the denominator of every character fraction, lines split on
    ``\\n+``, paragraphs on ``\\n{2,}``, a top n-gram counted even when it occurs once, and the
    greedy skip over repeated n-grams. Words come from spaCy's blank English tokenizer (as
    datatrove does for English) unless a ``tokenizer`` is given.

>>> m = repetition_metrics("Buy now. Buy now. Buy now. Buy now.\\nBuy now.\\nBuy now.")
>>> round(m.dup_line_frac, 3), m.top_2_gram, m.passes().failed[:2]
(0.333, 1.0, ('dup_line_frac', 'top_2_gram'))
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from itertools import accumulate, compress, count
from typing import Literal

import regex

from textqa.errors import UsageError
from textqa.tokenize import WORD_PATTERN

__all__ = [
    "COMPAT_MODES",
    "GOPHER_THRESHOLDS",
    "METRIC_NAMES",
    "FilterResult",
    "RepetitionMetrics",
    "passes",
    "repetition_metrics",
]

Compat = Literal["textqa", "datatrove"]
COMPAT_MODES: tuple[str, ...] = ("textqa", "datatrove")

#: Rae et al. 2021, Table A1: a document is removed when a value is *above* its threshold.
GOPHER_THRESHOLDS: Mapping[str, float] = {
    "dup_line_frac": 0.30,
    "dup_para_frac": 0.30,
    "dup_line_char_frac": 0.20,
    "dup_para_char_frac": 0.20,
    "top_2_gram": 0.20,
    "top_3_gram": 0.18,
    "top_4_gram": 0.16,
    "duplicated_5_n_grams": 0.15,
    "duplicated_6_n_grams": 0.14,
    "duplicated_7_n_grams": 0.13,
    "duplicated_8_n_grams": 0.12,
    "duplicated_9_n_grams": 0.11,
    "duplicated_10_n_grams": 0.10,
}

#: metric names in output order (the order of datatrove's checks)
METRIC_NAMES: tuple[str, ...] = (
    "dup_para_frac",
    "dup_para_char_frac",
    "dup_line_frac",
    "dup_line_char_frac",
    "top_2_gram",
    "top_3_gram",
    "top_4_gram",
    *(f"duplicated_{n}_n_grams" for n in range(5, 11)),
)

_TOP_N = (2, 3, 4)
_DUP_N = (5, 6, 7, 8, 9, 10)


@dataclass(frozen=True, slots=True)
class FilterResult:
    """The verdict of the Gopher filter: truthy when the document passes; ``failed`` names the
    rules whose value is above its threshold, in `METRIC_NAMES` order (``empty`` first for an
    empty text under ``compat="datatrove"``, which datatrove rejects)."""

    failed: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failed

    def __bool__(self) -> bool:
        return self.passed


@dataclass(frozen=True, slots=True)
class RepetitionMetrics:
    """The thirteen Gopher repetition metrics of one text (see the module docs)."""

    dup_para_frac: float
    dup_para_char_frac: float
    dup_line_frac: float
    dup_line_char_frac: float
    top_2_gram: float
    top_3_gram: float
    top_4_gram: float
    duplicated_5_n_grams: float
    duplicated_6_n_grams: float
    duplicated_7_n_grams: float
    duplicated_8_n_grams: float
    duplicated_9_n_grams: float
    duplicated_10_n_grams: float
    compat: str = "textqa"
    empty: bool = False

    def as_dict(self) -> dict[str, float]:
        """The metric values by name, in `METRIC_NAMES` order."""
        return {name: getattr(self, name) for name in METRIC_NAMES}

    def passes(self, thresholds: Mapping[str, float] | None = None) -> FilterResult:
        """Compare with ``thresholds`` (default: the paper's, `GOPHER_THRESHOLDS`); a metric
        missing from ``thresholds`` is not checked."""
        return passes(self, thresholds)


def passes(
    metrics: RepetitionMetrics | Mapping[str, float],
    thresholds: Mapping[str, float] | None = None,
) -> FilterResult:
    """Which Gopher rules fail: every metric strictly above its threshold, like the paper's
    filter (datatrove stops at the first failure; this lists them all).

    >>> passes({"dup_line_frac": 0.31, "top_2_gram": 0.2}).failed
    ('dup_line_frac',)
    >>> bool(passes({"dup_line_frac": 0.31}, {"dup_line_frac": 0.5}))
    True
    """
    thresholds = GOPHER_THRESHOLDS if thresholds is None else thresholds
    unknown = set(thresholds) - set(METRIC_NAMES)
    if unknown:
        raise UsageError(
            f"unknown Gopher metric {sorted(unknown)[0]!r}; "
            f"expected one of {', '.join(METRIC_NAMES)}"
        )
    failed: list[str] = []
    if isinstance(metrics, RepetitionMetrics):
        if metrics.empty and metrics.compat == "datatrove":
            failed.append("empty")
        values = metrics.as_dict()
    else:
        values = dict(metrics)
    for name in METRIC_NAMES:
        if name in thresholds and name in values and values[name] > thresholds[name]:
            failed.append(name)
    return FilterResult(tuple(failed))


def repetition_metrics(
    text: str,
    *,
    compat: Compat = "textqa",
    tokenizer: Callable[[str], Sequence[str]] | None = None,
) -> RepetitionMetrics:
    """All Gopher repetition metrics of ``text``.

    ``compat="textqa"`` is the documented default definition; ``compat="datatrove"`` reproduces
    datatrove 0.10. ``tokenizer`` replaces the word splitter (textqa's word tokens, or spaCy's
    blank English tokenizer for ``datatrove``); it must return the words of the text in order.

    >>> repetition_metrics("").dup_para_frac
    0.0
    >>> m = repetition_metrics("One two three four five six.\\n\\nOne two three four five six.")
    >>> m.dup_para_frac, m.dup_para_char_frac, m.duplicated_5_n_grams
    (0.5, 0.5, 0.5)
    """
    if compat == "textqa":
        words = list(tokenizer(text)) if tokenizer else _WORD_RE.findall(text)
        return _textqa_metrics(text, words)
    if compat == "datatrove":
        if not text:
            return _make([0.0] * len(METRIC_NAMES), compat, empty=True)
        words = list(tokenizer(text)) if tokenizer else _spacy_words(text)
        return _datatrove_metrics(text, words)
    raise UsageError(f"unknown compat {compat!r}; expected one of {', '.join(COMPAT_MODES)}")


def _make(values: Sequence[float], compat: str, *, empty: bool = False) -> RepetitionMetrics:
    return RepetitionMetrics(
        **dict(zip(METRIC_NAMES, values, strict=True)), compat=compat, empty=empty
    )


# -- the default definition ---------------------------------------------------------------
_WORD_RE = regex.compile(WORD_PATTERN)
_EOL_RE = re.compile(r"\r\n|\r|\n")


def _units(text: str) -> tuple[list[str], list[str]]:
    """Whitespace-normalized non-blank lines and paragraphs (runs of non-blank lines)."""
    lines: list[str] = []
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in _EOL_RE.split(text):
        key = " ".join(raw.split())
        if key:
            lines.append(key)
            current.append(key)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return lines, paragraphs


def _dup_fractions(units: list[str]) -> tuple[float, float]:
    """(duplicate count / count, duplicate characters / characters); a duplicate is a unit equal
    to an earlier one."""
    if not units:
        return 0.0, 0.0
    seen: set[str] = set()
    dup = dup_chars = total_chars = 0
    for u in units:
        total_chars += len(u)
        if u in seen:
            dup += 1
            dup_chars += len(u)
        else:
            seen.add(u)
    return dup / len(units), (dup_chars / total_chars if total_chars else 0.0)


def _covered_chars(starts: Sequence[int], n: int, cum: Sequence[int]) -> int:
    """Characters of the words covered by n-grams starting at sorted ``starts`` (each word
    once); ``cum[i]`` is the number of word characters before word ``i``."""
    chars = 0
    until = 0
    for i in starts:
        lo = max(i, until)
        hi = i + n
        if hi > lo:
            chars += cum[hi] - cum[lo]
            until = hi
    return chars


def _self_overlapping(gram: tuple[str, ...]) -> bool:
    """True when two occurrences of ``gram`` can overlap (it has a period shorter than itself).

    >>> _self_overlapping(("a", "b", "a")), _self_overlapping(("a", "b", "c"))
    (True, False)
    """
    n = len(gram)
    return any(gram[p:] == gram[: n - p] for p in range(1, n))


def _textqa_metrics(text: str, words: list[str]) -> RepetitionMetrics:
    lines, paragraphs = _units(text)
    para_frac, para_char = _dup_fractions(paragraphs)
    line_frac, line_char = _dup_fractions(lines)
    cum = list(accumulate(map(len, words), initial=0))
    total = cum[-1]
    nwords = len(words)
    values: list[float] = [para_frac, para_char, line_frac, line_char]

    # top n-gram: the most frequent n-gram (at least 2 occurrences); among equally frequent
    # ones, the one covering most characters. Occurrences of a gram that cannot overlap itself
    # cover count * its characters; the others are measured position by position.
    for n in _TOP_N:
        if nwords < n + 1 or not total:
            values.append(0.0)
            continue
        counts = Counter(zip(*(words[k:] for k in range(n)), strict=False))
        top = max(counts.values())
        if top < 2:
            values.append(0.0)
            continue
        best = 0
        for gram in compress(counts.keys(), map(top.__eq__, counts.values())):
            if _self_overlapping(gram):
                grams = zip(*(words[k:] for k in range(n)), strict=False)
                starts = list(compress(count(), map(gram.__eq__, grams)))
                covered = _covered_chars(starts, n, cum)
            else:
                covered = top * sum(map(len, gram))
            best = max(best, covered)
        values.append(best / total)

    # duplicate n-grams: characters of words covered by a *repeated* occurrence (an n-gram seen
    # earlier in the text), each word once. A repeated (n+1)-gram starts with a repeated n-gram,
    # so after n = 5 only the positions of 5-grams occurring more than once are looked at.
    candidates: list[int] = []
    if nwords >= _DUP_N[0] and total:
        grams5 = list(zip(*(words[k:] for k in range(_DUP_N[0])), strict=False))
        counts5 = Counter(grams5)
        repeated = set(compress(counts5.keys(), map((1).__lt__, counts5.values())))
        if repeated:
            candidates = list(compress(count(), map(repeated.__contains__, grams5)))
    for n in _DUP_N:
        if not candidates:
            values.append(0.0)
            continue
        at = [(i, tuple(words[i : i + n])) for i in candidates if i + n <= nwords]
        counts = Counter(g for _, g in at)
        seen: set[tuple[str, ...]] = set()
        repeats: list[int] = []
        candidates = []
        for i, g in at:
            if counts[g] < 2:
                continue
            candidates.append(i)
            if g in seen:
                repeats.append(i)
            else:
                seen.add(g)
        values.append(_covered_chars(repeats, n, cum) / total)
    return _make(values, "textqa")


# -- datatrove 0.10 compatibility ---------------------------------------------------------
_DT_PARA_RE = re.compile(r"\n{2,}")
_DT_LINE_RE = re.compile(r"\n+")


def _dt_dups(units: list[str]) -> tuple[int, int]:
    seen: set[str] = set()
    dup = chars = 0
    for u in units:
        if u in seen:
            dup += 1
            chars += len(u)
        else:
            seen.add(u)
    return dup, chars


def _datatrove_metrics(text: str, words: list[str]) -> RepetitionMetrics:
    size = len(text)
    paragraphs = _DT_PARA_RE.split(text.strip())
    p_dup, p_chars = _dt_dups(paragraphs)
    lines = _DT_LINE_RE.split(text)
    l_dup, l_chars = _dt_dups(lines)
    values: list[float] = [
        p_dup / len(paragraphs),
        p_chars / size,
        l_dup / len(lines),
        l_chars / size,
    ]

    spaced = any(" " in w for w in words)
    for n in _TOP_N:
        if len(words) < n:
            values.append(0.0)  # datatrove skips the rule: no n-gram, nothing to report
            continue
        keys: list[str] | list[tuple[str, ...]]
        if spaced:  # " ".join is not one-to-one when words contain spaces: key on the string
            keys = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        else:
            keys = list(zip(*(words[k:] for k in range(n)), strict=False))
        # most_common(1) keeps the first-inserted n-gram among equal counts, as datatrove does
        top, count = Counter(keys).most_common(1)[0]
        length = len(top) if isinstance(top, str) else sum(map(len, top)) + n - 1
        values.append(length * count / size)

    # datatrove keys the duplicate scan on "".join(n-gram), which can merge different n-grams:
    # slice the concatenation so the keys are exactly its strings.
    joined = "".join(words)
    offsets = [0]
    for w in words:
        offsets.append(offsets[-1] + len(w))
    nwords = len(words)
    for n in _DUP_N:
        if nwords < n:
            values.append(0.0)
            continue
        keys_n = [joined[offsets[i] : offsets[i + n]] for i in range(nwords - n + 1)]
        counts = Counter(keys_n)
        # greedy scan: a repeat adds its length and jumps n words (the n-grams jumped over are
        # not remembered); n-grams occurring once never repeat, so only the others are visited
        seen: set[str] = set()
        repeated = 0
        resume = 0
        for i, key in enumerate(keys_n):
            if i < resume or counts[key] < 2:
                continue
            if key in seen:
                repeated += len(key)
                resume = i + n
            else:
                seen.add(key)
        values.append(repeated / size)
    return _make(values, "datatrove")


_SPACY_NLP: object | None = None


def _spacy_words(text: str) -> list[str]:
    """Words as datatrove 0.10 gets them for English: spaCy's blank ``en`` tokenizer, each token
    stripped, empty ones dropped."""
    global _SPACY_NLP  # noqa: PLW0603 -- one tokenizer per process, built on first use
    if _SPACY_NLP is None:
        try:
            import spacy  # noqa: PLC0415 -- optional and heavy: only compat="datatrove" needs it
        except ImportError:
            raise UsageError(
                "compat='datatrove' tokenizes words with spaCy's blank English tokenizer, as "
                "datatrove does; install it (pip install 'textqa[datatrove]') or pass tokenizer="
            ) from None
        _SPACY_NLP = spacy.blank("en").tokenizer
    tokenize = _SPACY_NLP
    try:
        tokens = tokenize(text)  # type: ignore[operator]
    except Exception:
        # datatrove's own workaround for the one string known to break spaCy's tokenizer
        if "IS_ALPHA" not in text:
            raise
        tokens = tokenize(text.replace("IS_ALPHA", ""))  # type: ignore[operator]
    return [s for s in (t.text.strip() for t in tokens) if s]


def _field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(RepetitionMetrics))[: len(METRIC_NAMES)]


assert _field_names() == METRIC_NAMES, "RepetitionMetrics fields must follow METRIC_NAMES"
