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
