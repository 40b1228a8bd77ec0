"""Attacks by a pull request's files, data, test code and event payload on `dataops-ci run --github`, in real
git repositories against the fake GitHub API: each one reproduces the attack and asserts it fails."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from tests.conftest import GIT_ENV, Repo
from tests.github.actions_env import ActionsStep, PullRequest, actions_step, pull_request_event
from tests.github.fake_server import FakeGitHub
from tests.github.helpers import APP_TOKEN, REPO

SECRET = "hunter2-s3cr3t-value-of-the-runner"
SUITE = {"name": "events", "expectations": [{"type": "expect_column_to_exist", "kwargs": {"column": "id"}}]}


@pytest.fixture
def step(tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> Callable[..., ActionsStep]:
    return actions_step(tmp_path, fake, monkeypatch)


def pull_request(repo: Repo, fake: FakeGitHub, head_files: dict[str, str]) -> PullRequest:
    base = repo.commit("base", {"README.md": "data\n"})
    repo.git("checkout", "-q", "-b", "feature")
    head = repo.commit("change", head_files)
    pr = PullRequest(repo.root, base, head)
    fake.add_pull(REPO, pr.number, pr.head)
    return pr


def run_github(root: Path, out: Path, checks: str) -> tuple[int, dict[str, Any]]:
    report = out / "report.json"
    code = main(
        ["run", "--github", "--comment", "-C", str(root), "--checks", checks, "--report-json", str(report)]
    )
    return code, json.loads(report.read_text()) if report.exists() else {}


def everything_written(fake: FakeGitHub, actions: ActionsStep, out: str) -> str:
    bodies = [c["body"] for c in fake.comments_on(REPO, 5)]
    return "\n".join([*bodies, actions.summary, (actions.dir / "report.json").read_text(), out])


@pytest.mark.parametrize("target", ["outside", "/etc/passwd", "/proc/self/environ"])
def test_sql_lint_refuses_a_symlink_out_of_the_repository(
    repo: Repo,
    fake: FakeGitHub,
    step: Callable[..., ActionsStep],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    outside = tmp_path / "runner-secrets.env"
    outside.write_text(f"GITHUB_TOKEN={SECRET}\nroot:x:0:0:root:/root:/bin/bash\n")
    monkeypatch.setenv("RUNNER_SECRET", SECRET)  # what /proc/self/environ would show
    pr = pull_request(repo, fake, {"models/ok.sql": "select 1 as one\n"})
    (repo.root / "models" / "env.sql").symlink_to(outside if target == "outside" else Path(target))
    actions = step(pull_request_event(pr))
    code, report = run_github(pr.root, actions.dir, "sql-lint")
    written = everything_written(fake, actions, capsys.readouterr().out)
    assert code == 1
    assert SECRET not in written and "root:x:0:0" not in written
    [check] = report["checks"]
    assert check["status"] == "error"
    assert [f["file"] for f in check["findings"] if f["rule"] == "cannot-read-outside-repo"] == [
        "models/env.sql"
    ]


def test_a_parse_error_quotes_only_a_few_dozen_characters_of_the_file(
    repo: Repo, fake: FakeGitHub, step: Callable[..., ActionsStep]
) -> None:
    content = "select from where ;;; " + "x" * 2000 + f" {SECRET}\n"
    pr = pull_request(repo, fake, {"models/broken.sql": content})
    actions = step(pull_request_event(pr))
    _, report = run_github(pr.root, actions.dir, "sql-lint")
    findings = [f for c in report["checks"] for f in c["findings"] if f["rule"] == "sql-parse-error"]
    messages = [f["message"] for f in findings]
    assert any("Found unparsable section: 'xxxxxxxxxx" in m and m.endswith("…'") for m in messages)
    assert messages and all(len(m) < 150 and SECRET not in m for m in messages)


@pytest.mark.parametrize("base_sha", ["--upload-pack=touch {marker}", "-c core.sshCommand=touch {marker}"])
def test_an_option_as_the_event_base_sha_never_reaches_git(
    make_repo: Callable[..., Repo],
    fake: FakeGitHub,
    step: Callable[..., ActionsStep],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    base_sha: str,
) -> None:
    origin = make_repo("origin")
    base = origin.commit("base", {"README.md": "a\n"})
    head = origin.commit("head", {"README.md": "b\n"})
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", f"file://{origin.root}", str(clone)], check=True, env=GIT_ENV
    )
    marker = tmp_path / "pwned"
    event = pull_request_event(PullRequest(clone, base, head))
    event["pull_request"]["base"]["sha"] = base_sha.format(marker=marker)
    actions = step(event)
    code, _ = run_github(clone, actions.dir, "schema-compat")
    assert code == 2
    assert "is not a commit SHA" in capsys.readouterr().err
    assert not marker.exists()


def test_an_option_as_the_base_argument_is_refused(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("base", {"README.md": "a\n"})
    marker = tmp_path / "pwned"
    assert main(["run", "-C", str(repo.root), f"--base=--output={marker}"]) == 2
    assert "is not a git revision" in capsys.readouterr().err
    assert not marker.exists()


TOKEN_TEST = """import os

def test_no_credentials_reach_pr_code():
    names = {"GITHUB_TOKEN", "MY_WAREHOUSE_KEY"}
    leaked = sorted(n for n in os.environ if n in names or n.startswith(("ACTIONS_", "GH_")))
    assert leaked == [], leaked

def test_the_rest_of_the_environment_is_kept():
    assert os.environ["KEEP_ME"] == "1"
"""


def test_pr_test_code_runs_without_the_token(
    repo: Repo, fake: FakeGitHub, step: Callable[..., ActionsStep], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "tests: {scrub_env: [MY_WAREHOUSE_*]}\n"
    pr = pull_request(repo, fake, {"tests/test_env.py": TOKEN_TEST, "dataops-ci.yml": config})
    actions = step(pull_request_event(pr))
    for name in ("ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "GH_TOKEN", "MY_WAREHOUSE_KEY"):
        monkeypatch.setenv(name, SECRET)
    monkeypatch.setenv("KEEP_ME", "1")
    code, report = run_github(pr.root, actions.dir, "tests")
    [check] = report["checks"]
    assert (code, check["status"], check["metrics"]["passed"]) == (0, "passed", 2), check["findings"]


def expectations_on(
    repo: Repo, fake: FakeGitHub, step: Callable[..., ActionsStep], data: dict[str, str], allowed: list[str]
) -> tuple[int, dict[str, Any]]:
    suites = [{"suite": "expectations/e.json", "data": data}]
    config = {"expectations": {"allowed_url_schemes": allowed, "suites": suites}}
    files = {"dataops-ci.yml": json.dumps(config), "expectations/e.json": json.dumps(SUITE)}
    pr = pull_request(repo, fake, files)
    actions = step(pull_request_event(pr))
    return run_github(pr.root, actions.dir, "expectations")


@pytest.mark.parametrize("engine", ["spark", "pandas"])
@pytest.mark.parametrize("allowed", [[], ["s3a"]])
def test_data_outside_the_repository_is_refused_before_reading_by_every_engine(
    repo: Repo, fake: FakeGitHub, step: Callable[..., ActionsStep], allowed: list[str], engine: str
) -> None:
    data = {"engine": engine, "path": "file:///etc/passwd"}
    code, report = expectations_on(repo, fake, step, data, allowed)
    [check] = report["checks"]
    [finding] = [f for f in check["findings"] if f["rule"].startswith("cannot-")]
    assert code == 1 and check["status"] == "error"
    assert "URL scheme 'file' is not allowed" in finding["message"]
    assert "root:x:0:0" not in json.dumps(report)


LEAKY_LIBRARY = """import json, os
SECRETS = {secrets!r}
PROC = open("/proc/self/environ", encoding="utf-8", errors="replace").read()
_seen = {{
    "environ": sorted(n for n, v in os.environ.items() if v in SECRETS),
    "proc": [s for s in SECRETS if s in PROC],
}}
with open({out!r}, "w") as handle:
    json.dump(_seen, handle)
"""


def test_sql_lint_runs_the_prs_templater_code_without_the_token(
    repo: Repo,
    fake: FakeGitHub,
    step: Callable[..., ActionsStep],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A .sqlfluff naming a Jinja library_path makes sqlfluff import the PR's Python modules.
    seen = tmp_path / "seen.json"
    sqlfluff = (
        "[sqlfluff]\ndialect = ansi\ntemplater = jinja\n[sqlfluff:templater:jinja]\nlibrary_path = lib\n"
    )
    files = {
        ".sqlfluff": sqlfluff,
        "dataops-ci.yml": "sql: {cache: false}\n",
        "lib/leak.py": LEAKY_LIBRARY.format(secrets=[SECRET, APP_TOKEN], out=str(seen)),
        "models/a.sql": "select 1 as one\n",
        "models/b.sql": "SELECT  2 AS two\n",
    }
    pr = pull_request(repo, fake, files)
    actions = step(pull_request_event(pr))
    for name in ("ACTIONS_RUNTIME_TOKEN", "GH_TOKEN"):  # and GITHUB_TOKEN=APP_TOKEN, as the runner gives
        monkeypatch.setenv(name, SECRET)
    code, report = run_github(pr.root, actions.dir, "sql-lint")
    [check] = report["checks"]
    assert check["metrics"]["files"] == 2 and check["status"] != "error", check["findings"]
    assert json.loads(seen.read_text()) == {"environ": [], "proc": []}  # the PR's code ran, blind
    assert [c for c in fake.comments_on(REPO, pr.number) if "sql-lint" in c["body"]]  # and we still posted


@pytest.mark.parametrize("engine", ["spark", "pandas"])
def test_a_url_scheme_not_allowed_is_refused_by_every_engine(
    repo: Repo, fake: FakeGitHub, step: Callable[..., ActionsStep], engine: str
) -> None:
    code, report = expectations_on(repo, fake, step, {"engine": engine, "path": "memory://b/e.csv"}, ["s3a"])
    [finding] = [f for c in report["checks"] for f in c["findings"] if f["rule"].startswith("cannot-")]
    assert code == 1 and "URL scheme 'memory' is not allowed (allowed: s3a)" in finding["message"]


def test_pandas_reads_a_url_of_a_scheme_the_config_allows(
    repo: Repo, fake: FakeGitHub, step: Callable[..., ActionsStep]
) -> None:
    fsspec = pytest.importorskip("fsspec")  # the remote extra (in all, dev)
    fsspec.filesystem("memory").pipe("/bucket/events.csv", b"id,name\n1,a\n2,b\n")
    try:
        code, report = expectations_on(repo, fake, step, {"path": "memory://bucket/events.csv"}, ["memory"])
    finally:
        fsspec.filesystem("memory").rm("/bucket/events.csv")
    [check] = report["checks"]
    assert (code, check["status"]) == (0, "passed"), check["findings"]
    assert check["metrics"]["expectations_passed"] == 1


BIDI_NAME = "models/invoice\u202egpj\u200b.sql"  # shows as "invoicelqs.jpg" where U+202E is obeyed
FORGED = "select 1 as one,, 2 from\n::error title=forged::fake\n::add-mask::%0A\n::stop-commands::x\n"


def test_annotations_keep_file_content_and_names_on_one_line_without_invisible_characters(
    repo: Repo, fake: FakeGitHub, step: Callable[..., ActionsStep], capsys: pytest.CaptureFixture[str]
) -> None:
    pr = pull_request(repo, fake, {BIDI_NAME: FORGED, "models/ok.sql": "SELECT  1 AS one\n"})
    actions = step(pull_request_event(pr))
    run_github(pr.root, actions.dir, "sql-lint")
    out = capsys.readouterr().out
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert len(commands) >= 2  # a finding for each file
    assert all(re.match(r"::(error|warning|notice) [^\n]*title=sql-lint%3A [\w-]+::", c) for c in commands)
    assert not any(c.startswith(("::add-mask", "::stop-commands", "::error title=forged")) for c in commands)
    assert not set("\u202e\u200b") & set(out)
    named = [c for c in commands if "invoice" in c]
    assert named and all("file=models/invoice\ufffdgpj\ufffd.sql," in c for c in named)
