"""Record datatrove's Gopher repetition values on a varied set of texts.

Writes ``tests/data/datatrove_gopher_vectors.json``: for each text, the words datatrove's English
word splitter returns, the thirteen metric values computed with datatrove's own helper functions
(``find_duplicates``, ``find_top_duplicate``, ``find_all_duplicate``, ``get_n_grams``) exactly
as ``GopherRepetitionFilter.filter`` composes them, and the filter's verdict. The tests compare
``textqa.gopher.repetition_metrics(text, compat="datatrove")`` with these values to 1e-9.

datatrove has a large dependency tree, so it lives in its own virtual environment, never in
textqa's; spaCy is needed too (datatrove tokenizes English with ``spacy.blank("en")``)::

    python -m venv /tmp/venv-datatrove
    /tmp/venv-datatrove/bin/pip install datatrove==0.10.1 "spacy>=3.8,<4" regex rapidfuzz
    /tmp/venv-datatrove/bin/python tools/record_datatrove_vectors.py

When textqa's sources import in that environment (``src/`` is put on ``sys.path``), the script
also checks textqa's values against the recorded ones, end to end through spaCy, and exits 1 on
any difference. The texts are generated from a fixed seed and from ``seeds/``: nothing from a
third-party corpus is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "datatrove_gopher_vectors.json"

_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "it",
    "that",
    "for",
    "on",
    "was",
    "with",
    "as",
    "by",
    "at",
    "from",
    "this",
    "be",
    "or",
    "an",
    "are",
    "not",
    "paper",
    "river",
    "light",
    "stone",
    "quick",
    "brown",
    "fox",
    "lazy",
    "dog",
    "market",
    "report",
    "city",
    "council",
    "budget",
    "vote",
    "school",
    "teacher",
    "data",
    "model",
    "corpus",
    "filter",
    "line",
    "paragraph",
    "repeat",
    "copy",
    "page",
    "menu",
    "home",
    "contact",
    "privacy",
    "policy",
    "cookies",
    "subscribe",
    "newsletter",
    "share",
    "click",
    "here",
    "read",
    "more",
]
_PUNCT = [".", ",", "!", "?", ";", ":", " -", " —", "...", ""]


def _sentence(rng: random.Random, lo: int = 3, hi: int = 14) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + rng.choice(_PUNCT)


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def _random_doc(rng: random.Random) -> str:
    pool = [_paragraph(rng) for _ in range(rng.randint(1, 6))]
    parts: list[str] = []
    for _ in range(rng.randint(1, 12)):
        r = rng.random()
        if r < 0.3 and parts:
            parts.append(rng.choice(parts))  # exact repeat
        elif r < 0.45:
            parts.append(rng.choice(pool))
        elif r < 0.55:
            parts.append("\n".join(_sentence(rng, 1, 4) for _ in range(rng.randint(2, 6))))
        elif r < 0.6:
            nav = ["Home | About | Contact", "Read more", "Share this:", "* * *"]
            parts.append(rng.choice(nav))
        else:
            parts.append(_paragraph(rng))
    seps = ["\n\n", "\n", "\n\n\n", "\n \n", "\r\n\r\n", "\n\n  ", " \n\n", "\t\n\n"]
    text = parts[0]
    for p in parts[1:]:
        text += rng.choice(seps) + p
    if rng.random() < 0.3:
        text = rng.choice(["\n", "  ", "\n\n"]) + text + rng.choice(["\n", "", "  \n"])
    return text


def texts() -> list[tuple[str, str]]:
    """(name, text) pairs: hand-written edge cases, the seed, and seeded random documents."""
    seed = (ROOT / "seeds" / "000_8e9dbe92525a050e.txt").read_text("utf-8")
    cases: list[tuple[str, str]] = [
        ("seed", seed),
        ("seed-doubled", seed + "\n\n" + seed),
        ("one-word", "hello"),
        ("two-words", "hello world"),
        ("short-clean", "A short, clean sentence."),
        ("only-newlines", "\n\n\n"),
        ("only-spaces", "   "),
        ("space-and-newlines", " \n \n "),
        ("trailing-newline", "A line.\nA line.\n"),
        ("crlf", "Same line here.\r\nSame line here.\r\n\r\nSame line here.\r\n"),
        ("blank-with-spaces", "Para one is here.\n \nPara one is here."),
        ("tabs", "a\tb\tc\td\te\tf\ta\tb\tc\td\te\tf"),
        ("spam", "buy now " * 50),
        ("spam-lines", "Click here\n" * 20),
        ("periodic", "a a a a a a a a a a a a"),
        ("periodic-2", "a b a b a b a b a b a b a b"),
        ("join-collision", "ab c d e f g x a bc d e f g"),
        ("contractions", "I don't know. I don't know. You can't say we won't. I'm sure I'm."),
        ("nbsp", "word\u00a0word word\u00a0word\n\nword\u00a0word word\u00a0word"),
        ("unicode", "Größe café naïve — “quoted” ‘single’ … ½ ∑ 漢字 かな 😀 😀 😀 😀"),
        ("cjk", "我们的语言模型。我们的语言模型。我们的语言模型。"),
        ("urls", "See https://example.org/a/b?c=d and https://example.org/a/b?c=d now."),
        ("numbers", "1,000 2.5 3.14 1,000 2.5 3.14 1,000 2.5 3.14 1,000 2.5 3.14"),
        ("punctuation", "!!! ??? ... --- !!! ??? ... --- !!! ???"),
        ("markdown", "# Title\n\n- item one\n- item two\n- item one\n\n```\ncode\ncode\n```\n"),
        ("nav", "Home | About | Contact\n\nBody text here.\n\nHome | About | Contact"),
        ("ten-gram-repeat", " ".join(_WORDS[:12]) + " filler " + " ".join(_WORDS[:12])),
        ("is-alpha", "IS_ALPHA IS_ALPHA and some IS_ALPHA text"),
        ("emoji-only", "😀😀😀 😀😀😀 😀😀😀"),
        ("mixed-ws", "a \u2003 b \u2009 c\u200bd e\u3000f a \u2003 b \u2009 c"),
        ("long-line", "word " * 400),
        ("lone-cr", "one line\rone line\rone line"),
        ("form-feed", "page one\fpage one\fpage two"),
    ]
    rng = random.Random(20211208)
    cases.extend((f"random-{i:03d}", _random_doc(rng)) for i in range(150))
    return cases


def datatrove_values(text: str) -> dict[str, Any]:
    """The metric values datatrove 0.10 computes for ``text``, with its helpers, in the order and
    with the arithmetic of ``GopherRepetitionFilter.filter`` (which stops at the first failure;
    here every value is computed)."""
    # datatrove lives in its own environment: imported only when recording
    from datatrove.data import Document  # noqa: PLC0415
    from datatrove.pipeline.filters import GopherRepetitionFilter  # noqa: PLC0415
    from datatrove.pipeline.filters.gopher_repetition_filter import (  # noqa: PLC0415
        find_all_duplicate,
        find_duplicates,
        find_top_duplicate,
        get_n_grams,
    )
    from datatrove.utils.text import split_into_words  # noqa: PLC0415
    from datatrove.utils.typeshelper import Languages  # noqa: PLC0415

    filt = GopherRepetitionFilter()
    verdict = filt.filter(Document(text=text, id="x"))
    record: dict[str, Any] = {
        "verdict": verdict if verdict is True else list(verdict),  # type: ignore[arg-type]
    }
    if not text:
        return record
    paragraphs = filt.paragraph_exp.split(text.strip())
    p_dup, p_chars = find_duplicates(paragraphs)
    lines = filt._line_splitter.split(text)
    l_dup, l_chars = find_duplicates(lines)
    words = split_into_words(text, Languages.english)
    metrics: dict[str, float] = {
        "dup_para_frac": p_dup / len(paragraphs),
        "dup_para_char_frac": p_chars / len(text),
        "dup_line_frac": l_dup / len(lines),
        "dup_line_char_frac": l_chars / len(text),
    }
    for n in (2, 3, 4):
        grams = get_n_grams(words, n)
        metrics[f"top_{n}_gram"] = find_top_duplicate(grams) / len(text) if grams else 0.0
    for n in range(5, 11):
        metrics[f"duplicated_{n}_n_grams"] = find_all_duplicate(words, n) / len(text)
    record["words"] = list(words)
    record["metrics"] = metrics
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default: {OUT})")
    args = parser.parse_args(argv)

    vectors = []
    for name, text in texts():
        vectors.append({"name": name, "text": text, **datatrove_values(text)})
    data = {
        "about": "datatrove GopherRepetitionFilter values, recorded by "
        "tools/record_datatrove_vectors.py; do not edit by hand",
        "datatrove": version("datatrove"),
        "spacy": version("spacy"),
        "python": sys.version.split()[0],
        "vectors": vectors,
    }
    # one vector per line keeps the file small and its diffs readable
    head = json.dumps({k: v for k, v in data.items() if k != "vectors"}, ensure_ascii=False)
    body = ",\n".join(json.dumps(v, ensure_ascii=False) for v in vectors)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(f'{head[:-1]}, "vectors": [\n{body}\n]}}\n', "utf-8")
    os.replace(tmp, args.out)
    print(f"wrote {len(vectors)} vectors to {args.out}")

    sys.path.insert(0, str(ROOT / "src"))
    try:
        from textqa.gopher import repetition_metrics  # noqa: PLC0415
    except ImportError as exc:  # textqa's own dependencies missing here: record only
        print(f"textqa not importable here ({exc}); skipped the end-to-end comparison")
        return 0
    bad = 0
    for v in vectors:
        if "metrics" not in v:
            continue
        got = repetition_metrics(v["text"], compat="datatrove").as_dict()
        for key, want in v["metrics"].items():
            if abs(got[key] - want) > 1e-9:
                bad += 1
                print(f"MISMATCH {v['name']} {key}: textqa {got[key]!r} datatrove {want!r}")
    print(f"end-to-end through spaCy: {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
