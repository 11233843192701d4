"""Options and helpers shared by the commands."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence

from textqa.commands._spelling import spelling_changes
from textqa.config import ConfigFile, Settings, find_config, load_config, settings_from_mapping
from textqa.errors import ConfigError, UsageError

__all__ = [
    "add_config_option",
    "add_selection_options",
    "load_settings",
    "split_list",
    "warn",
]


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


def _int_at_least(value: str, minimum: int, what: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if n < minimum:
        raise argparse.ArgumentTypeError(f"must be {what}: {value!r}")
    return n


def non_negative_int(value: str) -> int:
    return _int_at_least(value, 0, "0 or more")


def positive_int(value: str) -> int:
    return _int_at_least(value, 1, "positive")


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


def add_config_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config",
        metavar="FILE",
        help="use this configuration file (.textqa.toml or pyproject.toml) instead of searching "
        "upwards from the checked paths",
    )


def load_settings(
    args: argparse.Namespace, paths: Sequence[str]
) -> tuple[Settings, ConfigFile | None]:
    """Settings from the configuration file (``--config`` or found from ``paths`` upwards)
    with the command-line options applied on top: ``--select`` replaces the configured
    selection, ``--ignore``, ``--extend-select`` and ``--exclude`` add to it."""
    name = getattr(args, "config", None)
    if name is not None and not os.path.isfile(name):
        raise ConfigError(f"{name}: configuration file not found")
    found = name if name is not None else find_config(paths)
    config = load_config(found) if found is not None else None
    if config is not None:
        settings = settings_from_mapping(config.values, root=config.folder, source=config.path)
    else:
        settings = Settings()
    changes: dict[str, object] = {}
    select = split_list(getattr(args, "select", None))
    if select is not None:
        changes["select"] = select
    for key in ("ignore", "extend_select", "exclude"):
        extra = split_list(getattr(args, key, None))
        if extra:
            changes[key] = (*getattr(settings, key), *extra)
    if getattr(args, "max_file_size", None) is not None:
        changes["max_file_size"] = args.max_file_size
    if getattr(args, "report_unused_ignores", False):
        changes["report_unused_ignores"] = True
    changes.update(spelling_changes(args, settings))
    if changes:
        settings = dataclasses.replace(settings, **changes)  # type: ignore[arg-type]
    settings.enabled  # noqa: B018 -- validate rule selectors before reading any input
    return settings, config
