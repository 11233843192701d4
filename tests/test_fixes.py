"""Applying fixes: edits against a slow oracle, conflicts, line endings, idempotence."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textqa import parse
from textqa.fixes import apply_edits, apply_fixes, dominant_newline, fix_text
from textqa.model import Edit, Finding, Fix, Span
from textqa.rules import make_finding


def _finding(text: str, start: int, end: int, replacement: str, *, safe: bool = True) -> Finding:
    doc = parse(text)
    return make_finding(
        doc, "TQ100", start, end, "test", fix=Fix((Edit(Span(start, end), replacement),), safe=safe)
    )


@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(st.text(alphabet="ab \n", max_size=30))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits: list[Edit] = []
    last = -1
    for i in range(0, len(cuts) - 1, 2):
        start, end = cuts[i], cuts[i + 1]
        if start <= last or (edits and start == edits[-1].span.start):
            continue
        edits.append(Edit(Span(start, end), draw(st.text(alphabet="xy\n", max_size=3))))
        last = end
    return text, edits


def _oracle_apply(text: str, edits: Sequence[Edit]) -> str:
    # right to left, one slice at a time: earlier offsets stay valid
    for e in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: e.span.start] + e.replacement + text[e.span.end :]
    return text


@given(text_and_edits())
def test_apply_edits_matches_oracle(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    assert apply_edits(text, edits) == _oracle_apply(text, edits)
    assert apply_edits(text, list(reversed(edits))) == _oracle_apply(text, edits)


def test_overlapping_edits_raise() -> None:
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("abcdef", [Edit(Span(0, 3), "x"), Edit(Span(2, 4), "y")])
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("abcdef", [Edit(Span(2, 2), "x"), Edit(Span(2, 2), "y")])
    with pytest.raises(ValueError, match="outside"):
        apply_edits("ab", [Edit(Span(1, 5), "x")])


def test_conflicting_fix_is_deferred_and_unsafe_skipped() -> None:
    text = "abcdef"
    first = _finding(text, 0, 3, "X")
    clash = _finding(text, 2, 5, "Y")
    unsafe = _finding(text, 5, 6, "Z", safe=False)
    step = apply_fixes(text, [clash, unsafe, first])
    assert step.text == "Xdef"
    assert step.applied == (first,)
    assert step.conflicts == (clash,)
    assert apply_fixes(text, [unsafe], unsafe=True).text == "abcdeZ"


def test_fix_with_several_edits_is_all_or_nothing() -> None:
    text = "one two three"
    doc = parse(text)
    both = make_finding(
        doc, "TQ100", 0, 3, "t",
        fix=Fix((Edit(Span(0, 3), "1"), Edit(Span(8, 13), "3"))),
    )
    blocker = _finding(text, 4, 9, "2")  # overlaps the second edit; earlier in order? no: 4 > 0
    step = apply_fixes(text, [both, blocker])
    assert step.text == "1 two 3"
    assert step.conflicts == (blocker,)


def test_replacement_newlines_follow_the_file() -> None:
    text = "a\r\nb\r\n"
    step = apply_fixes(text, [_finding(text, 1, 1, "\nnew")])
    assert step.text == "a\r\nnew\r\nb\r\n"
    assert dominant_newline("x\ny\r\n") == "\n"


def test_fix_outside_text_is_a_conflict() -> None:
    f = _finding("a long text", 2, 11, "")
    assert apply_fixes("short", [f]).conflicts == (f,)


# -- idempotence --------------------------------------------------------------------------------
# A toy rule set with overlapping, cascading fixes: "teh" -> "the", "  " -> " ", " ," -> ",",
# and "hh" -> "h". The real rule families are checked the same way in their own tests.
_PATTERNS = ((re.compile("teh"), "the"), (re.compile("  "), " "), (re.compile(" ,"), ","),
             (re.compile("hh"), "h"))


def _toy_checker(text: str) -> list[Finding]:
    doc = parse(text)
    out = []
    for pattern, rep in _PATTERNS:
        for m in pattern.finditer(text):
            out.append(
                make_finding(doc, "TQ100", m.start(), m.end(), "toy",
                             fix=Fix((Edit(Span(m.start(), m.end()), rep),)))
            )
    return out


def _toy_oracle(text: str) -> str:
    # the obviously-correct version: replace until nothing matches
    while True:
        new = text
        for pattern, rep in _PATTERNS:
            new = pattern.sub(rep, new)
        if new == text:
            return text
        text = new


@given(st.text(alphabet="teh ,", max_size=40))
def test_fix_text_is_idempotent_and_matches_oracle(text: str) -> None:
    once = fix_text(text, _toy_checker)
    assert once.remaining == ()
    assert once.text == _toy_oracle(text)
    twice = fix_text(once.text, _toy_checker)
    assert twice.text == once.text
    assert twice.applied == 0


def test_fix_text_stops_on_a_cycle() -> None:
    def flip(text: str) -> list[Finding]:
        rep = "b" if text == "a" else "a"
        return [_finding(text, 0, 1, rep)]

    out = fix_text("a", flip)
    assert out.text in {"a", "b"}
    assert out.passes <= 2


# -- the real rule families -----------------------------------------------------------------------
_PARAGRAPHS = [
    "The importer keeps the original line endings of every file.",
    "A second paragraph says something else entirely about the release.",
    "Teh the the cat sat on on the mat.",
    "Zero\u200bwidth and\u00a0no-break spaces hide here.",
    "- a list item\n- another list item",
]


@st.composite
def documents(draw: st.DrawFn) -> str:
    paras = draw(st.lists(st.sampled_from(_PARAGRAPHS), min_size=1, max_size=7))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = (newline * 2).join(p.replace("\n", newline) for p in paras)
    return text + draw(st.sampled_from(["", newline]))


@given(documents(), st.sampled_from(["a.md", "a.rst", "a.txt"]))
def test_real_rules_fix_twice_equals_once(text: str, path: str) -> None:
    import textqa

    settings = textqa.Settings(select=("ALL",))

    def checker(t: str) -> list[Finding]:
        return textqa.check(t, path=path, settings=settings)

    once = fix_text(text, checker)
    twice = fix_text(once.text, checker)
    assert twice.text == once.text
    assert twice.applied == 0
    assert not [f for f in once.remaining if f.fix is not None and f.fix.safe]
    if "\r\n" in text:
        assert "\n" not in once.text.replace("\r\n", "")  # line endings kept


def _oracle_accepts(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """Which fixes one pass applies, the slow obvious way: every edit of a fix against every
    edit already accepted (quadratic)."""

    def clash(a: Edit, b: Edit) -> bool:
        same = a.span.start == b.span.start
        return same or (a.span.start < b.span.end and b.span.start < a.span.end)

    order = sorted(
        findings,
        key=lambda f: (min(e.span.start for e in f.fix.edits), f.sort_key, f.message),  # type: ignore[union-attr]
    )
    accepted: list[Edit] = []
    done: list[list[Edit]] = []
    out: list[Finding] = []
    for f in order:
        edits = sorted(f.fix.edits, key=lambda e: (e.span.start, e.span.end))  # type: ignore[union-attr]
        if edits in done:  # the same fix twice is applied once, and both count
            out.append(f)
            continue
        own = any(clash(a, b) for a, b in itertools.pairwise(edits))
        if own or any(e.span.end > len(text) for e in edits):
            continue
        if any(clash(a, e) for e in edits for a in accepted):
            continue
        accepted.extend(edits)
        done.append(edits)
        out.append(f)
    return out


@st.composite
def overlapping_fixes(draw: st.DrawFn) -> tuple[str, list[Finding]]:
    text = draw(st.text(alphabet="ab \n", min_size=1, max_size=30))
    doc = parse(text)
    findings = []
    for n in range(draw(st.integers(0, 12))):
        spans = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 3)),
                              min_size=1, max_size=3))
        edits = tuple(Edit(Span(s, min(len(text), s + w)), draw(st.sampled_from(["", "x"])))
                      for s, w in spans)
        start = min(e.span.start for e in edits)
        findings.append(make_finding(doc, "TQ100", start, start, f"fix {n}", fix=Fix(edits)))
    return text, findings


@given(overlapping_fixes())
def test_one_pass_accepts_the_fixes_the_quadratic_oracle_accepts(
    case: tuple[str, list[Finding]],
) -> None:
    text, findings = case
    got = apply_fixes(text, findings)
    want = _oracle_accepts(text, findings)
    assert [f.message for f in got.applied] == [f.message for f in want]


def test_a_hundred_thousand_fixes_in_one_pass_are_not_quadratic() -> None:
    import time

    text = "teh " * 100_000
    doc = parse(text)
    findings = [
        make_finding(doc, "TQ100", i, i + 3, "typo", fix=Fix((Edit(Span(i, i + 3), "the"),)))
        for i in range(0, len(text), 4)
    ]
    started = time.perf_counter()
    out = apply_fixes(text, findings)
    assert out.text == "the " * 100_000
    assert time.perf_counter() - started < 20  # quadratic: ~5e9 comparisons, many minutes
