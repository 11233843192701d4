"""Inline suppression: ``textqa: ignore[...]`` comments, read from the raw text of a document.

Directives (codes are rule codes, code prefixes such as ``TQ4``, or rule names; no brackets
means every rule):

* ``textqa: ignore[TQ401,TQ402]`` — findings on this line;
* ``textqa: ignore-next-line[TQ401]`` — findings on the next non-blank line;
* ``textqa: off`` ... ``textqa: on`` — findings between the two (``off[TQ2]`` for some rules;
  an ``off`` without ``on`` lasts to the end of the file).

Where a directive may stand depends on the kind of file, so that it never shows in the
rendered document: in Markdown inside an HTML comment ``<!-- textqa: ignore[TQ401] -->`` (not in
a fenced code block), in reStructuredText as a comment ``.. textqa: ignore-next-line[TQ401]``,
in plain text anywhere on the line (``# textqa: ignore[TQ401]``). A finding is suppressed when
a covered line lies within its lines.

>>> from textqa import parse
>>> doc = parse("Teh cat <!-- textqa: ignore[TQ401] -->\\n", "a.md")
>>> sup = Suppressions.parse(doc)
>>> [(d.kind, d.codes, d.first_line, d.last_line) for d in sup.directives]
[('ignore', ('TQ401',), 1, 1)]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from textqa.model import Document, Finding, Position, Span

__all__ = ["UNUSED_CODE", "UNUSED_NAME", "Directive", "Suppressions"]

#: the code and name of the finding `--report-unused-ignores` reports
UNUSED_CODE = "TQ001"
UNUSED_NAME = "unused-suppression"

_DIRECTIVE_RE = regex.compile(
    r"textqa:[ \t]*(ignore-next-line|ignore|off|on)(?![\w-])(?:\[([^\]\n]*)\])?"
)
_HTML_COMMENT_RE = regex.compile(r"<!--(.*?)-->", regex.DOTALL)
_RST_COMMENT_RE = regex.compile(r"^[ \t]*\.\.[ \t]+(?=textqa:)", regex.MULTILINE)
_FENCE_RE = regex.compile(r"^[ ]{0,3}(`{3,}|~{3,})", regex.MULTILINE)


@dataclass(slots=True)
class Directive:
    """One suppression comment and the lines it covers (1-based, inclusive)."""

    kind: str  # "ignore", "ignore-next-line" or "off"
    codes: tuple[str, ...]  # empty: every rule
    span: Span  # of the directive text itself
    start: Position
    end: Position
    line: int
    first_line: int
    last_line: int
    used: set[str] = field(default_factory=set)  # selectors that suppressed something

    def selects(self, finding: Finding) -> str | None:
        """The selector of this directive matching ``finding`` (``"*"`` for no codes), or None."""
        if not self.codes:
            return "*"
        for sel in self.codes:
            up = sel.upper()
            if up.startswith("TQ") and finding.code.startswith(up):
                return sel
            if sel in (finding.name, finding.family):
                return sel
        return None

    def text(self) -> str:
        codes = f"[{','.join(self.codes)}]" if self.codes else ""
        return f"textqa: {self.kind}{codes}"


def _fenced_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks in Markdown (directives there are examples, not comments)."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    fence = ""
    for m in _FENCE_RE.finditer(text):
        marker = m.group(1)
        if open_at is None:
            open_at, fence = m.start(), marker
        elif marker[0] == fence[0] and len(marker) >= len(fence):
            out.append((open_at, m.end()))
            open_at = None
    if open_at is not None:
        out.append((open_at, len(text)))
    return out


def _candidates(doc: Document) -> Iterator[regex.Match[str]]:
    text = doc.text
    if doc.kind == "markdown":
        fenced = _fenced_ranges(text)
        for c in _HTML_COMMENT_RE.finditer(text):
            if any(s <= c.start() < e for s, e in fenced):
                continue
            yield from _DIRECTIVE_RE.finditer(text, c.start(1), c.end(1))
    elif doc.kind == "rst":
        for c in _RST_COMMENT_RE.finditer(text):
            m = _DIRECTIVE_RE.match(text, c.end())
            if m is not None:
                yield m
    else:
        yield from _DIRECTIVE_RE.finditer(text)


class Suppressions:
    """The directives of one document; `suppresses` marks the ones that were used."""

    def __init__(self, path: str | None, directives: list[Directive]) -> None:
        self.path = path
        self.directives = directives

    @classmethod
    def parse(cls, doc: Document) -> Suppressions | None:
        """The directives in ``doc``, or None when it has none (the common, fast case)."""
        if "textqa:" not in doc.text:
            return None
        nlines = len(doc.lines)
        directives: list[Directive] = []
        open_off: Directive | None = None
        for m in _candidates(doc):
            kind = m.group(1)
            codes = tuple(c.strip() for c in (m.group(2) or "").split(",") if c.strip())
            start, end = doc.position(m.start()), doc.position(m.end())
            line = start.line
            where = (Span(m.start(), m.end()), start, end, line)
            if kind == "ignore":
                directives.append(Directive(kind, codes, *where, line, line))
            elif kind == "ignore-next-line":
                # the comment may span lines (HTML): count from the line where it ends
                target = end.line + 1
                while target <= nlines and not _line_text(doc, target).strip():
                    target += 1
                directives.append(Directive(kind, codes, *where, target, target))
            elif kind == "off":
                if open_off is None:
                    open_off = Directive(kind, codes, *where, line, nlines)
                    directives.append(open_off)
            elif open_off is not None:  # "on" closes the open block
                open_off.last_line = line
                open_off = None
        return cls(doc.path, directives) if directives else None

    def suppresses(self, finding: Finding) -> bool:
        """True when a directive covers ``finding`` (and mark that directive used)."""
        hit = False
        for d in self.directives:
            if d.first_line <= finding.end.line and finding.start.line <= d.last_line:
                sel = d.selects(finding)
                if sel is not None:
                    d.used.add(sel)
                    hit = True
        return hit

    def unused(self) -> list[Finding]:
        """TQ001 findings for directives (or their codes) that suppressed nothing."""
        out = []
        for d in self.directives:
            if d.codes:
                unused = [c for c in d.codes if c not in d.used]
                if not unused:
                    continue
                what = ", ".join(unused)
                message = f"unused suppression: {what} suppressed nothing here (`{d.text()}`)"
            else:
                if d.used:
                    continue
                message = f"unused suppression: `{d.text()}` suppressed nothing"
            out.append(
                Finding(
                    code=UNUSED_CODE,
                    name=UNUSED_NAME,
                    family="suppression",
                    severity="warning",
                    message=message,
                    span=d.span,
                    start=d.start,
                    end=d.end,
                    path=self.path,
                )
            )
        return out


def _line_text(doc: Document, number: int) -> str:
    line = doc.lines[number - 1]
    return doc.text[line.start : line.end]
