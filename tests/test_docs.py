"""Docs are tested against the code: every rule, command, CLI option and public name is
documented, the generated rules page is current, and the site builds with warnings as errors."""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys

import pytest

import textqa
from textqa.cli import COMMANDS, build_parser
from textqa.rules import RULES

from .conftest import ROOT

DOCS = ROOT / "docs"


def _gen_rules_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_rules", DOCS / "gen_rules.py")
    assert spec
    assert spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_rules_page_is_generated_from_the_table() -> None:
    committed = (DOCS / "rules.md").read_text("utf-8")
    assert committed == _gen_rules_module().render(), "run: python docs/gen_rules.py"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_is_documented(rule: textqa.Rule) -> None:
    page = (DOCS / "rules.md").read_text("utf-8")
    assert f"| {rule.code} | `{rule.name}` |" in page


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _options() -> list[tuple[str, str]]:
    out = []
    for name, sub in _subparsers().items():
        for action in sub._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    out.append((name, opt))
    return out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented(command: str) -> None:
    assert f"## textqa {command}" in (DOCS / "cli.md").read_text("utf-8")


@pytest.mark.parametrize(("command", "option"), _options())
def test_every_cli_option_is_documented(command: str, option: str) -> None:
    page = (DOCS / "cli.md").read_text("utf-8")
    section = page.split(f"## textqa {command}", 1)[1].split("\n## ", 1)[0]
    assert f"`{option}" in section, f"{option} of `textqa {command}` is not in docs/cli.md"


@pytest.mark.parametrize("name", textqa.__all__)
def test_every_public_name_is_documented(name: str) -> None:
    assert f"`{name}" in (DOCS / "api.md").read_text("utf-8")


def _isort_key(name: str) -> tuple[int, str]:
    # the order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def test_public_api_is_sorted_and_explicit() -> None:
    assert list(textqa.__all__) == sorted(textqa.__all__, key=_isort_key)
    for name in textqa.__all__:
        assert hasattr(textqa, name)


def test_docs_site_builds_strict(tmp_path: object) -> None:
    pytest.importorskip("mkdocs")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
