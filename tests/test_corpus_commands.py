"""Cross-document boilerplate and the `stats` and `boilerplate` commands."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textqa.boilerplate import BoilerplateCounter, find_boilerplate, iter_units
from textqa.gopher import METRIC_NAMES, repetition_metrics
from textqa.records import Record, iter_records
from textqa.repetition import repetition_key
from textqa.stats import PROVIDERS, document_stats

from .conftest import run_cli, shared_path

PAGE_FOOTER = "Report a bug\nShow source"


def _jsonl(path: Path, rows: list[object]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path


# -- boilerplate ---------------------------------------------------------------------------
def _ref_boilerplate(texts: list[str], k: int) -> list[set[tuple[int, int]]]:
    """Slow reference: a unit is boilerplate when at least k documents contain its key."""
    units = [[(u, s, e, repetition_key(t[s:e])) for u, s, e in iter_units(t)] for t in texts]
    out = []
    for doc in units:
        spans = set()
        for u, s, e, key in doc:
            if not any(c.isalnum() for c in key):
                continue
            n = sum(1 for other in units if any(v == u and kk == key for v, _, _, kk in other))
            if n >= k:
                spans.add((s, e))
        out.append(spans)
    return out


_line = st.sampled_from(["Home | About", "Report a bug", "Show source", "---", "Body text.",
                         "Other words", "Body  TEXT."])
_doc = st.lists(st.lists(_line, min_size=1, max_size=3).map("\n".join), min_size=1,
                max_size=4).map("\n\n".join)


@given(st.lists(_doc, min_size=1, max_size=6), st.integers(2, 4))
def test_boilerplate_equals_reference(texts: list[str], k: int) -> None:
    counter = BoilerplateCounter()
    for t in texts:
        counter.add(t)
    for t, want in zip(texts, _ref_boilerplate(texts, k), strict=True):
        got = counter.document("x", t, min_docs=k)
        covered = {i for s in got.spans for i in range(s.start, s.end)}
        assert covered == {i for s, e in want for i in range(s, e)}
        assert 0.0 <= got.fraction <= 1.0


def test_boilerplate_memory_holds_hashes_not_text() -> None:
    rng = random.Random(1)
    counter = BoilerplateCounter()
    for i in range(50):
        body = " ".join(rng.choice(["alpha", "beta", "gamma"]) for _ in range(2000))
        counter.add(f"Doc {i} body: {body}\n\n{PAGE_FOOTER}")
    assert all(isinstance(k, int) and isinstance(v, int) for k, v in counter.counts.items())
    assert len(counter.counts) == 50 + 3  # one unique line per document, the footer (p, 2 l)


def test_find_boilerplate_fraction_of_documents() -> None:
    pages = [(f"p{i}", f"Unique page {i}.\n\n{PAGE_FOOTER}") for i in range(10)]
    pages += [(f"q{i}", f"Other {i}.\n\nOnly on two pages.") for i in range(2)]
    report = find_boilerplate(lambda: pages, min_docs=0.5)
    assert report.threshold == 6
    assert {u.text for u in report.units} == {"report a bug show source", "report a bug",
                                              "show source"}
    assert report.units[0].first_id == "p0"
    assert find_boilerplate(lambda: pages, min_docs=2).threshold == 2


# -- stats ---------------------------------------------------------------------------------
def test_document_stats_keys() -> None:
    s = document_stats("x", "text")
    assert list(s) == ["id", "metrics", "fails", "spelling"]
    assert list(s["metrics"]) == list(METRIC_NAMES)
    assert next(name for name, _ in PROVIDERS) == "gopher"


def test_cli_stats_jsonl(tmp_path: Path) -> None:
    text = "Buy now. Buy now.\n\nBuy now. Buy now.\n\nAnother line of text."
    path = _jsonl(tmp_path / "c.jsonl", [{"id": "d1", "text": text}, {"id": "d2", "text": "ok"}])
    proc = run_cli("stats", str(path))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ["d1", "d2"]
    assert list(rows[0]) == ["id", "metrics", "fails", "spelling"]
    assert rows[0]["metrics"] == pytest.approx(repetition_metrics(text).as_dict())
    assert "dup_para_frac" in rows[0]["fails"]
    assert rows[1]["fails"] == []


def test_cli_stats_threshold_text_and_stdin(tmp_path: Path) -> None:
    data = json.dumps({"id": "d", "text": "Same.\n\nSame.\n\nSame."}).encode() + b"\n{bad\n"
    proc = run_cli("stats", "--format", "text", "--threshold", "dup_para_frac=0.9",
                   "--on-error", "skip", "-", input=data)
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith("d: fails dup_para_char_frac")
    assert "dup_para_frac," not in proc.stdout.decode()
    assert proc.stderr.decode().startswith("textqa: warning: -:2: malformed JSON")
    stop = run_cli("stats", "-", input=data)
    assert stop.returncode == 2
    assert stop.stderr.decode().startswith("textqa: error: -:2: malformed JSON")
    bad = run_cli("stats", "--threshold", "nope=1", "-", input=b"")
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("textqa: error: --threshold 'nope=1'")
    nan = run_cli("stats", "--threshold", "dup_line_frac=nan", "-", input=data)
    assert nan.returncode == 2
    assert nan.stderr.decode() == (
        "textqa: error: --threshold 'dup_line_frac=nan': 'nan' is not a finite number\n"
    )


def test_cli_stats_datatrove_compat_needs_spacy(tmp_path: Path) -> None:
    try:
        import spacy  # noqa: F401
    except ImportError:
        proc = run_cli("stats", "--compat", "datatrove", "-", input=b"")
        assert proc.returncode == 2
        assert b"spaCy" in proc.stderr
        assert b"Traceback" not in proc.stderr
    else:
        pytest.skip("spaCy installed")


def test_cli_boilerplate(tmp_path: Path) -> None:
    for i in range(4):
        (tmp_path / f"p{i}.txt").write_text(f"Page {i} body.\n\n{PAGE_FOOTER}\n", "utf-8")
    proc = run_cli("boilerplate", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert out.startswith("3 boilerplate units in 4 documents (in at least 3 of them)\n")
    assert "report a bug show source" in out
    proc = run_cli("boilerplate", "--format", "jsonl", "--min-docs", "0.9", str(tmp_path))
    rows = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [r["type"] for r in rows] == ["unit"] * 3 + ["document"] * 4
    doc = rows[3]
    assert doc["spans"] == [[len("Page 0 body.\n\n"), len(f"Page 0 body.\n\n{PAGE_FOOTER}")]]
    assert doc["boilerplate_char_frac"] == pytest.approx(24 / (12 + 24))
    bad = run_cli("boilerplate", "--min-docs", "0", str(tmp_path))
    assert bad.returncode == 2


def test_cli_boilerplate_reads_stdin_twice() -> None:
    rows = [{"id": i, "text": f"Body {i}.\n\nHome | About"} for i in range(3)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    proc = run_cli("boilerplate", "--format", "jsonl", "-", input=data)
    assert proc.returncode == 0, proc.stderr
    got = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert got[0]["text"] == "home | about"
    assert [g["id"] for g in got[1:]] == [0, 1, 2]  # JSON ids keep their type


def test_cli_boilerplate_stdin_records_are_named_dash() -> None:
    # standard input is spooled to a temporary file to be read twice; its records, their
    # default ids and the error messages still say '-', so the output is the same every run
    data = "".join(json.dumps({"text": f"Body {i}.\n\nHome | About"}) + "\n" for i in range(3))
    runs = [run_cli("boilerplate", "--format", "jsonl", "-", input=data.encode()) for _ in "ab"]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    got = [json.loads(x) for x in runs[0].stdout.decode().splitlines()]
    assert got[0]["first_id"] == "-:1"
    assert [g["id"] for g in got[1:]] == ["-:1", "-:2", "-:3"]
    bad = run_cli("boilerplate", "-", input=data.encode() + b"{oops\n")
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("textqa: error: -:4: malformed JSON")


def test_cli_boilerplate_warns_once_per_skipped_record(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": 1, "text": "a"}\nnot json\n[1]\n', "utf-8")
    proc = run_cli("boilerplate", "--on-error", "skip", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().splitlines() == [
        f"textqa: warning: {path}:2: malformed JSON (Expecting value at column 1): skipped",
        f"textqa: warning: {path}:3: not a JSON object but list: skipped",
    ]


def test_cli_lone_surrogates_in_records_are_printed_escaped(tmp_path: Path) -> None:
    # '"\\ud800"' is valid JSON for a lone surrogate, which UTF-8 output cannot encode
    rows = "".join(
        f'{{"id": "d\\ud800{i}", "text": "nav \\ud800 bar\\n\\nbody {i}"}}\n' for i in range(3)
    )
    path = tmp_path / "s.jsonl"
    path.write_text(rows, "utf-8")
    for args in (["stats", "--format", "text"], ["stats"], ["boilerplate"],
                 ["boilerplate", "--format", "jsonl"]):
        proc = run_cli(*args, str(path))
        assert proc.returncode == 0, (args, proc.stderr)
        assert b"\\ud800" in proc.stdout, args
    proc = run_cli("stats", str(path))
    assert [json.loads(x)["id"] for x in proc.stdout.decode().splitlines()] == [
        f"d\ud800{i}" for i in range(3)
    ]


def test_cpython_docs_template_blocks_are_found() -> None:
    path = shared_path("corpora", "cpython-docs-html", "blocks.jsonl.xz")
    records = [r for r in iter_records([str(path)]) if isinstance(r, Record)][:60]
    report = find_boilerplate(lambda: ((r.id, r.text) for r in records))
    texts = {u.text for u in report.units}
    assert {"navigation", "report a bug", "show source"} <= texts


@given(st.lists(_doc, min_size=0, max_size=8), st.integers(0, 8))
def test_merged_partition_counters_equal_one_counter(texts: list[str], cut: int) -> None:
    whole, left, right = BoilerplateCounter(), BoilerplateCounter(), BoilerplateCounter()
    for i, t in enumerate(texts):
        whole.add(t)
        (left if i < cut else right).add(t)
    left.merge(right)
    assert left.counts == whole.counts
    assert left.n_docs == whole.n_docs
