"""The data model: spans, positions, the parsed `Document`, and immutable `Finding`s.

Conventions (used everywhere in textqa):

* offsets are 0-based code-point indices into the original text, end-exclusive;
* positions are 1-based line and column, columns counted in code points;
* a leading BYTE ORDER MARK is not a column: ``"\\ufeffab"`` has ``a`` at 1:1.

Every structure here is a frozen, slotted dataclass, so a parsed document can be shared
between rule families without copying and without fear of mutation.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

__all__ = [
    "Document",
    "Edit",
    "Finding",
    "Fix",
    "Line",
    "Paragraph",
    "Position",
    "Related",
    "Severity",
    "Span",
    "Token",
]

Severity = Literal["error", "warning", "info"]
FileKind = Literal["markdown", "rst", "text"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of code-point offsets into a text.

    >>> Span(2, 5).slice("abcdefg")
    'cde'
    >>> len(Span(2, 5))
    3
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def slice(self, text: str) -> str:
        """The text this span covers."""
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one code point.

        >>> Span(0, 3).overlaps(Span(2, 4)), Span(0, 2).overlaps(Span(2, 4))
        (True, False)
        """
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based line and column (columns in code points)."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


class Token(NamedTuple):
    """A word or number with its offsets. ``masked`` tokens sit inside code, URLs or markup.

    Tokens are immutable named tuples rather than dataclasses: a document holds one per word,
    and building a tuple costs a fraction of a frozen dataclass (parsing is the hot path of
    ``textqa check``).
    """

    text: str
    start: int
    end: int
    kind: Literal["word", "number"]
    masked: bool = False

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


class Line(NamedTuple):
    """One line: ``[start, end)`` excludes the line ending; ``next_start`` starts the next.

    An immutable named tuple, like `Token`: a document holds one per line.
    """

    number: int
    start: int
    end: int
    next_start: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of non-blank lines between blank lines.

    ``start``/``end`` cover the first character of the first line to the end of the last line
    (line ending excluded). ``prose`` is False when every word in it is masked markup (a code
    block, a directive, a table rule): prose rules skip such paragraphs.
    """

    index: int
    start: int
    end: int
    first_line: int
    last_line: int
    prose: bool

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Related:
    """Another location a finding refers to (the first copy of a repeated paragraph, ...)."""

    path: str | None
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` of the original text with ``replacement``."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A set of non-overlapping edits; ``safe`` fixes are applied by ``--fix``."""

    edits: tuple[Edit, ...]
    safe: bool = True
    description: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a text. Immutable; sorted by (path, line, column, code)."""

    code: str
    name: str
    family: str
    severity: Severity
    message: str
    span: Span
    start: Position
    end: Position
    path: str | None = None
    suggestions: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    confidence: float = 1.0

    @property
    def sort_key(self) -> tuple[str, int, int, str, int]:
        return (self.path or "", self.start.line, self.start.column, self.code, self.span.end)


@dataclass(frozen=True, slots=True)
class Document:
    """A text parsed once: lines, paragraphs, tokens and masked spans, all offset-true.

    Build one with :func:`textqa.parse`; rule families only read it.
    """

    text: str
    path: str | None
    kind: FileKind
    lines: tuple[Line, ...]
    paragraphs: tuple[Paragraph, ...]
    tokens: tuple[Token, ...]
    masked: tuple[Span, ...]
    bom: bool = False
    _line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _mask_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    #: the unmasked words and their starts, set by `textqa.parse` (one C-level pass); not
    #: constructor arguments, so ``dataclasses.replace(doc, tokens=...)`` recomputes them
    _words: tuple[Token, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _word_starts: tuple[int, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # -- positions --------------------------------------------------------------------------
    def line_index(self, offset: int) -> int:
        """0-based index of the line holding ``offset`` (a line ending belongs to its line)."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} outside text of length {len(self.text)}")
        return bisect.bisect_right(self._line_starts, offset) - 1

    def position(self, offset: int) -> Position:
        """1-based line and column of ``offset``.

        >>> from textqa import parse
        >>> doc = parse("one\\r\\ntwo\\rthree")
        >>> doc.position(5), doc.position(9)
        (Position(line=2, column=1), Position(line=3, column=1))
        """
        i = self.line_index(offset)
        column = offset - self._line_starts[i] + 1
        if i == 0 and self.bom and offset > 0:
            column -= 1
        return Position(i + 1, column)

    def offset(self, position: Position) -> int:
        """The offset of a 1-based position (inverse of :meth:`position`)."""
        line = self.lines[position.line - 1]
        col = position.column - 1 + (1 if position.line == 1 and self.bom else 0)
        return min(line.start + col, line.next_start)

    # -- markup -----------------------------------------------------------------------------
    def is_masked(self, start: int, end: int | None = None) -> bool:
        """True when ``[start, end)`` overlaps a masked span (code, URL, markup)."""
        end = start + 1 if end is None else end
        i = bisect.bisect_right(self._mask_starts, start) - 1
        if i >= 0 and self.masked[i].end > start:
            return True
        return i + 1 < len(self.masked) and self.masked[i + 1].start < end

    @property
    def words(self) -> Sequence[Token]:
        """Unmasked word tokens (what prose rules read)."""
        if self._words is not None:
            return self._words
        return [t for t in self.tokens if t.kind == "word" and not t.masked]

    @property
    def word_starts(self) -> Sequence[int]:
        """The start offsets of :attr:`words`, ascending (for counting words in a span)."""
        if self._word_starts is not None:
            return self._word_starts
        return [t.start for t in self.words]

    def paragraph_text(self, paragraph: Paragraph) -> str:
        return self.text[paragraph.start : paragraph.end]
