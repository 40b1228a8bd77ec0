"""The release workflow (.github/workflows/release.yml) under act, on a version tag: the build job builds
and checks the distributions and runs the demo from the installed wheel, and the publish job hands exactly
one wheel and one sdist to PyPI's publish action (a stand-in here). The GitHub-release job needs the real
API's releases endpoints; its permissions are checked statically instead."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

from dataops_ci import __version__
from tests.github.fake_server import FakeGitHub
from tests.ship.conftest import WRITE_TOKEN
from tests.ship.harness import ROOT, WORKFLOWS, load_yaml, run_act, uv_binary

pytestmark = [pytest.mark.act, pytest.mark.timeout(900)]
TAG = f"v{__version__}"


def _build_python(tmp_path: Path) -> Path:
    """What setup-python gives the build job, with the tools it installs already there: the workflow's own
    `pip install` then finds them and changes nothing on this machine."""
    home = tmp_path / "runner-python"
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    subprocess.run(
        [uv_binary(), "pip", "install", "--quiet", "--python", str(python), "build", "twine", "uv"],
        check=True,
        env={**os.environ, "UV_CACHE_DIR": str(ROOT / ".cache" / "uv")},
    )
    return python


def test_a_version_tag_builds_checks_and_publishes_the_wheel(
    source_snapshot: Path, act_cache: Path, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    event = {"ref": f"refs/tags/{TAG}", "repository": {"full_name": "dataops-ci/dataops-ci"}}
    run = run_act(
        event_name="push",
        event=event,
        workflow=WORKFLOWS / "release.yml",
        repo=source_snapshot,
        source_snapshot=source_snapshot,
        cache_dir=act_cache,
        token=WRITE_TOKEN,
        api_url=fake_github.url,
        out=tmp_path / "release",
        extra_args=["--job", "publish"],
        env={"STANDIN_PYTHON": str(_build_python(tmp_path)), "UV_CACHE_DIR": str(ROOT / ".cache" / "uv")},
    )
    assert run.returncode == 0, run.log[-6000:]
    assert "the demo ran from the wheel" in run.log
    published = act_cache / "standin-artifacts" / "pypi-published"
    assert sorted(p.name for p in published.iterdir()) == [
        f"dataops_ci-{__version__}-py3-none-any.whl",
        f"dataops_ci-{__version__}.tar.gz",
    ]


def test_each_release_job_has_only_the_permission_it_needs() -> None:
    workflow = load_yaml(WORKFLOWS / "release.yml")
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "build": {"contents": "read"},
        "publish": {"id-token": "write"},  # trusted publishing: no PyPI token anywhere
        "github-release": {"contents": "write"},
    }
    assert jobs["publish"]["needs"] == "build" and jobs["github-release"]["needs"] == "publish"
    assert jobs["publish"]["environment"]["name"] == "pypi"
