"""The real pre-commit framework runs this repository's hooks (``pre-commit try-repo``) on a
temporary git repository with a defective Markdown file: `textqa` fails with the expected
finding, `textqa-fix` repairs the file, then `textqa` passes.

No network: pre-commit's virtualenv reuses the packages already installed
(``VIRTUALENV_SYSTEM_SITE_PACKAGES``), pip does not use an index, and the repository is built
without build isolation (``hatchling`` is in the ``test`` extra).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

DOC = """# Release notes

The importer now keeps the original line endings of every file it rewrites.

A second paragraph that says something else entirely about the release.

The importer now keeps the original line endings of every file it rewrites.
"""

FIXED = """# Release notes

The importer now keeps the original line endings of every file it rewrites.

A second paragraph that says something else entirely about the release.
"""


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    pytest.importorskip("hatchling")
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "PIP_"))
    }
    env |= {
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "VIRTUALENV_SYSTEM_SITE_PACKAGES": "1",
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "false",  # pip's inverted spelling: false = no isolation
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    repo = tmp_path / "repo"
    repo.mkdir()
    assert _run(["git", "init", "-q"], repo, env).returncode == 0
    doc = repo / "notes.md"
    doc.write_text(DOC, "utf-8")
    assert _run(["git", "add", "notes.md"], repo, env).returncode == 0

    def hook(hook_id: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook_id, "--all-files"]
        return _run(cmd, repo, env)

    first = hook("textqa")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "notes.md:7:1: TQ201 repeated-paragraph:" in first.stdout, first.stdout
    assert doc.read_text("utf-8") == DOC  # the check hook never writes

    fixing = hook("textqa-fix")
    assert fixing.returncode == 1, fixing.stdout + fixing.stderr  # files were modified
    assert "files were modified by this hook" in fixing.stdout
    assert doc.read_text("utf-8") == FIXED

    again = hook("textqa")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout
