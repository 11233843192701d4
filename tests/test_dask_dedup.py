"""The Dask near-duplicate job equals the single-machine result exactly, on a LocalCluster of
two worker processes, including when a worker is killed in the middle of the job."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

dask = pytest.importorskip("dask")
pytest.importorskip("distributed")

from textqa.dask import deduplicate, read_documents  # noqa: E402
from textqa.dedup import deduplicate as single  # noqa: E402
from textqa.errors import InputError  # noqa: E402
from textqa.records import Record, iter_records  # noqa: E402

from .dask_corpus import corpus, write_jsonl, write_shards  # noqa: E402


def _reference(inputs: list[str], **kw: Any) -> Any:
    recs = [r for r in iter_records(inputs) if isinstance(r, Record)]
    return single([r.text for r in recs], ids=[json.dumps(r.id) for r in recs], **kw), recs


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    directory = tmp_path_factory.mktemp("corpus")
    return [str(p) for p in write_shards(directory, corpus(1200), 3)]


def _longest_then_last(position: int) -> int:
    return -position


@pytest.mark.parametrize(
    ("keep", "components"),
    [
        ("first", "client"),
        ("longest", "distributed"),
        (_longest_then_last, "client"),
    ],
)
def test_equal_to_single_machine(
    dask_client: Any, shards: list[str], keep: Any, components: str
) -> None:
    expected, recs = _reference(shards, threshold=0.7, keep=keep)
    docs = read_documents([os.path.dirname(shards[0]) + "/*.jsonl"], blocksize=20_000)
    assert docs.npartitions > 6
    got = deduplicate(docs, threshold=0.7, keep=keep, components=components, component_partitions=3)
    assert len(expected.clusters) > 25
    assert got.result == expected
    assert got.ids == {m: recs[m].id for c in expected.clusters for m in c.members}
    if components == "distributed":
        assert got.rounds >= 1


_SYNC_WITH_CLIENT = pytest.mark.filterwarnings(
    "ignore:Running on a single-machine scheduler when a distributed client:UserWarning"
)


@_SYNC_WITH_CLIENT
@settings(max_examples=15)
@given(
    n=st.integers(0, 120),
    seed=st.integers(0, 10_000),
    blocksize=st.integers(800, 8000),
    threshold=st.sampled_from([0.5, 0.8, 1.0]),
    components=st.sampled_from(["client", "distributed"]),
)
def test_any_partitioning_gives_the_single_machine_result(  # noqa: PLR0917
    tmp_path_factory: pytest.TempPathFactory,
    n: int,
    seed: int,
    blocksize: int,
    threshold: float,
    components: str,
) -> None:
    path = str(write_jsonl(tmp_path_factory.mktemp("h") / "c.jsonl", corpus(n, seed)))
    expected, _ = _reference([path], threshold=threshold, keep="longest")
    with dask.config.set(scheduler="sync"):
        got = deduplicate(
            read_documents([path], blocksize=blocksize),
            threshold=threshold,
            keep="longest",
            components=components,
            buckets=1 + seed % 4,
            component_partitions=1 + seed % 3,
        )
    assert got.result == expected


@_SYNC_WITH_CLIENT
def test_bad_records_as_the_command_handles_them(tmp_path: Path) -> None:
    docs = corpus(60)
    lines = [json.dumps({"id": i, "text": t}) for i, t in docs]
    lines[7] = "not json"
    lines[30] = json.dumps({"id": docs[3][0], "text": docs[3][1]})  # a repeated id
    lines[41] = json.dumps({"id": docs[41][0]})
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with dask.config.set(scheduler="sync"):
        with pytest.raises(InputError) as err:
            deduplicate(read_documents([str(path)], blocksize=500))
        assert str(err.value) == f"{path}:8: malformed JSON (Expecting value at column 1)"
        got = deduplicate(read_documents([str(path)], blocksize=500), on_error="skip")
    assert [str(b) for b in got.bad] == [
        f"{path}:8: malformed JSON (Expecting value at column 1)",
        f'{path}:31: duplicate id "{docs[3][0]}"',
        f"{path}:42: no 'text' field",
    ]
    seen: set[str] = set()
    kept = []
    for r in iter_records([str(path)]):
        if isinstance(r, Record) and json.dumps(r.id) not in seen:
            seen.add(json.dumps(r.id))
            kept.append(r)
    expected = single([r.text for r in kept], ids=[json.dumps(r.id) for r in kept])
    assert got.result == expected
    assert got.result.documents == 57


def test_a_killed_worker_does_not_change_the_result(dask_client: Any, shards: list[str]) -> None:
    expected, _ = _reference(shards, threshold=0.7)
    docs = read_documents(shards, blocksize=20_000)
    pids = dask_client.run(os.getpid)
    outcome: dict[str, Any] = {}

    def job() -> None:
        try:
            outcome["result"] = deduplicate(docs, threshold=0.7)
        except BaseException as exc:  # reported below
            outcome["error"] = exc

    runner = threading.Thread(target=job)
    runner.start()
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and runner.is_alive() and time.monotonic() < deadline:
        busy = [w for w, tasks in dask_client.processing().items() if tasks]
        if busy:
            victim = busy[0]
            os.kill(pids[victim], signal.SIGKILL)
        else:
            time.sleep(0.005)
    runner.join(120)
    assert victim is not None, "the job finished before a worker could be killed"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["result"].result == expected
    dask_client.wait_for_workers(2, timeout=60)
    assert pids[victim] not in dask_client.run(os.getpid).values()
