"""Dask near-duplicate jobs from a dask.dataframe and from Parquet files equal the
single-machine result; partitions are read inside the tasks that use them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

dask = pytest.importorskip("dask")
pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from textqa.dask import deduplicate, read_documents  # noqa: E402
from textqa.dask.io import plan_blocks, read_block  # noqa: E402
from textqa.dask.partitions import frame_records, partition_sources, partitions_of  # noqa: E402
from textqa.dedup import deduplicate as single  # noqa: E402
from textqa.errors import InputError  # noqa: E402
from textqa.records import BadRecord, Record  # noqa: E402

from .dask_corpus import corpus  # noqa: E402

_SYNC_WITH_CLIENT = pytest.mark.filterwarnings(
    "ignore:Running on a single-machine scheduler when a distributed client:UserWarning"
)


@pytest.fixture(scope="module")
def docs() -> list[tuple[str, str]]:
    return corpus(900, seed=5)


def _expected(docs: list[tuple[Any, str]], **kw: Any) -> Any:
    return single([t for _, t in docs], ids=[json.dumps(i) for i, _ in docs], **kw)


def test_dataframe_equals_single_machine(dask_client: Any, docs: list[tuple[str, str]]) -> None:
    frame = dd.from_pandas(
        pd.DataFrame({"id": [i for i, _ in docs], "text": [t for _, t in docs]}), npartitions=5
    )
    expected = _expected(docs, threshold=0.7, keep="longest")
    got = deduplicate(frame, threshold=0.7, keep="longest")
    assert len(expected.clusters) > 20
    assert got.partitions == 5
    assert got.result == expected
    assert got.ids == {m: docs[m][0] for c in expected.clusters for m in c.members}


def test_parquet_dataframe_equals_single_machine(
    dask_client: Any, docs: list[tuple[str, str]], tmp_path: Path
) -> None:
    # read_parquet partitions are tasks: they run inside the job's own tasks
    for k in range(3):
        part = docs[k * 300 : (k + 1) * 300]
        pq.write_table(
            pa.table({"doc": [i for i, _ in part], "body": [t for _, t in part]}),
            tmp_path / f"part-{k}.parquet",
        )
    frame = dd.read_parquet(str(tmp_path / "*.parquet"))
    keys, collections, is_frame = partitions_of(frame)
    assert is_frame
    sources, _ = partition_sources(keys, collections)
    assert all(isinstance(s, tuple) and callable(s[0]) for s in sources)
    got = deduplicate(frame, threshold=0.8, id_field="doc", text_field="body")
    assert got.result == _expected(docs, threshold=0.8)


def test_parquet_files_equal_single_machine(
    dask_client: Any, docs: list[tuple[str, str]], tmp_path: Path
) -> None:
    pq.write_table(
        pa.table({"id": [i for i, _ in docs], "text": [t for _, t in docs]}),
        tmp_path / "c.parquet",
        row_group_size=100,
    )
    bag = read_documents([str(tmp_path / "c.parquet")], blocksize=1)
    assert bag.npartitions == 9
    got = deduplicate(bag, threshold=0.7, keep="shortest", components="distributed")
    assert got.result == _expected(docs, threshold=0.7, keep="shortest")


@_SYNC_WITH_CLIENT
def test_frame_without_id_column_and_bad_rows() -> None:
    texts = ["the same words in a row here", None, "the same words in a row here", "other"]
    frame = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=2)
    with dask.config.set(scheduler="sync"):
        with pytest.raises(InputError, match="column 'text' is not a string"):
            deduplicate(frame)
        got = deduplicate(frame, on_error="skip")
    # the ids are the index labels: the rows' positions in the pandas frame
    assert [(c.members, c.keep) for c in got.result.clusters] == [((0, 1), 0)]
    assert got.ids == {0: 0, 1: 2}
    assert [str(b) for b in got.bad] == ["<partition>:2: column 'text' is not a string"]


def test_frame_records() -> None:
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": ["x", None, "z"]})
    assert frame_records(frame) == [
        Record("a", "x", "<partition>", 1),
        BadRecord("<partition>", 2, "column 'text' is not a string"),
        Record("c", "z", "<partition>", 3),
    ]
    dates = pd.DataFrame({"id": pd.to_datetime(["2024-01-01"]), "text": ["x"]})
    assert frame_records(dates) == [
        BadRecord("<partition>", 1, "the id must be a string or a number")
    ]
    with pytest.raises(ValueError, match="no 'body' column"):
        frame_records(frame, text_field="body")


def test_read_tasks_are_inlined(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": f"t {i}"}) + "\n" for i in range(300)))
    bag = read_documents([str(path)], blocksize=1000)
    keys, collections, _ = partitions_of(bag)
    sources, graph = partition_sources(keys, collections)
    assert len(sources) == len(keys) > 3
    assert all(isinstance(s, tuple) and callable(s[0]) for s in sources)
    assert not set(keys) & set(graph)  # the read tasks themselves are not in the job
    assert graph == {}  # and the line numbers the blocks start at are known already
    first_block = read_block(plan_blocks([str(path)], blocksize=1000)[0])
    assert [s[2] for s in sources][:2] == [1, 1 + len(first_block)]
    data = dask.bag.from_sequence([("a", "x"), ("b", "y")], npartitions=2)
    keys, collections, _ = partitions_of(data)
    sources, graph = partition_sources(keys, collections)
    assert sources == keys
    assert set(keys) <= set(graph)
