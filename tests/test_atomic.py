"""The atomic writer: old-or-new under failure and kill; permissions; read-only; changed files."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from textqa import atomic
from textqa.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def test_write_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_bytes(b"old\r\n")
    os.chmod(p, 0o640)
    atomic.write_atomic(p, b"new\r\n")
    assert p.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert [x.name for x in tmp_path.iterdir()] == ["a.md"]  # no temporary file left


def test_text_write_keeps_bom_and_line_endings(tmp_path: Path) -> None:
    p = tmp_path / "b.txt"
    original = "\ufeffone\r\ntwo\rthree\n"
    p.write_bytes(original.encode("utf-8"))
    atomic.write_text_atomic(p, original.replace("two", "2"))
    assert p.read_bytes() == "\ufeffone\r\n2\rthree\n".encode()


def test_new_file_gets_default_permissions(tmp_path: Path) -> None:
    p = tmp_path / "new.txt"
    atomic.write_atomic(p, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask


def test_failure_between_write_and_rename_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "c.md"
    p.write_bytes(b"old content\n")

    def boom(src: str, dst: str) -> None:
        assert Path(src).read_bytes() == b"new content\n"  # fully written before the rename
        raise OSError("injected failure")

    monkeypatch.setattr(atomic, "_replace", boom)
    with pytest.raises(OSError, match="injected"):
        atomic.write_atomic(p, b"new content\n")
    assert p.read_bytes() == b"old content\n"
    assert [x.name for x in tmp_path.iterdir()] == ["c.md"]


def test_kill_between_write_and_rename_leaves_old_file(tmp_path: Path) -> None:
    p = tmp_path / "d.md"
    p.write_bytes(b"old\n")
    script = (
        "import os, signal, sys\n"
        "from textqa import atomic\n"
        "atomic._replace = lambda s, d: os.kill(os.getpid(), signal.SIGKILL)\n"
        "atomic.write_atomic(sys.argv[1], b'new\\n')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", script, str(p)], env=env, check=False)
    assert proc.returncode == -signal.SIGKILL
    assert p.read_bytes() == b"old\n"


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "ro.txt"
    p.write_bytes(b"keep\n")
    os.chmod(p, 0o444)
    with pytest.raises(InputError, match="read-only"):
        atomic.write_atomic(p, b"lost\n")
    assert p.read_bytes() == b"keep\n"


def test_file_changed_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    p = tmp_path / "e.txt"
    p.write_bytes(b"v1\n")
    read = p.read_bytes()
    p.write_bytes(b"v2 from an editor\n")
    with pytest.raises(InputError, match="changed on disk"):
        atomic.write_atomic(p, b"fixed v1\n", expected=read)
    assert p.read_bytes() == b"v2 from an editor\n"
    assert [x.name for x in tmp_path.iterdir()] == ["e.txt"]


def test_symlink_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_bytes(b"a\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic.write_atomic(link, b"b\n")
    assert link.is_symlink()
    assert target.read_bytes() == b"b\n"


def test_unencodable_text_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "f.txt"
    p.write_bytes(b"ok\n")
    with pytest.raises(InputError, match="UTF-8"):
        atomic.write_text_atomic(p, "lone \udc80 surrogate")
    assert p.read_bytes() == b"ok\n"


def test_unreadable_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        atomic.read_bytes(tmp_path / "missing.txt")


def test_a_directory_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        atomic.write_atomic(tmp_path / "out", b"data\n")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["out"]  # no temporary file left
    assert list((tmp_path / "out").iterdir()) == []


def test_a_failed_rename_is_an_input_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic, "_replace", refuse)
    with pytest.raises(InputError, match=r"c\.md: cannot be written \(Permission denied\)"):
        atomic.write_atomic(tmp_path / "c.md", b"new\n")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_an_input_error_and_the_original_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "c.md"
    p.write_bytes(b"old content\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InputError, match=r"c\.md: cannot be written \(No space left on device\)"):
        atomic.write_atomic(p, b"new content\n")
    assert p.read_bytes() == b"old content\n"
    assert [x.name for x in tmp_path.iterdir()] == ["c.md"]
