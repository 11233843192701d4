"""`textqa check --fix / --diff` and baselines, end to end in-process (with the fake family)."""

from __future__ import annotations

import importlib
import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from textqa.cli import main

from .fake_family import fake_rules  # noqa: F401 -- fixture

pytestmark = pytest.mark.usefixtures("fake_rules")

fixes_module = importlib.import_module("textqa.fixes")


def test_fix_applies_safe_fixes_only_and_keeps_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "a.md"
    f.write_bytes("\ufeffteh zz\r\nteh\r\n".encode())
    os.chmod(f, 0o640)
    clean = tmp_path / "clean.md"
    clean.write_bytes(b"nothing\n")
    before = clean.stat().st_mtime_ns
    assert main(["check", "--fix", str(tmp_path)]) == 1  # the unsafe zz remains
    assert f.read_bytes() == "\ufeffthe zz\r\nthe\r\n".encode()
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert clean.stat().st_mtime_ns == before  # a file without a fix is never touched
    out = capsys.readouterr()
    assert out.out == f"{f}:1:5: TQ100 invalid-encoding: fake: 'zz' -> 'z'\n"
    assert "fixed 1 file" in out.err
    assert main(["check", "--fix", str(tmp_path)]) == 1  # idempotent
    assert f.read_bytes() == "\ufeffthe zz\r\nthe\r\n".encode()
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["a.md", "clean.md"]


def test_diff_prints_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.txt"
    f.write_text("one teh\ntwo\n", "utf-8")
    assert main(["check", "--diff", str(f)]) == 1
    out = capsys.readouterr().out
    assert out == (
        f"--- a/{f}\n+++ b/{f}\n@@ -1,2 +1,2 @@\n-one teh\n+one the\n two\n"
    )
    assert f.read_text("utf-8") == "one teh\ntwo\n"
    f.write_text("clean\n", "utf-8")
    assert main(["check", "--diff", str(f)]) == 0


def test_fix_on_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"teh zz\n")))
    assert main(["check", "--fix", "-"]) == 1
    out = capsys.readouterr()
    assert out.out == "the zz\n"
    assert "'zz'" in out.err


def test_fix_on_stdin_that_is_not_utf8_passes_the_bytes_through() -> None:
    # like a file that is not UTF-8, nothing is fixed: the bytes come back unchanged (not with
    # a replacement character, and no word "fixed" next to it), the TQ100 finding on stderr
    from .conftest import run_cli  # the real rules, in a child process

    data = b"teh caf\xe9\n"
    proc = run_cli("check", "--fix", "-", input=data)
    assert proc.returncode == 1
    assert proc.stdout == data
    assert proc.stderr.decode() == (
        "-:1:8: TQ100 invalid-encoding: not valid UTF-8: byte 0xE9 cannot be decoded; "
        "re-save the file as UTF-8\n"
    )
    proc = run_cli("check", "--diff", "-", input=data)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")



def test_fix_on_stdin_writes_utf8_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import run_cli

    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")  # a terminal that is not UTF-8
    proc = run_cli("check", "--fix", "-", input="teh café — ok\n".encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "the café — ok\n".encode()


def test_read_only_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "ro.md"
    f.write_text("teh\n", "utf-8")
    os.chmod(f, 0o444)
    assert main(["check", "--fix", str(f)]) == 2
    err = capsys.readouterr().err
    assert f"textqa: error: {f}: is read-only; not modified" in err
    assert "fixed" not in err  # nothing was fixed
    assert f.read_text("utf-8") == "teh\n"
    # with a writable file beside it, only that one counts as fixed
    ok = tmp_path / "ok.md"
    ok.write_text("teh\n", "utf-8")
    assert main(["check", "--fix", str(f), str(ok)]) == 2
    err = capsys.readouterr().err
    assert "textqa: fixed 1 file\n" in err
    assert ok.read_text("utf-8") == "the\n"
    assert f.read_text("utf-8") == "teh\n"


def test_file_changed_while_fixing_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "a.md"
    f.write_text("teh\n", "utf-8")
    real = fixes_module.fix_text

    def edit_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = real(*args, **kwargs)
        f.write_text("teh, edited by someone else\n", "utf-8")
        return out

    monkeypatch.setattr(fixes_module, "fix_text", edit_meanwhile)
    assert main(["check", "--fix", str(f)]) == 2
    assert "changed on disk while being processed" in capsys.readouterr().err
    assert f.read_text("utf-8") == "teh, edited by someone else\n"


def test_baseline_reports_only_new_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("teh one\nteh two\n", "utf-8")
    base = tmp_path / "baseline.json"
    assert main(["check", "--write-baseline", str(base), "docs"]) == 0
    assert "recorded 2 findings" in capsys.readouterr().err
    data = json.loads(base.read_text("utf-8"))
    assert data["findings"][0]["path"] == "docs/a.md"
    assert data["findings"][0]["count"] == 2
    assert main(["check", "--baseline", str(base), "docs"]) == 0
    # unrelated edits (lines moved) keep old findings matched; a new one is reported
    (docs / "a.md").write_text("intro\n\nteh one\nteh two\nzz\n", "utf-8")
    assert main(["check", "--baseline", str(base), "docs"]) == 1
    assert capsys.readouterr().out == "docs/a.md:5:1: TQ100 invalid-encoding: fake: 'zz' -> 'z'\n"
    # a third copy of a recorded finding is new
    (docs / "a.md").write_text("teh\nteh\nteh\n", "utf-8")
    assert main(["check", "--baseline", str(base), "docs"]) == 1
    assert capsys.readouterr().out.count("TQ100") == 1
    # from another folder the paths still match (relative to the baseline file)
    monkeypatch.chdir(docs)
    (docs / "a.md").write_text("teh one\n", "utf-8")
    assert main(["check", "--baseline", str(base), "a.md"]) == 0


def test_baseline_of_a_file_name_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = os.fsdecode(b"caf\xff.md")
    try:
        (tmp_path / name).write_text("teh\n", "utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses file names that are not UTF-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--write-baseline", "base.json", "."]) == 0
    assert "recorded 1 finding" in capsys.readouterr().err
    entries = json.loads((tmp_path / "base.json").read_text("utf-8"))["findings"]
    assert [e["path"] for e in entries] == [name]
    assert main(["check", "--baseline", "base.json", "."]) == 0
    (tmp_path / name).write_text("teh\nteh\n", "utf-8")
    assert main(["check", "--baseline", "base.json", "."]) == 1


def test_write_baseline_to_a_directory_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("teh\n", "utf-8")
    (tmp_path / "out").mkdir()
    assert main(["check", "--write-baseline", str(tmp_path / "out"), str(tmp_path / "a.md")]) == 2
    err = capsys.readouterr().err
    assert err == f"textqa: error: {tmp_path / 'out'}: is a directory; name a file to write\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "out"]


def test_write_baseline_with_options_that_stop_before_it_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text("teh\n", "utf-8")
    base = str(tmp_path / "b.json")
    assert main(["check", "--diff", "--write-baseline", base, str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "textqa: error: --write-baseline and --diff cannot be combined\n"
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"teh\n")))
    assert main(["check", "--fix", "--write-baseline", base, "-"]) == 2
    assert capsys.readouterr().err == (
        "textqa: error: --write-baseline and --fix on standard input cannot be combined\n"
    )
    assert not (tmp_path / "b.json").exists()
    assert (tmp_path / "a.md").read_text("utf-8") == "teh\n"


def test_bad_baseline_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text("x\n", "utf-8")
    assert main(["check", "--baseline", str(tmp_path / "none.json"), str(tmp_path)]) == 2
    assert "create it with --write-baseline" in capsys.readouterr().err
    (tmp_path / "b.json").write_text("[1]", "utf-8")
    assert main(["check", "--baseline", str(tmp_path / "b.json"), str(tmp_path)]) == 2
    assert "not a textqa baseline" in capsys.readouterr().err
