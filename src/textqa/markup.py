"""Markup masking: the spans of a text that are not prose.

Prose rules (spelling, repetition) never report inside a masked span; Unicode-safety rules
still read everything. Masking is by file kind:

* every kind: URLs, e-mail addresses, command-line options, dotted/call identifiers, paths;
* Markdown: YAML front matter, fenced and indented code blocks, inline code, HTML comments and
  tags, link targets and reference definitions;
* reStructuredText: literal blocks (``::``), code-like directives with their content, directive
  arguments and options, comments, hyperlink targets, inline literals, roles, interpreted text,
  doctest blocks, field names.

>>> text = "See `x = 1` at https://example.org/a_b."
>>> [text[s.start:s.end] for s in mask(text, "markdown")]
['`x = 1`', 'https://example.org/a_b']
"""

from __future__ import annotations

import bisect
import itertools
import operator
import os
import re
from collections.abc import Iterable, Sequence

import regex

from textqa._lazy import LazyPattern
from textqa.model import FileKind, Span, Token
from textqa.tokenize import TokenColumns, token_columns

__all__ = ["kind_for_path", "line_spans", "mask", "merge_spans"]

_MARKDOWN_EXT = {".md", ".markdown", ".mdown", ".mkd", ".mdx"}
_RST_EXT = {".rst", ".rest", ".rst.txt"}


def kind_for_path(path: str | None) -> FileKind:
    """The file kind implied by a file name.

    >>> kind_for_path("README.md"), kind_for_path("index.rst"), kind_for_path("notes.txt")
    ('markdown', 'rst', 'text')
    """
    if not path:
        return "text"
    ext = os.path.splitext(path)[1].lower()
    if ext in _MARKDOWN_EXT:
        return "markdown"
    if ext in _RST_EXT:
        return "rst"
    return "text"


def merge_spans(spans: Iterable[tuple[int, int]]) -> tuple[Span, ...]:
    """Sort and merge overlapping or touching ranges.

    >>> merge_spans([(5, 8), (0, 2), (1, 3), (8, 9)])
    (Span(start=0, end=3), Span(start=5, end=9))
    """
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple(Span(s, e) for s, e in out)


# -- patterns shared by every kind --------------------------------------------------------
_URL_RE = regex.compile(
    r"(?:\b(?:https?|ftp|file|mailto|ssh|git)://|\bwww\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}’”]"
)
_EMAIL_DOMAIN_RE = regex.compile(r"(?<=[\w.+-])@[\w-]+(?:\.[\w-]+)+\b")
# Each pattern opens with a literal character and tests what precedes it afterwards: a regex
# engine skips ahead to that character instead of trying every position. (Separate patterns
# may overlap where one alternation would not; the masked spans are merged either way.)
#: command-line options, after a space, ``(``, ``[``, ``,``, ``=`` or at the start
_OPTION_RE = regex.compile(r"-(?<![^\s(\[,=]-)-?[A-Za-z][\w-]*(?:=\S*)?")
#: paths: /usr/bin/x, ./a/b, ~/x
_PATH_RE = regex.compile(r"(?<![\w/])(?:~|\.{1,2})?/[\w.@+-]+(?:/[\w.@+-]*)+")


def _emails(text: str, out: list[tuple[int, int]]) -> None:
    """E-mail addresses, found from their ``@`` (a scan per word start would cost far more)."""
    if "@" not in text:
        return
    for m in _EMAIL_DOMAIN_RE.finditer(text):
        j = m.start()
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_.+-"):
            j -= 1
        out.append((j, m.end()))


def _ident_start(word: str) -> bool:
    c = word[0]
    return c == "_" or (c.isascii() and c.isalpha())


#: the end of a word followed by ``.name`` or ``()``: where dotted names and calls are
_DOT_CALL_RE = re.compile(r"[.(](?<=\w[.(])(?:(?<=\.)(?=[A-Za-z_])|(?<=\()\))")


def _as_columns(words: TokenColumns | Sequence[Token]) -> TokenColumns:
    """Token columns, from columns or from `textqa.model.Token` objects."""
    if isinstance(words, TokenColumns):
        return words
    return TokenColumns(
        [t.text for t in words], [t.start for t in words], [t.end for t in words],
        [t.kind for t in words],
    )  # fmt: skip


def identifier_spans(text: str, words: TokenColumns | Sequence[Token]) -> list[tuple[int, int]]:
    """Spans of identifiers among the tokens: ``snake_case`` and ``_private`` names, dotted
    names (``os.path.join``) and calls (``open()``), with a trailing ``()`` included.

    >>> from textqa.tokenize import token_columns
    >>> text = "Use os.path.join() or my_var, not open() nor 3.14."
    >>> [text[s:e] for s, e in identifier_spans(text, token_columns(text))]
    ['my_var', 'os.path.join()', 'open()']
    """
    texts, starts, ends, _ = _as_columns(words)
    out = list(
        itertools.compress(
            zip(starts, ends, strict=True), map(operator.contains, texts, itertools.repeat("_"))
        )
    )
    n = len(texts)
    done = -1  # index of the last token already consumed by a dotted chain
    for m in _DOT_CALL_RE.finditer(text):
        i = bisect.bisect_left(ends, m.start())
        if i >= n or i <= done or ends[i] != m.start() or not _ident_start(texts[i]):
            continue
        start = starts[i]
        end = ends[i]
        j = i
        while (
            j + 1 < n
            and starts[j + 1] == end + 1
            and text[end] == "."
            and _ident_start(texts[j + 1])
        ):
            j += 1
            end = ends[j]
        if text.startswith("()", end):
            end += 2
        done = j
        out.append((start, end))
    return out


def _common(
    text: str, out: list[tuple[int, int]], words: TokenColumns | Sequence[Token] | None
) -> None:
    if "://" in text or "www." in text:
        out.extend(m.span() for m in _URL_RE.finditer(text))
    for rx in (_OPTION_RE, _PATH_RE):
        out.extend(m.span() for m in rx.finditer(text))
    _emails(text, out)
    out.extend(identifier_spans(text, token_columns(text) if words is None else words))


_EOL_RE = regex.compile(r"\r\n|\r|\n")


def line_spans(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, next_start)`` of every line; ``\\n``, ``\\r\\n`` and ``\\r`` all end a line.

    >>> line_spans("a\\r\\nb\\rc\\n")
    [(0, 1, 3), (3, 4, 5), (5, 6, 7), (7, 7, 7)]
    """
    if "\r" not in text:
        # the common case, without a Python-level step per line: lengths and running sums
        lengths = list(map(len, text.split("\n")))
        starts = [0, *itertools.accumulate(map(operator.add, lengths[:-1], itertools.repeat(1)))]
        ends = list(map(operator.add, starts, lengths))
        return list(zip(starts, ends, [*starts[1:], len(text)], strict=True))
    out: list[tuple[int, int, int]] = []
    pos = 0
    for m in _EOL_RE.finditer(text):
        out.append((pos, m.start(), m.end()))
        pos = m.end()
    out.append((pos, len(text), len(text)))
    return out


def indent_width(line: str) -> int:
    """The width of the line's leading whitespace, tabs expanded to multiples of 4.

    >>> indent_width("   x"), indent_width("\\t x"), indent_width(" \\tx")
    (3, 5, 4)
    """
    n = len(line) - len(line.lstrip())
    if "\t" not in line[:n]:
        return n
    expanded = line[:n].expandtabs(4)
    return len(expanded)


# -- Markdown -----------------------------------------------------------------------------
_FENCE_RE = LazyPattern(r"^ {0,3}(`{3,}|~{3,})", engine="regex")
_LIST_RE = LazyPattern(r"^\s*(?:[-*+]|\d{1,9}[.)])\s", engine="regex")
#: Markdown inline markup (compiled on the first Markdown document, like every pattern of one
#: kind: a check of plain text never compiles them)
_MD_INLINE = [
    LazyPattern(r"(?s)<!--.*?(?:-->|\Z)", engine="regex"),
    LazyPattern(r"(?s)(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", engine="regex"),
    LazyPattern(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", engine="regex"),
    LazyPattern(
        r"(?<=\])\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)", engine="regex"
    ),
    LazyPattern(r"(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", engine="regex"),
    LazyPattern(r"(?<=\])\[[^\]\n]*\]", engine="regex"),
]


def _markdown(text: str, lines: list[tuple[int, int, int]], out: list[tuple[int, int]]) -> None:
    fence_match = _FENCE_RE.compiled().match
    list_match = _LIST_RE.compiled().match
    i = 0
    nlines = len(lines)
    # YAML front matter
    if text.startswith("---") and lines and text[lines[0][0] : lines[0][1]].rstrip() == "---":
        for j in range(1, nlines):
            if text[lines[j][0] : lines[j][1]].rstrip() in ("---", "..."):
                out.append((0, lines[j][1]))
                i = j + 1
                break
    prev_blank = True
    in_list = False
    while i < nlines:
        s, e, _ = lines[i]
        line = text[s:e]
        m = fence_match(line)
        if m:
            fence = m.group(1)
            j = i + 1
            while j < nlines:
                t = text[lines[j][0] : lines[j][1]].strip()
                if t.startswith(fence[0] * len(fence)) and set(t) <= {fence[0]}:
                    break
                j += 1
            end = lines[min(j, nlines - 1)][1]
            out.append((s, end))
            i = j + 1
            prev_blank = False
            continue
        blank = not line.strip()
        if not blank and prev_blank and indent_width(line) >= 4 and not in_list:
            j = i
            last = i
            while j < nlines:
                t = text[lines[j][0] : lines[j][1]]
                if t.strip():
                    if indent_width(t) < 4:
                        break
                    last = j
                j += 1
            out.append((s, lines[last][1]))
            i = last + 1
            prev_blank = False
            continue
        if not blank and indent_width(line) < 4:
            in_list = bool(list_match(line)) or (in_list and not prev_blank)
        prev_blank = blank
        i += 1
    for rx in _MD_INLINE:
        out.extend(m.span() for m in rx.finditer(text))


# -- reStructuredText ---------------------------------------------------------------------
_DIRECTIVE_RE = LazyPattern(
    r"^(\s*)\.\.[ \t]+(?:\|[^|]+\|[ \t]+)?([\w:.+-]+)::(.*)$", engine="regex"
)
_EXPLICIT_RE = LazyPattern(r"^(\s*)\.\.(?:[ \t]|$)", engine="regex")
_FOOTNOTE_RE = LazyPattern(r"^\s*\.\.[ \t]+\[[^\]]+\]", engine="regex")
_OPTION_LINE_RE = LazyPattern(r"^\s*:[^:\s][^:]*:(?:\s|$)", engine="regex")
_PROSE_DIRECTIVES = frozenset(
    [
        "note",
        "warning",
        "tip",
        "hint",
        "important",
        "caution",
        "danger",
        "attention",
        "error",
        "admonition",
        "seealso",
        "versionadded",
        "versionchanged",
        "deprecated",
        "deprecated-removed",
        "versionremoved",
        "topic",
        "sidebar",
        "rubric",
        "centered",
        "hlist",
        "glossary",
        "impl-detail",
        "epigraph",
        "highlights",
        "pull-quote",
        "compound",
        "container",
        "only",
        "tabularcolumns",
        "table",
        "list-table",
        "csv-table",
        "footnote",
        "citation",
        "function",
        "method",
        "class",
        "data",
        "attribute",
        "exception",
        "decorator",
        "decoratormethod",
        "classmethod",
        "staticmethod",
        "module",
        "currentmodule",
        "opcode",
        "cmdoption",
        "option",
        "envvar",
        "describe",
        "c:function",
        "c:macro",
        "c:type",
        "c:var",
        "c:member",
        "c:struct",
        "c:union",
        "c:enum",
        "c:enumerator",
        "pdbcommand",
        "coroutinefunction",
        "coroutinemethod",
        "abstractmethod",
        "awaitablefunction",
        "awaitablemethod",
        "audit-event",
        "availability",
        "program",
        "monitoring-event",
        "object",
        "productionlist-prose",
    ]
)
# Inline literals, roles and interpreted text in ONE alternation, scanned left to right, so the
# closing backtick of a role can never open an interpreted-text match that runs on to the next
# backtick paragraphs later; none of them crosses a blank line (docutils' inline markup cannot).
#: object descriptions: lines right after the directive line are more signatures, not prose
_SIGNATURE_DIRECTIVES = frozenset(
    {
        "function", "method", "class", "data", "attribute", "exception", "decorator",
        "decoratormethod", "classmethod", "staticmethod", "opcode", "cmdoption", "option",
        "envvar", "describe", "c:function", "c:macro", "c:type", "c:var", "c:member",
        "c:struct", "c:union", "c:enum", "c:enumerator", "pdbcommand", "coroutinefunction",
        "coroutinemethod", "abstractmethod", "awaitablefunction", "awaitablemethod", "object",
        "monitoring-event", "audit-event",
    }
)
_RST_NO_BLANK = r"(?:[^`\n]|\n(?![ \t]*\n))"
#: whitespace as the `regex` module's \s, for `re` patterns, and the same without line breaks
#: (a line's indentation: a pattern free to run over blank lines would retry each of them, in
#: quadratic time on a file of many blank lines)
_WS = r"[^\S\x1c-\x1f]"
_HWS = r"[^\S\n\x1c-\x1f]"
_RST_INLINE = [
    LazyPattern(
        r"``(?:(?!``)(?:[^\n]|\n(?![ \t]*\n)))+``"
        rf"|(?<![\w`]):[\w:+.-]+:`{_RST_NO_BLANK}*`_{{0,2}}"
        rf"|(?<![\w`:])`[^`\s]{_RST_NO_BLANK}*`(?::[\w:+.-]+:)?_{{0,2}}",
        engine="regex",
    ),
    # field names and table rules: line-anchored patterns, which the standard `re` engine scans
    # faster; its \s also matches U+001C..U+001F, left out here to keep `regex`'s whitespace;
    # linear time: exactly three rule characters open the rule (``{3,}`` followed by a class
    # holding them backtracks quadratically on a long run of dashes)
    LazyPattern(rf"(?m)^{_HWS}*:(?:[^:\s]|[\x1c-\x1f])[^:\n]*:(?={_WS}|$)"),
    LazyPattern(rf"(?m)^{_HWS}*[+=-]{{3}}(?:[+=-]|{_WS})*$"),
    LazyPattern(r"\|[\w .-]+\|_{0,2}", engine="regex"),
]


#: lines that can open a reST block: explicit markup (``..``), a doctest (``>>>``), or a
#: paragraph ending in ``::`` (a literal block follows); the others never start a masked block
_RST_OPENER_RE = LazyPattern(r"^[^\S\n]*(?:\.\.|>>>)", re.MULTILINE)
_RST_LITERAL_RE = LazyPattern(r"::[^\S\n]*$", re.MULTILINE)
_OUTDENTED_RE_CACHE: dict[int, re.Pattern[str]] = {}


def _outdented(base: int) -> re.Pattern[str]:
    """Matches the start of a non-blank line indented ``base`` columns or less (no tabs)."""
    rx = _OUTDENTED_RE_CACHE.get(base)
    if rx is None:
        rx = _OUTDENTED_RE_CACHE[base] = re.compile(rf"^[^\S\n]{{0,{base}}}\S", re.MULTILINE)
    return rx


def _rst(text: str, lines: list[tuple[int, int, int]], out: list[tuple[int, int]]) -> None:
    if "\r" in text or "\t" in text:
        _rst_by_line(text, lines, out)  # indentation and line starts need the careful walk
    else:
        _rst_by_opener(text, lines, out)
    for rx in _RST_INLINE:
        out.extend(m.span() for m in rx.finditer(text))


def _rst_by_opener(
    text: str, lines: list[tuple[int, int, int]], out: list[tuple[int, int]]
) -> None:
    """`_rst_by_line`'s result, visiting only the lines that can open a block (the text has
    ``\n`` line ends and no tabs, so indentation is the count of leading whitespace)."""
    nlines = len(lines)
    starts = [s for s, _, _ in lines]
    ends = [e for _, e, _ in lines]
    bodies = map(text.__getitem__, map(slice, starts, ends))
    blank = list(map(operator.not_, map(str.strip, bodies)))
    filled = [i for i, b in enumerate(blank) if not b]  # non-blank line indices
    empty = [i for i, b in enumerate(blank) if b]
    line_of = {s: i for i, s in enumerate(starts)}
    openers = {line_of[m.start()] for m in _RST_OPENER_RE.finditer(text)}
    for m in _RST_LITERAL_RE.finditer(text):
        openers.add(bisect.bisect_right(starts, m.start()) - 1)

    def last_filled(lo: int, hi: int) -> int:
        """The last non-blank line in ``(lo, hi)``, else ``lo``."""
        k = bisect.bisect_left(filled, hi) - 1
        return filled[k] if k >= 0 and filled[k] > lo else lo

    def block_end(i: int, base: int) -> int:
        """Index of the last line of the block indented deeper than ``base`` after line i."""
        if i + 1 >= nlines:
            return i
        m = _outdented(base).search(text, starts[i + 1])
        stop = bisect.bisect_right(starts, m.start()) - 1 if m else nlines
        return last_filled(i, stop)

    i = 0  # lines before i are inside a block already masked
    forced: tuple[int, bool] = (0, True)  # the prev_blank state right after a block
    for c in sorted(openers):
        if c < i:
            continue
        prev_blank = forced[1] if c == forced[0] else (blank[c - 1] if c > 0 else True)
        s, e, _ = lines[c]
        line = text[s:e]
        d = _DIRECTIVE_RE.match(line)
        if d:
            base = len(d.group(1))
            name = d.group(2).lower()
            last = block_end(c, base)
            if name in _PROSE_DIRECTIVES:
                out.append((s, e))
                j = c + 1
                while j <= last and (
                    _OPTION_LINE_RE.match(text[starts[j] : ends[j]])
                    or (name in _SIGNATURE_DIRECTIVES and not blank[j])
                ):
                    out.append((starts[j], ends[j]))
                    j += 1
                i, forced = j, (j, False)
                continue
            out.append((s, ends[last]))
            i = last + 1
            forced = (i, False)
            continue
        if _EXPLICIT_RE.match(line) and not _FOOTNOTE_RE.match(line):
            last = block_end(c, indent_width(line))
            out.append((s, ends[last]))
            i = last + 1
            forced = (i, False)
            continue
        if prev_blank and line.lstrip().startswith(">>>"):
            k = bisect.bisect_right(empty, c)
            j = (empty[k] if k < len(empty) else nlines) - 1
            out.append((s, ends[j]))
            i = j + 1
            forced = (i, False)
            continue
        if not blank[c] and line.rstrip().endswith("::"):
            base = indent_width(line)
            k = bisect.bisect_right(filled, c)
            j = filled[k] if k < len(filled) else nlines
            if j < nlines and j > c + 1 and indent_width(text[starts[j] : ends[j]]) > base:
                last = block_end(j - 1, base)
                out.append((starts[j], ends[last]))
                i = last + 1
                forced = (i, False)
                continue
        i = c + 1


def _rst_by_line(text: str, lines: list[tuple[int, int, int]], out: list[tuple[int, int]]) -> None:
    nlines = len(lines)

    def block_end(i: int, base: int) -> int:
        """Index of the last line of the block indented deeper than ``base`` after line i."""
        last = i
        j = i + 1
        while j < nlines:
            t = text[lines[j][0] : lines[j][1]]
            if t.strip():
                if indent_width(t) <= base:
                    break
                last = j
            j += 1
        return last

    i = 0
    prev_blank = True
    while i < nlines:
        s, e, _ = lines[i]
        line = text[s:e]
        blank = not line.strip()
        d = _DIRECTIVE_RE.match(line)
        if d:
            base = len(d.group(1))
            name = d.group(2).lower()
            last = block_end(i, base)
            if name in _PROSE_DIRECTIVES:
                # mask the directive line and its leading option lines, keep the prose content
                out.append((s, e))
                j = i + 1
                while j <= last and (
                    _OPTION_LINE_RE.match(text[lines[j][0] : lines[j][1]])
                    or (name in _SIGNATURE_DIRECTIVES and text[lines[j][0] : lines[j][1]].strip())
                ):
                    # options, and the further signatures of an object description
                    # (``.. function:: spawnv(...)`` followed by ``spawnve(...)`` lines)
                    out.append((lines[j][0], lines[j][1]))
                    j += 1
                # scan the content like any other text: it holds literal blocks (``::``),
                # nested directives and doctests of its own
                i = j
                prev_blank = False
                continue
            out.append((s, lines[last][1]))
            i = last + 1
            prev_blank = False
            continue
        if _EXPLICIT_RE.match(line) and not _FOOTNOTE_RE.match(line):
            # comment, hyperlink target or substitution: mask with its indented block
            last = block_end(i, indent_width(line))
            out.append((s, lines[last][1]))
            i = last + 1
            prev_blank = False
            continue
        if prev_blank and line.lstrip().startswith(">>>"):
            j = i
            while j + 1 < nlines and text[lines[j + 1][0] : lines[j + 1][1]].strip():
                j += 1
            out.append((s, lines[j][1]))
            i = j + 1
            prev_blank = False
            continue
        if not blank and line.rstrip().endswith("::"):
            # literal block: the next indented block after a blank line
            base = indent_width(line)
            j = i + 1
            while j < nlines and not text[lines[j][0] : lines[j][1]].strip():
                j += 1
            if j < nlines and j > i + 1 and indent_width(text[lines[j][0] : lines[j][1]]) > base:
                last = block_end(j - 1, base)
                out.append((lines[j][0], lines[last][1]))
                i = last + 1
                prev_blank = False
                continue
        prev_blank = blank
        i += 1


def mask(
    text: str,
    kind: FileKind,
    lines: list[tuple[int, int, int]] | None = None,
    words: TokenColumns | Sequence[Token] | None = None,
) -> tuple[Span, ...]:
    """The merged, sorted masked spans of ``text`` for a file of the given kind.

    ``lines`` (from `line_spans`) and ``words`` (from `textqa.tokenize.token_columns`, or the
    tokens of `textqa.tokenize.tokenize`) are computed when not given; `textqa.parse` passes
    the ones it already has.
    """
    if lines is None:
        lines = line_spans(text)
    out: list[tuple[int, int]] = []
    if kind == "markdown":
        _markdown(text, lines, out)
    elif kind == "rst":
        _rst(text, lines, out)
    _common(text, out, words)
    return merge_spans(out)
