"""TQ1xx: Unicode safety and typography findings.

Default on (they flag what almost never belongs in a text):

* TQ101 ``bidi-control``: bidi embeddings, overrides and isolates anywhere, directional marks
  on lines without right-to-left text (Trojan Source, CVE-2021-42574);
* TQ102 ``invisible-character``: zero-width spaces, soft hyphens, a BOM inside the text, tag
  characters ... (joiners that shape a script or an emoji, and word joiners used as
  typography, are left alone);
* TQ103 ``mixed-script-word``: a word mixing scripts whose letters look alike (Latin with one
  Cyrillic ``а``);
* TQ104 ``mojibake``: UTF-8 decoded as a legacy encoding, and U+FFFD REPLACEMENT CHARACTER;
* TQ105 ``control-character``: C0/C1 controls, terminal escapes, backspace overstrikes.

Default off (typography, often deliberate): TQ106 ``non-breaking-space``, TQ107
``curly-quotes``, TQ108 ``inconsistent-dashes``, TQ109 ``non-nfc``.

These rules read the whole text, inside code blocks and inline code too: a bidi override or a
homoglyph is most dangerous in code. The removals they propose are exactly what the ``safe``
normalization profile removes, so ``textqa normalize`` output has none of TQ101/102/104/105.

>>> from textqa import check
>>> [(f.code, str(f.start)) for f in check("access\\u202e level and p\\u0430ypal")]
[('TQ101', '1:7'), ('TQ103', '1:19')]
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from textqa._lazy import LazyPattern
from textqa.confusables import confusable_table, script_of
from textqa.model import Document, Edit, Finding, Fix, Span
from textqa.rules import make_finding

if TYPE_CHECKING:
    from types import ModuleType

    from textqa.check import Context

__all__ = ["check_document", "describe"]

_NON_LATIN_LETTER = LazyPattern(r"[^\P{L}\p{Script=Latin}]", engine="regex")
_CURLY_QUOTES = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f"
_CURLY_RE = re.compile(f"[{_CURLY_QUOTES}]")
_ODD_SPACE_RUN = LazyPattern(lambda: f"[{_nz().ODD_SPACES}]+")
#: the ASCII characters `textqa.normalize`'s control step removes (`CONTROL_CHARS`): an ASCII
#: text without one has nothing for any TQ1xx rule, and `textqa.normalize` is not imported
_ASCII_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _nz() -> ModuleType:
    """`textqa.normalize`, imported on first use (it is not needed for clean ASCII text)."""
    from textqa import normalize  # noqa: PLC0415

    return normalize
#: parenthetical dashes by style: em dash (spaced or not), spaced en dash, spaced hyphen(s)
_DASH_RE = LazyPattern(
    r"\u2014|(?<=\S) \u2013 (?=\S)|(?<=[\w.,;:!?'\"’”)]) --? (?=\w)", engine="regex"
)
_ALLOWED_SCRIPT_SETS = (
    # UTS #39 "highly restrictive": scripts commonly written together
    frozenset({"Latin", "Han", "Hiragana", "Katakana"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
    frozenset({"Latin", "Han", "Hangul"}),
)


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``.

    >>> describe("\\u00a0")
    'U+00A0 NO-BREAK SPACE'
    """
    name = unicodedata.name(ch, "")
    if not name:
        if unicodedata.category(ch) == "Cc":
            name = _CONTROL_NAMES.get(ord(ch), "control character")
        else:
            name = "unnamed character"
    return f"U+{ord(ch):04X} {name}"


_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x1B: "ESCAPE",
    0x7F: "DELETE", 0x85: "NEXT LINE", 0x9B: "CONTROL SEQUENCE INTRODUCER",
}  # fmt: skip


def _describe_all(text: str) -> str:
    seen = list(dict.fromkeys(text))
    return ", ".join(describe(c) for c in seen[:3]) + (", ..." if len(seen) > 3 else "")


def _runs(edits: Iterable[tuple[int, int, str]]) -> Iterator[tuple[int, int, str]]:
    """Adjacent edits merged into one (one finding for a run of invisible characters)."""
    cur: tuple[int, int, str] | None = None
    for a, b, r in edits:
        if cur is not None and cur[1] == a:
            cur = (cur[0], b, cur[2] + r)
            continue
        if cur is not None:
            yield cur
        cur = (a, b, r)
    if cur is not None:
        yield cur


def _removal_fix(start: int, end: int, replacement: str, description: str) -> Fix:
    return Fix((Edit(Span(start, end), replacement),), safe=True, description=description)


def _bidi(doc: Document) -> Iterator[Finding]:
    for a, b, r in _runs(_nz().STEPS["bidi"].edits(doc.text)):
        chars = doc.text[a:b]
        yield make_finding(
            doc,
            "TQ101",
            a,
            b,
            f"bidi control {_describe_all(chars)}: the text may display differently from "
            "what it is (Trojan Source); remove it",
            fix=_removal_fix(a, b, r, "remove the bidi control characters"),
        )


def _invisible(doc: Document) -> Iterator[Finding]:
    for a, b, r in _runs(_nz().STEPS["invisible"].edits(doc.text)):
        chars = doc.text[a:b]
        yield make_finding(
            doc,
            "TQ102",
            a,
            b,
            f"invisible {_describe_all(chars)}",
            fix=_removal_fix(a, b, r, "remove the invisible characters"),
        )


def _mojibake(doc: Document) -> tuple[list[Finding], list[Span]]:
    out: list[Finding] = []
    spans: list[Span] = []
    text = doc.text
    for a, b, r in _nz().STEPS["mojibake"].edits(text):
        spans.append(Span(a, b))
        before = text[a:b]
        out.append(
            make_finding(
                doc,
                "TQ104",
                a,
                b,
                f"mojibake: {before!r} looks like UTF-8 decoded in a legacy encoding; "
                f"probably {r!r}",
                suggestions=(r,),
                fix=_removal_fix(a, b, r, "repair the mojibake"),
            )
        )
    start = 0
    while (i := text.find("\ufffd", start)) >= 0:
        j = i + 1
        while j < len(text) and text[j] == "\ufffd":
            j += 1
        start = j
        if doc.is_masked(i, j) or any(s.start <= i < s.end for s in spans):
            continue  # quoted in code: a text about U+FFFD, not a decoding accident
        out.append(
            make_finding(
                doc,
                "TQ104",
                i,
                j,
                "U+FFFD REPLACEMENT CHARACTER: the text was decoded lossily somewhere and the "
                "original character is lost; recover it from the source",
            )
        )
    return out, spans


def _controls(doc: Document, skip: Sequence[Span]) -> Iterator[Finding]:
    text = doc.text
    for a, b, r in _runs(_nz().STEPS["controls"].edits(text)):
        if any(s.start <= a and b <= s.end for s in skip):
            continue  # C1 controls inside mojibake: TQ104 reports and repairs them
        chars = text[a:b]
        if "\x08" in chars:
            what = "backspace overstrike"
        elif chars.startswith("\x1b") and len(chars) > 1:
            what = f"terminal escape sequence {chars[1:]!r}"
        else:
            what = _describe_all(chars)
        yield make_finding(
            doc,
            "TQ105",
            a,
            b,
            f"control character: {what}",
            fix=_removal_fix(a, b, r, "remove the control characters"),
        )


def _word_scripts(word: str) -> Counter[str]:
    return Counter(s for c in word if c.isalpha() and (s := script_of(c)) is not None)


def _mixed_scripts(doc: Document) -> Iterator[Finding]:
    text = doc.text
    if text.isascii() or not _NON_LATIN_LETTER.search(text):
        return
    table = confusable_table()
    for tok in doc.tokens:
        if tok.kind != "word" or tok.text.isascii():
            continue
        scripts = _word_scripts(tok.text)
        if len(scripts) < 2 or any(set(scripts) <= allowed for allowed in _ALLOWED_SCRIPT_SETS):
            continue
        # the word's main script: most letters; ties go to Latin, then alphabetical
        main = min(scripts, key=lambda s: (-scripts[s], s != "Latin", s))
        odd = [
            (i, c)
            for i, c in enumerate(tok.text)
            if c.isalpha()
            and (s := script_of(c)) is not None
            and s != main
            and table.confusable_with(c, main)
        ]
        if not odd:
            continue
        fixed = list(tok.text)
        for i, c in odd:
            fixed[i] = table.lookalike(c, main) or c
        suggestion = "".join(fixed)
        i, c = odd[0]
        others = sorted({script_of(ch) or "" for _, ch in odd})
        message = (
            f"{tok.text!r} mixes {main} with {' and '.join(others)}: "
            f"{describe(c)} looks like {main} {(table.lookalike(c, main) or '?')!r}"
        )
        fix = None
        if suggestion != tok.text:
            fix = Fix(
                (Edit(tok.span, suggestion),),
                safe=False,
                description=f"spell the word in {main} only",
            )
        yield make_finding(
            doc,
            "TQ103",
            tok.start,
            tok.end,
            message,
            suggestions=(suggestion,) if suggestion != tok.text else (),
            fix=fix,
        )


def _odd_spaces(doc: Document) -> Iterator[Finding]:
    for m in _ODD_SPACE_RUN.finditer(doc.text):
        a, b = m.span()
        yield make_finding(
            doc,
            "TQ106",
            a,
            b,
            f"{_describe_all(m.group())} instead of a plain space",
            fix=_removal_fix(a, b, " " * (b - a), "use plain spaces"),
        )


def _curly_quotes(doc: Document) -> Iterator[Finding]:
    for m in _CURLY_RE.finditer(doc.text):
        a, b = m.span()
        plain = _nz().ascii_quotes(m.group())
        yield make_finding(
            doc,
            "TQ107",
            a,
            b,
            f"curly quote {describe(m.group())}; the plain form is {plain!r}",
            suggestions=(plain,),
            fix=_removal_fix(a, b, plain, "use a straight quote"),
        )


_STYLE_NAMES = {"em": "em dashes (—)", "en": "spaced en dashes ( – )", "hyphen": "spaced hyphens"}
_STYLE_NAME = {"em": "em dash", "en": "spaced en dash", "hyphen": "spaced hyphen"}


def _dash_style(match: str) -> str:
    if match == "\u2014":
        return "em"
    return "en" if "\u2013" in match else "hyphen"


def _dashes(doc: Document) -> Iterator[Finding]:
    text = doc.text
    if text.isascii():
        return
    found: list[tuple[int, int, str]] = []
    for m in _DASH_RE.finditer(text):
        style = _dash_style(m.group())
        a, b = m.span()
        if style != "em":
            a, b = a + 1, b - 1  # the dash, not its spaces
        if style == "hyphen" and doc.is_masked(a, b):
            continue  # ``a - b`` in code is a minus sign
        found.append((a, b, style))
    counts = Counter(s for _, _, s in found)
    if len(counts) < 2:
        return
    first = {s: i for i, (_, _, s) in reversed(list(enumerate(found)))}
    main = min(counts, key=lambda s: (-counts[s], first[s]))
    main_char = {"em": "—", "en": "–", "hyphen": "-"}[main]
    for a, b, style in found:
        if style == main:
            continue
        yield make_finding(
            doc,
            "TQ108",
            a,
            b,
            f"{_STYLE_NAME[style]} here, but this text "
            f"mostly uses {_STYLE_NAMES[main]}; use one dash style",
            suggestions=(main_char,),
        )


def _non_nfc(doc: Document) -> Iterator[Finding]:
    for a, b, r in _nz().STEPS["nfc"].edits(doc.text):
        yield make_finding(
            doc,
            "TQ109",
            a,
            b,
            f"not in Unicode NFC: {_describe_all(doc.text[a:b])} composes to {r!r}",
            fix=_removal_fix(a, b, r, "compose to NFC"),
        )


def check_document(doc: Document, ctx: Context) -> Iterable[Finding]:
    """TQ101-TQ109 on one document (the whole text, code included)."""
    out: list[Finding] = []
    text = doc.text
    if text.isascii():
        if ctx.wants("TQ105") and _ASCII_CONTROL_RE.search(text):
            out.extend(_controls(doc, ()))
        return out
    mojibake_spans: list[Span] = []
    if ctx.wants("TQ104", "TQ105"):
        found, mojibake_spans = _mojibake(doc)
        if ctx.wants("TQ104"):
            out.extend(found)
    if ctx.wants("TQ101"):
        out.extend(_bidi(doc))
    if ctx.wants("TQ102"):
        out.extend(_invisible(doc))
    if ctx.wants("TQ103"):
        out.extend(_mixed_scripts(doc))
    if ctx.wants("TQ105"):
        out.extend(_controls(doc, mojibake_spans))
    if ctx.wants("TQ106"):
        out.extend(_odd_spaces(doc))
    if ctx.wants("TQ107"):
        out.extend(_curly_quotes(doc))
    if ctx.wants("TQ108"):
        out.extend(_dashes(doc))
    if ctx.wants("TQ109"):
        out.extend(_non_nfc(doc))
    return out
