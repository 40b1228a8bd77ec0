"""The composite action end to end under act: a pull request on a data repo, the comment on the fake GitHub
API, an update on the next push, and a fork's read-only token falling back to the job summary."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dataops_ci.checks import CHECKS
from tests.github.fake_server import FakeGitHub
from tests.ship.conftest import DATA_REPO, DEMO, FORK_TOKEN, SCHEMA_CASE, WRITE_TOKEN, DataRepo
from tests.ship.harness import TEST_WORKFLOWS, ActRun, run_act

pytestmark = [pytest.mark.act, pytest.mark.timeout(900)]
MARKER = "<!-- dataops-ci:summary key="
FIXED_SCHEMA = """{
  "type": "record",
  "name": "Customer",
  "namespace": "com.acme",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "email", "type": "string"},
    {"name": "fax", "type": ["null", "string"], "default": null},
    {"name": "country", "type": "string", "default": "unknown"}
  ]
}
"""


def run_composite(
    repo: DataRepo, fake: FakeGitHub, token: str, snapshot: Path, cache: Path, out: Path, checks: str = ""
) -> ActRun:
    run = run_act(
        event_name="pull_request",
        event=repo.pull_request_event(),
        workflow=TEST_WORKFLOWS / "composite.yml",
        repo=repo.root,
        source_snapshot=snapshot,
        cache_dir=cache,
        token=token,
        api_url=fake.url,
        out=out,
        variables={"DATAOPS_CHECKS": checks},
    )
    assert run.returncode == 0, run.log[-6000:]
    return run


def test_comment_is_created_then_updated_in_place(
    make_data_repo: Callable[[Path], DataRepo],
    fake_github: FakeGitHub,
    source_snapshot: Path,
    act_cache: Path,
    tmp_path: Path,
) -> None:
    repo = make_data_repo(SCHEMA_CASE)
    fake_github.add_pull(DATA_REPO, repo.number, repo.head)

    first = run_composite(
        repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "first", "schema-compat"
    )
    [comment] = fake_github.comments_on(DATA_REPO, repo.number)
    assert MARKER in comment["body"]
    assert repo.head in comment["body"]
    assert "Customer.country" in comment["body"]
    outputs = first.outputs()
    assert outputs["status"] == "failed"
    assert int(outputs["breaking"]) >= 1
    assert outputs["comment_url"] == comment["html_url"]

    # The next push makes the change safe: the same comment now says so.
    repo.commit({"schemas/customer.avsc": FIXED_SCHEMA}, "give country a default")
    fake_github.set_head(DATA_REPO, repo.number, repo.head)
    second = run_composite(repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "second")
    [updated] = fake_github.comments_on(DATA_REPO, repo.number)
    assert updated["id"] == comment["id"]
    assert repo.head in updated["body"]
    assert "Customer.country" not in updated["body"] or "field-added-without-default" not in updated["body"]
    assert second.outputs()["status"] == "passed"
    assert fake_github.requests("PATCH", r"/issues/comments/")


def test_a_fork_token_degrades_to_the_job_summary(
    make_data_repo: Callable[[Path], DataRepo],
    fake_github: FakeGitHub,
    source_snapshot: Path,
    act_cache: Path,
    tmp_path: Path,
) -> None:
    repo = make_data_repo(SCHEMA_CASE)
    fake_github.add_pull(DATA_REPO, repo.number, repo.head)
    run = run_composite(repo, fake_github, FORK_TOKEN, source_snapshot, act_cache, tmp_path / "fork")
    assert fake_github.comments_on(DATA_REPO, repo.number) == []
    assert "Customer.country" in run.summary()
    assert run.outputs()["status"] == "failed"
    assert run.outputs()["comment_url"] == ""
    assert (run.out / "report" / "report.json").is_file()


def test_warm_run_restores_the_cached_environment(
    make_data_repo: Callable[[Path], DataRepo],
    fake_github: FakeGitHub,
    source_snapshot: Path,
    act_cache: Path,
    tmp_path: Path,
) -> None:
    """A new runner has no environment on disk: the second run restores it from the cache, no install."""
    repo = make_data_repo(SCHEMA_CASE)
    fake_github.add_pull(DATA_REPO, repo.number, repo.head)
    cold = run_composite(repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "cold")
    [key] = re.findall(r"(?<![\w-])cache-key=(dataops-ci-\S+)", cold.log)[:1]
    shutil.rmtree(act_cache / "act" / "tool_cache" / "dataops-ci")
    warm = run_composite(repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "warm")
    assert f"cache stand-in: restored {key}" in warm.log
    assert "Main Install dataops-ci" not in warm.log
    assert warm.outputs()["status"] == "failed"


def test_demo_repo_gets_one_comment_covering_every_check(
    make_data_repo: Callable[[Path], DataRepo],
    fake_github: FakeGitHub,
    source_snapshot: Path,
    act_cache: Path,
    tmp_path: Path,
) -> None:
    """examples/demo-repo with the action's defaults: every check installed and run, one comment."""
    repo = make_data_repo(DEMO)
    fake_github.add_pull(DATA_REPO, repo.number, repo.head)
    run = run_composite(repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "demo")
    [comment] = fake_github.comments_on(DATA_REPO, repo.number)
    for name in CHECKS:
        assert f"`{name}`" in comment["body"], name
    report = json.loads((run.out / "report" / "report.json").read_text(encoding="utf-8"))
    assert {c["name"] for c in report["checks"]} == set(CHECKS)
    assert run.outputs()["status"] == report["status"] == "failed"
    assert run.outputs()["quality"] == str(report["quality_score"])
    assert (run.out / "report" / "report.sarif").is_file()

    # The next push: the sql-lint cache saved by this run is restored, so unchanged models are free.
    again = run_composite(repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "again")
    assert re.search(r"cache stand-in: restored dataops-ci-lint-", again.log)
    sql = next(
        c
        for c in json.loads((again.out / "report" / "report.json").read_text())["checks"]
        if c["name"] == "sql-lint"
    )
    assert sql["metrics"]["files"] >= 1
    assert sql["metrics"]["files_cached"] == sql["metrics"]["files"]
    assert len(fake_github.comments_on(DATA_REPO, repo.number)) == 1


def test_a_cached_environment_that_does_not_run_is_reinstalled(
    make_data_repo: Callable[[Path], DataRepo],
    fake_github: FakeGitHub,
    source_snapshot: Path,
    act_cache: Path,
    tmp_path: Path,
) -> None:
    """A cache entry that restores but cannot run (another runner image, a truncated save) is not trusted."""
    repo = make_data_repo(SCHEMA_CASE)
    fake_github.add_pull(DATA_REPO, repo.number, repo.head)
    first = run_composite(
        repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "a", "schema-compat"
    )
    [key] = re.findall(r"(?<![\w-])cache-key=(dataops-ci-\S+)", first.log)[:1]
    broken = tmp_path / "broken-venv"
    (broken / "bin").mkdir(parents=True)
    (broken / "bin" / "python").symlink_to("/nonexistent/python3")
    stored = next((act_cache / "standin-cache").glob(f"{key}.tar"))
    stored.unlink()
    compress = ["--zstd"] if shutil.which("zstd") else []  # as the cache stand-in stores it
    subprocess.run(["tar", *compress, "-cf", str(stored), "-C", str(broken), "."], check=True)
    shutil.rmtree(act_cache / "act" / "tool_cache" / "dataops-ci")
    second = run_composite(
        repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "b", "schema-compat"
    )
    assert "the cached environment does not run here; reinstalling" in second.log
    assert "dataops-ci: installed" in second.log
    assert second.outputs()["status"] == "failed"
