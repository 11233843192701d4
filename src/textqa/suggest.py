"""Correction candidates for an unknown word, ranked by how likely a slip produced the word.

Candidates are the lexicon words within one edit (deletion, insertion, substitution or
transposition of adjacent letters), plus for longer words the common words within two edits
(found with rapidfuzz among words sharing the first letter). Each candidate is scored by a
weighted edit cost: keystroke slips are cheap — swapped neighbours, a doubled or dropped double
letter, a neighbouring key on a QWERTY keyboard, a vowel for a vowel or a sound-alike consonant —
while an arbitrary letter costs 1. Rarer words (higher SCOWL size level) pay a frequency
penalty, so ``recieve`` prefers the common ``receive``.

Sources: Damerau (1964) found ~80% of misspellings are one insertion, deletion, substitution or
transposition; Kukich (1992, "Techniques for automatically correcting words in text") reports
keyboard-adjacency and phonetic confusions as the main single-edit error classes.

>>> slip_cost("teh", "the"), slip_cost("recieve", "receive"), slip_cost("acess", "access")
(0.55, 0.55, 0.5)
>>> slip_cost("wprd", "word"), slip_cost("wxrd", "word")
(0.6, 1.0)
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass

from textqa.lexicon import LEVELS, Lexicon

__all__ = ["Candidate", "candidates", "edits1", "slip_cost"]

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_VOWELS = frozenset("aeiouy")
_SOUND_ALIKE = frozenset(
    frozenset(p) for p in ("ck", "cs", "sz", "iy", "gj", "td", "bp", "fv", "mn", "ae", "ei")
)
#: frequency penalty per SCOWL size level: common words are the likelier intended word
LEVEL_PENALTY: dict[int, float] = {35: 0.0, 50: 0.15, 70: 0.35, 80: 0.6, 90: 0.7}

TRANSPOSE = 0.55
DOUBLE = 0.5
ADJACENT = 0.6
SOUND = 0.7
SUBSTITUTE = 1.0
INDEL = 1.0
ADJACENT_INSERT = 0.7


def _build_adjacent() -> dict[str, frozenset[str]]:
    pos = {c: (r, i) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}
    out: dict[str, frozenset[str]] = {}
    for c, (r, i) in pos.items():
        near = set()
        for d, (r2, i2) in pos.items():
            if d != c and abs(r2 - r) <= 1 and -1 <= (i2 + (r2 - r) * 0.5) - i <= 1:
                near.add(d)
        out[c] = frozenset(near)
    return out


_ADJACENT = _build_adjacent()


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if b in _ADJACENT.get(a, ()):
        return ADJACENT
    if (a in _VOWELS and b in _VOWELS) or frozenset((a, b)) in _SOUND_ALIKE:
        return SOUND
    return SUBSTITUTE


def slip_cost(wrong: str, right: str) -> float:
    """Weighted optimal-string-alignment distance from the intended ``right`` to ``wrong``.

    >>> slip_cost("adress", "address"), slip_cost("tthe", "the"), slip_cost("hte", "the")
    (0.5, 0.5, 0.55)
    """
    n, m = len(wrong), len(right)
    # d[i][j]: cost of turning right[:j] into wrong[:i]
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + INDEL
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + INDEL
    for i in range(1, n + 1):
        wi = wrong[i - 1]
        for j in range(1, m + 1):
            rj = right[j - 1]
            # wrong has an extra letter wi (inserted)
            if i >= 2 and wrong[i - 2] == wi:
                ins = DOUBLE
            elif (i >= 2 and wi in _ADJACENT.get(wrong[i - 2], ())) or (
                i < n and wi in _ADJACENT.get(wrong[i], ())
            ):
                ins = ADJACENT_INSERT
            else:
                ins = INDEL
            # wrong lacks right's letter rj (dropped); dropping one of a double is cheap
            dele = DOUBLE if (j >= 2 and right[j - 2] == rj) else INDEL
            best = min(d[i - 1][j] + ins, d[i][j - 1] + dele, d[i - 1][j - 1] + _sub_cost(rj, wi))
            if i >= 2 and j >= 2 and wi == right[j - 2] and wrong[i - 2] == rj and wi != rj:
                best = min(best, d[i - 2][j - 2] + TRANSPOSE)
            d[i][j] = best
    return round(d[n][m], 6)


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away (a-z).

    >>> len(edits1("ab")), "ba" in edits1("ab"), "abc" in edits1("ab")
    (129, True, True)
    """
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in letters)
    out.update(a + c + b for a, b in splits for c in letters)
    out.discard(word)
    return out


@dataclass(frozen=True, slots=True)
class Candidate:
    """A correction candidate: the word, its level and its total score (lower is likelier)."""

    word: str
    level: int
    cost: float

    @property
    def score(self) -> float:
        return self.cost + LEVEL_PENALTY[self.level]


@functools.cache
def _buckets(lex: Lexicon, max_level: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for level in LEVELS:
        if level > max_level:
            break
        for w in lex.words(level):
            if w.isalpha() and w.islower() and len(w) >= 4:
                out.setdefault(w[0], []).append(w)
    for words in out.values():
        words.sort()
    return out


def candidates(word: str, lex: Lexicon, *, far_level: int = 70) -> list[Candidate]:
    """Candidates for the lower-case ``word``, best first (ties broken alphabetically).

    Words of five letters or more also get the words at two edits among levels up to
    ``far_level`` that share their first letter.
    """
    found: dict[str, int] = {}
    for level in LEVELS:
        words = lex.words(level)
        for e in edits1(word):
            if e in words and e not in found:
                found[e] = level
    if len(word) >= 5:
        from rapidfuzz import process  # noqa: PLC0415 -- imported only when a word needs it
        from rapidfuzz.distance import OSA  # noqa: PLC0415

        bucket = _buckets(lex, far_level).get(word[0], [])
        for match, _dist, _ in process.extract(
            word, bucket, scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            if match not in found:
                far = lex.level(match, far_level)
                if far is not None:
                    found[match] = far
    out = [Candidate(w, lvl, slip_cost(word, w)) for w, lvl in found.items()]
    out.sort(key=lambda c: (c.score, c.word))
    return out
