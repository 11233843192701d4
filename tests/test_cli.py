"""The command line: exit codes, formats, selection and bad input (never a traceback)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from textqa.cli import main

from .conftest import run_cli

BAD_UTF8 = b"fine line\ncaf\xe9 here\n"  # Latin-1, not UTF-8


def _snapshot(root: Path) -> dict[str, tuple[bytes, float]]:
    return {
        str(p): (p.read_bytes(), p.stat().st_mtime) for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("textqa ")


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert "TQ100" in capsys.readouterr().out
    assert main(["rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"code", "name", "family", "default", "summary"} <= set(rows[0])


def test_clean_file_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "ok.md"
    f.write_text("A clean sentence.\n", "utf-8")
    assert main(["check", str(f)]) == 0
    assert capsys.readouterr().out == ""


def test_non_utf8_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(BAD_UTF8)
    before = _snapshot(tmp_path)
    assert main(["check", str(f)]) == 1
    out = capsys.readouterr().out
    assert (
        out == f"{f}:2:4: TQ100 invalid-encoding: not valid UTF-8: byte 0xE9 cannot be "
        "decoded; re-save the file as UTF-8\n"
    )
    assert _snapshot(tmp_path) == before


def test_non_utf8_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(BAD_UTF8)
    assert main(["check", "--format", "json", str(f)]) == 1
    [obj] = json.loads(capsys.readouterr().out)
    assert (obj["line"], obj["column"], obj["code"], obj["severity"]) == (2, 4, "TQ100", "error")


def test_missing_path_is_exit_2_one_line() -> None:
    proc = run_cli("check", "does/not/exist.md")
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr.decode() == "textqa: error: does/not/exist.md: no such file or directory\n"


def test_bad_selector_is_exit_2_with_hint() -> None:
    proc = run_cli("check", "--select", "TQ1OO", "-", input=b"x")
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == (
        "textqa: error: unknown rule selector 'TQ1OO'; did you mean 'TQ100'?"
    )


def test_usage_error_is_exit_2_no_traceback() -> None:
    proc = run_cli("check")
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert proc.stderr.decode().startswith("usage:") or b"textqa: error:" in proc.stderr


def test_binary_file_skipped_with_warning(tmp_path: Path) -> None:
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    proc = run_cli("check", str(f))
    assert proc.returncode == 0
    assert proc.stderr.decode() == f"textqa: warning: {f}: skipped: binary file\n"


def test_binary_files_in_directories_skipped_silently(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / "b.md").write_text("Fine.\n", "utf-8")
    proc = run_cli("check", str(tmp_path))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.md"
    f.write_bytes(b"")
    proc = run_cli("check", str(f))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_directory_without_text_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    proc = run_cli("check", str(tmp_path))
    assert proc.returncode == 0
    assert proc.stderr.decode() == f"textqa: warning: no text files found in {tmp_path}\n"


def test_hidden_folders_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hidden = tmp_path / ".git"
    hidden.mkdir()
    (hidden / "bad.txt").write_bytes(BAD_UTF8)
    (tmp_path / "bad.txt").write_bytes(BAD_UTF8)
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert ".git" not in out
    assert out.count("TQ100") == 1


def test_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    proc = run_cli("check", "--stdin-filename", "notes.md", "-", input=BAD_UTF8)
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith("notes.md:2:4: TQ100 ")


def test_ignore_turns_rule_off(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(BAD_UTF8)
    assert main(["check", "--ignore", "invalid-encoding", str(f)]) == 0
    assert main(["check", "--select", "TQ1", str(f)]) == 1


def test_huge_single_line_file(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    f.write_bytes(b"word " * (10 * 1024 * 1024))  # 50 MiB, one line
    proc = run_cli("check", str(f))
    assert proc.returncode == 0
    assert b"Traceback" not in proc.stderr
    assert b"skipped: larger than" in proc.stderr
    assert f.stat().st_size == 50 * 1024 * 1024


def test_large_file_checked_when_allowed(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"word " * 300_000 + b"\xff")
    proc = run_cli("check", "--max-file-size", str(10**8), str(f))
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith(f"{f}:1:1500001: TQ100")


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    f = tmp_path / "secret.md"
    f.write_text("x", "utf-8")
    f.chmod(0)
    proc = run_cli("check", str(f))
    assert b"skipped: cannot be read" in proc.stderr


def test_undecodable_file_name_under_a_strict_utf8_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file name that is not UTF-8 reaches Python as a lone surrogate ('\udcff'); under an
    # ordinary UTF-8 locale stdout is strict, so printing the path must not fail.
    try:
        (tmp_path / os.fsdecode(b"caf\xff.md")).write_text("teh cat\n", "utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses file names that are not UTF-8")
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8:strict")
    proc = run_cli("check", str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.decode("utf-8").endswith("caf\\udcff.md:1:1: TQ401 misspelling: "
                                                "'teh' is a common misspelling of 'the'\n")
    proc = run_cli("check", "--format", "json", str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)
    assert os.fsencode(finding["path"]).endswith(b"caf\xff.md")


def test_output_is_deterministic(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_bytes(BAD_UTF8)
    runs = {run_cli("check", "--format", "json", str(tmp_path)).stdout for _ in range(2)}
    assert len(runs) == 1


def test_check_start_up_imports_nothing_heavy(tmp_path: Path) -> None:
    """The hook's start-up path stays free of numpy, datasketch, scipy and ftfy (STYLE.md)."""
    import subprocess
    import sys

    from .conftest import SRC

    f = tmp_path / "small.md"
    f.write_text("A small, clean file.\n", "utf-8")
    code = (
        "import sys\n"
        "from textqa.cli import main\n"
        f"main(['check', {str(f)!r}])\n"
        "print(sorted(m for m in ('numpy', 'datasketch', 'scipy', 'ftfy') "
        "if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        check=False,
    )
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize(
    "args",
    [["check", "{f}"], ["check", "--format", "json", "{f}"], ["rules"], ["normalize", "{f}"]],
)
def test_output_that_cannot_be_written_is_exit_2_one_line(tmp_path: Path, args: list[str]) -> None:
    # '> out' on a full disk: exit 1 would read as "findings" although nothing was written
    f = tmp_path / "a.md"
    f.write_text("teh\n", "utf-8")
    import subprocess
    import sys

    from .conftest import SRC

    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "textqa", *(a.format(f=f) for a in args)],
            stdout=full, stderr=subprocess.PIPE, check=False, timeout=120,
            env={**os.environ, "PYTHONPATH": str(SRC)},
        )
    assert proc.returncode == 2
    assert proc.stderr == b"textqa: error: No space left on device\n"


def test_closed_standard_streams(tmp_path: Path) -> None:
    # '<&-' and '>&-': Python's sys.stdin / sys.stdout are None; read nothing, write nowhere
    import subprocess
    import sys

    from .conftest import SRC

    f = tmp_path / "a.md"
    f.write_text("teh\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def run(args: list[str], fd: int) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "textqa", *args], capture_output=fd != 1,
            stdin=subprocess.DEVNULL if fd != 0 else None, preexec_fn=lambda: os.close(fd),
            env=env, check=False, timeout=120,
        )

    for command in ("check", "normalize", "stats", "dedup", "boilerplate"):
        proc = run([command, "-"], 0)
        assert proc.returncode == 0, (command, proc.stderr)
        assert b"Traceback" not in proc.stderr
    assert run(["check", str(f)], 1).returncode == 1  # the findings still decide the exit code
    assert run(["check", str(tmp_path / "missing")], 1).returncode == 2
