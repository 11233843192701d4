"""Path globs for ``exclude`` and ``per-file-ignores`` (gitignore-like, ``/``-separated).

* ``*`` matches within one path component, ``?`` one character, ``[abc]`` a class;
* ``**`` matches any number of components (``docs/**/*.md``, ``**/generated``);
* a pattern without ``/`` matches a file or folder name anywhere (``*.rst``, ``build``);
* a pattern with ``/`` is anchored at the base folder (the configuration file's folder);
* a pattern matching a folder matches everything below it.

>>> m = PathMatcher(["build", "docs/legacy/*.md", "**/CHANGES.rst"])
>>> [m.matches(p) for p in ["build/x.md", "a/build/y.txt", "docs/legacy/a.md", "docs/a.md"]]
[True, True, True, False]
>>> m.matches("deep/er/CHANGES.rst"), m.matches("CHANGES.rst")
(True, True)
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable

__all__ = ["PathMatcher", "glob_to_regex", "relative_posix"]


def glob_to_regex(pattern: str) -> str:
    """The regular expression (anchored both ends) of one ``/``-separated glob.

    >>> bool(re.fullmatch(glob_to_regex("a/**/b*.md"), "a/x/y/bc.md"))
    True
    >>> bool(re.fullmatch(glob_to_regex("a/**/b.md"), "a/b.md"))
    True
    >>> bool(re.fullmatch(glob_to_regex("*.md"), "a/b.md"))
    False
    """
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            # as fnmatch: a "!" first negates, a "]" first (after it) is a member
            j = i + 1
            if pattern.startswith("!", j):
                j += 1
            if pattern.startswith("]", j):
                j += 1
            j = pattern.find("]", j)
            if j < 0:  # unterminated: a literal "["
                out.append(re.escape(c))
                i += 1
            else:
                out.append(_char_class(pattern[i + 1 : j]))
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def _char_class(body: str) -> str:
    """The regex of the glob class ``[body]``, exactly as `fnmatch` reads it (an empty range
    such as ``z-a`` matches nothing).

    >>> _char_class("!a-c"), _char_class("z-a")
    ('[^a-c]', '(?!)')
    """
    regex = fnmatch.translate(f"[{body}]")  # "(?s:" + the class + ")\\Z"
    return regex[len("(?s:") : -len(")\\Z")]


def relative_posix(path: str, base: str) -> str:
    """``path`` relative to folder ``base``, ``/``-separated (``..`` when outside it).

    >>> relative_posix("/p/docs/a.md", "/p")
    'docs/a.md'
    """
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    return rel.replace(os.sep, "/")


class PathMatcher:
    """Match ``/``-separated relative paths against a list of globs (see the module doc)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(p for p in (q.strip() for q in patterns) if p)
        anchored: list[str] = []
        names: list[str] = []
        for raw in self.patterns:
            p = raw.rstrip("/")
            p = p.removeprefix("./")
            if "/" in p.lstrip("/"):
                anchored.append(glob_to_regex(p.lstrip("/")))
            elif p.startswith("/"):
                anchored.append(glob_to_regex(p[1:]))
            else:
                names.append(glob_to_regex(p))
        self._anchored = re.compile("|".join(anchored)) if anchored else None
        self._names = re.compile("|".join(names)) if names else None

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, rel: str) -> bool:
        """True when ``rel`` (relative, ``/``-separated) or one of its folders matches."""
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if self._names is not None and any(self._names.fullmatch(p) for p in parts):
            return True
        if self._anchored is not None:
            for i in range(1, len(parts) + 1):
                if self._anchored.fullmatch("/".join(parts[:i])):
                    return True
        return False
