"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

from hypothesis import strategies as st

#: any text without surrogates, biased towards the characters that break parsers
_tricky = st.sampled_from(
    [
        "\n",
        "\r",
        "\r\n",
        "\x00",
        "\ufeff",
        "\u00a0",
        "\u200b",
        "\u202e",
        " ",
        "\t",
        "-",
        "'",
        "’",
        "`",
        "```",
        "::",
        "..",
        ">>>",
        "    ",
        "http://x.org/a",
        "e\u0301",
        "ISIS",
        "the",
    ]
)
texts = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=12), _tricky),
    max_size=40,
).map("".join)

_word = st.sampled_from(
    ["the", "cat", "sat", "on", "mat", "river", "quick", "brown", "fox", "light", "paper", "a"]
)
sentences = st.lists(_word, min_size=3, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraphs = st.lists(sentences, min_size=1, max_size=4).map(" ".join)
prose_documents = st.lists(paragraphs, min_size=1, max_size=8).map("\n\n".join)
kinds = st.sampled_from(["markdown", "rst", "text"])


def _vary(p: str, spaces: str, upper: bool) -> str:
    words = p.split(" ")
    out = words[0]
    for i, w in enumerate(words[1:]):
        out += spaces[i % len(spaces)] + w
    return out.upper() if upper else out


#: a paragraph drawn from a small pool (so repeats are common), re-spaced or re-cased at random
_pool_paragraph = st.builds(
    _vary,
    st.sampled_from(
        [
            "One two three four five six.",
            "One two three four five seven.",
            "Short one.",
            "The quick brown fox jumps over the lazy dog again.",
            "The quick brown fox jumps over the lazy cat again.",
            "```\ncode block code block code block\n```",
            "    indented code line one two three",
            "A line with five words here\nand a second line of it.",
            "# A heading",
            "Title line\n==========",
            "---",
            "   One two three four five six.",
            "\tThe quick brown fox jumps over the lazy dog again.",
            "- One two three four five six.",
            "* The quick brown fox jumps over the lazy dog again.",
            "Term line\n   One two three four five six.",
        ]
    ),
    st.sampled_from([" ", "  ", "\t", "\u00a0", " \n"]),
    st.booleans(),
)
#: documents with many exact and near repeats, code blocks and odd separators
repetitive_documents = st.lists(
    st.one_of(_pool_paragraph, paragraphs), min_size=1, max_size=12
).flatmap(
    lambda ps: st.lists(
        st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\r\n\r\n"]), min_size=len(ps), max_size=len(ps)
    ).map(lambda seps: "".join(p + s for p, s in zip(ps, seps, strict=True)))
)
