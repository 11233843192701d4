"""Word tokens with offsets: the one notion of a "word" shared by every rule family.

A word is a run of letters, combining marks, decimal digits and underscores, optionally joined
by apostrophes (``don't``, ``ISIS’s``), hyphens (``ever-more-effective``) or, between digits,
by ``.`` and ``,`` (``3.14``, ``1,000``). A token with no letter is a number.

>>> [(t.text, t.start, t.kind) for t in tokenize("It’s 3.14, a well-known ISIS’s no.")]
[('It’s', 0, 'word'), ('3.14', 5, 'number'), ('a', 11, 'word'), ('well-known', 13, 'word'), \
('ISIS’s', 24, 'word'), ('no', 31, 'word')]
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from textqa.model import Token

__all__ = ["TOKENIZER_VERSION", "WORD_PATTERN", "iter_words", "tokenize"]

#: Bumped whenever the word notion changes (near-duplicate signature specs record it).
TOKENIZER_VERSION = 1

_CORE = r"[\p{L}\p{M}\p{Nd}_]"
WORD_PATTERN = rf"{_CORE}+(?:(?:['’\-\u2010]|[.,](?=\p{{Nd}})){_CORE}+)*"
_WORD_RE = regex.compile(WORD_PATTERN)
_LETTER_RE = regex.compile(r"\p{L}")


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, text)`` for every token (words and numbers) in ``text``."""
    for m in _WORD_RE.finditer(text):
        yield m.start(), m.end(), m.group()


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, none masked (masking needs the file kind: see `textqa.parse`).

    A token is a number when it has no letter (the first character decides for almost every
    token; the `regex` search runs only for tokens starting with a digit, mark or underscore).
    """
    new = tuple.__new__
    letter = _LETTER_RE.search
    return [
        new(
            Token,
            (
                g := m.group(),
                m.start(),
                m.end(),
                "word" if g[0].isalpha() or not (g.isdigit() or letter(g) is None) else "number",
                False,
            ),
        )
        for m in _WORD_RE.finditer(text)
    ]
