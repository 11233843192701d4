"""Applying fixes: edits against a slow oracle, conflicts, line endings, idempotence."""

from __future__ import annotations

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
