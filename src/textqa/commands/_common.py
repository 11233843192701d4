"""Options and helpers shared by the commands."""

from __future__ import annotations

import argparse
import sys

from textqa.errors import UsageError

__all__ = ["add_selection_options", "split_list", "warn"]


def split_list(values: list[str] | None) -> tuple[str, ...] | None:
    """``["TQ1,TQ2", "TQ4"]`` -> ``("TQ1", "TQ2", "TQ4")``; ``None`` stays ``None``.

    >>> split_list(["TQ1, TQ2", "spelling"])
    ('TQ1', 'TQ2', 'spelling')
    """
    if values is None:
        return None
    return tuple(part.strip() for v in values for part in v.split(",") if part.strip())


def add_selection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="only these rules: codes, code prefixes (TQ4), names, families or ALL; "
        "comma-separated or repeated (default: the default-on rules)",
    )
    p.add_argument(
        "--extend-select",
        action="append",
        metavar="RULES",
        help="add these rules to the selection (e.g. default-off rules)",
    )
    p.add_argument("--ignore", action="append", metavar="RULES", help="turn these rules off")


def warn(message: str) -> None:
    print(f"textqa: warning: {message}", file=sys.stderr)


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value!r}")
    return n


def probability(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 < x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 1]: {value!r}")
    return x


def require(condition: bool, message: str) -> None:
    if not condition:
        raise UsageError(message)
