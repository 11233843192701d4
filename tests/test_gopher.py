"""Gopher repetition metrics: datatrove vectors, the default definition against a slow oracle,
and the properties the docs promise."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from textqa.errors import UsageError
from textqa.gopher import (
    GOPHER_THRESHOLDS,
    METRIC_NAMES,
    RepetitionMetrics,
    passes,
    repetition_metrics,
)
from textqa.tokenize import iter_words

from .conftest import ROOT
from .strategies import prose_documents, repetitive_documents

VECTORS: dict[str, Any] = json.loads(
    (ROOT / "tests" / "data" / "datatrove_gopher_vectors.json").read_text("utf-8")
)
DUPLICATE_METRICS = [
    "dup_para_frac",
    "dup_para_char_frac",
    "dup_line_frac",
    "dup_line_char_frac",
    *(f"duplicated_{n}_n_grams" for n in range(5, 11)),
]


# -- datatrove compatibility ---------------------------------------------------------------
def _ids(v: dict[str, Any]) -> str:
    return str(v["name"])


def test_vectors_are_varied() -> None:
    vectors = VECTORS["vectors"]
    assert VECTORS["datatrove"] == "0.10.1"
    assert len(vectors) >= 150
    verdicts = Counter(str(v["verdict"]) for v in vectors)
    assert verdicts["True"] >= 20
    assert len(verdicts) >= 10  # passes, and failures on many different rules


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=_ids)
def test_datatrove_compat_equals_recorded_values(vector: dict[str, Any]) -> None:
    words = vector.get("words", [])
    m = repetition_metrics(vector["text"], compat="datatrove", tokenizer=lambda _: words)
    if "metrics" in vector:
        got = m.as_dict()
        for name, want in vector["metrics"].items():
            assert got[name] == pytest.approx(want, abs=1e-9, rel=0), name
    want_failed = [] if vector["verdict"] is True else [vector["verdict"][1]]
    assert list(m.passes().failed[:1]) == want_failed


def test_datatrove_compat_end_to_end_with_spacy() -> None:
    pytest.importorskip("spacy")
    for vector in VECTORS["vectors"][:60]:
        if "metrics" not in vector:
            continue
        got = repetition_metrics(vector["text"], compat="datatrove").as_dict()
        for name, want in vector["metrics"].items():
            assert got[name] == pytest.approx(want, abs=1e-9, rel=0), (vector["name"], name)


def test_datatrove_compat_without_spacy_is_a_clear_error() -> None:
    try:
        import spacy  # noqa: F401
    except ImportError:
        with pytest.raises(UsageError, match="spaCy"):
            repetition_metrics("some text", compat="datatrove")
    else:
        pytest.skip("spaCy is installed")


def test_datatrove_rejects_short_clean_text_and_textqa_does_not() -> None:
    text = "A short, clean sentence."
    words = ["A", "short", ",", "clean", "sentence", "."]
    dt = repetition_metrics(text, compat="datatrove", tokenizer=lambda _: words)
    assert dt.passes().failed[:1] == ("top_2_gram",)
    assert repetition_metrics(text).passes()


def test_unknown_compat_and_threshold() -> None:
    with pytest.raises(UsageError, match="unknown compat"):
        repetition_metrics("x", compat="nemo")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="unknown Gopher metric"):
        passes({"dup_line_frac": 0.5}, {"dup_lines": 0.1})


# -- the default definition against a slow oracle -----------------------------------------
def _ref_units(text: str) -> tuple[list[str], list[str]]:
    lines = [" ".join(x.split()) for x in re.split(r"\r\n|\r|\n", text)]
    paragraphs, cur = [], []
    for x in [*lines, ""]:
        if x:
            cur.append(x)
        elif cur:
            paragraphs.append(" ".join(cur))
            cur = []
    return [x for x in lines if x], paragraphs


def _ref_dup(units: list[str]) -> tuple[float, float]:
    if not units:
        return 0.0, 0.0
    dups = [u for i, u in enumerate(units) if u in units[:i]]
    total = sum(map(len, units))
    return len(dups) / len(units), (sum(map(len, dups)) / total if total else 0.0)


def _ref_metrics(text: str) -> dict[str, float]:
    lines, paragraphs = _ref_units(text)
    words = [w for _, _, w in iter_words(text)]
    total = sum(map(len, words))
    out: dict[str, float] = {}
    out["dup_para_frac"], out["dup_para_char_frac"] = _ref_dup(paragraphs)
    out["dup_line_frac"], out["dup_line_char_frac"] = _ref_dup(lines)
    grams = {n: [tuple(words[i : i + n]) for i in range(len(words) - n + 1)] for n in range(2, 11)}

    def chars(covered: set[int]) -> float:
        return sum(len(words[i]) for i in covered) / total if total else 0.0

    for n in (2, 3, 4):
        g = grams[n]
        best = 0.0
        top = max((g.count(x) for x in g), default=0)
        if top >= 2:
            for x in set(g):
                if g.count(x) == top:
                    cov = {i + k for i in range(len(g)) if g[i] == x for k in range(n)}
                    best = max(best, chars(cov))
        out[f"top_{n}_gram"] = best
    for n in range(5, 11):
        g = grams[n]
        cov = {i + k for i in range(len(g)) if g[i] in g[:i] for k in range(n)}
        out[f"duplicated_{n}_n_grams"] = chars(cov)
    return out


@given(st.one_of(repetitive_documents, prose_documents, st.text(max_size=300)))
def test_default_definition_equals_slow_oracle(text: str) -> None:
    got = repetition_metrics(text).as_dict()
    want = _ref_metrics(text)
    for name in METRIC_NAMES:
        assert got[name] == pytest.approx(want[name], abs=1e-12), name


@given(st.one_of(repetitive_documents, st.text(max_size=300)))
def test_metrics_are_fractions(text: str) -> None:
    for value in repetition_metrics(text).as_dict().values():
        assert 0.0 <= value <= 1.0
        assert not math.isnan(value)


@given(st.lists(st.text("abcdefghij", min_size=1, max_size=6), max_size=60, unique=True))
def test_no_repeated_ngram_scores_zero(words: list[str]) -> None:
    m = repetition_metrics(" ".join(words))
    for n in range(2, 11):
        name = f"top_{n}_gram" if n <= 4 else f"duplicated_{n}_n_grams"
        assert getattr(m, name) == 0.0


@given(st.one_of(repetitive_documents, prose_documents))
def test_doubling_raises_every_duplicate_metric(text: str) -> None:
    words = [w for _, _, w in iter_words(text)]
    assume(len(words) >= 10)
    once = repetition_metrics(text).as_dict()
    twice = repetition_metrics(text + "\n\n" + text).as_dict()
    for name in DUPLICATE_METRICS:
        assert twice[name] > once[name], name


def test_values_of_a_hand_computed_text() -> None:
    text = "One two three four five six.\n\nOne two three four five six.\n\nSeven eight."
    m = repetition_metrics(text)
    assert m.dup_para_frac == pytest.approx(1 / 3)
    assert m.dup_para_char_frac == pytest.approx(28 / (28 + 28 + 12))
    # word characters 22 + 22 + 10; the second copy is a repeated 5-gram and 6-gram
    assert m.duplicated_5_n_grams == pytest.approx(22 / 54)
    assert m.duplicated_6_n_grams == pytest.approx(22 / 54)
    assert m.duplicated_7_n_grams == 0.0


def test_passes_helper() -> None:
    m = repetition_metrics("buy now " * 40)
    result = m.passes()
    assert not result
    assert "top_2_gram" in result.failed
    assert list(result.failed) == [n for n in METRIC_NAMES if n in result.failed]
    assert m.passes(dict.fromkeys(METRIC_NAMES, 1.0))
    assert passes(m, {}).passed
    assert set(GOPHER_THRESHOLDS) == set(METRIC_NAMES)
    clean = repetition_metrics("A short, clean sentence.")
    assert clean.passes()
    assert isinstance(clean, RepetitionMetrics)


def _doc_vectors() -> list[dict[str, Any]]:
    page = (ROOT / "docs" / "repetition.md").read_text("utf-8")
    block = page.split("<!-- vectors:start -->", 1)[1].split("<!-- vectors:end -->", 1)[0]
    lines = [x for x in block.splitlines() if x.startswith("{")]
    return [json.loads(x) for x in lines]


def test_docs_test_vectors_match_the_code() -> None:
    vectors = _doc_vectors()
    assert len(vectors) >= 5
    for v in vectors:
        got = repetition_metrics(v["text"]).as_dict()
        for name in METRIC_NAMES:
            assert got[name] == pytest.approx(v["metrics"].get(name, 0.0), abs=5e-7), (
                v["text"],
                name,
            )
