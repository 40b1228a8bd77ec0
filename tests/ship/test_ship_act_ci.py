"""Our own CI's self-test job (.github/workflows/ci.yml, `self-test`) under act: `uses: ./` on a repository
built from examples/demo-repo must find the demo's problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.github.fake_server import FakeGitHub
from tests.ship.conftest import WRITE_TOKEN
from tests.ship.harness import WORKFLOWS, git, run_act

pytestmark = [pytest.mark.act, pytest.mark.timeout(900)]


def test_ci_self_test_job_runs_the_action_on_the_demo(
    source_snapshot: Path, act_cache: Path, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    head = git(source_snapshot, "rev-parse", "HEAD").strip()
    event = {
        "number": 1,
        "pull_request": {"number": 1, "head": {"sha": head}, "base": {"sha": head}},
        "repository": {"full_name": "dataops-ci/dataops-ci"},
    }
    run = run_act(
        event_name="pull_request",
        event=event,
        workflow=WORKFLOWS / "ci.yml",
        repo=source_snapshot,
        source_snapshot=source_snapshot,
        cache_dir=act_cache,
        token=WRITE_TOKEN,
        api_url=fake_github.url,
        out=tmp_path / "ci",
        extra_args=["--job", "self-test"],
    )
    assert run.returncode == 0, run.log[-6000:]
    assert "The demo's failures are found and reported" in run.log
    assert "status=failed breaking-changes=" in run.log
    assert fake_github.requests("POST") == []  # comment: false
