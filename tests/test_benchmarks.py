"""The benchmark harness (``benchmarks/``): timing, memory, peers, generator, schema, and the
quick run that must finish in under a minute and must not fail when a peer is missing."""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.generate import Corpus, edit_words, generate, split_paragraphs, typo
from benchmarks.harness import (
    REPO,
    command,
    command_peer,
    compare,
    peak_memory,
    python_env,
    python_peer,
)
from benchmarks.scoring import score_pairs, score_spans
from benchmarks.suites import SuiteError, discover, validate
from hypothesis import given
from hypothesis import strategies as st

BASE = [
    "\n\n".join(
        " ".join(f"word{(p * 31 + i) % 97} alpha bravo charlie delta echo" for i in range(6))
        for p in range(k, k + 5)
    )
    for k in range(8)
]


# -- timing ---------------------------------------------------------------------------------


class FakeClock:
    """A clock that advances by the duration each method declares when it runs."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_compare_interleaves_excludes_warmup_and_reports_ratios() -> None:
    clock = FakeClock()
    order: list[str] = []
    durations = {"a": iter([100.0, 1.0, 2.0, 3.0]), "b": iter([100.0, 4.0, 6.0, 20.0])}

    def method(name: str):  # type: ignore[no-untyped-def]
        def run() -> None:
            order.append(name)
            clock.now += next(durations[name])

        return run

    c = compare("x", {"a": method("a"), "b": method("b")}, repeat=3, warmup=1, clock=clock)
    assert order == ["a", "b"] * 4
    a, b = c.timings["a"], c.timings["b"]
    assert a.samples == (1.0, 2.0, 3.0)  # the 100 s warm-up is gone
    assert (a.median, a.min, a.max) == (2.0, 1.0, 3.0)
    assert (b.median, b.min, b.max) == (6.0, 4.0, 20.0)
    assert c.ratios() == {"b": 3.0}
    d = c.to_dict()
    assert d["baseline"] == "a"
    assert d["methods"]["b"]["n"] == 3
    validate({"suite": "t", "timings": [d]})


def test_compare_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least one"):
        compare("x", {})
    with pytest.raises(ValueError, match="baseline"):
        compare("x", {"a": lambda: None}, baseline="zzz")


def test_command_runs_a_process_and_reports_failures() -> None:
    ok = command([sys.executable, "-c", "print('hi')"], env=python_env())()
    assert ok.returncode == 0
    assert ok.stdout.strip() == b"hi"
    assert ok.seconds > 0
    bad = command([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"])
    with pytest.raises(RuntimeError, match="boom"):
        bad()


# -- memory ---------------------------------------------------------------------------------


def test_peak_memory_sees_an_allocation_and_not_the_baseline() -> None:
    big = peak_memory("tests._bench_targets:allocate", mib=64)
    small = peak_memory("tests._bench_targets:nothing")
    assert 60 <= big.to_dict()["peak_mib"] < 200
    assert small.to_dict()["peak_mib"] < 16
    assert big.baseline_bytes > 0


def test_peak_memory_reports_a_failing_target() -> None:
    with pytest.raises(RuntimeError, match="peak_memory"):
        peak_memory("tests._bench_targets:no_such_function")
    with pytest.raises(ValueError, match="module:function"):
        peak_memory("no_colon")


# -- peers ----------------------------------------------------------------------------------


def test_missing_and_disabled_peers_give_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = python_peer("no-such-peer-package")
    assert not missing.available
    assert "not installed" in (missing.note or "")
    monkeypatch.setenv("TEXTQA_BENCH_DISABLE", "codespell, PYTEST")
    assert "TEXTQA_BENCH_DISABLE" in (command_peer("codespell").note or "")
    assert not python_peer("pytest").available
    monkeypatch.delenv("TEXTQA_BENCH_DISABLE")
    assert python_peer("pytest").available
    assert python_peer("pytest").version


# -- generator ------------------------------------------------------------------------------


def _check_labels(corpus: Corpus) -> None:
    for doc in corpus.docs:
        words = []
        for d in doc.defects:
            assert 0 <= d.start < d.end <= len(doc.text)
            assert doc.text[d.start : d.end] == d.text
            if d.kind == "repeated-paragraph":
                assert d.related is not None
                assert doc.text[d.related : d.related + len(d.text)] == d.text
            else:
                assert d.text != d.original
                words.append((d.start, d.end))
        words.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(words)), "overlap"


def test_generator_is_deterministic_and_its_labels_are_exact() -> None:
    a = generate(BASE, n_docs=60, seed=3, misspellings_per_1k_words=20, doubled_per_1k_words=10,
                 stutters_per_1k_words=5, invisibles_per_1k_words=5, pasted_share=0.3)
    assert a == generate(BASE, n_docs=60, seed=3, misspellings_per_1k_words=20,
                         doubled_per_1k_words=10, stutters_per_1k_words=5,
                         invisibles_per_1k_words=5, pasted_share=0.3)
    assert a.to_jsonl() != generate(BASE, n_docs=60, seed=4).to_jsonl()
    _check_labels(a)
    kinds = Counter(d.kind for _, d in a.defects())
    assert set(kinds) == {"misspelling", "stutter", "doubled-word", "invisible",
                          "repeated-paragraph"}
    assert a.duplicate_pairs()
    for members in a.clusters().values():
        assert len(members) >= 2


def test_exact_copies_are_identical_before_defects() -> None:
    corpus = generate(BASE, n_docs=40, seed=1, edit_rates=(0.0,), near_duplicate_share=0.5,
                      misspellings_per_1k_words=0, stutters_per_1k_words=0,
                      doubled_per_1k_words=0, invisibles_per_1k_words=0, pasted_share=0)
    texts = {d.id: d.text for d in corpus.docs}
    assert corpus.clusters()
    for cluster, members in corpus.clusters().items():
        assert all(texts[m] == texts[cluster] for m in members)


def test_edit_rate_is_roughly_the_share_of_words_edited() -> None:
    text = " ".join(f"w{i}" for i in range(20000))
    for rate in (0.0, 0.05, 0.2):
        _, edits = edit_words(text, rate, random.Random(5))
        assert abs(edits / 20000 - rate) < 0.01


@given(seed=st.integers(0, 10_000), n=st.integers(0, 12))
def test_generated_labels_always_point_at_their_text(seed: int, n: int) -> None:
    corpus = generate(BASE, n_docs=n, seed=seed, misspellings_per_1k_words=30,
                      stutters_per_1k_words=10, doubled_per_1k_words=10,
                      invisibles_per_1k_words=10, pasted_share=0.5)
    assert len(corpus.docs) == n
    _check_labels(corpus)


@given(word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12),
       seed=st.integers(0, 1000))
def test_typo_always_changes_the_word(word: str, seed: int) -> None:
    assert typo(word, random.Random(seed)) != word


def test_split_paragraphs_keeps_prose_only() -> None:
    text = ("Heading\n=======\n\n.. note::\n\n   Some directive body here.\n\n"
            "This is a real paragraph of prose with enough words to be kept by the filter.\n")
    assert split_paragraphs(text) == [
        "This is a real paragraph of prose with enough words to be kept by the filter."
    ]


def test_corpus_write_and_labels(tmp_path: Path) -> None:
    corpus = generate(BASE, n_docs=5, seed=2)
    paths = corpus.write(tmp_path)
    assert [p.read_text(encoding="utf-8") for p in paths] == [d.text for d in corpus.docs]
    labels = json.loads((tmp_path / "labels.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in labels["docs"]] == [d.id for d in corpus.docs]


# -- scoring --------------------------------------------------------------------------------

_spans = st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 30), st.integers(1, 6)).map(
    lambda t: (t[0], t[1], t[1] + t[2])), max_size=12)


@given(flags=_spans, defects=_spans)
def test_score_spans_matches_a_brute_force_oracle(flags: list, defects: list) -> None:  # type: ignore[type-arg]
    def overlaps(f: tuple, d: tuple) -> bool:  # type: ignore[type-arg]
        return f[0] == d[0] and f[1] < d[2] and d[1] < f[2]

    s = score_spans(flags, defects)
    tp = sum(any(overlaps(f, d) for d in defects) for f in flags)
    found = {d for d in set(defects) if any(overlaps(f, d) for f in flags)}
    assert s["flags"] == len(flags)
    assert s["false_flags"] == len(flags) - tp
    assert s["defects_found"] == len(found)
    assert s["precision"] == (tp / len(flags) if flags else None)
    assert s["recall"] == (len(found) / len(set(defects)) if defects else None)


def test_score_pairs_ignores_order_and_self_pairs() -> None:
    s = score_pairs([("b", "a"), ("a", "a")], [("a", "b"), ("a", "c")])
    assert (s["tp"], s["fp"], s["fn"]) == (1, 0, 1)
    assert s["precision"] == 1.0
    assert s["recall"] == 0.5


# -- schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ({}, "suite"),
        ({"suite": "s", "bogus": 1}, "unknown keys"),
        ({"suite": "s", "timings": [{"name": "t", "baseline": "a", "methods": {}}]}, "baseline"),
        ({"suite": "s", "timings": [{"name": "t", "baseline": "a", "methods": {
            "a": {"median": 1.0, "min": 2.0, "max": 3.0}}}]}, "min <= median"),
        ({"suite": "s", "timings": [{"name": "t", "baseline": "a", "ratios": {"b": 5.0},
                                     "methods": {"a": {"median": 1.0, "min": 1.0, "max": 1.0},
                                                 "b": {"median": 2.0, "min": 2.0, "max": 2.0}}}]},
         "does not match"),
        ({"suite": "s", "quality": [{"name": "q", "methods": {"a": {"f1": -0.1}}}]}, "outside"),
        ({"suite": "s", "memory": [{"name": "m", "methods": {"a": {"peak_mib": float("nan")}}}]},
         "outside"),
        ({"suite": "s", "tables": [{"name": "t", "columns": ["a"], "rows": [[1, 2]]}]}, "width"),
    ],
)
def test_validate_rejects_insane_results(result: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(SuiteError, match=message):
        validate(result)


def test_registry_finds_the_worked_examples() -> None:
    suites = discover()
    assert {"import", "hook"} <= set(suites)
    assert list(suites)[:2] == ["import", "hook"]


# -- the harness end to end -----------------------------------------------------------------


def _bench(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=REPO, env=python_env(env), capture_output=True, text=True, timeout=300, check=False,
    )


def test_nothing_runs_or_loads_at_import() -> None:
    code = (
        "import sys, pkgutil, importlib, benchmarks, benchmarks.suites as s\n"
        "for m in ['harness', 'generate', 'context', 'report', '__main__']:\n"
        "    importlib.import_module('benchmarks.' + m)\n"
        "s.discover()\n"
        "heavy = {'numpy', 'matplotlib', 'datasketch', 'rensa', 'ftfy', 'scipy'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=python_env(),
                         capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
    assert out.stderr == ""


def test_cli_lists_suites_and_rejects_unknown_ones(tmp_path: Path) -> None:
    listed = _bench("--list")
    assert listed.returncode == 0
    assert "import" in listed.stdout
    bad = _bench("no-such-suite", "--out", str(tmp_path))
    assert bad.returncode == 2
    assert "unknown suite" in bad.stderr
    zero = _bench("import", "--scale", "0", "--out", str(tmp_path))
    assert zero.returncode == 2
    assert "--scale" in zero.stderr
    assert not (tmp_path / "report.md").exists()


def test_missing_peers_are_skipped_with_a_note(tmp_path: Path) -> None:
    proc = _bench("import", "--quick", "--no-plots", "-q", "--out", str(tmp_path),
                  env={"TEXTQA_BENCH_DISABLE": "codespell,typos"})
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    (res,) = data["results"]
    assert "error" not in res
    assert any("codespell skipped" in n for n in res["notes"])
    assert any("typos skipped" in n for n in res["notes"])
    assert set(res["timings"][0]["methods"]) >= {"textqa check", "textqa rules"}
    assert not any(m.startswith(("codespell", "typos")) for m in res["timings"][0]["methods"])


def _load_factor() -> float:
    """How many runnable processes compete for each core right now (1.0 when idle or unknown)."""
    try:
        return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    except OSError:
        return 1.0


def test_quick_mode_runs_every_suite_in_under_a_minute(tmp_path: Path) -> None:
    # the minute is for an otherwise idle machine; when other work already keeps every core
    # busy, wall time stretches by that factor and the budget with it (this is a sanity
    # bound on the harness, not a performance test)
    budget = 60 * _load_factor()
    t0 = time.perf_counter()
    proc = _bench("--quick", "-q", "--out", str(tmp_path))
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr + (tmp_path / "report.md").read_text()
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    results = data["results"]
    per_suite = ", ".join(f"{r['suite']} {r['seconds']:.0f} s" for r in results)
    assert elapsed < budget, f"quick mode took {elapsed:.0f} s, budget {budget:.0f} s ({per_suite})"
    assert [r["suite"] for r in results] == list(discover())
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert data["meta"]["quick"] is True
    for res in results:
        assert "error" not in res, res.get("error")
        validate(res)  # numbers are sane: positive times, consistent ratios, P/R in [0, 1]
        assert res.get("title", res["suite"]) in report
        assert res.get("timings") or res.get("quality") or res.get("tables"), res["suite"]
    imp = next(r for r in results if r["suite"] == "import")
    methods = imp["timings"][0]["methods"]
    # an interpreter that does nothing cannot be slower than one that runs textqa
    assert methods["python -c pass"]["min"] < methods["textqa check"]["median"]
    for name in data["meta"]["plots"]:
        assert (tmp_path / name).stat().st_size > 1000
    assert "python -m benchmarks --quick" in report
