"""Confusable characters: the UTS #39 skeleton and the script knowledge behind
``mixed-script-word``.

Where the data comes from (decided once, documented in ``docs/normalize.md``):

* textqa does **not** ship Unicode's ``confusables.txt``. :func:`skeleton` uses the full table
  when one is configured: ``TEXTQA_CONFUSABLES=/path/to/confusables.txt`` in the environment
  (or :func:`load_confusables` with a path, or :func:`set_confusables`). Any UTS #39
  ``confusables.txt`` works (``source ; target ; type # comment`` lines).
* Without it, a small built-in table written for textqa is used: the Cyrillic, Greek and
  Armenian letters that look like Latin letters (and the reverse direction follows from it).
  That covers the homoglyph swaps seen in practice (``pаypal`` with Cyrillic ``а``); the full
  table adds thousands of rarer symbols.

>>> skeleton("p\\u0430yp\\u0430l") == skeleton("paypal")
True
>>> script_of("\\u0430"), script_of("a"), script_of("1")
('Cyrillic', 'Latin', None)
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from textqa._lazy import LazyPattern
from textqa.errors import InputError

__all__ = [
    "BUILTIN_CONFUSABLES",
    "ENV_VAR",
    "ConfusableTable",
    "confusable_table",
    "load_confusables",
    "script_of",
    "set_confusables",
    "skeleton",
]

ENV_VAR = "TEXTQA_CONFUSABLES"

# Letters of other scripts that look like Latin letters, written for textqa from the glyph
# shapes (lowercase and uppercase separately: a skeleton is case-sensitive).
_BUILTIN_ROWS = {
    # Cyrillic
    "а": "a", "в": "B", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k", "ӏ": "l", "о": "o",
    "р": "p", "ԛ": "q", "ѕ": "s", "с": "c", "у": "y", "ԝ": "w", "х": "x", "ԁ": "d", "ь": "b",
    "ү": "y", "ѵ": "v",
    "А": "A", "В": "B", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K", "М": "M", "О": "O",
    "Р": "P", "Ԛ": "Q", "Ѕ": "S", "С": "C", "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "Ԝ": "W",
    "Ӏ": "l", "Һ": "h", "Ѵ": "V", "З": "3",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "υ": "u", "χ": "x", "γ": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "զ": "q", "ա": "w", "Ս": "U", "Օ": "O",
}  # fmt: skip
#: The built-in table: character -> Latin prototype.
BUILTIN_CONFUSABLES: Mapping[str, str] = dict(_BUILTIN_ROWS)

_SCRIPTS = (
    "Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Syriac", "Thaana", "NKo",
    "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada",
    "Malayalam", "Sinhala", "Thai", "Lao", "Tibetan", "Myanmar", "Georgian", "Hangul",
    "Ethiopic", "Cherokee", "Canadian_Aboriginal", "Ogham", "Runic", "Khmer", "Mongolian",
    "Hiragana", "Katakana", "Bopomofo", "Han", "Yi", "Lisu", "Vai", "Bamum", "Coptic",
    "Tifinagh", "Glagolitic", "Gothic", "Old_Italic", "Deseret", "Osage", "Adlam", "Tai_Le",
    "Javanese", "Balinese", "Sundanese", "Samaritan", "Mandaic",
)  # fmt: skip
_SCRIPT_RE = LazyPattern(
    "|".join(f"(?P<{s}>\\p{{Script={s}}})" for s in _SCRIPTS), engine="regex"
)


def script_of(ch: str) -> str | None:
    """The script of one character, or None for Common/Inherited/unlisted scripts."""
    m = _SCRIPT_RE.match(ch)
    return m.lastgroup if m is not None else None


class ConfusableTable:
    """A confusables mapping with the derived per-script knowledge.

    ``prototypes`` maps a character to its prototype string; ``scripts_by_skeleton`` tells,
    for a one-character skeleton, which scripts have a letter with that skeleton.
    """

    def __init__(self, mapping: Mapping[str, str], source: str) -> None:
        self.mapping = dict(mapping)
        self.source = source
        self._table = str.maketrans(self.mapping)
        by_skeleton: dict[str, set[str]] = {}
        lookalikes: dict[tuple[str, str], str] = {}
        for src, target in sorted(self.mapping.items()):
            sk = self.skeleton(src)
            for ch in (target, src) if len(target) == 1 else (src,):
                sc = script_of(ch)
                if sc is not None:
                    by_skeleton.setdefault(sk, set()).add(sc)
                    lookalikes.setdefault((sk, sc), ch)
        self.scripts_by_skeleton: dict[str, frozenset[str]] = {
            k: frozenset(v) for k, v in by_skeleton.items()
        }
        self._lookalikes = lookalikes

    def skeleton(self, text: str) -> str:
        """UTS #39 skeleton: NFD, map each character to its prototype, NFD again."""
        return unicodedata.normalize(
            "NFD", unicodedata.normalize("NFD", text).translate(self._table)
        )

    def confusable_with(self, ch: str, script: str) -> bool:
        """True when ``ch`` looks like some letter of ``script`` (other than itself)."""
        sk = self.skeleton(ch)
        scripts = self.scripts_by_skeleton.get(sk)
        if scripts is None:
            # a prototype letter itself: confusable if another script maps onto it
            return False
        return script in scripts

    def lookalike(self, ch: str, script: str) -> str | None:
        """A letter of ``script`` that looks like ``ch`` (for suggestions), or None.

        >>> table = confusable_table()
        >>> table.lookalike("\u0430", "Latin"), table.lookalike("a", "Cyrillic")
        ('a', 'а')
        """
        if script_of(ch) == script:
            return ch
        return self._lookalikes.get((self.skeleton(ch), script))


def load_confusables(path: str | os.PathLike[str]) -> ConfusableTable:
    """Read a UTS #39 ``confusables.txt``. Raises `InputError` when it cannot be read."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(
            f"{p}: cannot read confusables table ({exc.strerror or exc}); "
            f"unset {ENV_VAR} to use the built-in table"
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{p}: confusables table is not UTF-8") from None
    mapping: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        fields = [f.strip() for f in data.split(";")]
        try:
            src = "".join(chr(int(h, 16)) for h in fields[0].split())
            target = "".join(chr(int(h, 16)) for h in fields[1].split())
        except (IndexError, ValueError):
            raise InputError(f"{p}:{number}: malformed confusables line: {line[:60]!r}") from None
        if len(src) == 1:
            mapping[src] = target
    if not mapping:
        raise InputError(f"{p}: no confusable mappings found")
    return ConfusableTable(mapping, str(p))


_override: ConfusableTable | None = None


def set_confusables(table: ConfusableTable | None) -> None:
    """Use ``table`` from now on (None: back to ``$TEXTQA_CONFUSABLES`` or the built-in)."""
    global _override  # noqa: PLW0603 -- one process-wide choice, like a locale
    _override = table


@functools.cache
def _from_env(path: str) -> ConfusableTable:
    return load_confusables(path)


@functools.cache
def _builtin() -> ConfusableTable:
    return ConfusableTable(BUILTIN_CONFUSABLES, "built-in")


def confusable_table() -> ConfusableTable:
    """The table in use: :func:`set_confusables`, else ``$TEXTQA_CONFUSABLES``, else built-in."""
    if _override is not None:
        return _override
    path = os.environ.get(ENV_VAR)
    if path:
        return _from_env(path)
    return _builtin()


def skeleton(text: str) -> str:
    """The UTS #39 confusable skeleton of ``text`` with the table in use: two strings that
    look alike have the same skeleton.

    >>> skeleton("\\u0421\\u043e\\u0440y") == skeleton("Copy")
    True
    """
    return confusable_table().skeleton(text)
