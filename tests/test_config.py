"""Configuration files: discovery, keys derived from Settings, errors naming the closest key,
`textqa config`, and the command line on top."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import textqa
from textqa.cli import main
from textqa.config import (
    ALIASES,
    Settings,
    config_keys,
    find_config,
    load_config,
    settings_from_mapping,
    settings_to_mapping,
)
from textqa.errors import ConfigError

from .fake_family import fake_rules  # noqa: F401 -- fixture


def test_every_settings_field_is_a_key_and_round_trips() -> None:
    s = Settings(
        select=("TQ1",), ignore=("TQ100",), words=("textqa",), max_file_size=5,
        thresholds={"near_repeat_ratio": 0.5}, per_file_ignores=(("*.rst", ("TQ100",)),),
        exclude=("build",),
        report_unused_ignores=True,
    )
    again = settings_from_mapping(settings_to_mapping(s))
    assert settings_to_mapping(again) == settings_to_mapping(s)
    assert "per-file-ignores" in config_keys()
    assert "root" not in config_keys()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"selct": ["TQ1"]}, "unknown key 'selct'; did you mean 'select'?"),
        ({"per_file_ignore": {}}, "did you mean 'per-file-ignores'?"),
        ({"zzzzzz": 1}, "unknown key 'zzzzzz'; valid keys: select, ignore"),
        ({"max-file-size": "big"}, "max-file-size: expected an integer, got 'big'"),
        ({"thresholds": {"a": float("inf")}}, "thresholds.a: expected a finite number, got inf"),
        ({"thresholds": {"a": float("nan")}}, "thresholds.a: expected a finite number, got nan"),
        ({"max-file-size": 0}, "max-file-size: expected a positive integer, got 0"),
        ({"max-file-size": -1}, "max-file-size: expected a positive integer, got -1"),
        ({"spelling": "loose"}, "spelling: expected one of 'strict', 'full', got 'loose'"),
        ({"select": ["TQ9x"]}, "unknown rule selector 'TQ9x'"),
        ({"per-file-ignores": {"*.md": ["nope"]}}, "unknown rule selector 'nope'"),
        ({"per-file-ignores": ["*.md"]}, "expected a table of glob = [rules]"),
        (
            {"thresholds": {"near_repeat_ration": 0.8}},
            "unknown threshold 'thresholds.near_repeat_ration'; did you mean 'near_repeat_ratio'?",
        ),
        (
            {"thresholds": {"near-duplicate-fil": 0.7}},
            "did you mean 'near-duplicate-file'?",
        ),
        ({"thresholds": {"zzzzzz": 1}}, "valid keys: repeated_paragraph_min_words, "),
    ],
)
def test_bad_keys_and_values(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        settings_from_mapping(values, source="pyproject.toml")
    assert str(exc.value).startswith("pyproject.toml: ")
    assert message in str(exc.value)


def test_aliases_add_to_their_key() -> None:
    assert set(ALIASES.values()) <= set(config_keys())
    s = settings_from_mapping({"ignore": ["TQ100"], "extend-ignore": ["TQ4"], "exclude": "a,b"})
    assert s.ignore == ("TQ100", "TQ4")
    assert s.exclude == ("a", "b")


def test_discovery_from_checked_paths_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.textqa]\nignore = ['TQ100']\n", "utf-8")
    sub = tmp_path / "docs" / "deep"
    sub.mkdir(parents=True)
    (tmp_path / "docs" / "pyproject.toml").write_text("[project]\nname = 'x'\n", "utf-8")
    assert find_config([str(sub / "a.md")]) == str(tmp_path / "pyproject.toml")
    (sub / ".textqa.toml").write_text("select = ['TQ1']\n", "utf-8")
    assert find_config([str(sub)]) == str(sub / ".textqa.toml")
    # the common folder of several paths is where the search starts
    assert find_config([str(sub), str(tmp_path / "docs")]) == str(tmp_path / "pyproject.toml")
    assert load_config(str(sub / ".textqa.toml")).values == {"select": ["TQ1"]}


def test_invalid_toml_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".textqa.toml").write_text("select = [\n", "utf-8")
    (tmp_path / "a.md").write_text("fine\n", "utf-8")
    assert main(["check", str(tmp_path / "a.md")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("textqa: error: ")
    assert "invalid TOML" in err
    assert err.count("\n") == 1


def test_config_file_encoding_bom_and_bytes_that_are_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("fine\n", "utf-8")
    # a byte order mark (editors on Windows) is not an error
    (tmp_path / ".textqa.toml").write_bytes(b"\xef\xbb\xbfselect = ['TQ1']\n")
    assert load_config(str(tmp_path / ".textqa.toml")).values == {"select": ["TQ1"]}
    (tmp_path / ".textqa.toml").unlink()
    (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf[tool.textqa]\nselect = ['TQ1']\n")
    assert find_config([str(tmp_path / "a.md")]) == str(tmp_path / "pyproject.toml")
    assert load_config(str(tmp_path / "pyproject.toml")).values == {"select": ["TQ1"]}
    # Latin-1 bytes: one line, no traceback
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.textqa]\nwords = ['caf\xe9']\n")
    assert main(["check", str(tmp_path / "a.md")]) == 2
    assert capsys.readouterr().err == (
        f"textqa: error: {tmp_path / 'pyproject.toml'}: invalid TOML: not UTF-8 (byte 0xE9 "
        "at offset 27); save it as UTF-8\n"
    )


def test_broken_pyproject_with_a_textqa_table_is_an_error_not_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.textqa]\nignore = ["TQ401"\n', "utf-8")
    (tmp_path / "a.md").write_text("fine\n", "utf-8")
    assert find_config([str(tmp_path / "a.md")]) == str(tmp_path / "pyproject.toml")
    assert main(["check", str(tmp_path / "a.md")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"textqa: error: {tmp_path / 'pyproject.toml'}: invalid TOML")
    # a broken pyproject.toml that is not about textqa is still none of its business
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x\ndeps = ["textqa"]\n', "utf-8")
    assert find_config([str(tmp_path / "a.md")]) != str(tmp_path / "pyproject.toml")


@pytest.mark.parametrize(
    ("name", "body", "values"),
    [
        ("pyproject.toml", "tool = 1\n", {}),  # no [tool.textqa] table: no settings
        ("pyproject.toml", "[tool]\ntextqa = 1\n", None),
        (".textqa.toml", "[tool]\ntextqa = 1\n", None),
        (".textqa.toml", "[tool]\ntextqa = ['TQ1']\n", None),
    ],
)
def test_tool_and_tool_textqa_that_are_not_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, body: str, values: object
) -> None:
    (tmp_path / name).write_text(body, "utf-8")
    (tmp_path / "a.md").write_text("fine\n", "utf-8")
    args = ["check", "--config", str(tmp_path / name), str(tmp_path / "a.md")]
    if values is not None:
        assert load_config(str(tmp_path / name)).values == values
        assert main(args) == 0
        return
    with pytest.raises(ConfigError, match=r"\[tool.textqa\] must be a table"):
        load_config(str(tmp_path / name))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == f"textqa: error: {tmp_path / name}: [tool.textqa] must be a table\n"


@pytest.mark.usefixtures("fake_rules")
def test_cli_uses_found_config_and_options_on_top(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.textqa]\nexclude = ['build']\n"
        "[tool.textqa.per-file-ignores]\n'legacy/*.md' = ['TQ100']\n",
        "utf-8",
    )
    for rel in ("a.md", "build/b.md", "legacy/c.md"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("teh\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "."]) == 1
    out = capsys.readouterr().out
    assert out == "a.md:1:1: TQ100 invalid-encoding: fake: 'teh' -> 'the'\n"
    assert main(["check", "--ignore", "TQ100", "."]) == 0
    assert main(["check", "--exclude", "a.md", "."]) == 0
    capsys.readouterr()
    other = tmp_path / "other.toml"
    other.write_text("ignore = []\n", "utf-8")
    assert main(["check", "--config", str(other), "."]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert main(["check", "--config", str(tmp_path / "missing.toml"), "."]) == 2
    assert "configuration file not found" in capsys.readouterr().err


def test_config_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".textqa.toml").write_text(
        "ignore = ['TQ100']\nwords = ['textqa']\n[thresholds]\nnear_repeat_ratio = 0.25\n", "utf-8"
    )
    assert main(["config", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# configuration file: {tmp_path / '.textqa.toml'}\n")
    assert 'ignore = ["TQ100"]\n' in out
    assert 'thresholds = {"near_repeat_ratio" = 0.25}\n' in out
    assert out.rstrip().endswith("# enabled rules: (none)") or "# enabled rules:" in out
    assert main(["config", "--format", "json", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["words"] == ["textqa"]
    assert "TQ100" not in data["enabled"]
    (tmp_path / ".textqa.toml").write_text("wrds = ['x']\n", "utf-8")
    assert main(["config", str(tmp_path)]) == 2
    assert "did you mean 'words'?" in capsys.readouterr().err


def test_every_key_is_documented() -> None:
    from .conftest import ROOT

    page = (ROOT / "docs" / "configuration.md").read_text("utf-8")
    for key in [*config_keys(), *ALIASES]:
        assert f"`{key}`" in page, f"configuration key {key!r} is not in docs/configuration.md"


def test_threshold_keys_take_dashes_or_underscores() -> None:
    s = settings_from_mapping(
        {"thresholds": {"near-repeat-ratio": 0.95, "near_duplicate_file": 0.7}}
    )
    assert s.thresholds == {"near_repeat_ratio": 0.95, "near-duplicate-file": 0.7}


def test_the_threshold_table_matches_what_the_families_read() -> None:
    """Every key a rule family reads is in `textqa.rules.THRESHOLDS` (whose defaults the
    families take), and every key there is read."""
    import re

    from textqa.rules import THRESHOLDS

    src = Path(textqa.__file__).parent
    read = set()
    for module in ("repetition.py", "duplicate_files.py"):
        code = (src / module).read_text("utf-8")
        read |= set(re.findall(r"threshold(?:_int)?\(\s*(?:ctx,\s*)?\"([^\"]+)\"", code))
    assert read == {t.key for t in THRESHOLDS}
