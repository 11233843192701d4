"""The one table of rules. The CLI (`textqa rules`), the docs (`docs/rules.md`) and the tests all
read it; a rule family implements the codes listed here and nothing else.

Codes: ``TQ1xx`` normalization and Unicode safety, ``TQ2xx`` repetition, ``TQ3xx``
near-duplicates, ``TQ4xx`` spelling.

>>> RULES_BY_CODE["TQ100"].name
'invalid-encoding'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from textqa.errors import UsageError
from textqa.model import Document, Finding, Fix, Related, Severity, Span

__all__ = [
    "FAMILIES",
    "RULES",
    "RULES_BY_CODE",
    "RULES_BY_NAME",
    "THRESHOLDS",
    "THRESHOLDS_BY_KEY",
    "Rule",
    "Threshold",
    "make_finding",
    "resolve_selection",
    "threshold_key",
]

Family = Literal["unicode", "repetition", "near-duplicate", "spelling"]
Scope = Literal["document", "corpus", "input"]

#: family -> (code prefix, module implementing it)
FAMILIES: dict[str, tuple[str, str]] = {
    "unicode": ("TQ1", "textqa.unicode"),
    "repetition": ("TQ2", "textqa.repetition"),
    "near-duplicate": ("TQ3", "textqa.duplicate_files"),
    "spelling": ("TQ4", "textqa.spelling"),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the rule table.

    ``scope`` says where the rule runs: ``document`` rules read one parsed document, ``corpus``
    rules compare the files checked together, ``input`` rules are raised while reading a file.
    """

    code: str
    name: str
    family: Family
    default: bool
    summary: str
    severity: Severity = "warning"
    scope: Scope = "document"
    fixable: bool = False


# -- TQ1xx: normalization and Unicode safety ----------------------------------------------
_UNICODE: tuple[Rule, ...] = (
    Rule(
        "TQ100",
        "invalid-encoding",
        "unicode",
        True,
        "The file is not valid UTF-8; the finding points at the first undecodable byte.",
        severity="error",
        scope="input",
    ),
    Rule("TQ101", "bidi-control", "unicode", True,
         "A bidi embedding, override or isolate (or a directional mark on a line without "
         "right-to-left text): the text can display differently from what it is "
         "(Trojan Source, CVE-2021-42574).", severity="error", fixable=True),
    Rule("TQ102", "invisible-character", "unicode", True,
         "An invisible character: zero-width space, soft hyphen, BOM inside the text, tag "
         "characters, stray joiners.", fixable=True),
    Rule("TQ103", "mixed-script-word", "unicode", True,
         "A word mixing scripts whose letters look alike (Latin with one Cyrillic 'а'): a "
         "homoglyph that breaks search and spelling, or a spoof."),
    Rule("TQ104", "mojibake", "unicode", True,
         "Text garbled by decoding UTF-8 in a legacy encoding ('donâ€™t'), or a U+FFFD "
         "REPLACEMENT CHARACTER.", fixable=True),
    Rule("TQ105", "control-character", "unicode", True,
         "A C0/C1 control character, terminal escape sequence or backspace overstrike "
         "(tab, newline, carriage return and form feed are fine).", fixable=True),
    Rule("TQ106", "non-breaking-space", "unicode", False,
         "A no-break, thin, hair or other non-ASCII space.", severity="info", fixable=True),
    Rule("TQ107", "curly-quotes", "unicode", False,
         "A curly quote or apostrophe (for texts kept in plain ASCII quotes).",
         severity="info", fixable=True),
    Rule("TQ108", "inconsistent-dashes", "unicode", False,
         "Parenthetical dashes in more than one style (em dashes and spaced en dashes or "
         "hyphens); the minority style is reported.", severity="info"),
    Rule("TQ109", "non-nfc", "unicode", False,
         "Text not in Unicode NFC (decomposed accents): it looks the same but compares, "
         "searches and hashes differently.", severity="info", fixable=True),
)  # fmt: skip


# -- TQ2xx: repetition --------------------------------------------------------------------
_REPETITION: tuple[Rule, ...] = (
    Rule("TQ201", "repeated-paragraph", "repetition", True,
         "A prose paragraph identical to an earlier one (whitespace and case aside); "
         "the fix deletes the repeat.", fixable=True),
    Rule("TQ202", "near-repeated-paragraph", "repetition", True,
         "A prose paragraph of 8+ words at least 90% similar to an earlier one."),
    Rule("TQ203", "repeated-line", "repetition", False,
         "A line identical to an earlier line (blank, punctuation-only and code lines "
         "ignored).", fixable=True),
    Rule("TQ204", "boilerplate-paragraph", "repetition", False,
         "A prose paragraph that occurs in several of the files checked together "
         "(3 by default).", severity="info", scope="corpus"),
)


# -- TQ3xx: near-duplicates ---------------------------------------------------------------
_NEAR_DUPLICATE: tuple[Rule, ...] = (
    Rule("TQ301", "near-duplicate-file", "near-duplicate", True,
         "A file is a near-duplicate (word 5-gram Jaccard >= 0.8, verified exactly) of a file "
         "checked before it; the finding spans the matching lines and points at the other file.",
         scope="corpus"),
)


# -- TQ4xx: spelling ----------------------------------------------------------------------
_SPELLING: tuple[Rule, ...] = (
    Rule("TQ401", "misspelling", "spelling", True,
         "A known misspelling (typos' table) with one unambiguous correction.", fixable=True),
    Rule("TQ402", "unknown-word", "spelling", False,
         "A lower-case word missing from the lexicon, one likely keystroke slip from a common "
         "word, and used only once in the run (on with `--spelling full`).",
         scope="corpus", fixable=True),
    Rule("TQ403", "stuttered-token", "spelling", True,
         "A token that is a whole repetition of a word (`thethe`, `ISISISIS`).", fixable=True),
    Rule("TQ404", "doubled-word", "spelling", True,
         "The same word twice in a row (`the the`), except legitimate doubles (`had had`).",
         fixable=True),
    Rule("TQ405", "article-anomaly", "spelling", True,
         "An article followed by a comma (`a, Islamic`), `a` before a vowel sound or `an` "
         "before a consonant sound.", fixable=True),
)


RULES: tuple[Rule, ...] = tuple(
    sorted((*_UNICODE, *_REPETITION, *_NEAR_DUPLICATE, *_SPELLING), key=lambda r: r.code)
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
RULES_BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


@dataclass(frozen=True, slots=True)
class Threshold:
    """A setting of the ``thresholds`` table (configuration key ``thresholds``): the key as the
    rule family reads it, the rules it tunes, its default and what it means."""

    key: str
    codes: tuple[str, ...]
    default: float
    summary: str


#: every key the ``thresholds`` table accepts, with its default (the families read their
#: defaults from here; a test checks that these are the keys they read)
THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("repeated_paragraph_min_words", ("TQ201",), 5,
              "paragraphs with fewer unmasked words are not compared"),
    Threshold("near_repeat_ratio", ("TQ202",), 0.9,
              "similarity (rapidfuzz ratio / 100) from which a paragraph is a near-repeat"),
    Threshold("near_repeat_min_words", ("TQ202",), 8,
              "paragraphs with fewer unmasked words are not compared"),
    Threshold("repeated_line_min_words", ("TQ203",), 4,
              "lines with fewer unmasked words are not compared"),
    Threshold("boilerplate_min_docs", ("TQ204",), 3.0,
              "files a paragraph must occur in (a value below 1 is a fraction of the files)"),
    Threshold("boilerplate_min_words", ("TQ204",), 3,
              "paragraphs with fewer unmasked words are not counted"),
    Threshold("near-duplicate-file", ("TQ301",), 0.8,
              "word 5-gram Jaccard similarity from which two files are near-duplicates"),
    Threshold("near-duplicate-min-words", ("TQ301",), 20,
              "files with fewer tokens are not compared"),
)  # fmt: skip
THRESHOLDS_BY_KEY: dict[str, Threshold] = {t.key: t for t in THRESHOLDS}


_THRESHOLD_BY_FOLDED: dict[str, str] = {t.key.replace("-", "_"): t.key for t in THRESHOLDS}


def threshold_key(key: str) -> str | None:
    """The registered spelling of a ``thresholds`` key written with dashes or underscores, or
    None when there is no such threshold.

    >>> threshold_key("near-repeat-ratio"), threshold_key("near_duplicate_file"), threshold_key("x")
    ('near_repeat_ratio', 'near-duplicate-file', None)
    """
    return _THRESHOLD_BY_FOLDED.get(key.replace("-", "_"))


def _match(selector: str) -> list[Rule]:
    sel = selector.strip()
    if sel.upper() == "ALL":
        return list(RULES)
    if sel in RULES_BY_NAME:
        return [RULES_BY_NAME[sel]]
    if sel in FAMILIES:
        return [r for r in RULES if r.family == sel]
    up = sel.upper()
    if up.startswith("TQ"):
        return [r for r in RULES if r.code.startswith(up)]
    return []


def resolve_selection(
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> frozenset[str]:
    """The codes enabled by ``select`` (default: the default-on rules), plus ``extend_select``,
    minus ``ignore``. Selectors are codes, code prefixes (``TQ4``), rule names, family names or
    ``ALL``.

    >>> sorted(resolve_selection(["TQ1"]))[:3]
    ['TQ100', 'TQ101', 'TQ102']
    >>> resolve_selection(["TQ100"], ignore=["invalid-encoding"])
    frozenset()
    """

    def expand(selectors: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for s in selectors:
            if not s.strip():
                continue
            matched = _match(s)
            if not matched and not _is_known_prefix(s):
                choices = [r.code for r in RULES] + [r.name for r in RULES] + list(FAMILIES)
                close = _closest(s, choices)
                hint = f"; did you mean {close[0]!r}?" if close else "; see `textqa rules`"
                raise UsageError(f"unknown rule selector {s!r}{hint}")
            out.update(r.code for r in matched)
        return out

    enabled = {r.code for r in RULES if r.default} if select is None else expand(select)
    enabled |= expand(extend_select)
    enabled -= expand(ignore)
    return frozenset(enabled)


def _closest(selector: str, choices: Sequence[str]) -> list[str]:
    """The closest choice (difflib ratio >= 0.6); ties go to the earliest choice, so a hint does
    not change when rules with similar codes are added later in the table.

    >>> _closest("TQ1OO", ["TQ100", "TQ201"])
    ['TQ100']
    """
    best: tuple[float, str] | None = None
    for choice in choices:
        score = difflib.SequenceMatcher(None, selector, choice).ratio()
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, choice)
    return [best[1]] if best else []


def _is_known_prefix(selector: str) -> bool:
    """A well-formed code or prefix of a family (``TQ2``, ``TQ204``) is accepted even before any
    rule of that family is registered, so configuration files stay valid across versions."""
    up = selector.strip().upper()
    return len(up) >= 3 and up[:3] in {p for p, _ in FAMILIES.values()} and up[2:].isdigit()


def make_finding(
    doc: Document,
    code: str,
    start: int,
    end: int,
    message: str,
    *,
    suggestions: Sequence[str] = (),
    related: Sequence[Related] = (),
    fix: Fix | None = None,
    confidence: float = 1.0,
) -> Finding:
    """Build a finding for rule ``code`` on ``doc[start:end]`` with positions filled in."""
    rule = RULES_BY_CODE[code]
    return Finding(
        code=code,
        name=rule.name,
        family=rule.family,
        severity=rule.severity,
        message=message,
        span=Span(start, end),
        start=doc.position(start),
        end=doc.position(end),
        path=doc.path,
        suggestions=tuple(suggestions),
        related=tuple(related),
        fix=fix,
        confidence=confidence,
    )
