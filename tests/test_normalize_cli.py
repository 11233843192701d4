"""`textqa normalize`: stdout, standard input, --in-place (atomic), --explain, errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from textqa.cli import main

from .conftest import run_cli

RAW = "caf\u00e9\u200b \u201cq\u201d\u00a0x\r\nline2 don\u00e2\u20ac\u2122t\x07\n".encode()


def test_stdout_safe_profile(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(RAW)
    res = run_cli("normalize", str(f))
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode() == "caf\u00e9 \u201cq\u201d\u00a0x\nline2 don\u2019t\n"
    assert f.read_bytes() == RAW  # nothing written without --in-place


def test_stdin_and_profiles() -> None:
    res = run_cli("normalize", "--profile", "ascii-punct", "-", input=RAW)
    assert res.stdout.decode() == "caf\u00e9 \"q\" x\nline2 don't\n"
    res = run_cli("normalize", "--profile", "dedup-key", "-", input=b"The  QUICK, fox 42!\n")
    assert res.stdout == b"the quick fox 00"
    res = run_cli("normalize", "--profile", "dedup-key", "--skeleton", "-",
                  input="p\u0430yp\u0430l".encode())  # fmt: skip
    assert res.stdout == b"paypal"


def test_in_place_is_atomic_keeps_mode_and_reports_change(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(RAW)
    os.chmod(f, 0o640)
    assert main(["normalize", "--in-place", str(f)]) == 1
    assert f.read_text("utf-8") == "caf\u00e9 \u201cq\u201d\u00a0x\nline2 don\u2019t\n"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left
    before = f.stat().st_mtime_ns
    assert main(["normalize", "--in-place", str(f)]) == 0  # already normalized: untouched
    assert f.stat().st_mtime_ns == before


def test_explain_lists_changes_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(RAW)
    assert main(["normalize", "--explain", str(f)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{f}:1:5: invisible: '\\u200b' -> ''",
        f"{f}:1:12: newlines: '\\r\\n' -> '\\n'",
        f"{f}:2:10: mojibake: 'â€™' -> '’'",
        f"{f}:2:14: controls: '\\x07' -> ''",
    ]
    assert f.read_bytes() == RAW


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["normalize", "--in-place", "-"], "--in-place needs files"),
        (["normalize", "a", "b"], "give one FILE"),
        (["normalize", "-", "a"], "cannot be mixed"),
        (["normalize", "/nonexistent/x.txt"], "/nonexistent/x.txt: cannot be read"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    res = run_cli(*args)
    assert res.returncode == 2
    assert res.stderr.decode().startswith("textqa: error: ")
    assert message in res.stderr.decode()
    assert b"Traceback" not in res.stderr


def test_not_utf8_and_read_only(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\xff")
    res = run_cli("normalize", str(bad))
    assert res.returncode == 2
    assert b"not valid UTF-8 (byte 0xFF at offset 2)" in res.stderr
    ro = tmp_path / "ro.txt"
    ro.write_bytes(b"x\r\n")
    os.chmod(ro, 0o444)
    res = run_cli("normalize", "--in-place", str(ro))
    assert res.returncode == 2
    assert b"read-only" in res.stderr
    assert ro.read_bytes() == b"x\r\n"


def test_in_place_over_several_files_does_the_good_ones(tmp_path: Path) -> None:
    # a pre-commit run passes many files: one that cannot be normalized is reported (exit 2)
    # and the files after it are still normalized
    bad = tmp_path / "a_bad.txt"
    bad.write_bytes(b"ok\xff\r\n")
    ro = tmp_path / "b_ro.txt"
    ro.write_bytes(b"x\r\n")
    os.chmod(ro, 0o444)
    good = tmp_path / "c_good.txt"
    good.write_bytes(b"y\r\n")
    res = run_cli("normalize", "--in-place", str(bad), str(ro), str(good), str(tmp_path / "none"))
    assert res.returncode == 2
    assert res.stderr.decode().splitlines() == [
        f"textqa: error: {bad}: not valid UTF-8 (byte 0xFF at offset 2); convert it to UTF-8 first",
        f"textqa: error: {ro}: is read-only; not modified (make it writable to apply fixes)",
        f"textqa: error: {tmp_path / 'none'}: cannot be read (No such file or directory)",
    ]
    assert good.read_bytes() == b"y\n"
    assert (bad.read_bytes(), ro.read_bytes()) == (b"ok\xff\r\n", b"x\r\n")
    res = run_cli("normalize", "--explain", str(bad), str(good))
    assert res.returncode == 2
    assert res.stderr.decode().startswith(f"textqa: error: {bad}: not valid UTF-8")
