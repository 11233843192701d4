"""Pure ``str -> str`` normalizers, named profiles, and offset maps back to the original text.

Every step is a plain function with one job (``nfc``, ``normalize_newlines``,
``remove_invisible`` ...). A :class:`Profile` is an ordered tuple of step names; the three
named profiles live in :data:`PROFILES`:

``safe``
    changes nothing a careful writer meant: surrogate repair, mojibake repair (ftfy when it
    is installed), newlines to ``\\n``, removal of stray control, invisible and bidi
    characters, NFC.
``ascii-punct``
    ``safe`` plus quotes, dashes, ellipsis and odd spaces to ASCII.
``dedup-key``
    the key near-duplicate hashing uses: NFKC, casefold, punctuation and digit folding,
    whitespace collapse (and, with ``skeleton=True``, the UTS #39 confusable skeleton).

Every profile is idempotent: ``normalize(normalize(x, p), p) == normalize(x, p)``. Steps are
applied in order and the whole pipeline is repeated until nothing changes (a clean text costs
one pass: the pipeline returns its input unchanged, which proves the fixed point).

>>> normalize("Caf\\u00e9\\u200b \\u201cs\\u00fcper\\u201d \\u2014 42\\u00a0km", "dedup-key")
'café süper 00 km'
>>> normalize("Don\\u2019t \\u2014 stop\\u2026", "ascii-punct")
"Don't -- stop..."
>>> text, omap = normalize_with_map("a\\u00a0\\u2026b", "ascii-punct")
>>> text, omap.original_span(2, 5), omap.original_span(5, 6)
('a ...b', Span(start=2, end=3), Span(start=3, end=4))
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from textqa import confusables
from textqa._lazy import LazyPattern
from textqa.errors import UsageError
from textqa.model import Span

__all__ = [
    "DEDUP_KEY_VERSION",
    "PROFILES",
    "STEPS",
    "Change",
    "OffsetMap",
    "Profile",
    "ascii_dashes",
    "ascii_ellipsis",
    "ascii_quotes",
    "ascii_spaces",
    "casefold",
    "collapse_whitespace",
    "explain",
    "fix_mojibake",
    "fix_surrogates",
    "fold_compatibility",
    "fold_digits",
    "fold_punctuation",
    "get_profile",
    "nfc",
    "nfkc",
    "normalize",
    "normalize_newlines",
    "normalize_with_map",
    "remove_bidi_controls",
    "remove_control_characters",
    "remove_format_characters",
    "remove_invisible",
]

Edit = tuple[int, int, str]

# -- character classes (one place; textqa.unicode reads them too) ---------------------------

#: C0 controls that are never text (TAB, LF, CR and FORM FEED are kept), DEL, and C1.
CONTROL_CHARS = "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f"
#: Explicit bidi embeddings, overrides and isolates (Trojan Source, CVE-2021-42574).
BIDI_EMBEDDINGS = "\u202a-\u202e\u2066-\u2069"
#: Implicit directional marks: legitimate inside right-to-left text.
BIDI_MARKS = "\u200e\u200f\u061c"
#: Invisible characters (ZWJ/ZWNJ and WORD JOINER are judged by context, see `remove_invisible`).
INVISIBLE_CHARS = (
    "\u00ad\u180e\u200b\u200c\u200d\u2060-\u2064\ufeff\u3164\uffa0\U000e0000-\U000e007f"
)
#: Spaces other than U+0020 that print as a space.
ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
#: Line endings other than ``\\n``.
NEWLINES = "\r\x85\u2028\u2029"

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")
_NEWLINE_RE = re.compile("\r\n?|[\x85\u2028\u2029]")
_OTHER_NEWLINE_RE = re.compile("[\x85\u2028\u2029]")
_CONTROL_RE = re.compile(f"[{CONTROL_CHARS}]")
_ANSI_RE = re.compile("\x1b\\[[0-9;?]*[ -/]*[@-~]")
_BACKSPACES_RE = re.compile("\x08+")
_BIDI_EMBEDDING_RE = re.compile(f"[{BIDI_EMBEDDINGS}]")
_BIDI_ANY_RE = re.compile(f"[{BIDI_EMBEDDINGS}{BIDI_MARKS}]")
_RTL_RE = LazyPattern(r"(?V1)[\p{L}&&[\p{Bidi_Class=R}\p{Bidi_Class=AL}]]", engine="regex")
_INVISIBLE_RE = re.compile(f"[{INVISIBLE_CHARS}]")
_JOINING = LazyPattern(
    r"(?V1)[[\p{L}\p{M}]--[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}]]",
    engine="regex",
)
_EMOJI_BEFORE_ZWJ = LazyPattern(
    r"[\p{Extended_Pictographic}\ufe0f\U0001f3fb-\U0001f3ff]", engine="regex"
)
_EMOJI = LazyPattern(r"\p{Extended_Pictographic}", engine="regex")
_WORD_CHAR = LazyPattern(r"[\p{L}\p{M}\p{Nd}]", engine="regex")
_ODD_SPACE_RE = re.compile(f"[{ODD_SPACES}]")
_SPACE_RUN = re.compile(r"\s+")
_GRAPHEME = LazyPattern(r"\X", regex.DOTALL, engine="regex")

#: Mojibake codecs: UTF-8 bytes read as one of these give the characters the gate looks for
#: (ftfy's repertoire: Latin-1 and the Windows/ISO/Mac/DOS single-byte code pages).
_MOJIBAKE_CODECS = (
    "latin-1", "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "iso8859_2",
    "mac_roman", "cp437",
)  # fmt: skip


def _decoded(byte_values: range, *, skip: str = "") -> str:
    chars: set[str] = set()
    for codec in _MOJIBAKE_CODECS:
        for b in byte_values:
            try:
                chars.add(bytes([b]).decode(codec))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(chars - set(skip)))


#: UTF-8 lead bytes (C2-F4) and continuation bytes (80-BF) as those codecs show them. The
#: typographic marks (and the NO-BREAK SPACE) MacRoman shows for some lead bytes are left out of
#: the leads: they are everywhere in English prose, and that mojibake is rare.
@functools.cache
def _mojibake_chars() -> tuple[str, str]:
    leads = _decoded(range(0xC2, 0xF5), skip="\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026")
    conts = _decoded(range(0x80, 0xC0)) + "\ufffd"
    return "".join(re.escape(c) for c in leads), "".join(re.escape(c) for c in conts)


@functools.cache
def _cont_set() -> frozenset[str]:
    return frozenset(_decoded(range(0x80, 0xC0)) + "\ufffd")


def _gate_pattern() -> str:
    leads, conts = _mojibake_chars()
    return f"[\\x80-\\x9f]|[{leads}][{conts}]|[\\u00c2\\u00c3] "


#: Anything that may be mojibake: a C1 control, or a lead byte's character followed by a
#: continuation byte's (or by U+FFFD, or, for the NO-BREAK SPACE ftfy restores, a space). A
#: cheap gate: only lines it matches are handed to the (slower, careful) repair.
_MOJIBAKE_GATE = LazyPattern(_gate_pattern)

#: a character some `safe` step removes or replaces, whatever its neighbours
_SAFE_REMOVABLE = (
    f"\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\ud800-\udfff{NEWLINES}{BIDI_EMBEDDINGS}{BIDI_MARKS}"
    f"{INVISIBLE_CHARS}"
)
_SAFE_REMOVABLE_RE = re.compile(f"[{_SAFE_REMOVABLE}]")


_LEAD_RE = LazyPattern(lambda: f"[{_mojibake_chars()[0]}]")
#: the ASCII bytes `safe` never touches (printable, TAB, LF, FF); deleting them with
#: bytes.translate (gigabytes per second) leaves only what needs a closer look
_ASCII_KEEP = bytes(range(0x20, 0x7F)) + b"\t\n\x0c"


def _safe_has_work(text: str) -> bool:
    """Whether the `safe` profile could change ``text``. ASCII-dominant text costs a UTF-8
    encode and a byte deletion; only its few non-ASCII characters are looked at, and the
    whole text is scanned only when one of them may start mojibake."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_KEEP))
    odd = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_KEEP)
    rest = odd.decode("utf-8", "surrogatepass")  # the non-ASCII characters and controls
    if _SAFE_REMOVABLE_RE.search(rest):
        return True
    if _LEAD_RE.search(rest):
        for m in _LEAD_RE.finditer(text):
            ch = m.group()
            nxt = text[m.end() : m.end() + 1]
            if nxt in _cont_set() or (nxt == " " and ch in "\u00c2\u00c3"):
                return True
    return not unicodedata.is_normalized("NFC", text)


# -- the steps ------------------------------------------------------------------------------


def fix_surrogates(text: str) -> str:
    """Join UTF-16 surrogate pairs into one character; a lone surrogate becomes U+FFFD.

    >>> fix_surrogates("\\ud83d\\ude00 ok \\udc80")
    '😀 ok �'
    """
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE_PAIR.sub(_surrogate_repl, text)


def _surrogate_repl(m: re.Match[str]) -> str:
    s = m.group()
    if len(s) == 2:
        return chr(0x10000 + ((ord(s[0]) - 0xD800) << 10) + (ord(s[1]) - 0xDC00))
    return "\ufffd"


def nfc(text: str) -> str:
    """Unicode NFC (canonical composition): nothing visible changes.

    >>> nfc("e\\u0301") == "\\u00e9"
    True
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def nfkc(text: str) -> str:
    """Unicode NFKC: compatibility forms (full-width, ligatures, superscripts) folded. Lossy.

    >>> nfkc("ﬁne ＡＢＣ x²")
    'fine ABC x2'
    """
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def normalize_newlines(text: str) -> str:
    """CRLF, CR, NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR become ``\\n``.

    >>> normalize_newlines("a\\r\\nb\\rc\\u2028d")
    'a\\nb\\nc\\nd'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii() or not _OTHER_NEWLINE_RE.search(text):
        return text
    return _OTHER_NEWLINE_RE.sub("\n", text)


def _control_edits(text: str) -> Iterator[Edit]:
    """Terminal escapes, backspace overstrikes (``_\\bX`` -> ``X``) and other controls."""
    i = 0
    n = len(text)
    while i < n:
        m = _CONTROL_RE.search(text, i)
        if m is None:
            return
        j = m.start()
        ch = text[j]
        if ch == "\x1b":
            esc = _ANSI_RE.match(text, j)
            if esc is not None:
                yield j, esc.end(), ""
                i = esc.end()
                continue
        if ch == "\x08":
            run = _BACKSPACES_RE.match(text, j)
            assert run is not None
            k = run.end() - j
            # overstrike: each backspace erases one earlier character of the same line
            line_start = max(text.rfind("\n", 0, j), text.rfind("\r", 0, j)) + 1
            start = max(j - k, line_start, i)
            yield start, run.end(), ""
            i = run.end()
            continue
        yield j, j + 1, ""
        i = j + 1


def remove_control_characters(text: str) -> str:
    """Remove C0/C1 control characters (TAB, LF, CR, FF kept), terminal escape sequences and
    backspace overstrikes (a backspace erases the character before it, as on a terminal).

    >>> remove_control_characters("bell\\x07 \\x1b[1mbold\\x1b[0m ___\\x08\\x08\\x08and X\\x08X")
    'bell bold and X'
    """
    if not _CONTROL_RE.search(text):
        return text
    return _apply_edits(text, _control_edits(text))


def _invisible_edits(text: str, *, keep_meaningful: bool = True) -> Iterator[Edit]:
    for m in _INVISIBLE_RE.finditer(text):
        i = m.start()
        ch = text[i]
        if keep_meaningful and _keep_invisible(text, i, ch):
            continue
        yield i, i + 1, ""


def _keep_invisible(text: str, i: int, ch: str) -> bool:
    """The uses of invisible characters a careful writer means (see docs/normalize.md)."""
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if ch == "\ufeff":
        return i == 0  # a leading BOM is a file signature, not text
    if ch in "\u200c\u200d":
        if ch == "\u200d" and prev and nxt and _EMOJI_BEFORE_ZWJ.match(prev) and _EMOJI.match(nxt):
            return True  # emoji ZWJ sequence 👩‍💻
        # joiners shape Arabic, Persian, Indic ... text
        return bool(prev and nxt and _JOINING.match(prev) and _JOINING.match(nxt))
    if ch == "\u2060":
        # a WORD JOINER outside a word is typography (no line break at an em dash)
        return not (prev and nxt and _WORD_CHAR.match(prev) and _WORD_CHAR.match(nxt))
    if "\U000e0020" <= ch <= "\U000e007f":
        # emoji tag sequences (subdivision flags): 🏴 followed by tags and CANCEL TAG
        j = i
        while j > 0 and "\U000e0020" <= text[j - 1] <= "\U000e007f":
            j -= 1
        return j > 0 and text[j - 1] == "\U0001f3f4"
    return False


def remove_invisible(text: str, *, keep_meaningful: bool = True) -> str:
    """Remove invisible characters: ZERO WIDTH SPACE, SOFT HYPHEN, a BOM inside the text,
    invisible operators, tag characters, Hangul fillers, MONGOLIAN VOWEL SEPARATOR, and
    ZERO WIDTH (NON-)JOINER / WORD JOINER where they mean nothing.

    With ``keep_meaningful`` (the default) a leading BOM, joiners between letters of scripts
    that use them (Arabic, Indic ...) or inside emoji sequences, word joiners outside words
    (typographic no-break around dashes) and emoji tag sequences are kept.

    >>> remove_invisible("in\\u200bvis\\u00adible\\u2060word \\u2060\\u2014 x")
    'invisibleword \\u2060\\u2014 x'
    >>> remove_invisible("\\u2060\\u2014", keep_meaningful=False)
    '—'
    """
    if text.isascii() or not _INVISIBLE_RE.search(text):
        return text
    return _apply_edits(text, _invisible_edits(text, keep_meaningful=keep_meaningful))


def _bidi_edits(text: str, *, keep_meaningful: bool = True) -> Iterator[Edit]:
    rtl_lines: dict[int, bool] = {}
    for m in _BIDI_ANY_RE.finditer(text):
        i = m.start()
        if keep_meaningful and text[i] in BIDI_MARKS:
            start = text.rfind("\n", 0, i) + 1
            if start not in rtl_lines:
                end = text.find("\n", i)
                rtl_lines[start] = bool(_RTL_RE.search(text, start, len(text) if end < 0 else end))
            if rtl_lines[start]:
                continue
        yield i, i + 1, ""


def remove_bidi_controls(text: str, *, keep_meaningful: bool = True) -> str:
    """Remove bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069), and
    LEFT-TO-RIGHT / RIGHT-TO-LEFT / ARABIC LETTER MARKs on lines without right-to-left text
    (with ``keep_meaningful=False``: everywhere).

    >>> remove_bidi_controls("access\\u202e\\u2066 level\\u2069\\u2066 \\u200e")
    'access level '
    >>> hebrew = "\\u05e9\\u05dc\\u05d5\\u05dd\\u200f!"
    >>> remove_bidi_controls(hebrew) == hebrew
    True
    """
    if text.isascii() or not _BIDI_ANY_RE.search(text):
        return text
    return _apply_edits(text, _bidi_edits(text, keep_meaningful=keep_meaningful))


# -- mojibake -----------------------------------------------------------------------------

#: every character a single byte decodes to in cp1252 (latin-1 for the five undefined bytes)
_SINGLE_BYTE: dict[str, int] = {}
for _b in range(256):
    try:
        _SINGLE_BYTE[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        _SINGLE_BYTE[chr(_b)] = _b
_C1_TO_CP1252 = {
    c: bytes([c]).decode("cp1252")
    for c in range(0x80, 0xA0)
    if c not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_MAX_ROUNDS = 8
_C1_RE = re.compile("[\x80-\x9f]")


@functools.cache
def _ftfy_fixer() -> Callable[[str], str] | None:
    """ftfy's encoding repair (only that: no quote uncurling, no width folding), or None."""
    if os.environ.get("TEXTQA_NO_FTFY"):
        return None
    try:
        import ftfy  # noqa: PLC0415 -- optional and slow to import: only when text looks garbled
    except ImportError:
        return None
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )

    from ftfy.fixes import fix_c1_controls  # noqa: PLC0415 -- with ftfy, above

    def fix(line: str) -> str:
        # ftfy's encoding repair alone (fix_text would also run fixers textqa does itself).
        # fix_encoding repeats its one-step repair until nothing changes, so its result is a
        # fixed point; after a C1 replacement it runs once more to reach one again.
        result: str = ftfy.fix_encoding(line, config)
        if _C1_RE.search(result):
            replaced = fix_c1_controls(result)
            if replaced != result:
                result = ftfy.fix_encoding(replaced, config)
        return result

    fix.exact = True  # type: ignore[attr-defined]

    return fix


#: lead bytes the fallback trusts: Latin-1 letters (C2, C3), punctuation (E2), emoji (F0)
_FALLBACK_LEADS = frozenset({0xC2, 0xC3, 0xE2, 0xF0})


def _fallback_fix_line(line: str) -> str:
    """Without ftfy: undo UTF-8 read as cp1252/latin-1 when the whole line round-trips and
    every multi-byte sequence is of the kinds mojibake is made of (accented Latin-1 letters,
    punctuation, emoji), else only map C1 controls to the cp1252 characters they stand for.
    Conservative on purpose: ``MARQUÉ…`` is a word and an ellipsis, not mojibake."""
    try:
        data = bytes(_SINGLE_BYTE[c] for c in line)
    except KeyError:
        pass
    else:
        try:
            fixed = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            leads = {b for b in data if b >= 0xC0}
            if fixed != line and leads <= _FALLBACK_LEADS:
                return fixed
    return line.translate(_C1_TO_CP1252)


def _fixer(use_ftfy: bool | None) -> Callable[[str], str]:
    if use_ftfy is False:
        return _fallback_fix_line
    fixer = _ftfy_fixer()
    if fixer is None and use_ftfy:
        raise UsageError("ftfy is not installed: pip install 'textqa[ftfy]'")
    return fixer or _fallback_fix_line


#: repairs made during the current top-level call (a changed text is scanned again to prove
#: the profile's fixed point: its garbled lines are not repaired twice). Cleared per call, so
#: nothing is cached across calls; a pure function's memo, so sharing it is harmless.
_LINE_MEMO: dict[tuple[str, Callable[[str], str]], str] = {}


def _fix_line(line: str, fixer: Callable[[str], str]) -> str:
    """Repair to a fixed point: again while the result still looks garbled (double mojibake)."""
    key = (line, fixer)
    done = _LINE_MEMO.get(key)
    if done is not None:
        return done
    fixed = _fix_line_uncached(line, fixer)
    if len(_LINE_MEMO) < 4096:
        _LINE_MEMO[key] = fixed
        _LINE_MEMO[(fixed, fixer)] = fixed
    return fixed


def _fix_line_uncached(line: str, fixer: Callable[[str], str]) -> str:
    if getattr(fixer, "exact", False):
        return fixer(line)  # already a fixed point (ftfy's own loop)
    for _ in range(_MAX_ROUNDS):
        fixed = fixer(line)
        if fixed == line:
            break
        line = fixed
        if not _MOJIBAKE_GATE.search(line):
            break
    return line


def _mojibake_edits(text: str, use_ftfy: bool | None = None) -> Iterator[Edit]:
    """One edit per line whose repair changes it (common prefix and suffix trimmed)."""
    if text.isascii():
        return  # every gate match holds a non-ASCII character (the gate's codecs stay unloaded)
    fixer: Callable[[str], str] | None = None
    pos = 0
    n = len(text)
    while pos < n:
        m = _MOJIBAKE_GATE.search(text, pos)
        if m is None:
            return
        start = max(text.rfind("\n", 0, m.start()), text.rfind("\r", 0, m.start())) + 1
        end = _line_end(text, m.end())
        line = text[start:end]
        if fixer is None:
            fixer = _fixer(use_ftfy)  # ftfy is imported only once a line looks garbled
        fixed = _fix_line(line, fixer)
        if fixed != line:
            a, b, repl = _trim_edit(line, fixed)
            yield start + a, start + b, repl
        pos = end + 1


def _line_end(text: str, i: int) -> int:
    ends = [e for e in (text.find("\n", i), text.find("\r", i)) if e >= 0]
    return min(ends) if ends else len(text)


def _trim_edit(old: str, new: str) -> Edit:
    """The smallest single edit turning ``old`` into ``new``."""
    p = 0
    m = min(len(old), len(new))
    while p < m and old[p] == new[p]:
        p += 1
    s = 0
    while s < m - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    return p, len(old) - s, new[p : len(new) - s]


def fix_mojibake(text: str, *, use_ftfy: bool | None = None) -> str:
    """Repair mojibake (UTF-8 decoded as cp1252, latin-1, cp1251, MacRoman ...) and C1
    controls standing for cp1252 characters. Uses ftfy's encoding repair when ftfy is
    installed (repeated to a fixed point), else a conservative whole-line round trip.
    Only lines that look like mojibake are examined, so clean text costs one regex scan.
    ``use_ftfy``: None (default) uses ftfy when available, False never, True requires it.

    >>> fix_mojibake("donâ€™t touch cafÃ©; â€œcleanâ€\\x9d")
    'don’t touch café; “clean”'
    >>> fix_mojibake("naïve café ‘quoted’")
    'naïve café ‘quoted’'
    """
    if text.isascii() or not _MOJIBAKE_GATE.search(text):
        return text
    return _apply_edits(text, _mojibake_edits(text, use_ftfy))


# -- punctuation and spaces ---------------------------------------------------------------

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2039": "'",
    "\u203a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
}  # fmt: skip
_DASHES = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\ufe63": "-",
    "\u2014": "--", "\u2015": "--",
}  # fmt: skip
_ELLIPSIS = {"\u2026": "...", "\u2025": ".."}
_SPACES = dict.fromkeys(("\xa0", "\u1680", "\u202f", "\u205f", "\u3000"), " ") | {
    chr(c): " " for c in range(0x2000, 0x200B)
}
_QUOTES_T = str.maketrans(_QUOTES)
_DASHES_T = str.maketrans(_DASHES)
_ELLIPSIS_T = str.maketrans(_ELLIPSIS)
_SPACES_T = str.maketrans(_SPACES)
_QUOTES_RE = re.compile("[" + "".join(_QUOTES) + "]")
_DASHES_RE = re.compile("[" + "".join(_DASHES) + "]")
_ELLIPSIS_RE = re.compile("[" + "".join(_ELLIPSIS) + "]")


def _translated(text: str, rx: re.Pattern[str], table: dict[int, str]) -> str:
    """``text`` through ``table``, untouched (and not copied) when ``rx`` finds nothing."""
    if text.isascii() or not rx.search(text):
        return text
    return text.translate(table)


def ascii_quotes(text: str) -> str:
    """Curly quotes, primes and guillemets to ASCII ``'`` and ``"``.

    >>> ascii_quotes("\\u201cIt\\u2019s\\u201d \\u00aboui\\u00bb")
    '"It\\'s" "oui"'
    """
    return _translated(text, _QUOTES_RE, _QUOTES_T)


def ascii_dashes(text: str) -> str:
    """Hyphens, en dashes and minus signs to ``-``; em dashes and horizontal bars to ``--``.

    >>> ascii_dashes("1990\\u20131995 \\u2014 x \\u2212 1")
    '1990-1995 -- x - 1'
    """
    return _translated(text, _DASHES_RE, _DASHES_T)


def ascii_ellipsis(text: str) -> str:
    """HORIZONTAL ELLIPSIS to ``...``.

    >>> ascii_ellipsis("wait\\u2026")
    'wait...'
    """
    return _translated(text, _ELLIPSIS_RE, _ELLIPSIS_T)


def ascii_spaces(text: str) -> str:
    """NO-BREAK SPACE, narrow/thin/hair/em spaces, ideographic space ... to U+0020.

    >>> ascii_spaces("10\\u00a0km \\u2009and\\u202fmore")
    '10 km  and more'
    """
    return _translated(text, _ODD_SPACE_RE, _SPACES_T)


_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_COMPAT_T = str.maketrans(_LIGATURES | _FULLWIDTH)
_COMPAT_RE = re.compile("[\ufb00-\ufb06\uff01-\uff5e]")


def fold_compatibility(text: str) -> str:
    """Full-width ASCII forms and Latin ligatures to plain letters (a targeted, less lossy
    subset of NFKC).

    >>> fold_compatibility("ＴＥＸＴ ﬁle")
    'TEXT file'
    """
    if text.isascii() or not _COMPAT_RE.search(text):
        return text
    return text.translate(_COMPAT_T)


def collapse_whitespace(text: str) -> str:
    """Every run of whitespace (newlines included) to one space; no leading or trailing space.

    >>> collapse_whitespace("  a \\t b\\n\\n c  ")
    'a b c'
    """
    return " ".join(text.split())


def casefold(text: str) -> str:
    """Full Unicode case folding (``ß`` -> ``ss``).

    >>> casefold("Straße ΣΑΣ")
    'strasse σασ'
    """
    return text.casefold()


_ASCII_PUNCT = "".join(c for c in map(chr, range(128)) if unicodedata.category(c)[0] in "PS")
_PUNCT_CANDIDATE = re.compile("[^\x00-\x7f]|[" + re.escape(_ASCII_PUNCT) + "]")
_FORMAT_CANDIDATE = re.compile("[^\x20-\x7e]")
_DIGIT_RE = re.compile(r"\d")


def _punct_edits(text: str) -> Iterator[Edit]:
    for m in _PUNCT_CANDIDATE.finditer(text):
        if unicodedata.category(m.group())[0] in "PS":
            yield m.start(), m.end(), " "


def fold_punctuation(text: str) -> str:
    """Every punctuation mark and symbol (categories P and S) becomes a space.

    >>> fold_punctuation("well-known, “quoted” $5!")
    'well known   quoted   5 '
    """
    return _apply_edits(text, _punct_edits(text))


def fold_digits(text: str) -> str:
    """Every decimal digit (any script) becomes ``0``: numbers stop distinguishing keys.

    >>> fold_digits("2016: ٣ items")
    '0000: 0 items'
    """
    return _DIGIT_RE.sub("0", text)


def _format_edits(text: str) -> Iterator[Edit]:
    for m in _FORMAT_CANDIDATE.finditer(text):
        cat = unicodedata.category(m.group())
        if cat == "Cf":
            yield m.start(), m.end(), ""
        elif cat == "Cc" and m.group() != " ":
            yield m.start(), m.end(), " "


def remove_format_characters(text: str) -> str:
    """Remove every format (Cf) character; other controls (Cc) become spaces. For keys only:
    this also drops joiners that shape Arabic or Indic text.

    >>> remove_format_characters("a\\u200db\\u202ec\\x00d")
    'abc d'
    """
    return _apply_edits(text, _format_edits(text))


def _skeleton(text: str) -> str:
    return confusables.skeleton(text)


# -- steps and profiles ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Step:
    name: str
    summary: str
    apply: Callable[[str], str]
    edits: Callable[[str], Iterable[Edit]]


def _translate_edits(
    table: Mapping[str, str], pattern: re.Pattern[str]
) -> Callable[[str], Iterator[Edit]]:
    def edits(text: str) -> Iterator[Edit]:
        for m in pattern.finditer(text):
            yield m.start(), m.end(), table[m.group()]

    return edits


def _regex_edits(
    pattern: re.Pattern[str] | regex.Pattern[str], repl: str | Callable[[Any], str]
) -> Callable[[str], Iterator[Edit]]:
    def edits(text: str) -> Iterator[Edit]:
        for m in pattern.finditer(text):
            new = repl if isinstance(repl, str) else repl(m)
            if new != m.group():
                yield m.start(), m.end(), new

    return edits


def _normalization_edits(form: str) -> Callable[[str], Iterator[Edit]]:
    """Normalize grapheme by grapheme (exact whenever that equals normalizing the whole text,
    which is verified; otherwise one coarse edit over the differing region)."""

    def edits(text: str) -> Iterator[Edit]:
        if text.isascii() or unicodedata.is_normalized(form, text):  # type: ignore[arg-type]
            return
        whole = unicodedata.normalize(form, text)  # type: ignore[arg-type]
        out: list[Edit] = []
        pieces: list[str] = []
        for m in _GRAPHEME.finditer(text):
            g = m.group()
            if g.isascii():
                pieces.append(g)
                continue
            ng = unicodedata.normalize(form, g)  # type: ignore[arg-type]
            pieces.append(ng)
            if ng != g:
                out.append((m.start(), m.end(), ng))
        if "".join(pieces) == whole:
            yield from out
        else:
            yield _trim_edit(text, whole)

    return edits


def _char_edits(fn: Callable[[str], str]) -> Callable[[str], Iterator[Edit]]:
    def edits(text: str) -> Iterator[Edit]:
        for i, ch in enumerate(text):
            new = fn(ch)
            if new != ch:
                yield i, i + 1, new

    return edits


def _collapse_edits(text: str) -> Iterator[Edit]:
    n = len(text)
    for m in _SPACE_RUN.finditer(text):
        if m.start() == 0 or m.end() == n:
            yield m.start(), m.end(), ""
        elif m.group() != " ":
            yield m.start(), m.end(), " "


def _skeleton_edits(text: str) -> Iterator[Edit]:
    yield from _normalization_like(text, confusables.skeleton)


def _normalization_like(text: str, fn: Callable[[str], str]) -> Iterator[Edit]:
    whole = fn(text)
    if whole == text:
        return
    out: list[Edit] = []
    pieces: list[str] = []
    for m in _GRAPHEME.finditer(text):
        g = m.group()
        ng = fn(g)
        pieces.append(ng)
        if ng != g:
            out.append((m.start(), m.end(), ng))
    if "".join(pieces) == whole:
        yield from out
    else:
        yield _trim_edit(text, whole)



STEPS: dict[str, _Step] = {
    s.name: s
    for s in (
        _Step("surrogates", "surrogate pairs joined, lone surrogates to U+FFFD",
              fix_surrogates, _regex_edits(_SURROGATE_PAIR, _surrogate_repl)),
        _Step("mojibake", "mojibake repaired (UTF-8 read in a legacy encoding)",
              fix_mojibake, _mojibake_edits),
        _Step("newlines", "line endings to \\n", normalize_newlines,
              _regex_edits(_NEWLINE_RE, "\n")),
        _Step("controls", "control characters removed", remove_control_characters,
              _control_edits),
        _Step("invisible", "invisible characters removed", remove_invisible, _invisible_edits),
        _Step("invisible-all", "every invisible character removed",
              functools.partial(remove_invisible, keep_meaningful=False),
              functools.partial(_invisible_edits, keep_meaningful=False)),
        _Step("bidi", "bidi controls removed", remove_bidi_controls, _bidi_edits),
        _Step("nfc", "NFC", nfc, _normalization_edits("NFC")),
        _Step("nfkc", "NFKC", nfkc, _normalization_edits("NFKC")),
        _Step("quotes", "quotes to ASCII", ascii_quotes, _translate_edits(_QUOTES, _QUOTES_RE)),
        _Step("dashes", "dashes to ASCII", ascii_dashes, _translate_edits(_DASHES, _DASHES_RE)),
        _Step("ellipsis", "ellipsis to ASCII", ascii_ellipsis,
              _translate_edits(_ELLIPSIS, _ELLIPSIS_RE)),
        _Step("spaces", "odd spaces to U+0020", ascii_spaces,
              _translate_edits(_SPACES, _ODD_SPACE_RE)),
        _Step("compat", "full-width forms and ligatures folded", fold_compatibility,
              _translate_edits(_LIGATURES | _FULLWIDTH, _COMPAT_RE)),
        _Step("casefold", "case folded", casefold, _char_edits(str.casefold)),
        _Step("format", "format characters removed, controls to spaces",
              remove_format_characters, _format_edits),
        _Step("punctuation", "punctuation and symbols to spaces", fold_punctuation,
              _punct_edits),
        _Step("digits", "digits to 0", fold_digits, _regex_edits(_DIGIT_RE, "0")),
        _Step("collapse", "whitespace collapsed", collapse_whitespace, _collapse_edits),
        _Step("skeleton", "confusable skeleton (UTS #39)", _skeleton, _skeleton_edits),
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Profile:
    """A named, ordered composition of steps (names from :data:`STEPS`)."""

    name: str
    steps: tuple[str, ...]
    summary: str = ""

    def __post_init__(self) -> None:
        unknown = [s for s in self.steps if s not in STEPS]
        if unknown:
            raise UsageError(f"unknown normalization step(s): {', '.join(unknown)}")


#: Version of the ``dedup-key`` profile's output: bumped whenever a change to the profile (or
#: to a step it runs) can change the key of some text. Near-duplicate signature specs record it,
#: so signatures and indexes made under another version are refused instead of silently mixed.
DEDUP_KEY_VERSION = 1

_SAFE_STEPS = ("surrogates", "mojibake", "newlines", "controls", "invisible", "bidi", "nfc")
_DEDUP_STEPS = (
    "surrogates", "format", "nfkc", "casefold", "nfkc", "punctuation", "digits", "collapse",
)  # fmt: skip

PROFILES: dict[str, Profile] = {
    "safe": Profile(
        "safe",
        _SAFE_STEPS,
        "changes nothing a careful writer meant: mojibake, newlines, stray controls, "
        "invisible and bidi characters, NFC",
    ),
    "ascii-punct": Profile(
        "ascii-punct",
        (
            *_SAFE_STEPS[:4],
            "invisible-all",
            "bidi",
            "nfc",
            "quotes",
            "dashes",
            "ellipsis",
            "spaces",
        ),
        "safe, plus quotes, dashes, ellipsis and odd spaces to ASCII",
    ),
    "dedup-key": Profile(
        "dedup-key",
        _DEDUP_STEPS,
        "NFKC, casefold, punctuation and digit folding, whitespace collapse",
    ),
}


_SAFE = PROFILES["safe"]
_DEDUP = PROFILES["dedup-key"]


def get_profile(profile: str | Profile, *, skeleton: bool = False) -> Profile:
    """The profile named ``profile`` (``skeleton=True`` appends the UTS #39 skeleton and
    re-folds case and punctuation after it, for keys that ignore homoglyph swaps).

    >>> get_profile("dedup-key").steps[-1]
    'collapse'
    >>> get_profile("safe", skeleton=True).name
    'safe+skeleton'
    """
    if isinstance(profile, Profile):
        base = profile
    else:
        try:
            base = PROFILES[profile]
        except KeyError:
            names = ", ".join(PROFILES)
            raise UsageError(f"unknown profile {profile!r}; choose one of: {names}") from None
    if not skeleton:
        return base
    extra = ("skeleton", "casefold", "nfkc") if "casefold" in base.steps else ("skeleton", "nfc")
    tail = ("punctuation", "digits", "collapse") if "collapse" in base.steps else ()
    return Profile(f"{base.name}+skeleton", (*base.steps, *extra, *tail), base.summary)


# -- applying a profile ---------------------------------------------------------------------


def _ascii_dedup_byte(b: int) -> int:
    if 65 <= b <= 90:
        return b + 32  # casefold
    if 49 <= b <= 57:
        return 48  # digits to 0
    if b < 32 or b == 127 or chr(b) in _ASCII_PUNCT:
        return 32  # controls and punctuation to spaces
    return b


_ASCII_DEDUP = bytes(_ascii_dedup_byte(b) for b in range(256))
_ASCII_DEDUP_UTF8 = _ASCII_DEDUP[:128] + bytes(range(128, 256))


def _dedup_ascii(text: str) -> str:
    return b" ".join(text.encode("ascii").translate(_ASCII_DEDUP).split()).decode("ascii")


_NON_ASCII_PIECE = re.compile("[\x00-\x7f]?[^\x00-\x7f]+")


class _FoldTable(dict[str, str]):
    """Per-character key folding, computed on first sight: case folded, format characters
    dropped, controls, whitespace, punctuation and symbols to a space, digits to ``0``."""

    def __missing__(self, ch: str) -> str:
        cat = unicodedata.category(ch)
        if cat == "Cf":
            out = ""
        elif cat == "Cc" or cat[0] in "PS" or ch.isspace():
            out = " "
        elif cat == "Nd":
            out = "0"
        else:
            out = ch
        self[ch] = out
        return out


_FOLD = _FoldTable()


def _fold_piece(m: re.Match[str]) -> str:
    return _fold_piece_text(m.group())


@functools.lru_cache(maxsize=8192)
def _fold_piece_text(piece: str) -> str:
    # NFKC piecewise equals NFKC of the whole: an ASCII character never composes with the
    # character before it, and the one before a non-ASCII run is included in the piece.
    if not unicodedata.is_normalized("NFKC", piece):
        piece = unicodedata.normalize("NFKC", piece)
    piece = piece.casefold()
    if not unicodedata.is_normalized("NFKC", piece):
        piece = unicodedata.normalize("NFKC", piece)
    fold = _FOLD
    return "".join([fold[c] for c in piece])


def _dedup_once(text: str) -> str:
    """One pass of the dedup-key pipeline: non-ASCII pieces one by one, ASCII by byte table."""
    text = _NON_ASCII_PIECE.sub(_fold_piece, fix_surrogates(text))
    return b" ".join(text.encode("utf-8").translate(_ASCII_DEDUP_UTF8).split()).decode("utf-8")


def _dedup(text: str) -> str:
    if text.isascii():
        return _dedup_ascii(text)
    for _ in range(_MAX_ROUNDS):
        out = _dedup_once(text)
        if out == text or out.isascii():  # ASCII output is a fixed point
            return out
        text = out
    return text


def _run(text: str, steps: Sequence[str]) -> str:
    for name in steps:
        text = STEPS[name].apply(text)
    return text


@functools.lru_cache(maxsize=64)
def _resolve(profile: str | Profile, skeleton: bool) -> Profile:
    return get_profile(profile, skeleton=skeleton)


def normalize(text: str, profile: str | Profile = "safe", *, skeleton: bool = False) -> str:
    """Normalize ``text`` with a profile (``safe``, ``ascii-punct``, ``dedup-key`` or a
    :class:`Profile`). Idempotent; clean text is returned as is after one scan.

    >>> normalize("ok\\r\\n\\u202eevil\\u200b")
    'ok\\nevil'
    >>> normalize("  The QUICK, brown-fox: 1984!  ", "dedup-key")
    'the quick brown fox 0000'
    """
    p = _resolve(profile, skeleton)
    _LINE_MEMO.clear()
    if p is _SAFE and not _safe_has_work(text):
        return text
    if p is _DEDUP:
        return _dedup(text)
    steps = p.steps
    for _ in range(_MAX_ROUNDS):
        out = _run(text, steps)
        if out == text:
            break
        text = out
        if p is _SAFE and not _safe_has_work(text):
            break  # the fast check proves the fixed point without another round
    return text


# -- offset maps ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets of a normalized text back to spans of the original.

    Output character ``i`` came from ``original[starts[i]:ends[i]]`` (an empty span for an
    inserted character); ``starts[len(output)]`` is ``len(original)``.
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def identity(cls, n: int) -> OffsetMap:
        return cls(tuple(range(n + 1)), tuple(range(1, n + 1)))

    def __len__(self) -> int:
        return len(self.ends)

    def original_offset(self, offset: int) -> int:
        """Where output ``offset`` starts in the original."""
        if not 0 <= offset <= len(self.ends):
            raise ValueError(f"offset {offset} outside normalized text of length {len(self.ends)}")
        return self.starts[offset]

    def original_span(self, start: int, end: int) -> Span:
        """The original span an output span ``[start, end)`` came from."""
        if not 0 <= start <= end <= len(self.ends):
            raise ValueError(f"span [{start}, {end}) outside normalized text")
        if start == end:
            return Span(self.starts[start], self.starts[start])
        return Span(self.starts[start], max(self.ends[end - 1], self.starts[start]))

    def compose(self, text: str, edits: Iterable[Edit]) -> tuple[str, OffsetMap]:
        """Apply ``edits`` (on the text this map produced) and return the new text and map."""
        starts: list[int] = []
        ends: list[int] = []
        parts: list[str] = []
        pos = 0
        for a, b, repl in edits:
            parts.append(text[pos:a])
            starts.extend(self.starts[pos:a])
            ends.extend(self.ends[pos:a])
            if repl:
                s = self.starts[a]
                e = self.ends[b - 1] if b > a else s
                parts.append(repl)
                starts.extend([s] * len(repl))
                ends.extend([e] * len(repl))
            pos = b
        parts.append(text[pos:])
        starts.extend(self.starts[pos:])
        ends.extend(self.ends[pos:])
        return "".join(parts), OffsetMap(tuple(starts), tuple(ends))


@dataclass(frozen=True, slots=True)
class Change:
    """One change a step made, located in the original text."""

    step: str
    span: Span
    before: str
    after: str


def _apply_edits(text: str, edits: Iterable[Edit]) -> str:
    parts: list[str] = []
    pos = 0
    for a, b, repl in edits:
        parts.append(text[pos:a])
        parts.append(repl)
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def _mapped(text: str, profile: Profile) -> tuple[str, OffsetMap, list[Change]]:
    _LINE_MEMO.clear()
    omap = OffsetMap.identity(len(text))
    changes: list[Change] = []
    current = text
    for _ in range(_MAX_ROUNDS):
        before_round = current
        for name in profile.steps:
            edits = list(STEPS[name].edits(current))
            if not edits:
                continue
            changes.extend(
                Change(name, omap.original_span(a, b), current[a:b], r) for a, b, r in _merge(edits)
            )
            current, omap = omap.compose(current, edits)
        if current == before_round:
            break
    return current, omap, changes


def _merge(edits: list[Edit]) -> Iterator[Edit]:
    """Adjacent edits as one change (``ABC`` casefolded is one change, not three)."""
    a0, b0, r0 = edits[0]
    for a, b, r in edits[1:]:
        if a == b0:
            b0, r0 = b, r0 + r
        else:
            yield a0, b0, r0
            a0, b0, r0 = a, b, r
    yield a0, b0, r0


def normalize_with_map(
    text: str, profile: str | Profile = "safe", *, skeleton: bool = False
) -> tuple[str, OffsetMap]:
    """Normalize and return a map from each output offset to the original span, so a finding
    computed on the normalized text points at the original line:column. The text equals
    :func:`normalize`'s.

    >>> out, omap = normalize_with_map("x\\u200b\\r\\nCAFE\\u0301", "safe")
    >>> out, omap.original_span(2, 6)
    ('x\\nCAFÉ', Span(start=4, end=9))
    """
    out, omap, _ = _mapped(text, _resolve(profile, skeleton))
    return out, omap


def explain(text: str, profile: str | Profile = "safe", *, skeleton: bool = False) -> list[Change]:
    """What each step changed, in order, with spans into the original text.

    >>> changes = explain("a\\u00a0b\\u2026", "ascii-punct")
    >>> [(c.step, c.span.start, c.before, c.after) for c in changes]
    [('ellipsis', 3, '…', '...'), ('spaces', 1, '\\xa0', ' ')]
    """
    _, _, changes = _mapped(text, _resolve(profile, skeleton))
    return changes
