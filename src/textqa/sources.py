"""Reading inputs: walking directories, skipping what is not text, decoding UTF-8.

The library never prints: skipped files are returned with a reason for the caller to report.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from textqa.errors import InputError
from textqa.globs import PathMatcher, relative_posix

__all__ = ["GitIgnore", "Skipped", "SourceText", "decode", "iter_files", "read_source"]

_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path that was not checked, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded text file. ``error_offset`` is set (and ``text`` holds the decodable prefix
    decoded with replacement characters) when the bytes are not valid UTF-8."""

    path: str
    text: str
    error_offset: int | None = None
    error_byte: int | None = None


class GitIgnore:
    """Which paths git ignores (``.gitignore``, ``.git/info/exclude``, the global excludes file).

    Asks ``git ls-files --others --ignored --exclude-standard --directory`` once per work tree;
    outside a git work tree, or without a ``git`` executable, nothing is ignored.
    """

    def __init__(self) -> None:
        self._trees: dict[str, frozenset[str] | None] = {}
        self._top_of: dict[str, str | None] = {}
        self._git = shutil.which("git")

    def _top(self, folder: str) -> str | None:
        if folder in self._top_of:
            return self._top_of[folder]
        current = folder
        top: str | None = None
        while True:
            if os.path.exists(os.path.join(current, ".git")):
                top = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        self._top_of[folder] = top
        return top

    def _ignored(self, top: str) -> frozenset[str] | None:
        import subprocess  # noqa: PLC0415 -- only inside a git work tree (start-up cost)

        if top not in self._trees:
            self._trees[top] = None
            if self._git is not None:
                try:
                    cmd = [self._git, "-C", top, "ls-files", "-z", "--others", "--ignored"]
                    cmd += ["--exclude-standard", "--directory"]
                    proc = subprocess.run(cmd, capture_output=True, check=False, timeout=120)
                except (OSError, subprocess.SubprocessError):
                    proc = None
                if proc is not None and proc.returncode == 0:
                    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
                    self._trees[top] = frozenset(
                        os.path.normpath(os.path.join(top, n)) for n in names if n
                    )
        return self._trees[top]

    def ignored(self, path: str) -> bool:
        """True when git ignores ``path`` (a file or a folder)."""
        ap = os.path.abspath(path)
        top = self._top(os.path.dirname(ap))
        if top is None:
            return False
        names = self._ignored(top)
        return names is not None and ap in names


_LINK_OUT = "symbolic link out of the tree; not followed"
_NOT_REGULAR = "not a regular file (a pipe, socket or device)"


def _outside(path: str, tree: str) -> bool:
    real = os.path.realpath(path)
    return os.path.commonpath([real, tree]) != tree


def iter_files(
    paths: Iterable[str],
    *,
    exclude: PathMatcher | None = None,
    root: str | None = None,
    gitignore: bool = True,
    skipped: list[Skipped] | None = None,
) -> Iterator[str]:
    """Yield the files named by ``paths``, walking directories recursively in sorted order.

    While walking: hidden files and folders, paths matching ``exclude`` (globs relative to
    ``root``, default the current folder) and, inside a git work tree, paths git ignores are
    skipped; symbolic links are not followed (a link pointing outside the walked tree is added
    to ``skipped``), nor are pipes, sockets and devices read (added to ``skipped``). A file
    named explicitly is yielded unless it matches ``exclude``. Each file is yielded once, under
    the name it is first met by (a file named twice, or named and inside a named folder, is not
    checked twice). A missing path raises `InputError`.
    """
    base = root if root is not None else os.getcwd()
    git = GitIgnore() if gitignore else None
    paths = list(paths)
    seen: set[str] | None = set() if len(paths) > 1 else None  # one path cannot repeat a file

    def excluded(p: str) -> bool:
        return exclude is not None and bool(exclude) and exclude.matches(relative_posix(p, base))

    def first_time(p: str) -> bool:
        if seen is None:
            return True
        key = os.path.normcase(os.path.abspath(p))
        if key in seen:
            return False
        seen.add(key)
        return True

    def unlistable(exc: OSError) -> None:  # a folder that cannot be listed is reported
        if skipped is not None:
            where = exc.filename if isinstance(exc.filename, str) else path
            skipped.append(Skipped(where, f"cannot be read ({exc.strerror or exc})"))

    for path in paths:
        if os.path.isdir(path):
            tree = os.path.realpath(path)
            for folder, dirs, files in os.walk(path, onerror=unlistable):
                keep = []
                for d in sorted(dirs):
                    full = os.path.join(folder, d)
                    if d.startswith(".") or excluded(full) or (git and git.ignored(full)):
                        continue
                    if os.path.islink(full):
                        if skipped is not None and _outside(full, tree):
                            skipped.append(Skipped(full, _LINK_OUT))
                        continue
                    keep.append(d)
                dirs[:] = keep
                for name in sorted(files):
                    full = os.path.join(folder, name)
                    if name.startswith(".") or excluded(full) or (git and git.ignored(full)):
                        continue
                    try:
                        mode = os.lstat(full).st_mode
                    except OSError:  # gone meanwhile: reading it reports why
                        mode = stat.S_IFREG
                    if stat.S_ISLNK(mode):
                        if skipped is not None and _outside(full, tree):
                            skipped.append(Skipped(full, _LINK_OUT))
                        continue
                    if not stat.S_ISREG(mode):  # reading a FIFO would wait forever
                        if skipped is not None:
                            skipped.append(Skipped(full, _NOT_REGULAR))
                        continue
                    if first_time(full):
                        yield full.removeprefix("./") if path == "." else full
        elif os.path.exists(path):
            if not excluded(path) and first_time(path):
                yield path
        elif os.path.islink(path):
            raise InputError(f"{path}: broken symbolic link")
        else:
            raise InputError(f"{path}: no such file or directory")


def decode(data: bytes, path: str) -> SourceText:
    """Decode UTF-8 (a BOM is kept in the text; positions ignore it).

    >>> decode(b"caf\\xc3\\xa9", "a.txt").text
    'café'
    >>> decode(b"ab\\ncd\\xff", "a.txt").error_offset
    5
    """
    try:
        return SourceText(path, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8")
        text = data.decode("utf-8", errors="replace")
        return SourceText(path, text, error_offset=len(prefix), error_byte=data[exc.start])


_CHANGED = "changed while being read; not checked (run textqa again)"

# Indirection so tests can change a file between the read and the second look at it.
_restat = os.stat


def _read_at_most(fh: BinaryIO, limit: int) -> bytes:
    """Up to ``limit`` bytes of a pipe or device, in chunks: ``read(limit)`` would allocate
    ``limit`` bytes at once (and fails for a limit above the largest index)."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = fh.read(min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def read_source(path: str, *, max_size: int) -> SourceText | Skipped:
    """Read one file: a `SourceText`, or `Skipped` for binary, oversized or unreadable files,
    and for a regular file that changed while it was read (its size or modification time moved:
    findings on a half-written file would point at the wrong text)."""
    try:
        size = os.path.getsize(path)
        if size > max_size:
            return Skipped(
                path,
                f"larger than {max_size:,} bytes ({size:,}); raise --max-file-size to check it",
            )
        with open(path, "rb") as fh:
            before = os.fstat(fh.fileno())
            # a regular file is read to its size (one byte more shows it growing); a pipe or
            # device has no size, so it is read only up to the limit
            regular = stat.S_ISREG(before.st_mode)
            data = fh.read(before.st_size + 1) if regular else _read_at_most(fh, max_size + 1)
            after = _restat(path)
    except IsADirectoryError:
        return Skipped(path, "is a directory")
    except OSError as exc:
        return Skipped(path, f"cannot be read ({exc.strerror or exc})")
    if regular and (
        len(data) != before.st_size
        or (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns)
    ):
        return Skipped(path, _CHANGED)
    if len(data) > max_size:
        return Skipped(
            path, f"larger than {max_size:,} bytes; raise --max-file-size to check it"
        )
    if b"\x00" in data[:_SNIFF]:
        return Skipped(path, "binary file")
    return decode(data, path)
