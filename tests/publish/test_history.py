"""`history record` / `history show` on real git repositories: a bare "remote", clones that write with
plumbing only (work tree untouched), two writers racing for the same branch, and the series read back."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dataops_ci import cli
from dataops_ci.report import CheckResult, Finding, Report
from tests.conftest import GIT_ENV, Repo

BRANCH = "dataops-ci-history"


def report_json(tmp: Path, score: float, name: str = "report.json") -> Path:
    """A report as `run --report-json` writes it: expectations on two datasets, one warning from sql-lint."""
    passed = round(score * 20)
    suites = [
        {"suite": "expectations/customers.json", "data": "data/customers.csv", "score": passed / 20,
         "evaluated": 20, "passed": passed, "records": 500, "status": "passed"},
        {"suite": "expectations/orders.json", "data": "data/orders.csv", "score": 1.0,
         "evaluated": 5, "passed": 5, "status": "passed"},
    ]  # fmt: skip
    checks = (
        CheckResult("expectations", "passed", "2 suites", 0.5, {}, {"suites": suites}),
        CheckResult("sql-lint", "passed", "1 file", 0.1, findings=(Finding("warning", "LT01", "spacing"),)),
    )
    report = Report(base="a" * 40, head="b" * 40, checks=checks, quality_score=round((passed + 5) / 25, 4))
    path = tmp / name
    path.write_text(report.to_json(), encoding="utf-8")
    return path


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def remote(tmp_path: Path, make_repo: Callable[..., Repo]) -> Path:
    """A bare repository with one commit on main, like a GitHub repo before its first history run."""
    seed = make_repo("seed")
    seed.commit("data repo", {"README.md": "data\n"})
    bare = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed.root), str(bare))
    return bare


def clone(remote: Path, where: Path) -> Path:
    git(remote.parent, "clone", "-q", str(remote), str(where))
    return where


def record(repo: Path, report: Path, commit: str, *extra: str) -> int:
    argv = [
        "history",
        "-C",
        str(repo),
        "record",
        "--report",
        str(report),
        "--commit",
        commit,
        "--ref",
        "main",
    ]
    return cli.main([*argv, *extra])


def show(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert cli.main(["history", "-C", str(repo), "show", *extra]) == 0
    return capsys.readouterr().out


def test_record_pushes_a_new_commit_and_never_touches_the_work_tree(
    remote: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = clone(remote, tmp_path / "a")
    (a / "local.txt").write_text("uncommitted work\n")
    head, status = git(a, "rev-parse", "HEAD"), git(a, "status", "--porcelain")
    for i, score in enumerate((0.9, 0.95, 0.8)):
        assert record(a, report_json(tmp_path, score), f"{i + 1:040x}") == 0
    assert git(a, "rev-parse", "HEAD") == head and git(a, "status", "--porcelain") == status
    assert git(a, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    # Linear, append-only: three commits, each holding one more line than its parent.
    tip = git(remote, "rev-parse", BRANCH).strip()
    commits = git(remote, "rev-list", "--reverse", tip).split()
    assert len(commits) == 3
    lines = [len(git(remote, "cat-file", "blob", f"{c}:history.jsonl").splitlines()) for c in commits]
    assert lines == [1, 2, 3]
    # Recording the same commit again is a no-op, not a duplicate line.
    assert record(a, report_json(tmp_path, 0.5), f"{3:040x}") == 0
    assert git(remote, "rev-parse", BRANCH).strip() == tip
    out = show(a, capsys)
    assert [line.split()[-1] for line in out.splitlines()] == ["92.0%", "96.0%", "84.0%"]


def test_two_writers_race_and_the_loser_retries_on_the_new_tip(remote: Path, tmp_path: Path) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    report_a, report_b = report_json(tmp_path, 0.9, "a.json"), report_json(tmp_path, 0.7, "b.json")
    assert record(a, report_a, "a" * 40) == 0
    # B's pre-push hook lets A push once more between B's fetch and B's push: B's first push must lose.
    marker = tmp_path / "raced"
    hook = b / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\n"
        f"[ -e '{marker}' ] && exit 0\ntouch '{marker}'\n"
        f"'{sys.executable}' -m dataops_ci history -C '{a}' record --report '{report_a}' --commit {'c' * 40}"
        " --ref main >/dev/null 2>&1 || exit 1\n"
    )
    hook.chmod(0o755)
    proc = subprocess.run(
        [sys.executable, "-m", "dataops_ci", "history", "-C", str(b), "record", "--report", str(report_b),
         "--commit", "b" * 40, "--ref", "main"],
        capture_output=True, text=True, env={**os.environ, **GIT_ENV},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert marker.exists() and "after 2 attempts" in proc.stderr
    history = git(remote, "cat-file", "blob", f"{BRANCH}:history.jsonl")
    assert [json.loads(line)["commit"][0] for line in history.splitlines()] == ["a", "c", "b"]
    assert len(git(remote, "rev-list", BRANCH).split()) == 3  # nothing rewritten: one commit per record


def test_concurrent_writers_lose_no_record(remote: Path, tmp_path: Path) -> None:
    writers = [clone(remote, tmp_path / f"w{i}") for i in range(2)]
    report = report_json(tmp_path, 0.9)

    def write(index: int) -> list[int]:
        repo = writers[index % 2]
        argv = ["history", "-C", str(repo), "record", "--report", str(report), "--ref", "main"]
        codes = []
        for n in range(3):
            commit = f"{index:02x}{n:038x}"
            run = [sys.executable, "-m", "dataops_ci", *argv, "--commit", commit]
            env = {**os.environ, **GIT_ENV}
            codes.append(subprocess.run(run, capture_output=True, env=env, timeout=120).returncode)
        return codes

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(write, range(2)))
    assert results == [[0, 0, 0], [0, 0, 0]]
    commits = [
        json.loads(x)["commit"] for x in git(remote, "cat-file", "blob", f"{BRANCH}:history.jsonl").split()
    ]
    assert sorted(commits) == sorted(f"{i:02x}{n:038x}" for i in range(2) for n in range(3))
    assert len(git(remote, "rev-list", BRANCH).split()) == 6


def test_without_a_remote_the_local_branch_holds_it(
    make_repo: Callable[..., Repo], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo("solo")
    repo.commit("x", {"a.txt": "a\n"})
    for i, score in enumerate((0.8, 1.0)):
        assert record(repo.root, report_json(tmp_path, score), f"{i + 7:040x}", "--no-push") == 0
    rows = json.loads(show(repo.root, capsys, "--format", "json"))
    assert [r["score"] for r in rows] == [0.84, 1.0] and rows[0]["dataset"] == "overall"
    text = show(repo.root, capsys, "--dataset", "data/customers.csv", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [(r["dataset"], float(r["score"])) for r in parsed] == [
        ("data/customers.csv", 0.8),
        ("data/customers.csv", 1.0),
    ]
    assert [r["commit"] for r in parsed] == [f"{7:040x}", f"{8:040x}"]
    assert json.loads(show(repo.root, capsys, "--format", "json", "--last", "1"))[0]["score"] == 1.0
    assert git(repo.root, "status", "--porcelain") == ""


def test_a_push_that_is_refused_for_another_reason_is_an_error(remote: Path, tmp_path: Path) -> None:
    a = clone(remote, tmp_path / "a")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert record(a, report_json(tmp_path, 0.9), "d" * 40) == cli.EXIT_USAGE
