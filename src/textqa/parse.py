"""Parse a text once into a :class:`~textqa.model.Document`.

>>> doc = parse("A first paragraph.\\n\\nA `code` second one.\\n", path="x.md")
>>> [doc.paragraph_text(p) for p in doc.paragraphs]
['A first paragraph.', 'A `code` second one.']
>>> [(t.text, t.masked) for t in doc.tokens][-4:]
[('A', False), ('code', True), ('second', False), ('one', False)]
"""

from __future__ import annotations

import bisect
import operator

from textqa.markup import kind_for_path, line_spans, mask
from textqa.model import Document, FileKind, Line, Paragraph, Token
from textqa.tokenize import tokenize

__all__ = ["parse"]

_END = operator.attrgetter("end")


def parse(text: str, path: str | None = None, *, kind: FileKind | None = None) -> Document:
    """Parse ``text``; the extension of ``path`` picks the markup kind unless ``kind`` is given.

    Never raises on any ``str``: NUL, lone ``\\r``, unpaired surrogates and arbitrary Unicode
    all parse.
    """
    if kind is None:
        kind = kind_for_path(path)
    raw_lines = line_spans(text)
    new = tuple.__new__
    lines = tuple([new(Line, (i + 1, s, e, n)) for i, (s, e, n) in enumerate(raw_lines)])
    tokens = tokenize(text)
    masked = mask(text, kind, raw_lines, tokens)
    # flag the tokens inside masked spans (tokens and spans are both sorted)
    ntok = len(tokens)
    for sp in masked:
        i = bisect.bisect_right(tokens, sp.start, key=_END)
        while i < ntok and tokens[i].start < sp.end:
            text_, start_, end_, kind_, _ = tokens[i]
            tokens[i] = new(Token, (text_, start_, end_, kind_, True))  # _replace, 3x cheaper
            i += 1

    paragraphs: list[Paragraph] = []
    ti = 0
    ntok = len(tokens)
    block_start: int | None = None
    for idx, (s, e, _) in enumerate([*raw_lines, (len(text), len(text), len(text))]):
        blank = idx == len(raw_lines) or not text[s:e].strip()
        if not blank and block_start is None:
            block_start = idx
        elif blank and block_start is not None:
            first = raw_lines[block_start]
            last = raw_lines[idx - 1]
            pstart, pend = first[0], last[1]
            while ti < ntok and tokens[ti].end <= pstart:
                ti += 1
            prose = False
            tj = ti
            while tj < ntok and tokens[tj].start < pend:
                if tokens[tj].kind == "word" and not tokens[tj].masked:
                    prose = True
                    break
                tj += 1
            paragraphs.append(Paragraph(len(paragraphs), pstart, pend, block_start + 1, idx, prose))
            block_start = None

    return Document(
        text=text,
        path=path,
        kind=kind,
        lines=lines,
        paragraphs=tuple(paragraphs),
        tokens=tuple(tokens),
        masked=masked,
        bom=text.startswith("\ufeff"),
        _line_starts=tuple(s for s, _, _ in raw_lines),
        _mask_starts=tuple(sp.start for sp in masked),
    )
