"""Cluster lists and keep lists of a Dask job: the command's clusters, and the ids of the
documents to keep written from the workers, as JSON Lines or Parquet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

dask = pytest.importorskip("dask")
pq = pytest.importorskip("pyarrow.parquet")

from textqa.dask import (  # noqa: E402
    cluster_rows,
    deduplicate,
    keep_list,
    read_documents,
    write_clusters,
    write_keep_list,
)
from textqa.errors import UsageError  # noqa: E402
from textqa.records import Record, iter_records  # noqa: E402

from .conftest import run_cli  # noqa: E402
from .dask_corpus import corpus  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:Running on a single-machine scheduler when a distributed client:UserWarning"
)


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Any]:
    docs = corpus(400, seed=8)
    lines = [json.dumps({"id": i, "text": t}) for i, t in docs]
    lines[5] = "not json"
    lines[77] = json.dumps({"id": docs[2][0], "text": "a repeated id"})
    path = tmp_path_factory.mktemp("o") / "c.jsonl"
    path.write_text("\n".join(lines) + "\n")
    bag = read_documents([str(path)], blocksize=3000)
    with dask.config.set(scheduler="sync"):
        result = deduplicate(bag, threshold=0.7, keep="longest", on_error="skip")
    return path, bag, result


def _expected_kept(path: Path, result: Any) -> list[Any]:
    seen: set[str] = set()
    accepted = []
    for r in iter_records([str(path)]):
        if isinstance(r, Record) and json.dumps(r.id) not in seen:
            seen.add(json.dumps(r.id))
            accepted.append(r.id)
    gone = result.result.duplicates()
    return [i for k, i in enumerate(accepted) if k not in gone]


def test_cluster_list_is_the_command_output(job: tuple[Path, Any, Any], tmp_path: Path) -> None:
    path, _, result = job
    assert len(result.result.clusters) > 10
    cli = run_cli(
        "dedup", str(path), "--threshold", "0.7", "--keep", "longest", "--on-error", "skip"
    )
    assert write_clusters(result, tmp_path / "c.jsonl") == len(result.result.clusters)
    assert (tmp_path / "c.jsonl").read_bytes() == cli.stdout
    assert write_clusters(result, tmp_path / "c.parquet") == len(result.result.clusters)
    assert pq.read_table(tmp_path / "c.parquet").to_pylist() == cluster_rows(result)


def test_keep_list_leaves_out_bad_rows_and_dropped_members(
    job: tuple[Path, Any, Any], tmp_path: Path
) -> None:
    path, bag, result = job
    expected = _expected_kept(path, result)
    assert len(expected) == 398 - len(result.result.duplicates())
    with dask.config.set(scheduler="sync"):
        assert keep_list(bag, result).compute() == expected
        names = write_keep_list(bag, result, tmp_path / "keep")
        pnames = write_keep_list(bag, result, tmp_path / "keep-pq", fmt="parquet")
    assert len(names) == len(pnames) == bag.npartitions > 5
    lines = [json.loads(x) for n in names for x in Path(n).read_text().splitlines()]
    assert lines == [{"id": i} for i in expected]
    assert [i for n in pnames for i in pq.read_table(n).column("id").to_pylist()] == expected


def test_output_errors(job: tuple[Path, Any, Any], tmp_path: Path) -> None:
    path, _, result = job
    other = read_documents([str(path)], blocksize=100_000)
    with pytest.raises(UsageError, match="give the collection the job ran on"):
        keep_list(other, result)
    with pytest.raises(UsageError, match="format must be"):
        write_clusters(result, tmp_path / "x", fmt="csv")  # type: ignore[arg-type]
    mixed = dask.bag.from_sequence([(1, "same text in both"), ("b", "same text in both")])
    with dask.config.set(scheduler="sync"):
        two = deduplicate(mixed)
    with pytest.raises(UsageError, match="mixed types"):
        write_clusters(two, tmp_path / "m.parquet")
