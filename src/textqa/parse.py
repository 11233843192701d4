"""Parse a text once into a :class:`~textqa.model.Document`.

>>> doc = parse("A first paragraph.\\n\\nA `code` second one.\\n", path="x.md")
>>> [doc.paragraph_text(p) for p in doc.paragraphs]
['A first paragraph.', 'A `code` second one.']
>>> [(t.text, t.masked) for t in doc.tokens][-4:]
[('A', False), ('code', True), ('second', False), ('one', False)]
"""

from __future__ import annotations

import regex

from textqa.markup import kind_for_path, line_spans, mask
from textqa.model import Document, FileKind, Line, Paragraph, Token
from textqa.tokenize import WORD_PATTERN

__all__ = ["parse"]

_WORD_RE = regex.compile(WORD_PATTERN)
_LETTER_RE = regex.compile(r"\p{L}")


def parse(text: str, path: str | None = None, *, kind: FileKind | None = None) -> Document:
    """Parse ``text``; the extension of ``path`` picks the markup kind unless ``kind`` is given.

    Never raises on any ``str``: NUL, lone ``\\r``, unpaired surrogates and arbitrary Unicode
    all parse.
    """
    if kind is None:
        kind = kind_for_path(path)
    raw_lines = line_spans(text)
    lines = tuple(Line(i + 1, s, e, n) for i, (s, e, n) in enumerate(raw_lines))
    masked = mask(text, kind, raw_lines)

    tokens: list[Token] = []
    mi = 0
    nmask = len(masked)
    for m in _WORD_RE.finditer(text):
        start, end = m.span()
        word = m.group()
        while mi < nmask and masked[mi].end <= start:
            mi += 1
        is_masked = mi < nmask and masked[mi].start < end
        kind_ = "word" if not word.isdigit() and _LETTER_RE.search(word) else "number"
        tokens.append(Token(word, start, end, kind_, is_masked))  # type: ignore[arg-type]

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
