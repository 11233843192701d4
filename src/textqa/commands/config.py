"""``textqa config [PATH...]``: print the effective configuration."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from textqa.commands._common import add_config_option, load_settings
from textqa.config import settings_to_mapping
from textqa.errors import InputError

__all__ = ["add_parser", "run", "to_toml"]


def add_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help="print the effective configuration",
        description="Print the configuration `textqa check PATH...` would use: the file found "
        "from PATH upwards (default: the current folder) or named by --config, every key with "
        "its effective value, and the enabled rules.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="where to search from (default: .)")
    add_config_option(p)
    p.add_argument(
        "--format", choices=("toml", "json"), default="toml", help="output format (default: toml)"
    )
    return p


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def to_toml(values: dict[str, Any]) -> str:
    """Top-level TOML keys (``None`` values become comments: TOML has no null).

    >>> print(to_toml({"select": None, "ignore": ["TQ401"], "thresholds": {"a.b": 0.5}}), end="")
    # select is not set
    ignore = ["TQ401"]
    thresholds = {"a.b" = 0.5}
    """
    lines = []
    for key, value in values.items():
        if value is None:
            lines.append(f"# {key} is not set")
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    for path in args.paths:  # as for check: the configuration of a path that is not there
        if path != "-" and not os.path.lexists(path):
            raise InputError(f"{path}: no such file or directory")
    settings, config = load_settings(args, args.paths or ["."])
    values = settings_to_mapping(settings)
    enabled = sorted(settings.enabled)
    if args.format == "json":
        data = {"file": config.path if config else None, "settings": values, "enabled": enabled}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    source = config.path if config else "none found (defaults)"
    print(f"# configuration file: {source}")
    print(to_toml(values), end="")
    print(f"# enabled rules: {', '.join(enabled) if enabled else '(none)'}")
    return 0
