"""Properties of the parse: offsets are true, positions agree with a naive count, nothing raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textqa
from textqa.model import Position, Span

from .strategies import kinds, texts


def naive_position(text: str, offset: int) -> Position:
    """Slow, obviously-correct line/column: split on every kind of line ending."""
    line, col, i = 1, 1, 0
    while i < offset:
        ch = text[i]
        if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            if i + 1 == offset:  # between \r and \n: still on this line
                bom = line == 1 and text.startswith("\ufeff")
                return Position(line, col + 1 - (1 if bom else 0))
            i += 2
            line, col = line + 1, 1
            continue
        if ch in "\r\n":
            line, col = line + 1, 1
        else:
            col += 1
        i += 1
    if line == 1 and text.startswith("\ufeff") and offset > 0:
        col -= 1
    return Position(line, col)


@given(texts, kinds)
def test_parse_never_raises_and_tokens_slice_back(text: str, kind: str) -> None:
    doc = textqa.parse(text, kind=kind)  # type: ignore[arg-type]
    for tok in doc.tokens:
        assert text[tok.start : tok.end] == tok.text
        assert tok.masked == doc.is_masked(tok.start, tok.end)
    for a, b in zip(doc.masked, doc.masked[1:], strict=False):
        assert a.end < b.start


@given(texts, st.data())
def test_position_agrees_with_naive_count(text: str, data: st.DataObject) -> None:
    doc = textqa.parse(text)
    offset = data.draw(st.integers(0, len(text)))
    pos = doc.position(offset)
    assert pos == naive_position(text, offset)


@given(texts)
def test_lines_cover_the_text(text: str) -> None:
    doc = textqa.parse(text)
    assert doc.lines[0].start == 0
    assert doc.lines[-1].next_start == len(text)
    for a, b in zip(doc.lines, doc.lines[1:], strict=False):
        assert a.next_start == b.start
        assert text[a.end : a.next_start] in ("\n", "\r", "\r\n")
    for line in doc.lines:
        assert "\n" not in text[line.start : line.end]
        assert "\r" not in text[line.start : line.end]


@given(texts)
def test_paragraphs_are_non_blank_runs(text: str) -> None:
    doc = textqa.parse(text)
    for p in doc.paragraphs:
        body = doc.paragraph_text(p)
        assert body.strip()
        assert doc.lines[p.first_line - 1].start == p.start
        assert doc.lines[p.last_line - 1].end == p.end


@given(texts, st.data())
def test_offset_inverts_position(text: str, data: st.DataObject) -> None:
    doc = textqa.parse(text)
    offset = data.draw(st.integers(0, len(text)))
    if doc.bom and offset == 0:
        offset = 1 if text else 0
    if text[offset - 1 : offset + 1] == "\r\n":  # between \r and \n has no column of its own
        return
    assert doc.offset(doc.position(offset)) == offset


def test_line_endings_and_bom() -> None:
    doc = textqa.parse("\ufeffab\r\ncd\ref\ngh")
    assert [doc.text[ln.start : ln.end] for ln in doc.lines] == ["\ufeffab", "cd", "ef", "gh"]
    assert doc.position(1) == Position(1, 1)  # the BOM is not a column
    assert doc.position(doc.text.index("d")) == Position(2, 2)
    assert doc.position(doc.text.index("f")) == Position(3, 2)
    assert doc.position(doc.text.index("h")) == Position(4, 2)


def test_tokens_words_and_numbers() -> None:
    text = "Naïve café’s e\u0301lan — ever-more-effective 2015, 3.14 and don't U.S.-led x_y"
    doc = textqa.parse(text)
    got = [(t.text, t.kind) for t in doc.tokens]
    assert ("Naïve", "word") in got
    assert ("café’s", "word") in got
    assert ("e\u0301lan", "word") in got
    assert ("ever-more-effective", "word") in got
    assert ("2015", "number") in got
    assert ("3.14", "number") in got
    assert ("don't", "word") in got


def test_span_validation() -> None:
    with pytest.raises(ValueError, match="invalid span"):
        Span(3, 2)


def test_findings_are_frozen() -> None:
    from dataclasses import FrozenInstanceError

    doc = textqa.parse("x")
    with pytest.raises(FrozenInstanceError):
        doc.text = "y"  # type: ignore[misc]


# -- the fast C-level passes of parse against slow, obviously correct references ---------------
def _reference_tokens(text: str) -> list[tuple[str, int, int, str]]:
    """One regex match at a time; a token is a number when no character is a letter (by the
    `regex` module's Unicode tables, which may be newer than the interpreter's)."""
    import regex

    from textqa.tokenize import WORD_PATTERN

    return [
        (m.group(), m.start(), m.end(), "word" if regex.search(r"\p{L}", m.group()) else "number")
        for m in regex.finditer(WORD_PATTERN, text)
    ]


def _reference_lines(text: str) -> list[tuple[int, int, int]]:
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] in "\r\n":
            nxt = i + 2 if text.startswith("\r\n", i) else i + 1
            out.append((start, i, nxt))
            start = i = nxt
        else:
            i += 1
    out.append((start, len(text), len(text)))
    return out


_token_texts = st.lists(
    st.one_of(
        texts,
        st.sampled_from(
            ["3.14", "1,000", "x2", "2x", "_1", "1_", "1-2", "a.1", "1.a", "1.", "²", "٣"]
        ),
        st.text(st.sampled_from("a1_.,-'’\u2010\u0301 \n"), max_size=8),
    ),
    max_size=12,
).map("".join)


@given(_token_texts)
def test_tokenize_equals_one_match_at_a_time(text: str) -> None:
    from textqa.tokenize import tokenize

    assert [tuple(t[:4]) for t in tokenize(text)] == _reference_tokens(text)


@given(texts)
def test_line_spans_equal_a_character_scan(text: str) -> None:
    from textqa.markup import line_spans

    assert line_spans(text) == _reference_lines(text)
    assert line_spans(text.replace("\r", "")) == _reference_lines(text.replace("\r", ""))


@given(texts, kinds)
def test_words_and_prose_paragraphs_agree_with_the_tokens(text: str, kind: str) -> None:
    doc = textqa.parse(text, kind=kind)  # type: ignore[arg-type]
    words = [t for t in doc.tokens if t.kind == "word" and not t.masked]
    assert list(doc.words) == words
    assert list(doc.word_starts) == [t.start for t in words]
    for p in doc.paragraphs:
        assert p.prose == any(p.start <= t.start < p.end for t in words)
    blank = [not text[ln.start : ln.end].strip() for ln in doc.lines]
    covered = [i for p in doc.paragraphs for i in range(p.first_line - 1, p.last_line)]
    assert covered == [i for i, b in enumerate(blank) if not b]


def test_gc_pause_is_shared_by_threads_and_always_ends() -> None:
    """One thread's pause ending never turns the collector on under another's, and the last
    pause to end turns it back on (the interleaving that a save-and-restore flag gets wrong)."""
    import gc
    import threading

    from textqa._gc import paused

    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with paused():
            entered.set()
            release.wait(5)

    assert gc.isenabled()
    t = threading.Thread(target=other)
    t.start()
    assert entered.wait(5)
    with paused():
        assert not gc.isenabled()
        release.set()
        t.join(5)
        assert not gc.isenabled()  # the other thread's pause ended, ours has not
    assert gc.isenabled()
    with pytest.raises(ValueError, match="inside a pause"), paused():
        raise ValueError("inside a pause")
    assert gc.isenabled()
