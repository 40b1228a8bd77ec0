"""scripts/action/history.sh, as the action runs it: `record` after a push to the default branch pushes to the
remote; `fetch` before a PR run brings the branch in for the trend (and is no error when there is none)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import GIT_ENV, Repo
from tests.publish.test_history import clone, git, report_json

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "action" / "history.sh"


def _script(mode: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).parent / "dataops-ci"
    full = {**os.environ, **GIT_ENV, "ACTION_PATH": str(ROOT), "DATAOPS_BIN": str(binary), **env}
    return subprocess.run(["bash", str(SCRIPT), mode], cwd=cwd, env=full, capture_output=True, text=True)


def test_record_then_fetch_through_the_action_script(make_repo: Callable[..., Repo], tmp_path: Path) -> None:
    seed = make_repo("seed")
    seed.commit("data", {"README.md": "x\n"})
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed.root), str(remote))
    main_job, pr_job = clone(remote, tmp_path / "main-job"), clone(remote, tmp_path / "pr-job")
    fetched = _script("fetch", pr_job)
    assert fetched.returncode == 0 and "no quality history branch" in fetched.stderr  # none yet: no error
    report = report_json(tmp_path, 0.9)
    env = {"DATAOPS_REPORT": str(report), "DATAOPS_HISTORY_COMMIT": "e" * 40, "GITHUB_TOKEN": "ghs_secret"}
    recorded = _script("record", main_job, GITHUB_SERVER_URL="https://github.example.invalid", **env)
    assert recorded.returncode == 0, recorded.stderr
    assert "::add-mask::" in recorded.stdout and "ghs_secret" not in recorded.stdout + recorded.stderr
    assert git(main_job, "config", "--list").count("extraheader") == 0  # the token never reached a file
    assert _script("fetch", pr_job).returncode == 0
    line = git(pr_job, "cat-file", "blob", "refs/remotes/origin/dataops-ci-history:history.jsonl")
    assert '"commit":"' + "e" * 40 in line
    assert git(pr_job, "status", "--porcelain") == "" and git(pr_job, "branch", "--list").strip() == "* main"
