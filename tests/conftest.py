"""Shared fixtures and the hypothesis profiles (``HYPOTHESIS_PROFILE=ci`` for a thorough run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
SHARED = ROOT.parent / "shared"

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=20, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def run_cli(
    *args: str, input: bytes | None = None, cwd: Path | str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m textqa ARGS`` in a fresh process against this checkout's sources."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "textqa", *args],
        input=input,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    return run_cli


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture(scope="session")
def dask_client():  # type: ignore[no-untyped-def]
    """A `distributed.Client` on a LocalCluster of 2 worker processes (loopback only, no
    dashboard, 1 GiB each), shared by the Dask tests; skipped without ``textqa[dask]``."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            scheduler_kwargs={"dashboard": False},
            memory_limit="1GiB",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
