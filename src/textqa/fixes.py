"""Applying fixes: the edits of findings, applied to the original text.

Every `~textqa.model.Fix` is a set of `~textqa.model.Edit`\\ s whose spans point into the text
the findings were computed on. `apply_fixes` applies a chosen set of fixes in one pass:

* only ``safe`` fixes unless asked otherwise;
* a fix whose edits overlap an edit already accepted (or insert at the same point) is a
  *conflict* and is left for the next pass: fixes are taken in document order, whole or not at all;
* replacements containing ``\\n`` get the text's own line ending (``\\r\\n`` files stay ``\\r\\n``).

`fix_text` repeats check-and-apply until nothing changes (at most `MAX_PASSES` passes), so fixing
a fixed text changes nothing: ``fix_text(fix_text(t)) == fix_text(t)``.

>>> from textqa.model import Edit, Fix, Span
>>> apply_edits("a teh b", [Edit(Span(2, 5), "the")])
'a the b'
>>> apply_edits("abc", [Edit(Span(1, 1), "X"), Edit(Span(2, 3), "")])
'aXb'
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from textqa.model import Edit, Finding

__all__ = [
    "MAX_PASSES",
    "FixOutcome",
    "FixPass",
    "apply_edits",
    "apply_fixes",
    "dominant_newline",
    "fix_text",
    "fixable",
]

#: passes of check-and-apply before `fix_text` gives up (a rule whose fixes keep re-triggering
#: itself would otherwise loop forever)
MAX_PASSES = 10


def dominant_newline(text: str) -> str:
    """The most common line ending of ``text`` (``\\n`` when it has none; ties go to ``\\n``).

    >>> dominant_newline("a\\r\\nb\\r\\nc\\n"), dominant_newline("no ending")
    ('\\r\\n', '\\n')
    """
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    best = max((lf, "\n"), (crlf, "\r\n"), (cr, "\r"), key=lambda t: t[0])
    return best[1] if best[0] > 0 else "\n"


def _conflicts(a: Edit, b: Edit) -> bool:
    """Edits conflict when they overlap, or both start at one point and one is an insertion."""
    if a.span.start == b.span.start:
        return True
    return a.span.start < b.span.end and b.span.start < a.span.end


class _EditSet:
    """Edits that do not conflict with each other, sorted by start, and whether a new edit
    conflicts with one of them in O(log n) (a text with 100,000 fixes is not quadratic).

    The edits being disjoint, their ends grow with their starts: the last edit starting
    before a span's end is the only one that can overlap it.

    >>> from textqa.model import Span
    >>> s = _EditSet()
    >>> s.add(Edit(Span(2, 4), "x"))
    >>> [s.conflicts(Edit(Span(a, b), "")) for a, b in [(0, 2), (3, 3), (2, 2), (4, 6), (0, 9)]]
    [False, True, True, False, True]
    """

    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self._starts: list[int] = []

    def conflicts(self, edit: Edit) -> bool:
        start, end = edit.span.start, edit.span.end
        i = bisect.bisect_left(self._starts, start)
        if i < len(self._starts) and self._starts[i] == start:
            return True  # both start at one point (one may be an insertion)
        j = bisect.bisect_left(self._starts, end) - 1  # the last edit starting before ``end``
        return j >= 0 and _conflicts(self.edits[j], edit)

    def add(self, edit: Edit) -> None:
        i = bisect.bisect_right(self._starts, edit.span.start)
        self._starts.insert(i, edit.span.start)
        self.edits.insert(i, edit)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-conflicting edits to ``text`` (spans index the original ``text``).

    Raises `ValueError` for overlapping edits or a span outside the text.

    >>> from textqa.model import Span
    >>> apply_edits("0123456", [Edit(Span(4, 6), "x"), Edit(Span(0, 1), "")])
    '123x6'
    """
    ordered = sorted(edits, key=lambda e: (e.span.start, e.span.end))
    out: list[str] = []
    pos = 0
    prev: Edit | None = None
    for edit in ordered:
        if edit.span.end > len(text):
            raise ValueError(f"edit {edit.span} outside text of length {len(text)}")
        if prev is not None and _conflicts(prev, edit):
            raise ValueError(f"edits {prev.span} and {edit.span} overlap")
        out.append(text[pos : edit.span.start])
        out.append(edit.replacement)
        pos = edit.span.end
        prev = edit
    out.append(text[pos:])
    return "".join(out)


def fixable(finding: Finding, *, unsafe: bool = False) -> bool:
    """True when ``finding`` carries a fix that `apply_fixes` would consider."""
    return finding.fix is not None and bool(finding.fix.edits) and (unsafe or finding.fix.safe)


@dataclass(frozen=True, slots=True)
class FixPass:
    """One pass: the new text, the findings whose fixes were applied, and those that conflicted."""

    text: str
    applied: tuple[Finding, ...]
    conflicts: tuple[Finding, ...]


def _with_newline(edit: Edit, newline: str) -> Edit:
    if newline == "\n" or "\n" not in edit.replacement:
        return edit
    rep = edit.replacement.replace("\r\n", "\n").replace("\n", newline)
    return Edit(edit.span, rep)


def apply_fixes(text: str, findings: Iterable[Finding], *, unsafe: bool = False) -> FixPass:
    """Apply the fixes of ``findings`` to ``text`` in document order, skipping conflicts.

    Fixes whose edits reach outside ``text`` (computed on another text) are treated as conflicts.

    >>> from textqa import parse
    >>> from textqa.model import Fix, Span
    >>> from textqa.rules import make_finding
    >>> doc = parse("teh cat")
    >>> f = make_finding(doc, "TQ100", 0, 3, "typo", fix=Fix((Edit(Span(0, 3), "the"),)))
    >>> apply_fixes(doc.text, [f, f]).text
    'the cat'
    """
    candidates = [f for f in findings if fixable(f, unsafe=unsafe)]
    candidates.sort(
        key=lambda f: (
            min(e.span.start for e in f.fix.edits),  # type: ignore[union-attr]
            f.sort_key,
            f.message,
        )
    )
    newline = dominant_newline(text)
    accepted = _EditSet()
    applied: list[Finding] = []
    conflicts: list[Finding] = []
    seen: set[tuple[Edit, ...]] = set()
    for f in candidates:
        assert f.fix is not None
        edits = tuple(sorted(f.fix.edits, key=lambda e: (e.span.start, e.span.end)))
        if edits in seen:  # the same fix reported twice (e.g. by two rules): apply it once
            applied.append(f)
            continue
        inside = all(e.span.end <= len(text) for e in edits)
        self_ok = all(not _conflicts(a, b) for a, b in itertools.pairwise(edits))
        clash = any(accepted.conflicts(e) for e in edits)
        if not inside or not self_ok or clash:
            conflicts.append(f)
            continue
        seen.add(edits)
        for e in edits:
            accepted.add(e)
        applied.append(f)
    new = apply_edits(text, [_with_newline(e, newline) for e in accepted.edits])
    return FixPass(new, tuple(applied), tuple(conflicts))


@dataclass(frozen=True, slots=True)
class FixOutcome:
    """What `fix_text` did: the final text, how many fixes it applied over how many passes,
    and the findings still present in the final text."""

    text: str
    applied: int
    passes: int
    remaining: tuple[Finding, ...]

    def changed(self, original: str) -> bool:
        return self.text != original


def fix_text(
    text: str,
    checker: Callable[[str], Sequence[Finding]],
    *,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
) -> FixOutcome:
    """Check ``text`` with ``checker`` and apply fixes until none applies (or a text repeats).

    ``checker`` returns the findings of a text (e.g. ``lambda t: textqa.check(t, path=p)``).
    The result's ``remaining`` are the findings of the final text, so a caller reports exactly
    what is left.

    >>> from textqa import parse
    >>> from textqa.model import Fix, Span
    >>> from textqa.rules import make_finding
    >>> def doubled(t):
    ...     doc = parse(t)
    ...     i = t.find("  ")
    ...     return [] if i < 0 else [make_finding(doc, "TQ100", i, i + 2, "double space",
    ...                                          fix=Fix((Edit(Span(i, i + 2), " "),)))]
    >>> out = fix_text("a    b", doubled)
    >>> out.text, out.applied, out.remaining
    ('a b', 3, ())
    """
    seen = {text}
    applied = 0
    passes = 0
    findings = list(checker(text))
    while passes < max_passes:
        step = apply_fixes(text, findings, unsafe=unsafe)
        if not step.applied or step.text == text:
            break
        passes += 1
        applied += len(step.applied)
        text = step.text
        findings = list(checker(text))
        if text in seen:  # fixes that undo each other: stop where we are
            break
        seen.add(text)
    return FixOutcome(text, applied, passes, tuple(findings))
