"""Verification, clusters, survivors, explanations and the TQ301 rule, against references."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import textqa
from textqa.dedup import (
    Deduplicator,
    choose_survivors,
    connected_components,
    deduplicate,
    exact_jaccard,
    explain,
    jaccard,
    verify_pairs,
)
from textqa.errors import UsageError
from textqa.minhash import SignatureSpec, shingle_sets

from .conftest import SRC
from .test_minhash import alpha, ref_jaccard, ref_shingles

_words = st.sampled_from([alpha(i) for i in range(12)])
_doc = st.lists(_words, min_size=0, max_size=30).map(" ".join)


def _mutate(rng: random.Random, words: list[str], edits: int) -> list[str]:
    out = list(words)
    for _ in range(edits):
        out[rng.randrange(len(out))] = "x" + alpha(rng.randrange(10**6))
    return out


def planted_corpus(seed: int, n: int = 120, dups: int = 60) -> list[str]:
    rng = random.Random(seed)
    vocab = [alpha(i) for i in range(3000)]
    base = [[rng.choice(vocab) for _ in range(rng.randint(40, 200))] for _ in range(n)]
    texts = [" ".join(w) for w in base]
    for _ in range(dups):
        src = rng.choice(base)
        texts.append(" ".join(_mutate(rng, src, rng.randint(0, max(1, len(src) // 15)))))
    return texts


def all_pairs(texts: list[str], threshold: float, n: int = 5) -> dict[tuple[int, int], float]:
    sets = [ref_shingles(t, n) for t in texts]
    return {
        (i, j): ref_jaccard(sets[i], sets[j])
        for i, j in itertools.combinations(range(len(texts)), 2)
        if sets[i] and sets[j] and ref_jaccard(sets[i], sets[j]) >= threshold
    }


# -- verification -------------------------------------------------------------------------
@given(st.lists(_doc, max_size=8), st.sampled_from([0.3, 0.5, 0.8, 1.0]))
def test_verified_pairs_are_exactly_the_pairs_at_or_above_threshold(
    texts: list[str], threshold: float
) -> None:
    sets = shingle_sets(texts, SignatureSpec())
    pairs = np.array(list(itertools.combinations(range(len(texts)), 2)), dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    got, sims = verify_pairs(sets, pairs, threshold)
    truth = all_pairs(texts, threshold)
    assert {tuple(p) for p in got.tolist()} == set(truth)
    for (i, j), s in zip(got.tolist(), sims.tolist(), strict=True):
        assert s == pytest.approx(truth[i, j])
        assert s >= threshold


@given(st.lists(_doc, min_size=1, max_size=10), st.sampled_from([0.5, 0.8]))
def test_reported_pairs_are_never_below_threshold(texts: list[str], threshold: float) -> None:
    result = deduplicate(texts, threshold=threshold, spec=SignatureSpec(num_perm=32))
    truth = all_pairs(texts, threshold)
    for c in result.clusters:
        for a, b, s in c.pairs:
            assert s >= threshold
            assert s == pytest.approx(truth[a, b])


def test_jaccard_edge_cases() -> None:
    e = np.zeros(0, dtype=np.uint64)
    a = np.array([1, 5, 9], dtype=np.uint64)
    assert jaccard(e, a) == 0.0
    assert jaccard(a, a) == 1.0
    assert jaccard(a, np.array([10, 11], dtype=np.uint64)) == 0.0
    assert exact_jaccard(shingle_sets(["a"], SignatureSpec()), np.zeros((0, 2), np.int64)).size == 0


# -- quality against exact all-pairs ground truth ---------------------------------------------
@pytest.mark.parametrize("scheme", ["kperm", "oph"])
def test_precision_and_recall_on_planted_corpus(scheme: str) -> None:
    texts = planted_corpus(seed=3)
    truth = set(all_pairs(texts, 0.8))
    assert len(truth) > 20
    result = deduplicate(texts, threshold=0.8, spec=SignatureSpec(scheme=scheme))  # type: ignore[arg-type]
    found = {(a, b) for c in result.clusters for a, b, _ in c.pairs}
    assert found <= truth  # precision 1.0: everything reported is verified
    assert len(found) / len(truth) >= 0.98


# -- identical texts ------------------------------------------------------------------------
@given(st.lists(_doc.filter(lambda t: t.strip() != ""), min_size=1, max_size=5), st.data())
def test_identical_texts_always_cluster(texts: list[str], data: st.DataObject) -> None:
    pick = data.draw(st.integers(0, len(texts) - 1))
    corpus = [*texts, texts[pick].upper()]
    result = deduplicate(corpus, threshold=1.0, spec=SignatureSpec(num_perm=16))
    members = next(c.members for c in result.clusters if len(corpus) - 1 in c.members)
    assert pick in members


# -- clusters and survivors -------------------------------------------------------------------
@given(st.integers(1, 12), st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=20))
def test_union_find_matches_graph_search(n: int, edges: list[tuple[int, int]]) -> None:
    edges = [(a % n, b % n) for a, b in edges]
    labels = connected_components(n, edges)
    adj: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    for i in range(n):
        seen, todo = {i}, [i]
        while todo:
            for nb in adj[todo.pop()]:
                if nb not in seen:
                    seen.add(nb)
                    todo.append(nb)
        assert labels[i] == min(seen)


def test_survivor_policies() -> None:
    lengths = [5, 9, 9, 1]
    ids = ["d", "c", "b", "a"]
    groups = [[0, 1, 2, 3]]
    assert choose_survivors(groups, "first") == [0]
    assert choose_survivors(groups, "longest", lengths=lengths, ids=ids) == [2]  # tie -> id "b"
    assert choose_survivors(groups, "longest", lengths=lengths) == [1]  # tie -> position
    assert choose_survivors(groups, "shortest", lengths=lengths, ids=ids) == [3]
    assert choose_survivors(groups, lambda i: ids[i], ids=ids) == [3]
    with pytest.raises(UsageError):
        choose_survivors(groups, "longest")
    with pytest.raises(UsageError):
        choose_survivors(groups, "biggest")  # type: ignore[arg-type]


@pytest.mark.parametrize("keep", ["longest", "shortest"])
@given(seed=st.integers(0, 10**6))
def test_results_do_not_depend_on_input_order(keep: str, seed: int) -> None:
    texts = planted_corpus(seed=7, n=20, dups=15)
    ids = [f"doc{i:03d}" for i in range(len(texts))]
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)

    def summary(ts: list[str], is_: list[str]) -> set[tuple[frozenset[str], str]]:
        r = deduplicate(ts, keep=keep, ids=is_)  # type: ignore[arg-type]
        return {(frozenset(is_[m] for m in c.members), is_[c.keep]) for c in r.clusters}

    assert summary(texts, ids) == summary([texts[i] for i in order], [ids[i] for i in order])


def test_streaming_modes_agree() -> None:
    texts = planted_corpus(seed=11, n=60, dups=30)
    kept = Deduplicator(keep_shingles=True)
    refetch = Deduplicator()
    for i in range(0, len(texts), 17):
        kept.add(texts[i : i + 17])
        refetch.add(texts[i : i + 17])
    a = kept.finish()
    b = refetch.finish(lambda rows: (texts[i] for i in rows))
    assert a.clusters == b.clusters
    assert a.candidates == b.candidates
    assert a.kept() == sorted(set(range(len(texts))) - a.duplicates())
    with pytest.raises(UsageError, match="fetch"):
        Deduplicator().finish()


def test_bad_arguments() -> None:
    with pytest.raises(UsageError):
        Deduplicator(threshold=0.0)
    with pytest.raises(UsageError, match="both bands and rows"):
        Deduplicator(bands=4)
    with pytest.raises(UsageError, match="do not fit"):
        Deduplicator(bands=64, rows=4)
    with pytest.raises(UsageError, match="ids"):
        deduplicate(["a", "b"], ids=["x"])


def test_empty_and_short_documents() -> None:
    r = deduplicate(["", "", "short", "short", "   "])
    assert [c.members for c in r.clusters] == [(2, 3)]
    assert r.empty == (0, 1, 4)
    assert deduplicate([]).clusters == ()


# -- explanations ------------------------------------------------------------------------------
def test_explain_gives_aligned_line_ranges() -> None:
    shared = "\n".join(f"line {alpha(i)} has some shared words in it" for i in range(10))
    a = "A heading\n\n" + shared + "\nthe end of a\n"
    b = "Other intro\nmore intro\n\n\n" + shared.replace("line f has", "row f has") + "\n"
    e = explain(a, b)
    assert 0.5 < e.jaccard < 1.0
    assert abs(e.estimated - e.jaccard) < 0.3
    assert e.regions
    first, last = e.regions[0], e.regions[-1]
    assert (first.a_lines[0], first.b_lines[0]) == (3, 5)
    assert (last.a_lines[1], last.b_lines[1]) == (12, 14)
    for r in e.regions:
        assert a[r.a_span[0] : r.a_span[1]].split()[0] in b[r.b_span[0] : r.b_span[1]]


def test_explain_of_unrelated_texts_has_no_regions() -> None:
    e = explain("alpha beta gamma delta epsilon zeta", "one two three four five six")
    assert (e.jaccard, e.regions) == (0.0, ())


# -- TQ301 ------------------------------------------------------------------------------------
_PAGE = (
    "Installing the package is simple: run pip install with the name of the package and wait "
    "for the download to finish. Then import it in your code and call the main function with "
    "the path of the file you want to process. The function returns a report that lists "
    "every problem it found, one per line, with the line and column where it starts, so "
    "that an editor can jump straight to it. Nothing on disk is changed unless you ask for "
    "fixes, and even then only the safe ones are applied by default, which keeps reviews "
    "short and predictable for everyone on the team.\n"
)


def test_tq301_flags_the_later_file_with_related_location() -> None:
    docs = [
        textqa.parse("# Install\n\n" + _PAGE, "docs/install.md"),
        textqa.parse(
            "Something else entirely, with enough words to be compared by the rule "
            "even though it shares nothing at all with the other pages here.",
            "x.md",
        ),
        textqa.parse("# Setup\n\nIntro.\n\n" + _PAGE.replace("simple", "easy"), "docs/setup.md"),
    ]
    findings = textqa.check_documents(docs)
    assert [(f.code, f.path) for f in findings] == [("TQ301", "docs/setup.md")]
    f = findings[0]
    assert f.related[0].path == "docs/install.md"
    assert f.related[0].line == 3
    assert f.start.line == 5
    assert "lines 5-5 match its lines 3-3" in f.message
    assert textqa.check_documents(docs, ignore=["TQ301"]) == []


def test_tq301_ignores_tiny_files_and_single_files() -> None:
    tiny = [textqa.parse("TODO", "a.md"), textqa.parse("TODO", "b.md")]
    assert textqa.check_documents(tiny) == []
    assert textqa.check(_PAGE, path="a.md") == []


def test_single_file_check_does_not_import_numpy(tmp_path: object) -> None:
    code = "import sys, textqa; textqa.check_paths([sys.argv[1]]); print('numpy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code, str(SRC / "textqa" / "model.py")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        check=True,
    )
    assert out.stdout.strip() == "False"


@given(
    st.lists(
        st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), min_size=6, max_size=30).map(
            " ".join
        ),
        min_size=2,
        max_size=12,
    ),
    st.sampled_from([0.5, 0.8]),
)
def test_band_keys_computed_one_document_at_a_time_give_the_same_clusters(
    texts: list[str], threshold: float
) -> None:
    """`Deduplicator.keys_of` per document (what a ``--jobs`` worker does) + `add_keys`."""
    expected = deduplicate(texts, threshold=threshold)
    d = Deduplicator(threshold=threshold)
    parts = [d.keys_of([t]) for t in texts]
    d.add_keys(
        np.concatenate([k for k, _ in parts]),
        np.concatenate([v for _, v in parts]),
        [len(t) for t in texts],
    )
    got = d.finish(lambda rows: (texts[i] for i in rows))
    assert got.clusters == expected.clusters
    assert got.candidates == expected.candidates
    with pytest.raises(UsageError):
        d.add_keys(parts[0][0], parts[0][1], [1, 2])


@pytest.mark.parametrize("value", [0.0, 1.5])
def test_near_duplicate_file_threshold_out_of_range_names_its_key(value: float) -> None:
    settings = textqa.Settings(thresholds={"near-duplicate-file": value})
    with pytest.raises(textqa.ConfigError, match=r"^thresholds\.near-duplicate-file: expected"):
        textqa.check_documents([textqa.parse("one"), textqa.parse("two")], settings=settings)
