"""The seed document is the first golden test: `textqa check seeds/` reports exactly the findings
listed in the sidecar file, and nothing else. A finding whose rule does not exist yet is a strict
xfail, so the test turns red the moment a rule lands without matching its golden finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import textqa
from textqa.rules import RULES_BY_CODE

from .conftest import ROOT, run_cli

SEEDS = ROOT / "seeds"
SIDECAR = json.loads((SEEDS / "000_8e9dbe92525a050e.expected.json").read_text("utf-8"))
DOC_PATH = SEEDS / SIDECAR["document"]
EXPECTED: list[dict[str, Any]] = SIDECAR["findings"]


@pytest.fixture(scope="module")
def findings() -> list[textqa.Finding]:
    return list(textqa.check_paths([str(SEEDS)]).findings)


def _key(f: dict[str, Any]) -> tuple[int, int, str]:
    return (f["line"], f["column"], f["code"])


@pytest.mark.parametrize(
    "expected",
    [
        pytest.param(
            e,
            id=f"{e['line']}:{e['column']}-{e['code']}",
            marks=pytest.mark.xfail(
                e["code"] not in RULES_BY_CODE, reason=f"{e['code']} not built yet", strict=True
            ),
        )
        for e in EXPECTED
    ],
)
def test_expected_finding(expected: dict[str, Any], findings: list[textqa.Finding]) -> None:
    matches = [
        f
        for f in findings
        if (f.start.line, f.start.column, f.code) == _key(expected) and f.path == str(DOC_PATH)
    ]
    assert len(matches) == 1, f"missing {expected}"
    f = matches[0]
    assert f.name == expected["name"]
    if "end_line" in expected:
        assert (f.end.line, f.end.column) == (expected["end_line"], expected["end_column"])
    if "suggestions" in expected:
        assert list(f.suggestions[: len(expected["suggestions"])]) == expected["suggestions"]
    assert [(r.line, r.column) for r in f.related] == [
        (r["line"], r["column"]) for r in expected["related"]
    ]


def test_nothing_else(findings: list[textqa.Finding]) -> None:
    expected = {_key(e) for e in EXPECTED}
    extra = [f for f in findings if (f.start.line, f.start.column, f.code) not in expected]
    assert extra == []


@pytest.mark.parametrize("word", SIDECAR["not_flagged"])
@pytest.mark.parametrize("spelling", ["strict", "full"])
def test_not_flagged(word: str, spelling: str) -> None:
    text = DOC_PATH.read_text("utf-8")
    assert word in text
    settings = textqa.Settings(select=("ALL",))
    if "spelling" in textqa.Settings.__dataclass_fields__:
        settings = textqa.Settings(select=("ALL",), spelling=spelling)  # type: ignore[arg-type]
    doc = textqa.parse(text, str(DOC_PATH))
    flagged = {
        doc.text[f.span.start : f.span.end]
        for f in textqa.check(doc, settings=settings)
        if f.family == "spelling"
    }
    assert not any(word in s or s in word for s in flagged if s.strip())


def test_cli_text_output_matches_sidecar() -> None:
    proc = run_cli("check", "seeds/", cwd=ROOT)
    lines = proc.stdout.decode("utf-8").splitlines()
    got = sorted(
        (int(ln.split(":")[1]), int(ln.split(":")[2]), ln.split(": ")[1].split()[0]) for ln in lines
    )
    built = sorted(_key(e) for e in EXPECTED if e["code"] in RULES_BY_CODE)
    assert got == built
    assert proc.returncode == (1 if built else 0)
    assert proc.stderr == b""


def test_cli_json_is_valid() -> None:
    proc = run_cli("check", "--format", "json", "seeds/", cwd=ROOT)
    data = json.loads(proc.stdout)
    assert isinstance(data, list)
    for obj in data:
        assert list(obj) == [
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "code",
            "name",
            "message",
            "severity",
            "suggestions",
            "related",
        ]
        assert Path(obj["path"]).name == SIDECAR["document"]
