"""Acceptance: what no check covers is a notice; a run that checked nothing says what it looked for.

Every folder in tests/cases/discovery/ holds `repo/` (committed as the base), optionally `head/` (laid over
it as the change) and `expected.json`:

    {"about": "...", "args": [CLI args], "exit": 0, "status": "nothing-checked",
     "summaries": {check: its summary, for the checks named},
     "notices": {check: [{"rule", "files"}, ...] — every uncovered-* notice of that check, exactly}}

Each case runs twice through the real CLI: the change in the working tree (`git ls-files`), then committed
(`git ls-tree` of the head commit).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.checks import discovery
from dataops_ci.cli import main
from tests.conftest import CASES, Repo

CASE_DIR = CASES / "discovery"
CASE_NAMES = sorted(p.name for p in CASE_DIR.iterdir() if (p / "expected.json").is_file())


def _run(repo: Repo, args: list[str], out: Path) -> tuple[int, dict[str, Any]]:
    code = main(["run", "-C", str(repo.root), "--format", "json", "--report-json", str(out), *args])
    return code, json.loads(out.read_text(encoding="utf-8"))


def _notices(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for check in report["checks"]:
        for f in check["findings"]:
            if f["rule"].startswith("uncovered-"):
                assert f["severity"] == "notice" and f["file"] == f["data"]["files"][0] and f["hint"]
                found.setdefault(check["name"], []).append({"rule": f["rule"], "files": f["data"]["files"]})
    return found


def _assert_case(expected: dict[str, Any], code: int, report: dict[str, Any]) -> None:
    assert (code, report["status"]) == (expected["exit"], expected["status"])
    summaries = {c["name"]: c["summary"] for c in report["checks"]}
    for name, summary in expected["summaries"].items():
        assert summaries[name] == summary
    assert _notices(report) == expected["notices"]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, make_repo: Callable[..., Repo], tmp_path: Path) -> None:
    case = CASE_DIR / name
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    repo = make_repo(name)
    repo.load_snapshot(case / "repo")
    repo.commit("base")
    if (case / "head").is_dir():
        shutil.copytree(case / "head", repo.root, dirs_exist_ok=True, copy_function=shutil.copy)
    code, report = _run(repo, expected["args"], tmp_path / "worktree.json")
    _assert_case(expected, code, report)
    repo.commit("head")
    code, report = _run(repo, ["--base", "HEAD~1", "--head", "HEAD", *expected["args"]], tmp_path / "c.json")
    _assert_case(expected, code, report)


def _kafka_repo(make_repo: Callable[..., Repo]) -> Repo:
    repo = make_repo()
    repo.load_snapshot(CASE_DIR / "kafka-subjects-outside-paths" / "repo")
    repo.commit("base")
    return repo


def test_nothing_checked_reads_neutral_everywhere(make_repo: Callable[..., Repo], capsys: Any) -> None:
    repo = _kafka_repo(make_repo)
    args = ["run", "-C", str(repo.root), "--checks", "schema-compat"]
    assert main([*args, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    headline = next(line for line in markdown.splitlines() if line.startswith("### "))
    assert headline == (
        "### ⚪ nothing checked: no changed file matches schemas.paths \\['schemas/\\*.avsc'\\]"
        " · 1 notice of files no check covers"
    )
    assert "✅" not in markdown
    assert main([*args, "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "SKIP  schema-compat" in text and "dataops-ci: NOTHING CHECKED (" in text and "PASS" not in text


def test_strictness_is_asked_for(make_repo: Callable[..., Repo], capsys: Any) -> None:
    repo = _kafka_repo(make_repo)
    args = ["run", "-C", str(repo.root), "--checks", "schema-compat"]
    assert main(args) == 0
    assert main([*args, "--fail-if-nothing-checked"]) == 1
    changed = '{"type": "record", "name": "Customer", "namespace": "acme", "fields": [{"name": "id", '
    changed += '"type": "string"}]}'
    repo.write({"schemas/customer.avsc": changed + "\n"})
    # Something was checked (and broke): the failure is the exit code, strict or not.
    assert main([*args, "--fail-if-nothing-checked"]) == 1
    assert main(args) == 1
    capsys.readouterr()


def test_github_step_summary_says_nothing_checked(
    make_repo: Callable[..., Repo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    repo = _kafka_repo(make_repo)
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    for key, value in {
        "GITHUB_ACTIONS": "false",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_REPOSITORY": "acme/data",
    }.items():
        monkeypatch.setenv(key, value)
    assert main(["run", "-C", str(repo.root), "--checks", "schema-compat", "--github", "--base", "HEAD"]) == 0
    capsys.readouterr()
    assert "### ⚪ nothing checked: " in summary.read_text(encoding="utf-8")
    assert re.search(r"^status<<(\S+)\nnothing-checked\n\1$", outputs.read_text(encoding="utf-8"), re.M)


def test_pre_commit_files_get_no_repository_notices(make_repo: Callable[..., Repo], tmp_path: Path) -> None:
    repo = _kafka_repo(make_repo)
    out = tmp_path / "r.json"
    code = main(["schema-compat", "-C", str(repo.root), "--report-json", str(out), "schemas/customer.avsc"])
    assert code == 0
    assert _notices(json.loads(out.read_text(encoding="utf-8"))) == {}


def test_a_check_that_covers_a_kind_silences_it(
    make_repo: Callable[..., Repo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo()
    repo.load_snapshot(CASE_DIR / "gx-project-unconfigured" / "repo")
    repo.commit("base")
    # As if the expectations check did not run GX projects: the project gets its notice ...
    with monkeypatch.context() as patch:
        patch.setattr(discovery, "_covered", lambda check: set())
        code, report = _run(repo, ["--checks", "expectations"], tmp_path / "a.json")
    assert "expectations" in _notices(report)
    # ... and as it is (COVERS = ("gx-project",)): none.
    code, report = _run(repo, ["--checks", "expectations"], tmp_path / "b.json")
    assert _notices(report) == {}
