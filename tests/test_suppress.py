"""Inline suppression in Markdown, reST and plain text, through the engine."""

from __future__ import annotations

import pytest

import textqa
from textqa.config import Settings
from textqa.suppress import UNUSED_CODE, Suppressions

from .fake_family import fake_rules  # noqa: F401 -- fixture

pytestmark = pytest.mark.usefixtures("fake_rules")


def _lines(text: str, path: str, **kw: object) -> list[tuple[int, str]]:
    settings = Settings(**kw)  # type: ignore[arg-type]
    return [(f.start.line, f.code) for f in textqa.check(text, path=path, settings=settings)]


def test_markdown_same_line_and_next_line() -> None:
    text = (
        "teh one <!-- textqa: ignore[TQ100] -->\n"
        "<!-- textqa: ignore-next-line[TQ100] -->\n"
        "\n"
        "teh two\n"
        "teh three\n"
    )
    assert _lines(text, "a.md") == [(5, "TQ100")]


def test_markdown_directive_outside_comment_or_in_code_block_is_not_a_directive() -> None:
    text = "teh textqa: ignore[TQ100]\n\n```\n<!-- textqa: off -->\n```\n\nteh\n"
    assert _lines(text, "a.md") == [(1, "TQ100"), (7, "TQ100")]


def test_off_on_block_and_codes() -> None:
    text = (
        "teh\n<!-- textqa: off -->\nteh\nteh\n<!-- textqa: on -->\n"
        "teh\n<!-- textqa: off -->\nteh\n"
    )
    assert _lines(text, "a.md") == [(1, "TQ100"), (6, "TQ100")]


def test_off_with_other_code_does_not_suppress() -> None:
    text = "<!-- textqa: off[TQ4] -->\nteh\n"
    assert _lines(text, "a.md") == [(2, "TQ100")]
    assert _lines("<!-- textqa: off[invalid-encoding] -->\nteh\n", "a.md") == []
    assert _lines("<!-- textqa: off[unicode] -->\nteh\n", "a.md") == []


def test_rst_comments() -> None:
    text = "teh\n\n.. textqa: ignore-next-line[TQ100]\n\nteh here\n\nteh\n"
    assert _lines(text, "a.rst") == [(1, "TQ100"), (7, "TQ100")]
    assert _lines("Some teh\n\n.. textqa: off\n\nteh\n", "a.rst") == [(1, "TQ100")]


def test_plain_text_anywhere() -> None:
    text = "teh  # textqa: ignore\nteh\n"
    assert _lines(text, "a.txt") == [(2, "TQ100")]


def test_unused_ignores_are_reported_when_asked() -> None:
    text = "fine <!-- textqa: ignore[TQ100] -->\nteh <!-- textqa: ignore[TQ100,TQ4] -->\n"
    assert _lines(text, "a.md") == []
    found = textqa.check(text, path="a.md", settings=Settings(report_unused_ignores=True))
    assert [(f.code, f.start.line, f.start.column) for f in found] == [
        (UNUSED_CODE, 1, 11),
        (UNUSED_CODE, 2, 10),
    ]
    assert "TQ4 suppressed nothing" in found[1].message


def test_no_directive_is_fast_path() -> None:
    assert Suppressions.parse(textqa.parse("nothing here", "a.md")) is None


def test_per_file_ignores(tmp_path: object) -> None:
    s = Settings(per_file_ignores=(("docs/legacy/*.md", ("TQ100",)),), root="/p")
    assert [f.code for f in textqa.check("teh", path="/p/docs/legacy/x.md", settings=s)] == []
    assert [f.code for f in textqa.check("teh", path="/p/docs/x.md", settings=s)] == ["TQ100"]
