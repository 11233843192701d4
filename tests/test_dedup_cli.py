"""``textqa dedup`` end to end: inputs, output formats, bad input, atomic output."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import random
import sys
from pathlib import Path

import pytest

from textqa.cli import main
from textqa.dedup import explain
from textqa.records import BadRecord, Record, iter_records

from .conftest import run_cli
from .test_minhash import alpha

_rng = random.Random(5)
_WORDS = ["word" + alpha(i) for i in range(3000)]
DOCS = [" ".join(_rng.choice(_WORDS) for _ in range(120)) for _ in range(12)]
LIMIT = sys.get_int_max_str_digits()


def _jsonl(path: Path, rows: list[object], opener=open) -> Path:  # type: ignore[no-untyped-def]
    with opener(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path


def _clusters(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize("opener", [open, gzip.open, lzma.open, bz2.open])
def test_jsonl_inputs_plain_and_compressed(tmp_path: Path, opener, capsys) -> None:  # type: ignore[no-untyped-def]
    suffix = {open: "", gzip.open: ".gz", lzma.open: ".xz", bz2.open: ".bz2"}[opener]
    rows = [{"id": f"d{i}", "text": t} for i, t in enumerate(DOCS)]
    rows.append({"id": "copy", "text": DOCS[4].upper() + " and a tail"})
    path = _jsonl(tmp_path / f"c.jsonl{suffix}", rows, opener)
    assert main(["dedup", str(path)]) == 1
    out = capsys.readouterr()
    [cluster] = _clusters(out.out)
    assert cluster["keep"] == "d4"
    assert cluster["members"] == ["d4", "copy"]
    pairs = cluster["pairs"]
    assert isinstance(pairs, list)
    assert pairs[0]["a"] == "d4"
    assert pairs[0]["jaccard"] >= 0.8
    assert "13 documents, 1 clusters" in out.err


def test_directories_of_text_files_ids_are_paths(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(DOCS[0], "utf-8")
    (tmp_path / "sub" / "b.md").write_text("Intro.\n\n" + DOCS[0] + "\n", "utf-8")
    (tmp_path / "c.txt").write_text(DOCS[1], "utf-8")
    (tmp_path / "img.bin").write_bytes(b"\x00\x01binary")
    assert main(["dedup", str(tmp_path), "--keep", "longest", "--format", "text"]) == 1
    out = capsys.readouterr().out.splitlines()
    b = str(tmp_path / "sub" / "b.md")
    assert out[0] == f"cluster 1: keep {b} (2 documents)"
    assert out[1].startswith(f"  drop {tmp_path / 'a.txt'}  Jaccard 0.9")


def test_no_clusters_is_exit_0(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _jsonl(tmp_path / "c.jsonl", [{"id": i, "text": t} for i, t in enumerate(DOCS)])
    assert main(["dedup", str(path), "--scheme", "oph"]) == 0
    assert capsys.readouterr().out == ""


def test_bad_records_stop_with_line_number(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "c.jsonl", [{"id": 1, "text": DOCS[0]}, '{"id": 2, "text": ', {"id": 3}]
    )
    proc = run_cli("dedup", str(path))
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == (
        f"textqa: error: {path}:2: malformed JSON (Expecting value at column 19); "
        "use --on-error skip to skip such records"
    )


@pytest.mark.skipif(sys.get_int_max_str_digits() == 0, reason="int() reads any length")
def test_bad_records_skipped_with_warnings(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.jsonl"
    good = [json.dumps({"id": i, "text": t}) for i, t in enumerate(DOCS[:3])]
    lines = [
        good[0],
        "[1, 2]",
        json.dumps({"id": 9}),
        json.dumps({"id": 9, "text": 5}),
        json.dumps({"id": [1], "text": "x"}),
        good[1],
        json.dumps({"id": 0, "text": DOCS[0]}),  # duplicate id
        "",
        good[2],
        json.dumps({"text": DOCS[2]}),  # no id: PATH:LINE
        '{"id": NaN, "text": "x"}',  # Python's json reads NaN, but it is not JSON (nor an id)
        '{"id": -Infinity, "text": "x"}',
        '{"id": ' + "9" * (LIMIT + 1) + ', "text": "x"}',  # longer than int() reads
    ]
    data = ("\n".join(lines) + "\n").encode() + b'{"id": 7, "text": "caf\xe9"}\n'
    path.write_bytes(data)
    assert main(["dedup", str(path), "--on-error", "skip"]) == 1
    out = capsys.readouterr()
    warnings = [w for w in out.err.splitlines() if "warning" in w]
    assert [w.split(": ", 2)[2] for w in warnings] == [
        f"{path}:2: not a JSON object but list: skipped",
        f"{path}:3: no 'text' field: skipped",
        f"{path}:4: field 'text' is int, not a string: skipped",
        f"{path}:5: field 'id' must be a string or a number: skipped",
        f"{path}:7: duplicate id 0: skipped",
        f"{path}:11: field 'id' must be a string or a number: skipped",
        f"{path}:12: field 'id' must be a string or a number: skipped",
        f"{path}:13: malformed JSON (a number of more than {LIMIT} digits): skipped",
        f"{path}:14: not valid UTF-8 (byte 0xE9 at column 23): skipped",
    ]
    [cluster] = _clusters(out.out)
    assert cluster["members"] == [2, f"{path}:10"]


def test_a_folder_that_cannot_be_listed_is_a_bad_record(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    import os

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(DOCS[0], "utf-8")
    (tmp_path / "a.txt").write_text(DOCS[0], "utf-8")
    real = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str = ".") -> object:  # root ignores chmod 000: refuse here instead
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["dedup", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"textqa: error: {locked}: cannot be read (Permission denied); "
        "use --on-error skip to skip such records\n"
    )
    assert main(["dedup", "--on-error", "skip", str(tmp_path)]) == 0
    assert f"{locked}: cannot be read (Permission denied): skipped" in capsys.readouterr().err


def test_output_that_is_an_input_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    rows = [{"id": "a", "text": DOCS[0]}, {"id": "b", "text": DOCS[0]}]
    path = _jsonl(tmp_path / "c.jsonl", rows)
    before = path.read_bytes()
    for output in (str(path), str(tmp_path / "." / "c.jsonl")):
        assert main(["dedup", str(path), "--output", output]) == 2
        assert capsys.readouterr().err == (
            f"textqa: error: --output {output}: is also an input (not overwritten); name another\n"
        )
    assert main(["dedup", str(tmp_path), "--output", str(path)]) == 2  # inside an input folder
    capsys.readouterr()
    assert path.read_bytes() == before
    # a new file in the input folder is fine (it did not exist when the inputs were read)
    assert main(["dedup", str(tmp_path), "--output", str(tmp_path / "clusters.jsonl")]) == 1


def test_jsonl_saved_with_a_byte_order_mark(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": DOCS[0]}, {"id": "b", "text": DOCS[0]}]
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r) + "\n" for r in rows).encode())
    proc = run_cli("dedup", str(path))
    assert proc.returncode == 1, proc.stderr
    assert _clusters(proc.stdout.decode())[0]["members"] == ["a", "b"]


def test_output_file_and_missing_input(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    rows = [{"id": "a", "text": DOCS[0]}, {"id": "b", "text": DOCS[0]}]
    path = _jsonl(tmp_path / "c.jsonl", rows)
    out = tmp_path / "out.jsonl"
    assert main(["dedup", str(path), "--output", str(out)]) == 1
    assert capsys.readouterr().out == ""
    assert _clusters(out.read_text("utf-8"))[0]["members"] == ["a", "b"]
    assert main(["dedup", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    (tmp_path / "folder").mkdir()
    assert main(["dedup", str(path), "--output", str(tmp_path / "folder")]) == 2
    assert capsys.readouterr().err.startswith(
        f"textqa: error: {tmp_path / 'folder'}: is a directory; name a file to write\n"
    )


def test_stdin_and_usage_errors(tmp_path: Path) -> None:
    data = "".join(json.dumps({"id": i, "text": DOCS[i % 2]}) + "\n" for i in range(4))
    proc = run_cli("dedup", "-", input=data.encode())
    assert proc.returncode == 1
    assert _clusters(proc.stdout.decode()) == [
        {"cluster": 1, "keep": 0, "members": [0, 2], "pairs": [{"a": 0, "b": 2, "jaccard": 1.0}]},
        {"cluster": 2, "keep": 1, "members": [1, 3], "pairs": [{"a": 1, "b": 3, "jaccard": 1.0}]},
    ]
    assert run_cli("dedup", "-", "--bands", "4").returncode == 2
    assert run_cli("dedup", "-", "--threshold", "1.5").returncode == 2
    bad = run_cli("dedup", "-", "--bands", "64", "--rows", "4", input=data.encode())
    assert bad.returncode == 2
    assert "do not fit" in bad.stderr.decode()


def test_empty_and_short_documents(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    rows = [{"id": i, "text": t} for i, t in enumerate(["", "", "   ", "tiny", "tiny", "Tiny!"])]
    path = _jsonl(tmp_path / "c.jsonl", rows)
    assert main(["dedup", str(path)]) == 1
    out = capsys.readouterr()
    assert [c["members"] for c in _clusters(out.out)] == [[3, 4, 5]]
    assert "3 without shingles" in out.err


def test_iter_records_reads_text_files_and_reports_bad_bytes(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("fine", "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9")
    with gzip.open(tmp_path / "z.txt.gz", "wb") as fh:
        fh.write(b"zipped text")
    got = list(iter_records([str(tmp_path)]))
    assert got[0] == BadRecord(str(tmp_path / "bad.txt"), None, got[0].reason)  # type: ignore[union-attr]
    assert "not valid UTF-8" in str(got[0])
    assert got[1:] == [
        Record(str(tmp_path / "ok.txt"), "fine", str(tmp_path / "ok.txt")),
        Record(str(tmp_path / "z.txt.gz"), "zipped text", str(tmp_path / "z.txt.gz")),
    ]
    forced = list(iter_records([str(tmp_path / "ok.txt")], input_format="jsonl"))
    assert isinstance(forced[0], BadRecord)
    assert forced[0].line == 1


def test_explain_a_pair_of_files(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    lines = DOCS[2].split(" ")
    body = "\n".join(" ".join(lines[i : i + 10]) for i in range(0, 120, 10))
    a = tmp_path / "a.md"
    b = tmp_path / "b.md"
    a.write_text("# Title\n\n" + body + "\n", "utf-8")
    b.write_text("Preface.\n" + body.upper() + "\n", "utf-8")
    assert main(["dedup", str(a), str(b), "--explain", "--format", "text"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [f"A: {a}", f"B: {b}"]
    e = explain(a.read_text("utf-8"), b.read_text("utf-8"))
    assert 0.8 < e.jaccard < 1.0  # the title and the preface differ
    assert out[2].startswith(
        f"exact Jaccard {e.jaccard:.3f} (word 5-grams), estimated {e.estimated:.3f} (128 slots"
    )
    assert out[2].endswith("near-duplicates at threshold 0.8")
    assert out[3:] == ["1 matching region:", "  A lines 3-14  =  B lines 2-13  (120 equal words)"]
    # the same pair found by id in a directory, JSON output, written atomically to a file
    dest = tmp_path / "out" / "why.json"
    dest.parent.mkdir()
    assert main(["dedup", str(tmp_path), "--explain", str(b), str(a), "--output", str(dest)]) == 1
    got = json.loads(dest.read_text("utf-8"))
    assert (got["a"], got["b"], got["near_duplicate"]) == (str(b), str(a), True)
    assert got["jaccard"] == round(e.jaccard, 6)
    assert got["regions"] == [
        {"a_lines": [2, 13], "b_lines": [3, 14], "a_span": [9, got["regions"][0]["a_span"][1]],
         "b_span": [9, got["regions"][0]["b_span"][1]], "words": 120}
    ]  # fmt: skip


def test_explain_ids_from_jsonl_and_errors(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    rows = [{"id": i, "text": t} for i, t in enumerate(DOCS[:4])]
    rows.append({"id": "edited", "text": DOCS[3] + " " + DOCS[0][:200]})
    path = _jsonl(tmp_path / "c.jsonl", rows)
    assert main(["dedup", str(path), "--explain", "3", "edited"]) == 1
    got = json.loads(capsys.readouterr().out)
    assert (got["a"], got["b"]) == (3, "edited")
    assert 0.8 <= got["jaccard"] < 1.0
    assert got["regions"][0]["words"] == 120
    # unrelated documents: no region, exit 0
    assert main(["dedup", str(path), "--explain", "0", "1", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "not near-duplicates at threshold 0.8" in out
    assert out.endswith("0 matching regions\n")
    assert main(["dedup", str(path), "--explain", "0", "missing"]) == 2
    assert "no document with id 'missing'" in capsys.readouterr().err
    assert main(["dedup", str(path), "--explain", "0"]) == 2
    assert "two document ids" in capsys.readouterr().err
    assert main(["dedup", str(path), "--explain"]) == 2
    assert "exactly two documents" in capsys.readouterr().err
    assert main(["dedup", str(path), "--explain", "0", "1", "--dask", "local"]) == 2
    assert "cannot be combined with --dask" in capsys.readouterr().err


def test_lone_surrogate_ids_are_printed_as_json_escapes(tmp_path: Path) -> None:
    # JSON allows the escape "\ud800", which decodes to a lone surrogate UTF-8 cannot encode:
    # every output must escape it (a valid JSON escape of the same id), never a traceback.
    text = " ".join(DOCS[0].split()[:30])
    path = tmp_path / "s.jsonl"
    body = json.dumps(text)
    path.write_text(
        f'{{"id": "\\ud800", "text": {body}}}\n{{"id": "x\\ud800", "text": {body}}}\n', "utf-8"
    )
    ids = ["\ud800", "x\ud800"]
    proc = run_cli("dedup", str(path))
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["members"] == ids
    proc = run_cli("dedup", "--format", "text", str(path))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.decode("utf-8").startswith("cluster 1: keep \\ud800 (2 documents)\n")
    out = tmp_path / "clusters.jsonl"
    proc = run_cli("dedup", "--output", str(out), str(path))
    assert proc.returncode == 1, proc.stderr
    assert json.loads(out.read_text("utf-8"))["members"] == ids
    proc = run_cli("dedup", str(path), "--explain")
    assert proc.returncode == 1, proc.stderr
    assert [json.loads(proc.stdout)[k] for k in ("a", "b")] == ids
