"""``textqa rules``: print the rule table."""

from __future__ import annotations

import argparse
import json
from typing import Any

from textqa.rules import RULES

NAME = "rules"


def add_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name, help="list every rule", description="List every rule: code, name, family, default."
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    return p


def run(args: argparse.Namespace) -> int:
    if args.format == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "family": r.family,
                "default": r.default,
                "severity": r.severity,
                "scope": r.scope,
                "fixable": r.fixable,
                "summary": r.summary,
            }
            for r in RULES
        ]
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(r.name) for r in RULES), default=4)
    fam = max((len(r.family) for r in RULES), default=6)
    print(f"{'code':<6} {'name':<{width}} {'family':<{fam}} default  summary")
    for r in RULES:
        on = "on" if r.default else "off"
        print(f"{r.code:<6} {r.name:<{width}} {r.family:<{fam}} {on:<8} {r.summary}")
    return 0
