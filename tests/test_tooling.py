"""ruff and mypy --strict are part of the test suite, so CI enforces them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


def test_ruff_clean() -> None:
    if shutil.which("ruff") is None:
        pytest.skip("ruff not installed")
    dirs = [d for d in ("src", "tests", "benchmarks", "docs", "tools") if (ROOT / d).is_dir()]
    proc = _run("ruff", "check", *dirs)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]


def test_mypy_strict_clean() -> None:
    pytest.importorskip("mypy")
    proc = _run(sys.executable, "-m", "mypy", "--no-error-summary")
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
