"""`--fix` end to end with the real rules on the seed document, in LF and in CRLF-with-BOM form."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from textqa.cli import main

from .conftest import ROOT

SEED = ROOT / "seeds" / "000_8e9dbe92525a050e.txt"


@pytest.mark.parametrize(("bom", "newline"), [(False, "\n"), (True, "\r\n")])
def test_fix_seed_then_nothing_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bom: bool, newline: str
) -> None:
    original = SEED.read_text("utf-8")
    text = ("\ufeff" if bom else "") + original.replace("\n", newline)
    f = tmp_path / "seed.txt"
    f.write_bytes(text.encode("utf-8"))
    os.chmod(f, 0o600)
    assert main(["check", str(f)]) == 1
    found = capsys.readouterr().out
    assert all(code in found for code in ("TQ201", "TQ401", "TQ403", "TQ405"))

    assert main(["check", "--diff", str(f)]) == 1
    diff = capsys.readouterr().out
    assert "\n-\ufeffISISISIS prepares" in diff if bom else "\n-ISISISIS prepares" in diff
    assert "\n+\ufeffISIS prepares" in diff if bom else "\n+ISIS prepares" in diff
    assert f.read_bytes() == text.encode("utf-8")  # --diff writes nothing

    assert main(["check", "--fix", str(f)]) == 0
    capsys.readouterr()
    fixed = f.read_bytes().decode("utf-8")
    assert fixed.startswith("\ufeffISIS prepares" if bom else "ISIS prepares")
    assert "substantialy" not in fixed
    assert fixed.count("In the face of an ever-more-effective campaign") == 1
    assert "vision of an Islamic caliphate" in fixed
    if newline == "\r\n":
        assert "\n" not in fixed.replace("\r\n", "")  # every line ending kept
    else:
        assert "\r" not in fixed
    assert "\u00a0" in fixed  # untouched text stays as it was (no-break spaces)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    before = f.stat().st_mtime_ns
    assert main(["check", "--fix", str(f)]) == 0  # twice equals once, and nothing is written
    assert f.stat().st_mtime_ns == before
