"""Word tokens with offsets: the one notion of a "word" shared by every rule family.

A word is a run of letters, combining marks, decimal digits and underscores, optionally joined
by apostrophes (``don't``, ``ISIS’s``), hyphens (``ever-more-effective``) or, between digits,
by ``.`` and ``,`` (``3.14``, ``1,000``). A token with no letter is a number.

>>> [(t.text, t.start, t.kind) for t in tokenize("It’s 3.14, a well-known ISIS’s no.")]
[('It’s', 0, 'word'), ('3.14', 5, 'number'), ('a', 11, 'word'), ('well-known', 13, 'word'), \
('ISIS’s', 24, 'word'), ('no', 31, 'word')]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

import regex

from textqa._lazy import LazyPattern
from textqa.model import Token

__all__ = [
    "TOKENIZER_VERSION",
    "WORD_PATTERN",
    "TokenColumns",
    "iter_words",
    "token_columns",
    "tokenize",
]

#: Bumped whenever the word notion changes (near-duplicate signature specs record it).
TOKENIZER_VERSION = 1

_CORE = r"[\p{L}\p{M}\p{Nd}_]"
_JOIN = r"(?:['’\-\u2010]|[.,](?=\p{Nd}))"
WORD_PATTERN = rf"{_CORE}+(?:{_JOIN}{_CORE}+)*"
_WORD_RE = LazyPattern(WORD_PATTERN, engine="regex")
#: a whole token without a letter: digits, marks and underscores only, not continued by a letter
_NUMBER_PATTERN = rf"[\p{{M}}\p{{Nd}}_]+(?:{_JOIN}[\p{{M}}\p{{Nd}}_]+)*(?!{_CORE}|{_JOIN}{_CORE})"
#: numbers in group 1, words in group 2: one C-level ``split`` yields every token, its kind and
#: the gaps between tokens (whose lengths give the offsets)
_SPLIT_RE = LazyPattern(rf"({_NUMBER_PATTERN})|({WORD_PATTERN})", engine="regex")


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, text)`` for every token (words and numbers) in ``text``."""
    for m in _WORD_RE.finditer(text):
        yield m.start(), m.end(), m.group()


class TokenColumns(NamedTuple):
    """Every token of a text as parallel lists (what `textqa.parse` builds tokens from).

    >>> token_columns("It's 3.14 now")
    TokenColumns(texts=["It's", '3.14', 'now'], starts=[0, 5, 10], ends=[4, 9, 13], \
kinds=['word', 'number', 'word'])
    """

    texts: list[str]
    starts: list[int]
    ends: list[int]
    kinds: list[str]


# The same split with the standard `re` engine, which is faster. Its ``\w`` and ``\d`` follow
# the interpreter's Unicode tables and count other numerals (``²``, ``Ⅻ``) as word characters
# and combining marks as not, so it serves only texts whose every non-ASCII character gets the
# same answer from both engines (checked per distinct character, remembered).
_RE_JOIN = r"(?:['’\-\u2010]|[.,](?=\d))"
_RE_NUMBER = rf"[\d_]+(?:{_RE_JOIN}[\d_]+)*(?!\w|{_RE_JOIN}\w)"
_RE_SPLIT_RE = re.compile(rf"({_RE_NUMBER})|(\w+(?:{_RE_JOIN}\w+)*)")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_RE_WORD_CHAR = re.compile(r"\w")
_RE_DIGIT = re.compile(r"\d")
_CORE_RE = LazyPattern(_CORE, engine="regex")
_DIGIT_RE = LazyPattern(r"\p{Nd}", engine="regex")
_SAME_IN_BOTH: dict[str, bool] = {}


def _same_in_both(char: str) -> bool:
    same = _SAME_IN_BOTH.get(char)
    if same is None:
        same = _SAME_IN_BOTH[char] = (_RE_WORD_CHAR.match(char) is None) == (
            _CORE_RE.match(char) is None
        ) and (_RE_DIGIT.match(char) is None) == (_DIGIT_RE.match(char) is None)
    return same


def _splitter(text: str) -> regex.Pattern[str] | re.Pattern[str]:
    if text.isascii() or all(map(_same_in_both, set(_NON_ASCII_RE.findall(text)))):
        return _RE_SPLIT_RE
    compiled: regex.Pattern[str] = _SPLIT_RE.compiled()
    return compiled


def token_columns(text: str) -> TokenColumns:
    """Texts, offsets and kinds of every token of ``text``, computed without a Python-level
    step per regex match: one ``split``, then C-level maps and running sums.

    A token is a number when it has no letter.
    """
    parts = _splitter(text).split(text)
    numbers = parts[1::3]
    words = parts[2::3]
    texts = [w or n for n, w in zip(numbers, words, strict=True)]
    kinds = ["number" if w is None else "word" for w in words]
    lengths = [0] * (2 * len(texts))
    lengths[0::2] = map(len, parts[0:-1:3])  # the gap before each token
    lengths[1::2] = map(len, texts)
    offsets = list(itertools.accumulate(lengths))
    return TokenColumns(texts, offsets[0::2], offsets[1::2], kinds)


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, none masked (masking needs the file kind: see `textqa.parse`)."""
    texts, starts, ends, kinds = token_columns(text)
    return list(
        map(
            tuple.__new__,
            itertools.repeat(Token),
            zip(texts, starts, ends, kinds, itertools.repeat(False)),
        )
    )
