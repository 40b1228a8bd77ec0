"""The release's wheel check, run for real by the test suite: scripts/wheel-check builds the sdist and the
wheel, `twine check`s them, installs the wheel into a fresh venv and runs the demo from it (what the
release workflow does before it publishes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dataops_ci import __version__

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "wheel-check"


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHON": sys.executable, **env},
    )


@pytest.mark.slow
def test_the_built_wheel_installs_and_runs_the_demo(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the demo ran from the wheel" in result.stdout
    built = sorted(p.name for p in (tmp_path / "dist").iterdir())
    assert built == [f"dataops_ci-{__version__}-py3-none-any.whl", f"dataops_ci-{__version__}.tar.gz"]


def test_a_tag_that_is_not_the_version_is_refused_before_building(tmp_path: Path) -> None:
    result = _run(tmp_path, RELEASE_TAG="v0.0.1")
    assert result.returncode == 1
    assert f"is not the package version v{__version__}" in result.stderr
    assert not any((tmp_path / "dist").iterdir())
