"""textqa.dask.io: stable partitions that read exactly what the single-machine reader reads."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("dask")
pytest.importorskip("pyarrow")

pytestmark = pytest.mark.filterwarnings(
    "ignore:Running on a single-machine scheduler when a distributed client:UserWarning"
)

from textqa.dask.io import (  # noqa: E402
    count_line_starts,
    expand_inputs,
    plan_blocks,
    read_block,
    read_documents,
    read_rows,
    write_jsonl,
    write_parquet,
)
from textqa.errors import InputError, UsageError  # noqa: E402
from textqa.records import iter_records  # noqa: E402

_line = st.one_of(
    st.builds(
        lambda i, t: json.dumps({"id": i, "text": t}).encode(),
        st.one_of(st.integers(0, 50), st.text(max_size=5)),
        st.text(max_size=30),
    ),
    st.builds(lambda t: json.dumps({"text": t}, ensure_ascii=False).encode(), st.text(max_size=20)),
    st.sampled_from(
        [b"", b"   ", b"not json", b"[1, 2]", b'{"id": 1}', b'{"text": 5}', b"\xff\xfe"]
    ),
)


def _read(inputs: list[str], **kw: object) -> list[object]:
    return list(read_documents(inputs, **kw).compute(scheduler="sync"))  # type: ignore[arg-type]


@settings(max_examples=60)
@given(lines=st.lists(_line, max_size=40), blocksize=st.integers(16, 400), crlf=st.booleans())
def test_jsonl_blocks_equal_the_single_reader(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], blocksize: int, crlf: bool
) -> None:
    path = tmp_path_factory.mktemp("j") / "c.jsonl"
    path.write_bytes(b"".join(x + (b"\r\n" if crlf else b"\n") for x in lines))
    expected = list(iter_records([str(path)]))
    assert _read([str(path)], blocksize=blocksize) == expected


@settings(max_examples=40)
@given(lines=st.lists(_line, max_size=40), blocksize=st.integers(16, 400), data=st.data())
def test_read_rows_parses_only_the_rows_asked_for_with_the_same_result(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[bytes],
    blocksize: int,
    data: st.DataObject,
) -> None:
    path = tmp_path_factory.mktemp("r") / "c.jsonl"
    path.write_bytes(b"".join(x + b"\n" for x in lines))
    first = 1
    for block in plan_blocks([str(path)], blocksize=blocksize):
        full = read_block(block, first_line=first)
        rows = data.draw(st.lists(st.integers(0, len(full) - 1), max_size=6)) if full else []
        assert read_rows(block, rows, first_line=first) == {k: full[k] for k in rows}
        first += count_line_starts(block)


def test_blocks_are_a_function_of_the_files_only(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": "x" * i}) + "\n" for i in range(50)))
    a = plan_blocks([str(path)], blocksize=100)
    assert a == plan_blocks([str(path)], blocksize=100)
    assert [b.start for b in a] == list(range(0, path.stat().st_size, 100))
    assert a[-1].end == path.stat().st_size


def test_globs_directories_compressed_and_text_files(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.txt").write_text("second file")
    (tmp_path / "d" / "a.md").write_text("first file")
    (tmp_path / "d" / "bin.dat").write_bytes(b"\x00\x01")
    with gzip.open(tmp_path / "z.jsonl.gz", "wt") as fh:
        fh.write('{"id": "g", "text": "gz"}\nbroken\n')
    (tmp_path / "y.jsonl").write_text('{"id": "y", "text": "plain"}\n')
    inputs = [str(tmp_path / "*.jsonl*"), str(tmp_path / "d")]
    expanded = expand_inputs(inputs)
    assert expanded == [
        str(tmp_path / "y.jsonl"),
        str(tmp_path / "z.jsonl.gz"),
        str(tmp_path / "d"),
    ]
    assert _read(inputs, blocksize=4) == list(iter_records(expanded))
    named = [str(tmp_path / "d" / "bin.dat"), str(tmp_path / "d" / "a.md")]  # binary: reported
    assert _read(named) == list(iter_records(named))
    assert len(_read(named)) == 2


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no file matches"):
        expand_inputs([str(tmp_path / "*.jsonl")])
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([str(tmp_path / "missing.jsonl")])
    with pytest.raises(UsageError, match="standard input"):
        expand_inputs(["-"])
    with pytest.raises(UsageError, match="blocksize"):
        plan_blocks([str(tmp_path)], blocksize=0)
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        plan_blocks([str(tmp_path / "bad.parquet")])


def test_parquet_row_groups(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [f"text number {i}" for i in range(25)]
    pq.write_table(
        pa.table({"id": [f"p{i}" for i in range(25)], "text": texts}),
        tmp_path / "a.parquet",
        row_group_size=4,
    )
    pq.write_table(pa.table({"text": ["no id", None]}), tmp_path / "b.parquet")
    blocks = plan_blocks([str(tmp_path / "*.parquet")], blocksize=1)
    assert [b.row_groups for b in blocks[:3]] == [(0,), (1,), (2,)]
    recs = _read([str(tmp_path / "*.parquet")], blocksize=1)
    assert [(r.id, r.text, r.line) for r in recs[:25]] == [  # type: ignore[attr-defined]
        (f"p{i}", t, i + 1) for i, t in enumerate(texts)
    ]
    b = str(tmp_path / "b.parquet")
    assert recs[25].id == f"{b}:1"  # type: ignore[attr-defined]
    assert str(recs[26]) == f"{b}:2: field 'text' is not a string"
    with pytest.raises(InputError, match="no 'body' column"):
        _read([b], text_field="body")


def test_writers_round_trip_atomically(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    rows = [{"cluster": 1, "keep": "a", "members": ["a", "b"]}, {"cluster": 2, "keep": "é"}]
    assert write_jsonl(rows, tmp_path / "out.jsonl") == 2
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == rows
    assert "é" in lines[1]
    cols = {"cluster": [1, 2], "keep": ["a", "c"], "members": [["a", "b"], ["c", "d", "e"]]}
    assert write_parquet(cols, tmp_path / "out.parquet") == 2
    assert pq.read_table(tmp_path / "out.parquet").to_pydict() == cols
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "out.parquet"]
