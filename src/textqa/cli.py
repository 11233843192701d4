"""The command line: ``textqa COMMAND ...`` (also ``python -m textqa``).

Only this layer prints, writes files and chooses exit codes: 0 no findings, 1 findings,
2 usage or input error (one line ``textqa: error: ...`` on stderr, never a traceback).
Each command lives in :mod:`textqa.commands` as a module with ``add_parser`` and ``run``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from textqa._version import __version__
from textqa.errors import TextQAError

__all__ = ["COMMANDS", "build_parser", "main"]

#: command name -> module under textqa.commands
COMMANDS: dict[str, str] = {
    "boilerplate": "boilerplate",
    "check": "check",
    "config": "config",
    "dedup": "dedup",
    "normalize": "normalize",
    "rules": "rules",
    "stats": "stats",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"textqa: error: {message}\n")


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (the first word that is not an option), when known.

    >>> _command_of(["check", "--fix", "a.md"]), _command_of(["--help"]), _command_of(["nope"])
    ('check', None, None)
    """
    for arg in argv:
        if arg.startswith("-"):
            if arg in ("-h", "--help", "--version"):
                return None
            continue
        return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``only`` builds just that command (the others are not imported:
    every command module imported costs start-up time, and a pre-commit hook pays it per run)."""
    parser = _Parser(
        prog="textqa",
        description="Text quality: near-duplicates, repetition, spelling, Unicode safety.",
    )
    parser.add_argument("--version", action="version", version=f"textqa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, module in COMMANDS.items():
        if only is not None and name != only:
            continue
        mod = importlib.import_module(f"textqa.commands.{module}")
        p = mod.add_parser(sub, name)
        p.set_defaults(_run=mod.run)
    return parser


def _tolerant_stdout() -> None:
    """Write what the output encoding cannot hold as a backslash escape instead of failing.

    A JSON Lines id or text may hold a lone surrogate (the JSON escape ``"\\ud800"`` decodes
    to one), which UTF-8 cannot encode; it is printed as ``\\ud800``, which is also the JSON
    escape of the same string, so JSON output stays valid and keeps the value.
    """
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


def _open_closed_streams() -> None:
    """A standard stream closed by the caller (``<&-``, ``>&-``) is None in Python: read
    nothing from it, write nowhere, rather than fail with AttributeError."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 -- for the whole run
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (the library never exits)."""
    _open_closed_streams()
    _tolerant_stdout()
    parser = build_parser(only=_command_of(sys.argv[1:] if argv is None else argv))
    try:
        args = parser.parse_args(argv)
        code = int(args._run(args))
        sys.stdout.flush()  # output that cannot be written is an error now, not at exit
        return code
    except TextQAError as exc:
        print(f"textqa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("textqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (``textqa check . | head``): not an error worth a traceback
        _drop_stdout()
        sys.stderr.close()
        return 1
    except OSError as exc:
        return _os_error(exc)


def _drop_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's flush at exit does
    not fail again on what is still buffered (the recipe of Python's ``signal`` docs)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _os_error(exc: OSError) -> int:
    """One line for an operating-system error no command turned into a `TextQAError`, above
    all output that cannot be written (``> file`` on a full disk): exit 2, as for any error
    (not 1, which would read as "findings")."""
    try:
        sys.stdout.flush()
    except OSError:
        _drop_stdout()
    where = f"{exc.filename}: " if exc.filename else ""
    print(f"textqa: error: {where}{exc.strerror or exc}", file=sys.stderr)
    return 2
