"""Repetition inside one document and across the files checked together.

Rules (see ``docs/repetition.md`` for the precise definitions):

* TQ201 ``repeated-paragraph`` (on): a prose paragraph whose normalized key equals an earlier
  paragraph's; the finding sits on the repeat, with the first copy as related location and a
  safe fix that deletes the repeat (with the blank lines before it).
* TQ202 ``near-repeated-paragraph`` (on): a prose paragraph of at least 8 words whose key is at
  least 90 % similar (rapidfuzz ``ratio``) to an earlier paragraph's, without being equal.
* TQ203 ``repeated-line`` (off): a line equal to an earlier line; blank lines, lines of only
  punctuation, masked markup (code, table rules) and lines of repeated paragraphs are ignored.
* TQ204 ``boilerplate-paragraph`` (off, corpus scope): a prose paragraph that occurs in at least
  ``boilerplate_min_docs`` of the files checked together.

Only paragraphs with ``prose=True`` count: code blocks and other masked markup never repeat.
The key of a paragraph or line is :func:`repetition_key`: whitespace runs collapsed to one space,
ends stripped, case folded, nothing else.

>>> from textqa import check
>>> para = "A first paragraph with some words."
>>> text = f"{para}\\n\\nMiddle.\\n\\n{para.upper()}\\n"
>>> [(f.code, str(f.start), f.related[0].line) for f in check(text)]
[('TQ201', '5:1', 1)]
"""

from __future__ import annotations

import bisect
import math
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textqa.errors import ConfigError
from textqa.markup import indent_width
from textqa.model import Document, Edit, Finding, Fix, Paragraph, Position, Related, Span
from textqa.rules import RULES_BY_CODE, THRESHOLDS_BY_KEY, make_finding

if TYPE_CHECKING:
    from textqa.check import Context

__all__ = [
    "DEFAULT_BOILERPLATE_MIN_DOCS",
    "DEFAULT_NEAR_REPEAT_MIN_WORDS",
    "DEFAULT_NEAR_REPEAT_RATIO",
    "DEFAULT_REPEATED_LINE_MIN_WORDS",
    "DEFAULT_REPEATED_PARAGRAPH_MIN_WORDS",
    "BoilerplateChecker",
    "Repeat",
    "check_document",
    "corpus_checker",
    "is_list_like",
    "is_section_boundary",
    "key_hash",
    "masked_key",
    "min_docs_for",
    "near_repeated_paragraphs",
    "paragraph_indent",
    "paragraph_scopes",
    "remove_paragraph_edit",
    "repeated_lines",
    "repeated_paragraphs",
    "repetition_key",
]

# The defaults come from the threshold table (`textqa.rules.THRESHOLDS`), where the settings
# that override them are documented.
#: TQ201 ignores paragraphs with fewer unmasked words (short headings such as "Examples" or
#: "See also" legitimately repeat); setting ``repeated_paragraph_min_words``
DEFAULT_REPEATED_PARAGRAPH_MIN_WORDS = int(
    THRESHOLDS_BY_KEY["repeated_paragraph_min_words"].default
)
#: TQ202 compares paragraphs of at least this many unmasked words; ``near_repeat_min_words``
DEFAULT_NEAR_REPEAT_MIN_WORDS = int(THRESHOLDS_BY_KEY["near_repeat_min_words"].default)
#: TQ202 similarity threshold (rapidfuzz ``ratio`` / 100); ``near_repeat_ratio``
DEFAULT_NEAR_REPEAT_RATIO = THRESHOLDS_BY_KEY["near_repeat_ratio"].default
#: TQ203 ignores lines with fewer unmasked words; ``repeated_line_min_words``
DEFAULT_REPEATED_LINE_MIN_WORDS = int(THRESHOLDS_BY_KEY["repeated_line_min_words"].default)
#: TQ204: a paragraph in at least this many files is boilerplate (a value below 1 is a fraction
#: of the files checked); ``boilerplate_min_docs``
DEFAULT_BOILERPLATE_MIN_DOCS = THRESHOLDS_BY_KEY["boilerplate_min_docs"].default
#: TQ204 ignores paragraphs with fewer unmasked words; ``boilerplate_min_words``
DEFAULT_BOILERPLATE_MIN_WORDS = int(THRESHOLDS_BY_KEY["boilerplate_min_words"].default)


def repetition_key(text: str) -> str:
    """The comparison key of a paragraph or line: whitespace runs (any Unicode whitespace,
    line breaks and NO-BREAK SPACE included) collapsed to one space, ends stripped, case folded.

    >>> repetition_key("  The  Cat\\n sat.\\u00a0Done ")
    'the cat sat. done'
    """
    return " ".join(text.split()).casefold()


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a key (the same on every run and machine, unlike ``hash``).

    >>> key_hash("navigation") == key_hash("navigation"), key_hash("a") != key_hash("b")
    (True, True)
    """
    import hashlib  # noqa: PLC0415 -- OpenSSL's loading is paid only by TQ204 and boilerplate

    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def min_docs_for(min_docs: float, n_docs: int) -> int:
    """The document count a key needs to be boilerplate: ``min_docs`` itself when it is 1 or more
    (rounded down), else that fraction of ``n_docs`` rounded up; never below 2.

    >>> min_docs_for(3, 100), min_docs_for(0.3, 100), min_docs_for(0.001, 10)
    (3, 30, 2)
    """
    if min_docs <= 0 or math.isnan(min_docs):
        raise ValueError(f"min_docs must be positive, got {min_docs}")
    need = int(min_docs) if min_docs >= 1 else math.ceil(min_docs * n_docs - 1e-9)
    return max(2, need)


# -- shared helpers -----------------------------------------------------------------------
class _WordIndex:
    """Counts the unmasked words of a document in any span (bisect over word starts)."""

    def __init__(self, doc: Document) -> None:
        self.starts = doc.word_starts

    def count(self, start: int, end: int) -> int:
        return bisect.bisect_left(self.starts, end) - bisect.bisect_left(self.starts, start)


@dataclass(frozen=True, slots=True)
class Repeat:
    """A repeated unit (paragraph or line) ``span`` and the first copy ``first``.

    ``similarity`` is 1.0 for exact repeats and the rapidfuzz ratio (0..1) for near-repeats.
    """

    span: Span
    first: Span
    similarity: float = 1.0


@dataclass(frozen=True, slots=True)
class _Analysis:
    """What every repetition rule reads from one document, computed once: the word index and
    each prose paragraph with its key, unmasked word count and scope (`paragraph_scopes`)."""

    doc: Document
    words: _WordIndex
    prose: tuple[tuple[Paragraph, str, int, tuple[int, int]], ...]
    listlike: frozenset[int]


_last: list[_Analysis] = []
_LIST_ITEM_RE = re.compile(r"(?:[-*+•]|#\.|\d{1,9}[.)]|\(\d{1,9}\)|[A-Za-z][.)])\s")


def is_list_like(doc: Document, paragraph: Paragraph) -> bool:
    """True for a list item (``*``, ``-``, ``+``, ``1.``, ``(1)``, ``a)``, ``#.``), a
    definition-list entry (a term line followed by more indented lines) or a table row block
    (lines starting with ``|`` or ``+-``): parallel items legitimately differ by a word or two,
    so TQ202 leaves them alone.

    >>> from textqa import parse
    >>> doc = parse("* item one\\n\\nTerm\\n   definition\\n\\n| a | b |\\n\\nPlain text.")
    >>> [is_list_like(doc, p) for p in doc.paragraphs]
    [True, True, True, False]
    """
    body = doc.text[paragraph.start : paragraph.end]
    if "\r" in body:
        lines = doc.lines[paragraph.first_line - 1 : paragraph.last_line]
        raws = [doc.text[line.start : line.end] for line in lines]
    else:
        raws = body.split("\n")
    first = raws[0].lstrip()
    if _LIST_ITEM_RE.match(first) or first.startswith(("|", "+-")):
        return True
    if len(raws) > 1 and len(raws[1]) - len(raws[1].lstrip()) > len(raws[0]) - len(first):
        return True
    return any(r.lstrip().startswith(("|", "+-")) for r in raws[1:])


def is_section_boundary(doc: Document, paragraph: Paragraph) -> bool:
    """True for a paragraph that starts a new part of the document: a non-prose block (code,
    a reST directive such as ``.. method::``, a table rule), a Markdown ``#`` heading, or a
    title with an underline or overline of punctuation (reST, Markdown setext).

    >>> from textqa import parse
    >>> doc = parse("Title\\n=====\\n\\n# Heading\\n\\nPlain text.\\n\\n```\\ncode\\n```", "a.md")
    >>> [is_section_boundary(doc, p) for p in doc.paragraphs]
    [True, True, False, True]
    """
    body = doc.text[paragraph.start : paragraph.end]
    if not paragraph.prose or (doc.kind == "markdown" and body.lstrip().startswith("#")):
        return True
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")  # the pattern's lines end at \n
    return _UNDERLINE_LINE_RE.search(body) is not None


#: a line of one punctuation character repeated (a reST or setext title underline or overline)
_UNDERLINE_LINE_RE = re.compile(r"^[^\S\n]*([=\-~^\"'`#*+:._<>])\1{2,}[^\S\n]*$", re.MULTILINE)


def _first_line(doc: Document, paragraph: Paragraph) -> str:
    return doc.text[paragraph.start : doc.lines[paragraph.first_line - 1].end]


def paragraph_indent(doc: Document, paragraph: Paragraph) -> int:
    """The indentation of the paragraph's first line, tabs expanded to multiples of 4.

    >>> from textqa import parse
    >>> doc = parse("Term\\n\\n   Definition.\\n\\n\\tTabbed.")
    >>> [paragraph_indent(doc, p) for p in doc.paragraphs]
    [0, 3, 4]
    """
    return indent_width(_first_line(doc, paragraph))


def paragraph_scopes(doc: Document) -> list[tuple[int, int]]:
    """``(section, parent)`` of every paragraph: two paragraphs are compared for repeats only
    when both are equal.

    * ``section`` counts the `is_section_boundary` paragraphs up to this one;
    * ``parent`` is the index of the block the paragraph belongs to, or -1: the nearest
      earlier paragraph indented less than this one, when indentation makes a block: in
      reST always (a definition-list term, a list item, a directive whose body it is), in
      Markdown and plain text only under a list item (elsewhere a little indentation means
      nothing). Reference docs repeat a sentence under every entry on purpose
      (``See :pep:`484`.`` under two glossary terms); a paragraph pasted twice sits in one
      block.

    >>> from textqa import parse
    >>> doc = parse("A\\n\\nterm\\n\\n   Body.\\n\\nother\\n\\n   Body.\\n\\nZ", "a.rst")
    >>> paragraph_scopes(doc)
    [(0, -1), (0, -1), (0, 1), (0, -1), (0, 3), (0, -1)]
    >>> doc = parse("- one\\n\\n  Body.\\n\\nText.\\n\\n  Body.", "a.md")
    >>> paragraph_scopes(doc)
    [(0, -1), (0, 0), (0, -1), (0, -1)]
    """
    scopes: list[tuple[int, int]] = []
    stack: list[tuple[int, int, bool]] = []  # (indent, index, opens a block); indents rising
    structural = doc.kind == "rst"
    match_item = _LIST_ITEM_RE.match
    section = 0
    for p in doc.paragraphs:
        if is_section_boundary(doc, p):
            section += 1
        line = _first_line(doc, p)
        first = line.lstrip()
        indent = indent_width(line)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        scopes.append((section, stack[-1][1] if stack and stack[-1][2] else -1))
        # a list item opens with a marker character, or one letter or digit and ``.``/``)``
        opens = structural or (
            (first[:1] in _ITEM_OPENERS or first[1:2] in (".", ")") or first[:1].isdigit())
            and match_item(first) is not None
        )
        stack.append((indent, p.index, opens))
    return scopes


_ITEM_OPENERS = frozenset("-*+•#(")


def _analyse(doc: Document) -> _Analysis:
    """The analysis of ``doc``; the last one is kept, so the rules and the TQ204 checker,
    called one after the other on the same document, share it."""
    if _last and _last[0].doc is doc:
        return _last[0]
    words = _WordIndex(doc)
    prose: list[tuple[Paragraph, str, int, tuple[int, int]]] = []
    listlike: set[int] = set()
    for p, scope in zip(doc.paragraphs, paragraph_scopes(doc), strict=True):
        if p.prose:
            key = repetition_key(doc.text[p.start : p.end])
            prose.append((p, key, words.count(p.start, p.end), scope))
            if is_list_like(doc, p):
                listlike.add(p.index)
    analysis = _Analysis(doc, words, tuple(prose), frozenset(listlike))
    _last[:] = [analysis]
    return analysis


def _candidate_paragraphs(
    doc: Document, min_words: int
) -> Iterator[tuple[Paragraph, str, tuple[int, int]]]:
    """``(paragraph, key, scope)`` of the prose paragraphs with at least ``min_words``."""
    for p, key, n, scope in _analyse(doc).prose:
        if n >= min_words:
            yield p, key, scope


def repeated_paragraphs(
    doc: Document, *, min_words: int = DEFAULT_REPEATED_PARAGRAPH_MIN_WORDS
) -> list[tuple[Paragraph, Paragraph]]:
    """``(repeat, first)`` for every prose paragraph whose key equals an earlier one's in the
    same scope (`paragraph_scopes`: no `is_section_boundary` paragraph between them, and the
    same enclosing block; reference docs repeat sentences under each ``.. method::``,
    heading or definition-list term on purpose).

    Linear time: one dictionary from key to first paragraph.

    >>> from textqa import parse
    >>> doc = parse("One two three four five.\\n\\nx\\n\\nOne two  three four five.")
    >>> [(r.index, f.index) for r, f in repeated_paragraphs(doc)]
    [(2, 0)]
    """
    first: dict[tuple[tuple[int, int], str], Paragraph] = {}
    out: list[tuple[Paragraph, Paragraph]] = []
    for p, key, scope in _candidate_paragraphs(doc, min_words):
        original = first.setdefault((scope, key), p)
        if original is not p:
            out.append((p, original))
    return out


def _length_allows(lengths: Sequence[int], n: int, ratio: float) -> bool:
    """True when some length ``m`` in the sorted ``lengths`` can reach a `fuzz.ratio` of
    ``ratio`` with a string of length ``n``.

    >>> _length_allows([10, 50], 45, 0.9), _length_allows([10, 30], 45, 0.9)
    (True, False)
    """
    if not lengths:
        return False
    if ratio <= 0:
        return True
    if ratio > 1:
        return False  # no similarity exceeds 1
    low = n * ratio / (2.0 - ratio) - 1e-9
    high = n * (2.0 - ratio) / ratio + 1e-9
    i = bisect.bisect_left(lengths, low)
    return i < len(lengths) and lengths[i] <= high


_ALNUM_RE = re.compile(r"[^\W_]")  # a character for which str.isalnum() is true


def masked_key(doc: Document, paragraph: Paragraph) -> str:
    """The paragraph's `repetition_key` with every masked run (code, names, markup) replaced by
    one U+0000: two paragraphs with equal masked keys differ only inside markup.

    >>> from textqa import parse
    >>> doc = parse("Use ``a`` here.\\n\\nUse ``bb`` here.\\n", kind="rst")
    >>> [masked_key(doc, p) for p in doc.paragraphs]
    ['use \\x00 here.', 'use \\x00 here.']
    """
    masked = doc.masked
    i = bisect.bisect_right(masked, paragraph.start, key=_START) - 1
    if i < 0 or masked[i].end <= paragraph.start:
        i += 1
    pieces = []
    pos = paragraph.start
    while i < len(masked) and masked[i].start < paragraph.end:
        pieces.append(doc.text[pos : max(pos, masked[i].start)])
        pieces.append("\x00")
        pos = max(pos, min(masked[i].end, paragraph.end))
        i += 1
    pieces.append(doc.text[pos : paragraph.end])
    return repetition_key("".join(pieces))


_START = operator.attrgetter("start")


def near_repeated_paragraphs(
    doc: Document,
    *,
    ratio: float = DEFAULT_NEAR_REPEAT_RATIO,
    min_words: int = DEFAULT_NEAR_REPEAT_MIN_WORDS,
) -> list[tuple[Paragraph, Paragraph, float]]:
    """``(paragraph, most similar earlier paragraph, similarity)`` for prose paragraphs of at
    least ``min_words`` words whose key is at least ``ratio`` similar (rapidfuzz ``fuzz.ratio``
    / 100, the normalized Indel similarity) to an earlier, different key of the same scope
    (`paragraph_scopes`).
    Exact repeats are TQ201's and are skipped; list items, definition-list entries and table
    rows (`is_list_like`) are neither reported nor compared. Ties go to the earliest paragraph.

    >>> from textqa import parse
    >>> a = "The quick brown fox jumps over the lazy dog near the river bank."
    >>> doc = parse(a + "\\n\\n" + a.replace("quick", "quiet"))
    >>> [(p.index, q.index, round(s, 3)) for p, q, s in near_repeated_paragraphs(doc)]
    [(1, 0, 0.969)]
    """
    listlike = _analyse(doc).listlike
    candidates = [c for c in _candidate_paragraphs(doc, min_words) if c[0].index not in listlike]
    if len(candidates) < 2:
        return []
    cutoff = ratio * 100.0

    class _Scope:  # the keys met so far in one scope
        __slots__ = ("keys", "lengths", "owners", "seen")

        def __init__(self) -> None:
            self.keys: list[str] = []
            self.lengths: list[int] = []  # of the keys, sorted
            self.owners: list[Paragraph] = []
            self.seen: set[str] = set()

    scopes: dict[tuple[int, int], _Scope] = {}
    out: list[tuple[Paragraph, Paragraph, float]] = []
    for p, key, scope in candidates:
        sc = scopes.get(scope)
        if sc is None:
            sc = scopes[scope] = _Scope()
        keys, lengths, owners, seen = sc.keys, sc.lengths, sc.owners, sc.seen
        if key in seen:
            continue
        # The Indel distance is at least the length difference, so a similarity of ``ratio``
        # needs |n - m| <= (1 - ratio)(n + m), that is m in [n r / (2 - r), n (2 - r) / r];
        # rapidfuzz (imported on first use: a small file seldom needs it) compares only when
        # some earlier key's length is in that range.
        n = len(key)
        best = None
        if _length_allows(lengths, n, ratio):
            from rapidfuzz import fuzz, process  # noqa: PLC0415

            # the best earlier key (the first of equal scores) that differs outside markup:
            # paragraphs alike but for their code or names (``:class:`X` ... :class:`Y```)
            # are parallel reference text, not a paragraph pasted and edited
            best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff)
            if best is not None and masked_key(doc, owners[best[2]]) == masked_key(doc, p):
                best = None
                found = process.extract(
                    key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
                )
                for choice in sorted(found, key=lambda r: (-r[1], r[2])):
                    if masked_key(doc, owners[choice[2]]) != masked_key(doc, p):
                        best = choice
                        break
        if best is not None:
            out.append((p, owners[best[2]], best[1] / 100.0))
        seen.add(key)
        keys.append(key)
        bisect.insort(lengths, len(key))
        owners.append(p)
    return out


def repeated_lines(
    doc: Document,
    *,
    min_words: int = DEFAULT_REPEATED_LINE_MIN_WORDS,
    skip: Sequence[Span] = (),
) -> list[Repeat]:
    """Lines equal (by key) to an earlier line. Ignored: blank lines, lines without a letter or
    digit, lines of non-prose paragraphs (code blocks, table rules), lines with fewer than
    ``min_words`` unmasked words, and lines inside a ``skip`` span (e.g. repeated paragraphs).
    Spans cover the line without its surrounding whitespace.

    >>> from textqa import parse
    >>> doc = parse("- a line with four words\\n- other\\n- a line  with four words\\n")
    >>> [(doc.position(r.span.start).line, doc.position(r.first.start).line)
    ...  for r in repeated_lines(doc)]
    [(3, 1)]
    """
    words = _analyse(doc).words
    non_prose = [p.span for p in doc.paragraphs if not p.prose]
    excluded = sorted([*non_prose, *skip])
    ex_starts = [s.start for s in excluded]
    first: dict[str, Span] = {}
    out: list[Repeat] = []
    text = doc.text
    alnum = _ALNUM_RE.search
    for _, line_start, line_end, _ in doc.lines:
        raw = text[line_start:line_end]
        stripped = raw.strip()
        if not stripped or alnum(stripped) is None:
            continue
        start = line_start + len(raw) - len(raw.lstrip())
        end = start + len(stripped)
        i = bisect.bisect_right(ex_starts, start) - 1
        if i >= 0 and excluded[i].end >= end:
            continue
        if words.count(start, end) < min_words:
            continue
        span = Span(start, end)
        key = repetition_key(stripped)
        original = first.setdefault(key, span)
        if original is not span:
            out.append(Repeat(span, original))
    return out


def remove_paragraph_edit(doc: Document, paragraph: Paragraph) -> Edit:
    """The edit deleting ``paragraph`` together with the line break and blank lines before it,
    so the text around it keeps its shape. The paragraph must not be the first one.

    >>> from textqa import parse
    >>> doc = parse("A.\\n\\nB.\\n\\nA.\\n")
    >>> e = remove_paragraph_edit(doc, doc.paragraphs[2])
    >>> doc.text[: e.span.start] + doc.text[e.span.end :]
    'A.\\n\\nB.\\n'
    """
    if paragraph.index == 0:
        raise ValueError("the first paragraph has no paragraph before it")
    prev = doc.paragraphs[paragraph.index - 1]
    return Edit(Span(prev.end, paragraph.end), "")


# -- the rule family entry points ---------------------------------------------------------
def _trimmed(doc: Document, p: Paragraph) -> Span:
    """The paragraph without its leading indentation (findings point at the first character)."""
    raw = doc.text[p.start : p.end]
    return Span(p.start + len(raw) - len(raw.lstrip()), p.end)


def _related(doc: Document, span: Span, message: str) -> Related:
    start = doc.position(span.start)
    end = doc.position(span.end)
    return Related(doc.path, start.line, start.column, end.line, end.column, message)


def _threshold_int(ctx: Context, key: str, default: int) -> int:
    return max(1, int(ctx.settings.threshold(key, default)))


def check_document(doc: Document, ctx: Context) -> Iterable[Finding]:
    """TQ201, TQ202 and TQ203 on one document."""
    out: list[Finding] = []
    repeated: list[Span] = []
    if ctx.wants("TQ201"):
        min_words = _threshold_int(
            ctx, "repeated_paragraph_min_words", DEFAULT_REPEATED_PARAGRAPH_MIN_WORDS
        )
        repeats = repeated_paragraphs(doc, min_words=min_words)
        # Deleting a paragraph that opens a block (the next paragraph that stays is indented
        # more) would hand its block to another paragraph and change what the block means: that
        # deletion is left to a person (an unsafe fix). Decided from the last repeat back, so
        # the paragraphs kept after the safe deletions are exactly the ones judged here, and
        # fixing a fixed text changes nothing.
        deleted: set[int] = set()
        for p, _ in reversed(repeats):
            nxt = p.index + 1
            while nxt in deleted:
                nxt += 1
            if nxt >= len(doc.paragraphs) or paragraph_indent(
                doc, doc.paragraphs[nxt]
            ) <= paragraph_indent(doc, p):
                deleted.add(p.index)
        for p, first in repeats:
            repeated.append(p.span)  # its lines are not reported again by TQ203
            line = first.first_line
            safe = p.index in deleted
            fix = Fix(
                (remove_paragraph_edit(doc, p),),
                safe=safe,
                description=f"remove the repeated paragraph (first copy at line {line})"
                + ("" if safe else "; the indented block after it stays"),
            )
            out.append(
                make_finding(
                    doc,
                    "TQ201",
                    _trimmed(doc, p).start,
                    p.end,
                    f"paragraph repeats the paragraph at line {line}",
                    related=(_related(doc, _trimmed(doc, first), "first copy"),),
                    fix=fix,
                )
            )
    if ctx.wants("TQ202"):
        ratio = ctx.settings.threshold("near_repeat_ratio", DEFAULT_NEAR_REPEAT_RATIO)
        min_words = _threshold_int(ctx, "near_repeat_min_words", DEFAULT_NEAR_REPEAT_MIN_WORDS)
        for p, first, sim in near_repeated_paragraphs(doc, ratio=ratio, min_words=min_words):
            pct = math.floor(sim * 1000) / 10
            out.append(
                make_finding(
                    doc,
                    "TQ202",
                    _trimmed(doc, p).start,
                    p.end,
                    f"paragraph is {pct:g}% similar to the paragraph at line {first.first_line}",
                    related=(_related(doc, _trimmed(doc, first), f"{pct:g}% similar"),),
                    confidence=sim,
                )
            )
    if ctx.wants("TQ203"):
        min_words = _threshold_int(ctx, "repeated_line_min_words", DEFAULT_REPEATED_LINE_MIN_WORDS)
        for r in repeated_lines(doc, min_words=min_words, skip=repeated):
            line = doc.position(r.first.start).line
            li = doc.lines[doc.position(r.span.start).line - 1]
            out.append(
                make_finding(
                    doc,
                    "TQ203",
                    r.span.start,
                    r.span.end,
                    f"line repeats line {line}",
                    related=(_related(doc, r.first, "first copy"),),
                    fix=Fix(
                        (Edit(Span(li.start, li.next_start), ""),),
                        safe=False,
                        description="delete the repeated line",
                    ),
                )
            )
    return out


@dataclass(slots=True)
class _Occurrence:
    key: int
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


class BoilerplateChecker:
    """TQ204 over the documents checked together.

    Memory: one counter per distinct paragraph key (a 64-bit hash, never the text), plus
    per document the hash and position of each candidate paragraph (a few integers each), so
    the findings can be written once every document has been counted.
    """

    def __init__(
        self,
        *,
        min_docs: float = DEFAULT_BOILERPLATE_MIN_DOCS,
        min_words: int = DEFAULT_BOILERPLATE_MIN_WORDS,
    ) -> None:
        min_docs_for(min_docs, 1)  # validate early
        self.min_docs = min_docs
        self.min_words = min_words
        self.doc_count: dict[int, int] = {}
        self.first: dict[int, tuple[str | None, int, int]] = {}
        self.docs: list[tuple[str | None, list[_Occurrence]]] = []

    def add(self, doc: Document) -> None:
        self.add_summary(self.summarize(doc))

    def summarize(self, doc: Document) -> tuple[str | None, list[_Occurrence]]:
        """What the checker keeps of one document (computed where the document was parsed,
        e.g. in a ``--jobs`` worker process): its path and candidate paragraphs."""
        occurrences: list[_Occurrence] = []
        for p, key, _ in _candidate_paragraphs(doc, self.min_words):
            h = key_hash(key)
            span = _trimmed(doc, p)
            start, end = doc.position(span.start), doc.position(span.end)
            occurrences.append(
                _Occurrence(h, span.start, span.end, start.line, start.column, end.line, end.column)
            )
        return doc.path, occurrences

    def add_summary(self, summary: tuple[str | None, list[_Occurrence]]) -> None:
        """Count one document from its :meth:`summarize` result (in input order)."""
        path, occurrences = summary
        seen: set[int] = set()
        for o in occurrences:
            if o.key not in seen:
                seen.add(o.key)
                self.doc_count[o.key] = self.doc_count.get(o.key, 0) + 1
                self.first.setdefault(o.key, (path, o.line, o.column))
        self.docs.append((path, occurrences))

    def findings(self) -> Iterable[Finding]:
        rule = RULES_BY_CODE["TQ204"]
        need = min_docs_for(self.min_docs, len(self.docs))
        total = len(self.docs)
        for path, occurrences in self.docs:
            for o in occurrences:
                n = self.doc_count[o.key]
                if n < need:
                    continue
                fpath, fline, fcol = self.first[o.key]
                related: tuple[Related, ...] = ()
                if (fpath, fline, fcol) != (path, o.line, o.column):
                    related = (Related(fpath, fline, fcol, message="first occurrence"),)
                yield Finding(
                    code=rule.code,
                    name=rule.name,
                    family=rule.family,
                    severity=rule.severity,
                    message=f"boilerplate: this paragraph occurs in {n} of {total} files",
                    span=Span(o.start, o.end),
                    start=Position(o.line, o.column),
                    end=Position(o.end_line, o.end_column),
                    path=path,
                    related=related,
                )


def corpus_checker(ctx: Context) -> BoilerplateChecker:
    """TQ204's checker (settings ``boilerplate_min_docs``, ``boilerplate_min_words``)."""
    min_docs = ctx.settings.threshold("boilerplate_min_docs", DEFAULT_BOILERPLATE_MIN_DOCS)
    if not min_docs > 0:
        raise ConfigError(
            "thresholds.boilerplate_min_docs: expected a count >= 1 or a fraction in (0, 1), "
            f"got {min_docs:g}"
        )
    return BoilerplateChecker(
        min_docs=min_docs,
        min_words=_threshold_int(ctx, "boilerplate_min_words", DEFAULT_BOILERPLATE_MIN_WORDS),
    )
