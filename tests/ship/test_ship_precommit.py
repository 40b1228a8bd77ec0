"""Every hook of .pre-commit-hooks.yaml with the real pre-commit, on a committed snapshot of this working
tree, in a temp data repo: once on a change it accepts and once on one it rejects.

`pre-commit try-repo` always builds hook environments in a fresh temporary store (virtualenv + pip from
PyPI, about a minute for the GX one), so it is used for one hook here, passing and failing. Every hook is
then run the way try-repo runs it — a config naming the snapshot and its commit, `pre-commit run` — but
with PRE_COMMIT_HOME shared by the session, so each environment is built once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.ship.harness import ROOT, git

CASES = ROOT / "tests" / "cases" / "ship" / "hooks"
HOOK_IDS = sorted(p.name for p in CASES.iterdir() if p.is_dir())
MANUAL = {"dataops-ci", "transformation-tests"}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(
    args: list[str],
    home: Path,
    repo: Path,
    hook: str,
    files: list[str],
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    stage = ["--hook-stage", "manual"] if hook in MANUAL else []
    cmd = [sys.executable, "-m", "pre_commit", *args, *stage, "--files", *files]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", **(extra_env or {})}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False)


def run_hook(
    snapshot: Path, home: Path, repo: Path, hook: str, files: list[str]
) -> subprocess.CompletedProcess[str]:
    """What try-repo does (repo + rev + hook id in a config, then `run`), in the shared store."""
    rev = git(snapshot, "rev-parse", "HEAD").strip()
    config = repo.parent / f"{repo.name}-pre-commit-config.yaml"
    config.write_text(
        yaml.safe_dump({"repos": [{"repo": str(snapshot), "rev": rev, "hooks": [{"id": hook}]}]}),
        encoding="utf-8",
    )
    return pre_commit(["run", "--config", str(config), hook], home, repo, hook, files)


def data_repo(tmp_path: Path, hook: str, kind: str) -> tuple[Path, list[str]]:
    repo = tmp_path / f"{hook}-{kind}"
    shutil.copytree(CASES / hook / "base", repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    overlay = CASES / hook / kind
    shutil.copytree(overlay, repo, dirs_exist_ok=True)
    files = sorted(p.relative_to(overlay).as_posix() for p in overlay.rglob("*") if p.is_file())
    git(repo, "add", "-A")  # staged, as at commit time
    return repo, files


def test_every_hook_has_a_case() -> None:
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert sorted(hook["id"] for hook in manifest) == HOOK_IDS


def check_pass_and_fail(
    hook: str, tmp_path: Path, run: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    good, good_files = data_repo(tmp_path, hook, "pass")
    passed = run(good, hook, good_files)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    bad, bad_files = data_repo(tmp_path, hook, "fail")
    failed = run(bad, hook, bad_files)
    rule = (CASES / hook / "fail-rule.txt").read_text(encoding="utf-8").strip()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert rule in failed.stdout, failed.stdout


def test_try_repo_runs_a_hook_from_this_repository(source_snapshot: Path, tmp_path: Path) -> None:
    """With plain pre-commit (pip, as users have it): the pre-commit-uv speed-up is switched off."""

    def run(repo: Path, hook: str, files: list[str]) -> subprocess.CompletedProcess[str]:
        extra = {"DISABLE_PRE_COMMIT_UV_PATCH": "1"}
        return pre_commit(
            ["try-repo", str(source_snapshot), hook], tmp_path / "home", repo, hook, files, extra
        )

    check_pass_and_fail("avro-schema-lint", tmp_path, run)


@pytest.mark.parametrize("hook", HOOK_IDS)
def test_hook_passes_a_good_change_and_rejects_a_bad_one(
    hook: str, source_snapshot: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    def run(repo: Path, hook: str, files: list[str]) -> subprocess.CompletedProcess[str]:
        return run_hook(source_snapshot, pre_commit_home, repo, hook, files)

    check_pass_and_fail(hook, tmp_path, run)
