"""``textqa dedup --dask``: the same output as the single-machine command; dask imported only
when asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SRC, run_cli
from .dask_corpus import corpus, write_shards


def test_dask_option_gives_the_same_output(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    write_shards(tmp_path / "c", corpus(600, 11), 3)
    single = run_cli("dedup", str(tmp_path / "c"), "--threshold", "0.7", "--keep", "shortest")
    dask = run_cli(
        "dedup",
        str(tmp_path / "c" / "*.jsonl"),
        "--threshold",
        "0.7",
        "--keep",
        "shortest",
        "--dask",
        "local:2",
    )
    assert single.returncode == dask.returncode == 1, dask.stderr
    assert dask.stdout == single.stdout
    assert dask.stdout.count(b"\n") > 10
    assert dask.stderr.splitlines()[-1] == single.stderr.splitlines()[-1]


def test_bad_dask_arguments(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    (tmp_path / "a.jsonl").write_text('{"id": 1, "text": "x"}\n')
    r = run_cli("dedup", str(tmp_path / "a.jsonl"), "--dask", "local:0")
    assert r.returncode == 2
    assert r.stderr == (
        b"textqa: error: --dask 'local:0': use local:N with N a positive worker count\n"
    )
    r = run_cli("dedup", "-", "--dask", "local:1", input=b'{"id": 1, "text": "x"}\n')
    assert r.returncode == 2
    assert b"standard input cannot be read by a Dask job" in r.stderr
    r = run_cli("dedup", str(tmp_path / "*.parquet"), "--dask", "local:1")
    assert r.returncode == 2
    assert b"no file matches this pattern" in r.stderr
    r = run_cli("dedup", str(tmp_path / "a.jsonl"), "--dask", "bogus")
    assert r.returncode == 2
    assert r.stderr.startswith(b"textqa: error: --dask 'bogus' is not a scheduler address (")
    assert r.stderr.count(b"\n") == 1


def test_dask_is_imported_only_when_used() -> None:
    code = (
        "import sys, textqa, textqa.cli, textqa.commands.dedup, textqa.dedup\n"
        "textqa.cli.build_parser()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed', 'pyarrow') or m.startswith('textqa.dask')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
        text=True,
    )
    assert out.stdout.strip() == "[]"


def test_a_local_cluster_leaves_the_environment_as_it_was() -> None:
    pytest.importorskip("distributed")
    import os

    from textqa.dask import connect

    before = dict(os.environ)
    with connect("local:1") as client:
        assert client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))  # the workers' own
    assert dict(os.environ) == before
