"""Parse a text once into a :class:`~textqa.model.Document`.

>>> doc = parse("A first paragraph.\\n\\nA `code` second one.\\n", path="x.md")
>>> [doc.paragraph_text(p) for p in doc.paragraphs]
['A first paragraph.', 'A `code` second one.']
>>> [(t.text, t.masked) for t in doc.tokens][-4:]
[('A', False), ('code', True), ('second', False), ('one', False)]
"""

from __future__ import annotations

import bisect
import itertools
import operator

from textqa._gc import paused as gc_paused
from textqa.markup import kind_for_path, line_spans, mask
from textqa.model import Document, FileKind, Line, Paragraph, Token
from textqa.tokenize import token_columns

__all__ = ["parse"]


def parse(text: str, path: str | None = None, *, kind: FileKind | None = None) -> Document:
    """Parse ``text``; the extension of ``path`` picks the markup kind unless ``kind`` is given.

    Never raises on any ``str``: NUL, lone ``\\r``, unpaired surrogates and arbitrary Unicode
    all parse.
    """
    if kind is None:
        kind = kind_for_path(path)
    with gc_paused():  # a document holds no reference cycle: see textqa._gc
        return _parse(text, path, kind)


def _parse(text: str, path: str | None, kind: FileKind) -> Document:
    repeat = itertools.repeat
    new = tuple.__new__
    raw_lines = line_spans(text)
    line_starts, line_ends, line_nexts = map(list, zip(*raw_lines, strict=True))
    lines = tuple(
        map(new, repeat(Line), zip(itertools.count(1), line_starts, line_ends, line_nexts))
    )
    columns = token_columns(text)
    texts, starts, ends, kinds = columns
    masked = mask(text, kind, raw_lines, columns)

    # flag the tokens overlapping a masked span (tokens and spans are both sorted)
    ntok = len(texts)
    flags = [False] * ntok
    for sp in masked:
        i = bisect.bisect_right(ends, sp.start)
        j = bisect.bisect_left(starts, sp.end, i)
        if j > i:
            flags[i:j] = repeat(True, j - i)
    tokens = tuple(map(new, repeat(Token), zip(texts, starts, ends, kinds, flags, strict=True)))
    # the unmasked words: what prose rules read
    prose_flags = list(map(operator.and_, map("word".__eq__, kinds), map(operator.not_, flags)))
    words = tuple(itertools.compress(tokens, prose_flags))
    word_starts = list(itertools.compress(starts, prose_flags))

    # paragraphs: runs of non-blank lines; a paragraph is prose when it holds an unmasked word
    line_texts = map(text.__getitem__, map(slice, line_starts, line_ends))
    blank = list(map(operator.not_, map(str.strip, line_texts)))
    paragraphs: list[Paragraph] = []
    nwords = len(word_starts)
    first = -1
    for idx, is_blank in enumerate([*blank, True]):
        if not is_blank:
            if first < 0:
                first = idx
        elif first >= 0:
            pstart, pend = line_starts[first], line_ends[idx - 1]
            k = bisect.bisect_left(word_starts, pstart)
            prose = k < nwords and word_starts[k] < pend
            paragraphs.append(Paragraph(len(paragraphs), pstart, pend, first + 1, idx, prose))
            first = -1

    doc = Document(
        text=text,
        path=path,
        kind=kind,
        lines=lines,
        paragraphs=tuple(paragraphs),
        tokens=tokens,
        masked=masked,
        bom=text.startswith("\ufeff"),
        _line_starts=tuple(line_starts),
        _mask_starts=tuple(sp.start for sp in masked),
    )
    object.__setattr__(doc, "_words", words)  # derived fields, not constructor arguments
    object.__setattr__(doc, "_word_starts", tuple(word_starts))
    return doc
