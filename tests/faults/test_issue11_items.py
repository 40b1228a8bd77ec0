"""Regression tests of issue 11 through the real CLI (`cli.main`), one per item not covered by the bad-input
battery (tests/faults/cases: items 1-5): a copy is not followed as a rename (7), a comment deleted between
listing and updating is created again (6), a test failing then erroring in teardown is one test (9), and
what a comment or a Markdown report describes comes from the report: the head commit, the run link and
the `teams:` mentions (10)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from dataops_ci.words import plural
from tests.conftest import Repo
from tests.github.actions_env import PullRequest, actions_step, breaking_pull_request, pull_request_event
from tests.github.fake_server import FakeGitHub, Fault
from tests.github.helpers import REPO

CUSTOMER = {
    "type": "record",
    "name": "Customer",
    "namespace": "com.acme",
    "fields": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}],
}
PIPELINE = """\
name: customers
owner: data_engineering
reviewers: [marketing_team]
dataset: {data: data/customers.csv}
quality_checks:
  - {type: row_count, min: 5}
"""
TEAMS = "teams: {data_engineering: '@acme/data-eng', marketing_team: '@acme/marketing'}\n"


def _report(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_a_copy_does_not_inherit_the_history_of_its_original(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 7: customer_event.avsc was made as a copy of customer.avsc (which stays); a PR that changes it
    is checked against its own history only, not against com.acme.Customer's."""
    repo.commit("v1", {"schemas/customer.avsc": json.dumps(CUSTOMER, indent=2)})
    fax = {"name": "fax", "type": ["null", "string"], "default": None}
    v2 = {**CUSTOMER, "fields": [*CUSTOMER["fields"], fax]}
    repo.commit("v2", {"schemas/customer.avsc": json.dumps(v2, indent=2)})
    event = {**v2, "name": "CustomerEvent"}
    base = repo.commit("copy", {"schemas/customer_event.avsc": json.dumps(event, indent=2)})
    followed = repo.git("log", "--follow", "--format=", "--name-only", "--", "schemas/customer_event.avsc")
    assert "schemas/customer.avsc" in followed  # what `git log --follow` makes of it
    kind = {"name": "kind", "type": ["null", "string"], "default": None}
    changed = {**event, "fields": [*event["fields"], kind]}
    repo.commit("PR: a field", {"schemas/customer_event.avsc": json.dumps(changed, indent=2)})
    out = tmp_path / "report.json"
    monkeypatch.chdir(repo.root)
    argv = ["schema-compat", "--base", base, "--head", "HEAD", "--mode", "BACKWARD_TRANSITIVE"]
    code = main([*argv, "--report-json", str(out), "--format", "json"])
    check = _report(out)["checks"][0]
    assert code == 0, check
    assert not [f for f in check["findings"] if "renamed" in f["message"]], check["findings"]
    files = {f["file"]: f["status"] for f in check["data"]["files"]}
    assert files == {"schemas/customer_event.avsc": "compatible"}


def test_a_comment_deleted_before_its_update_is_created_again(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 6: the PATCH of our comment gets 404 (someone deleted it after we listed): post it anew."""
    with FakeGitHub() as fake:
        fake.add_token("ghs_write", "github-actions[bot]", app=True)
        pr = breaking_pull_request(repo)
        fake.add_pull(REPO, pr.number, pr.head)
        step = actions_step(tmp_path, fake, monkeypatch)
        argv = ["run", "--github", "--comment", "-C", str(pr.root), "--checks", "schema-compat"]
        step(pull_request_event(pr))
        assert main(argv) == 1
        [first] = fake.comments_on(REPO, pr.number)

        pr.head = repo.commit("another push", {"README.md": "more\n"})
        fake.set_head(REPO, pr.number, pr.head)

        def delete_ours() -> None:
            found = fake.find_comment(REPO, first["id"])
            assert found is not None
            found[0].remove(found[1])

        fake.fault(Fault("PATCH", r"/comments/\d+$", before=delete_ours))
        step(pull_request_event(pr))
        assert main(argv) == 1
        patches = fake.requests("PATCH")
        [second] = fake.comments_on(REPO, pr.number)
    assert [r.status for r in patches] == [404]
    assert second["id"] != first["id"] and f"head-sha={pr.head}" in second["body"]


def test_a_test_failing_then_erroring_in_teardown_is_counted_once(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 9: pytest writes two <testcase> elements for it; the check counts one failed test."""
    test = """\
import pytest


@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown broke")


def test_fails_then_errors(broken_teardown):
    assert False


def test_passes():
    pass
"""
    repo.commit("tests", {"tests/test_teardown.py": test})
    out = tmp_path / "report.json"
    monkeypatch.chdir(repo.root)
    assert (
        main(["run", "--all-files", "--checks", "tests", "--report-json", str(out), "--format", "json"]) == 1
    )
    check = _report(out)["checks"][0]
    metrics = {k: check["metrics"][k] for k in ("tests", "passed", "failed", "errored")}
    assert metrics == {"tests": 2, "passed": 1, "failed": 1, "errored": 0}
    assert check["summary"].startswith("1 passed, 1 failed")


def test_the_demo_counts_the_contract_violations_it_lists(tmp_path: Path, capsys: Any) -> None:
    """Item 9: "N data contract violations" in the demo's comment is the number of findings it lists."""
    assert main(["demo", "--out", str(tmp_path / "demo")]) in (0, 1)
    printed = capsys.readouterr().out
    comment = (tmp_path / "demo" / "comment.md").read_text(encoding="utf-8")
    report = _report(tmp_path / "demo" / "report.json")
    listed = [
        f["severity"] for c in report["checks"] for f in c["findings"] if f["rule"].startswith("contract-")
    ]
    assert listed.count("error") and listed.count("warning")  # the demo has both
    for text in (comment, printed):
        assert len(re.findall(r"\*\*contract-|contract-\w+", text)) >= len(listed)
        errors, warnings = listed.count("error"), listed.count("warning")
        said = f"{plural(errors, 'data contract violation')}, {plural(warnings, 'data contract warning')}"
        assert said in text, text[:3000]


def _teams_repo(repo: Repo) -> str:
    repo.commit("base", {"dataops-ci.yml": TEAMS, "data/customers.csv": "id\n1\n"})
    repo.git("checkout", "-q", "-b", "feature")
    return repo.commit("pipeline", {"pipelines/customers.yml": PIPELINE})


def test_markdown_of_a_local_run_mentions_through_teams(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """Item 10: `run --format markdown` (no --github) applies `teams:` from the report, and describes the
    commit the working tree is on, not `WORKTREE`."""
    head = _teams_repo(repo)
    monkeypatch.chdir(repo.root)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert (
        main(["run", "--all-files", "--checks", "pipelines", "--format", "markdown", "--base", "main"]) == 1
    )
    body = capsys.readouterr().out
    assert "@acme/data-eng" in body, body
    assert f"working tree at {head}" in body and "WORKTREE" not in body


def test_the_reusable_workflows_comment_job_posts_head_run_link_and_teams(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 10: data-ci.yml's comment job runs `comment` on the check job's report, in the same
    pull_request run: the comment names the PR head (not WORKTREE), links the run and mentions teams."""
    workflow = Path(__file__).parents[2] / ".github" / "workflows" / "data-ci.yml"
    job = workflow.read_text(encoding="utf-8").split("\n  comment:\n", 1)[1]
    assert "command: comment" in job and "pr-number: ${{ github.event.pull_request.number }}" in job
    head = _teams_repo(repo)
    base = repo.git("rev-parse", "main").strip()
    report = tmp_path / "report.json"
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    argv = ["run", "-C", str(repo.root), "--all-files", "--checks", "pipelines", "--base", base]
    assert main([*argv, "--report-json", str(report)]) == 1
    assert _report(report)["head"] == "WORKTREE"  # the check job ran on its checkout
    with FakeGitHub() as fake:
        fake.add_token("ghs_write", "github-actions[bot]", app=True)
        fake.add_pull(REPO, 5, head)
        event = pull_request_event(PullRequest(repo.root, base, head))
        actions_step(tmp_path, fake, monkeypatch)(event)
        assert main(["comment", "--report", str(report), "--pr", "5"]) == 0
        [comment] = fake.comments_on(REPO, 5)
    body = comment["body"]
    assert f"<!-- dataops-ci:head-sha={head} -->" in body and "WORKTREE" not in body
    assert "https://github.example/acme/data/actions/runs/4242" in body
    assert "@acme/data-eng" in body
