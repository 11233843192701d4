"""Markup masking: code, URLs and markup are masked per file kind; prose is not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textqa


def masked_words(text: str, path: str) -> set[str]:
    return {t.text for t in textqa.parse(text, path).tokens if t.masked}


def prose_words(text: str, path: str) -> set[str]:
    return {t.text for t in textqa.parse(text, path).tokens if not t.masked}


MARKDOWN = """---
title: Frontmatterword
---

Prose one with `inlinecode` and a [link](https://example.org/linkpath) here.

```python
fencedcode = 1
```

    indentedcode()

<!-- htmlcomment
spanning lines -->
<span class="htmlattr">taggedprose</span> and mail@examplemail.org.

[ref]: https://example.org/refdef
"""


@pytest.mark.parametrize(
    "word",
    [
        "Frontmatterword",
        "inlinecode",
        "linkpath",
        "fencedcode",
        "indentedcode",
        "htmlcomment",
        "htmlattr",
        "examplemail",
        "refdef",
    ],
)
def test_markdown_masks(word: str) -> None:
    assert word in masked_words(MARKDOWN, "x.md")


def test_markdown_keeps_prose() -> None:
    assert {"Prose", "one", "with", "link", "here", "taggedprose"} <= prose_words(MARKDOWN, "x.md")


RST = """Title
=====

Some prose with ``inlineliteral`` and :func:`rolefunc` and `interpreted`_ text.

.. code-block:: python
   :linenos:

   directivecode = 2

.. note::

   Noteprose stays prose.

A literal block follows::

    literalblockcode

.. _target: https://example.org/targeturl

.. a commentword here

>>> doctestcode()
"""


@pytest.mark.parametrize(
    "word",
    [
        "inlineliteral",
        "rolefunc",
        "interpreted",
        "linenos",
        "directivecode",
        "literalblockcode",
        "targeturl",
        "commentword",
        "doctestcode",
    ],
)
def test_rst_masks(word: str) -> None:
    assert word in masked_words(RST, "x.rst")


def test_rst_keeps_prose() -> None:
    assert {"Some", "prose", "Noteprose", "stays", "literal", "block"} <= prose_words(RST, "x.rst")


def test_plain_text_masks_urls_emails_identifiers_only() -> None:
    text = "Visit https://example.org/pathword or write to me@maildomain.com; call os.path.join()."
    assert {"pathword", "maildomain", "path", "join"} <= masked_words(text, "a.txt")
    assert {"Visit", "or", "write", "to", "call"} <= prose_words(text, "a.txt")
    # backticks mean nothing in plain text
    assert "code" in prose_words("a `code` word", "a.txt")


def test_paragraph_of_code_is_not_prose() -> None:
    doc = textqa.parse("Prose here.\n\n```\ncode only\n```\n", "x.md")
    assert [p.prose for p in doc.paragraphs] == [True, False]


def test_rst_role_does_not_open_interpreted_text_to_the_next_backtick() -> None:
    text = (
        "See :ref:`transports <asyncio-transport>`.\n\n"
        "Prose therethere stays prose.\n\n"
        "Then :func:`f` and ``a`b`` end.\n"
    )
    assert {"therethere", "stays", "prose", "Then", "and", "end"} <= prose_words(text, "x.rst")
    assert {"transports", "asyncio-transport", "f", "a", "b"} <= masked_words(text, "x.rst")


def test_rst_inline_markup_never_crosses_a_blank_line() -> None:
    text = "A stray `backtick here.\n\nNext paragraph words` stay prose.\n"
    assert {"Next", "paragraph", "words", "stay"} <= prose_words(text, "x.rst")


def test_rst_literal_block_inside_a_prose_directive_is_masked() -> None:
    text = (
        ".. method:: read(fp)\n"
        "   :noindex:\n\n"
        "   Reads lines, for example::\n\n"
        "      while line:\n"
        "          yield line\n"
        "          line = fp.readline()\n\n"
        "   Afterwards prose again.\n"
    )
    assert {"yield", "readline"} <= masked_words(text, "x.rst")
    assert {"Reads", "lines", "Afterwards", "prose", "again"} <= prose_words(text, "x.rst")


def test_rst_further_signatures_of_an_object_description_are_masked() -> None:
    text = (
        ".. function:: spawnl(mode, path, ...)\n"
        "              spawnve(mode, path, args, env)\n"
        "   :noindex:\n\n"
        "   Execute the program.\n\n"
        ".. note:: Notes keep their prose\n"
        "   on the following line.\n"
    )
    assert {"spawnl", "spawnve", "noindex"} <= masked_words(text, "x.rst")
    assert {"Execute", "program", "following", "line"} <= prose_words(text, "x.rst")


_RST_PIECES = [
    "Some prose here.",
    "Ends with a colon::",
    "Expanded form: ::",
    "   indented literal",
    "      deeper",
    "",
    "",
    ".. note::",
    ".. code-block:: python",
    ".. function:: spawn(a)",
    "   spawnv(b)",
    "   :noindex:",
    "   :param x: a value",
    ".. _target:",
    ".. [1] A footnote.",
    "..",
    "  .. |sub| image:: x.png",
    ">>> print(1)",
    "1",
    "  >>> nested",
    " ",
    "\u3000x",
    ":field: value",
]


@given(
    st.lists(
        st.tuples(st.sampled_from(["", " ", "  ", "   ", "    "]), st.sampled_from(_RST_PIECES)),
        max_size=25,
    )
)
def test_rst_blocks_by_opener_equal_the_line_walk(pieces: list[tuple[str, str]]) -> None:
    """The fast reST block scan (only lines that can open a block) against the line walk."""
    from textqa.markup import _rst_by_line, _rst_by_opener, line_spans

    text = "\n".join(indent + body for indent, body in pieces)
    lines = line_spans(text)
    slow: list[tuple[int, int]] = []
    fast: list[tuple[int, int]] = []
    _rst_by_line(text, lines, slow)
    _rst_by_opener(text, lines, fast)
    assert fast == slow


_MASK_ALPHABET = st.sampled_from(
    ["-", "--", "x", "A", "_", "=", "(", "[", ",", " ", "\n", "\t", "\x1c", "\u3000", "/", ".",
     "..", "~", "@", "+", ":", "::", "`", "|", "()", "os", "\u0301", "é", "ab", ",-x", "(--a",
     "=-b", "[-c", "a-b", "./a/b", "~/x", "/u/v", "x.y", "f()", ":f: ", "---", "+=+", "\n  :"]
)  # fmt: skip
_mask_texts = st.lists(_MASK_ALPHABET, max_size=30).map("".join)


def _union(spans: list[tuple[int, int]]) -> tuple[object, ...]:
    from textqa.markup import merge_spans

    return merge_spans(spans)


@given(_mask_texts)
def test_literal_first_mask_patterns_equal_the_originals(text: str) -> None:
    """The mask patterns rewritten for speed (a literal first, or the `re` engine) find what
    the original `regex` patterns found."""
    import re

    import regex

    from textqa import markup

    ident = regex.compile(
        r"(?<![^\s(\[,=])--?[A-Za-z][\w-]*(?:=\S*)?"
        r"|(?<![\w/])(?:~|\.{1,2})?/[\w.@+-]+(?:/[\w.@+-]*)+"
    )
    fast = [m.span() for rx in (markup._OPTION_RE, markup._PATH_RE) for m in rx.finditer(text)]
    assert _union(fast) == _union([m.span() for m in ident.finditer(text)])
    dot_call = re.compile(r"(?<=\w)(?:\.(?=[A-Za-z_])|\(\))")
    assert [m.start() for m in markup._DOT_CALL_RE.finditer(text)] == [
        m.start() for m in dot_call.finditer(text)
    ]
    # field names and table rules are indented, never preceded by blank lines
    fields = regex.compile(r"(?m)^[^\S\n]*:[^:\s][^:\n]*:(?=\s|$)")
    rules = regex.compile(r"(?m)^[^\S\n]*[+=-]{3,}(?:[+=\s-]*)$")
    for new, old in zip(markup._RST_INLINE[1:3], (fields, rules), strict=True):
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)]


@given(_mask_texts, st.sampled_from(["markdown", "rst", "text"]))
def test_mask_takes_tokens_or_token_columns(text: str, kind: str) -> None:
    from textqa.markup import mask
    from textqa.tokenize import token_columns, tokenize

    expected = mask(text, kind)  # type: ignore[arg-type]
    assert mask(text, kind, None, tokenize(text)) == expected  # type: ignore[arg-type]
    assert mask(text, kind, None, token_columns(text)) == expected  # type: ignore[arg-type]


def test_many_blank_lines_or_dashes_mask_in_linear_time() -> None:
    """Patterns free to run over blank lines or with nested quantifiers over one character
    class took quadratic time here (a 200,000-line file of blank lines took minutes)."""
    import time

    from textqa.markup import mask

    for text in ("\n" * 200_000 + "x", "-" * 200_000 + "x", "\n" * 200_000 + ":x"):
        start = time.process_time()
        mask(text, "rst")
        assert time.process_time() - start < 30  # about 0.1 s; quadratic took minutes
