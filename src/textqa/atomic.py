"""Atomic file writes: a crash or kill never leaves a half-written file.

`write_atomic` writes the new bytes to a temporary file in the same directory, flushes and
fsyncs it, gives it the original file's permissions, then renames it over the original
(``os.replace``, atomic on POSIX and Windows) and fsyncs the directory. Until the rename the
old file is untouched; after it the new one is complete. A symlink is written through (its
target is replaced, the link stays a link).

Guards that turn silent data loss into a clear error (`textqa.errors.InputError`):

* a read-only file is refused (even for root, whose ``os.access`` says yes to everything);
* ``expected`` (the bytes the caller read) is compared with the file's current bytes just
  before the rename: a file changed by someone else meanwhile is left alone.

Text helpers keep what the caller read: `read_text` returns the decoded text (a UTF-8 BOM stays
in it, line endings are not translated), so writing ``text.encode("utf-8")`` back keeps the
encoding, the BOM and every line ending as they were.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

from textqa.errors import InputError

__all__ = ["check_writable", "read_bytes", "write_atomic", "write_text_atomic"]

# Indirection so tests can inject a failure (or a kill) between the write and the rename.
_replace = os.replace


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes; `InputError` with the reason when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"{os.fspath(path)}: cannot be read ({exc.strerror or exc})") from None


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise `InputError` when ``path`` is read-only (no write permission bit, or no access).

    Root may write anything, but a file whose mode has no ``w`` bit was made read-only on
    purpose, so it is refused as well.
    """
    name = os.fspath(path)
    try:
        mode = os.stat(name).st_mode
    except OSError as exc:
        raise InputError(f"{name}: cannot be written ({exc.strerror or exc})") from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(name, os.W_OK):
        raise InputError(f"{name}: is read-only; not modified (make it writable to apply fixes)")


def _fsync_dir(directory: str) -> None:
    # Directories cannot be opened for fsync on Windows; elsewhere this makes the rename durable.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(
    path: str | os.PathLike[str], data: bytes, *, expected: bytes | None = None
) -> None:
    """Replace the file at ``path`` with ``data`` atomically, keeping its permissions.

    ``expected``: the bytes the caller read earlier; when the file now holds something else it
    changed while being processed and `InputError` is raised without writing. A new file (that
    does not exist yet) is created with the default permissions.
    """
    name = os.fspath(path)
    target = os.path.realpath(name)
    if os.path.isdir(target):
        raise InputError(f"{name}: is a directory; name a file to write")
    exists = os.path.exists(target)
    if exists:
        check_writable(target)
    directory = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(
            dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".textqa-tmp"
        )
    except OSError as exc:
        raise InputError(
            f"{name}: cannot create a temporary file in {directory} ({exc.strerror or exc})"
        ) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:  # a full disk, a quota, an I/O error: the original is untouched
            raise InputError(
                f"{name}: cannot be written ({exc.strerror or exc}); not modified"
            ) from exc
        if exists:
            st = os.stat(target)
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown"):
                # keep the owner when we may (root fixing someone else's file); else ignore
                with contextlib.suppress(OSError):
                    os.chown(tmp, st.st_uid, st.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if expected is not None and read_bytes(target) != expected:
            raise InputError(
                f"{name}: changed on disk while being processed; not modified (run textqa again)"
            )
        try:
            _replace(tmp, target)
        except OSError as exc:
            raise InputError(f"{name}: cannot be written ({exc.strerror or exc})") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(directory)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, *, expected: bytes | None = None
) -> None:
    """`write_atomic` of ``text`` encoded as UTF-8 (a BOM at the start of ``text`` is kept).

    Line endings are written as they are in ``text`` (no translation).
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{os.fspath(path)}: cannot be encoded as UTF-8 ({exc.reason}); not modified"
        ) from None
    write_atomic(path, data, expected=expected)
