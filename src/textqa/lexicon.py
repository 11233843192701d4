"""The shipped word lists, loaded lazily: the lexicon (by frequency level) and misspellings.

Data lives in ``textqa/data`` (built by ``tools/build_lexicon.py`` from SCOWL, cspell-dicts'
software terms and typos' misspelling table; licences in ``data/licences``). Each file is a
gzip of ``@section`` headers followed by one word per line. Sections are decompressed once per
process and turned into sets only when a rule first needs them, so a strict-mode run that never
asks about rare words never builds the big sets.

Frequency levels are SCOWL size levels: 35 (common), 50, 70, 80 (rare), and 90 for the software
terms and generated inflections.

>>> lexicon("en").level("house"), lexicon("en").level("colour"), lexicon("en-US").level("colour")
(35, 80, None)
>>> misspellings().get("substantialy")
('substantially',)
"""

from __future__ import annotations

import bisect
import functools
import gzip
from collections.abc import Iterable
from pathlib import Path

from textqa.errors import ConfigError

__all__ = [
    "LEVELS",
    "Language",
    "Lexicon",
    "MisspellingTable",
    "SortedWords",
    "lexicon",
    "misspellings",
    "normalize_apostrophes",
    "user_words",
]

DATA = Path(__file__).parent / "data"

#: frequency levels, most common first
LEVELS: tuple[int, ...] = (35, 50, 70, 80, 90)

Language = str  # "en" | "en-US" | "en-GB"

_LEVEL_SECTIONS: dict[str, dict[int, tuple[str, ...]]] = {
    "en": {
        35: ("35", "us-35"),
        50: ("50", "us-50"),
        70: ("70", "us-70"),
        80: ("80", "us-80", "gb"),
        90: ("inflected", "software"),
    },
    "en-US": {
        35: ("35", "us-35"),
        50: ("50", "us-50"),
        70: ("70", "us-70"),
        80: ("80", "us-80"),
        90: ("inflected", "software"),
    },
    "en-GB": {
        35: ("35",),
        50: ("50",),
        70: ("70",),
        80: ("80", "gb"),
        90: ("inflected", "software"),
    },
}


@functools.cache
def _sections(name: str) -> dict[str, str]:
    """The raw sections of a gzipped data file: section name -> newline-separated words. (The
    misspelling table, read on every ``textqa check``, is plain text: see `_section`.)"""
    body = gzip.decompress((DATA / name).read_bytes()).decode("utf-8")
    out: dict[str, str] = {}
    for part in body.split("@")[1:]:
        section, _, words = part.partition("\n")
        out[section] = words
    return out


def _section(data: bytes, name: str) -> bytes:
    """One section of a plain data file, as bytes (a section is decoded only when used).

    >>> _section(b"@a\\nx\\ny\\n@b\\nz\\n", "a"), _section(b"@a\\nx\\n@b\\nz\\n", "b")
    (b'x\\ny\\n', b'z\\n')
    """
    head = b"@" + name.encode("ascii") + b"\n"
    start = data.index(head) + len(head) if data.startswith(head) else (
        data.index(b"\n" + head) + len(head) + 1
    )
    end = data.find(b"\n@", start - 1)
    return data[start : end + 1] if end >= start - 1 else data[start:]


def normalize_apostrophes(word: str) -> str:
    """Typographic apostrophes as ASCII ones, the form the word lists use.

    >>> normalize_apostrophes("don’t")
    "don't"
    """
    return word.replace("’", "'").replace("\u02bc", "'")


class Lexicon:
    """Known words of one language variant with their frequency level.

    A word is looked up as written, then in lower case when it is capitalized or in capitals
    (``House``/``HOUSE`` -> ``house``); a trailing possessive ``'s`` is ignored.
    """

    def __init__(self, language: Language) -> None:
        if language not in _LEVEL_SECTIONS:
            raise ValueError(f"unknown language {language!r}: use en, en-US or en-GB")
        self.language = language
        self._plan = _LEVEL_SECTIONS[language]
        self._sets: dict[int, frozenset[str]] = {}
        self._all: frozenset[str] | None = None

    def words(self, level: int) -> frozenset[str]:
        """The words of exactly one frequency level (built on first use)."""
        got = self._sets.get(level)
        if got is None:
            raw = _sections("lexicon.txt.gz")
            got = frozenset(w for name in self._plan[level] for w in raw[name].split("\n") if w)
            self._sets[level] = got
        return got

    @property
    def all_words(self) -> frozenset[str]:
        """Every word of every level, as written (one set, for the fastest membership test)."""
        if self._all is None:
            self._all = frozenset().union(*(self.words(level) for level in LEVELS))
        return self._all

    def _level_exact(self, word: str, max_level: int) -> int | None:
        for level in LEVELS:
            if level > max_level:
                return None
            if word in self.words(level):
                return level
        return None

    def level(self, word: str, max_level: int = 90) -> int | None:
        """The most common level of ``word`` (35 = very common), or None when unknown.

        Only levels up to ``max_level`` are consulted (and loaded).
        """
        word = normalize_apostrophes(word)
        if word.endswith("'s") and len(word) > 2:
            word = word[:-2]
        found = self._level_exact(word, max_level)
        if found is None and not word.islower():
            lower = word.lower()
            found = self._level_exact(lower, max_level)
            if found is None and word.isupper() and len(word) > 1:
                found = self._level_exact(lower.capitalize(), max_level)
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.level(word) is not None


@functools.cache
def lexicon(language: Language = "en") -> Lexicon:
    """The (cached) lexicon for ``en`` (both variants), ``en-US`` or ``en-GB``."""
    return Lexicon(language)


class SortedWords:
    """Membership in a sorted list of words held as one newline-terminated text.

    The first lookups binary-search the text itself (a few microseconds each, nothing built);
    after ``set_after`` lookups the words become a set. A run over one small file, the
    pre-commit case, asks a few dozen words and never pays for a 95,000-word set.

    >>> words = SortedWords("apple\\nbanana\\ncherry\\n")
    >>> "banana" in words, "bananas" in words, "" in words, len(words)
    (True, False, False, 3)
    """

    __slots__ = ("_lookups", "_set", "set_after", "text")

    def __init__(self, text: str, *, set_after: int = 512) -> None:
        self.text = text
        #: lookups answered by binary search before the set is built
        self.set_after = set_after
        self._set: frozenset[str] | None = None
        self._lookups = 0

    def __contains__(self, word: object) -> bool:
        if self._set is not None:
            return word in self._set
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        self._lookups += 1
        if self._lookups > self.set_after:
            return word in self._members()
        return self.find(word) >= 0

    def _members(self) -> frozenset[str]:
        """The words as a set, built on first use (then every lookup is a set lookup)."""
        if self._set is None:
            self._set = frozenset(self.text.split("\n")[:-1])
        return self._set

    def intersection(self, words: Iterable[str]) -> set[str]:
        """The members among ``words`` (a set operation once the set is built; many words at
        once build it).

        >>> sorted(SortedWords("apple\\nbanana\\n").intersection(["banana", "kiwi"]))
        ['banana']
        """
        if self._set is None:
            words = list(words)
            if self._lookups + len(words) <= self.set_after:
                return {w for w in words if w in self}
        return set(self._members().intersection(words))

    def find(self, word: str) -> int:
        """The offset of ``word``'s line in :attr:`text`, or -1."""
        text = self.text
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", lo, mid) + 1 or lo
            end = text.find("\n", mid)
            if end < 0:
                end = hi
            line = text[start:end]
            if line == word:
                return start
            if line < word:
                lo = end + 1
            else:
                hi = start
        return -1

    def __len__(self) -> int:
        return self.text.count("\n")


class MisspellingTable:
    """Known misspellings (lower case) -> their corrections, from typos' table.

    Membership searches the sorted wrong forms (`SortedWords`); the corrections are split only
    on the first hit.
    """

    def __init__(self) -> None:
        # the wrong forms, sorted, one per line: a file of their own, read on every check; the
        # corrections and the reduplicated words are read when first asked for
        wrong = (DATA / "misspellings-wrong.txt").read_bytes().decode("utf-8")
        #: the known misspellings (lower case), for fast membership tests
        self.wrong_forms = SortedWords(wrong)
        self._wrong_list: list[str] | None = None
        self._right: list[str] | None = None

    @functools.cached_property
    def _rest(self) -> bytes:
        return (DATA / "misspellings.txt").read_bytes()

    @functools.cached_property
    def _reduplicated_words(self) -> list[str]:
        return _section(self._rest, "reduplicated").decode("utf-8").split("\n")[:-1]

    @functools.cached_property
    def reduplicated(self) -> frozenset[str]:
        """Lexicon words that are a whole repetition (``murmur``), lower case."""
        return frozenset(w for w in self._reduplicated_words if w.islower())

    @functools.cached_property
    def reduplicated_any(self) -> frozenset[str]:
        """Lexicon words that are a whole repetition, any case, lower-cased (``Isis`` excuses
        ``ISIS``)."""
        return frozenset(w.lower() for w in self._reduplicated_words)

    def _lists(self) -> tuple[list[str], list[str]]:
        if self._wrong_list is None or self._right is None:
            self._wrong_list = self.wrong_forms.text.split("\n")[:-1]
            self._right = _section(self._rest, "right").decode("utf-8").split("\n")
        return self._wrong_list, self._right

    def __contains__(self, word: object) -> bool:
        return word in self.wrong_forms

    def __len__(self) -> int:
        return len(self.wrong_forms)

    def get(self, word: str) -> tuple[str, ...] | None:
        """The corrections of a lower-case misspelling, or None."""
        if word not in self.wrong_forms:
            return None
        wrong, right = self._lists()
        i = bisect.bisect_left(wrong, word)
        return tuple(right[i].split(","))

    def items(self) -> Iterable[tuple[str, tuple[str, ...]]]:
        wrong, right = self._lists()
        for w, r in zip(wrong, right, strict=False):
            yield w, tuple(r.split(","))


@functools.cache
def misspellings() -> MisspellingTable:
    """The (cached) misspelling table."""
    return MisspellingTable()


@functools.cache
def user_words(words: tuple[str, ...], words_file: str | None) -> frozenset[str]:
    """The user's vocabulary: ``words`` plus one word per line of ``words_file`` (``#`` comments).

    Raises :class:`textqa.errors.ConfigError` when the file cannot be read.
    """
    out = {normalize_apostrophes(w.strip()) for w in words if w.strip()}
    if words_file:
        try:
            text = Path(words_file).read_text(encoding="utf-8-sig")  # a BOM is not a letter
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read words file {words_file!r}: {exc}") from None
        for line in text.splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                out.add(normalize_apostrophes(word))
    return frozenset(out | {w.lower() for w in out})
