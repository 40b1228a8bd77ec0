"""Acceptance: every folder in tests/cases/schema_compat/ is a real git repo run through the CLI.

A case folder holds `base/` and `head/` snapshots (optionally `history/NN/` snapshots committed before the
base, for *_TRANSITIVE modes) and `expected.json`:

    {"about": "...", "args": [extra CLI args], "exit": 1, "status": "failed",
     "files": [data.files entries, exactly],
     "findings": [every error and warning (on the keys given), plus notices that must be present],
     "metrics": {a subset of the check's metrics}}

Each case runs twice on one repo: head as the working tree (pre-commit, local), then as a commit (CI).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from tests.conftest import CASES, Repo

CASE_DIR = CASES / "schema_compat"
CASE_NAMES = sorted(p.name for p in CASE_DIR.iterdir() if (p / "expected.json").is_file())


def build_case_repo(make_repo: Callable[..., Repo], case: Path) -> Repo:
    """The case as a git repo: history and base committed, head in the working tree."""
    repo = make_repo(case.name)
    history = case / "history"
    for snapshot in sorted(history.iterdir()) if history.is_dir() else []:
        repo.load_snapshot(snapshot)
        repo.commit(f"history {snapshot.name}")
    repo.load_snapshot(case / "base")
    repo.commit("base")
    repo.load_snapshot(case / "head")
    return repo


def run_case(repo: Repo, revisions: list[str], args: list[str], out: Path) -> tuple[int, dict[str, Any]]:
    argv = ["schema-compat", "-C", str(repo.root), *revisions, "--format", "json", "--report-json", str(out)]
    code = main([*argv, *args])
    [check] = json.loads(out.read_text(encoding="utf-8"))["checks"]
    return code, check


def _matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    return all(actual.get(key) == value for key, value in expected.items())


def assert_findings(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> None:
    """Errors and warnings must match one to one; expected notices must be present (others may be)."""
    must_match = [f for f in actual if f["severity"] != "notice"]
    for want in expected:
        pool = (
            must_match if want["severity"] != "notice" else [f for f in actual if f["severity"] == "notice"]
        )
        found = next((f for f in pool if _matches(want, f)), None)
        assert found is not None, f"expected finding {want} not in:\n{json.dumps(actual, indent=1)}"
        if want["severity"] != "notice":
            must_match.remove(found)
    assert not must_match, f"unexpected findings:\n{json.dumps(must_match, indent=1)}"


def assert_expected(expected: dict[str, Any], code: int, check: dict[str, Any]) -> None:
    assert check["status"] == expected["status"], check
    assert code == expected["exit"]
    assert check["data"].get("files", []) == expected["files"]
    assert_findings(expected["findings"], check["findings"])
    for key, value in expected.get("metrics", {}).items():
        assert check["metrics"][key] == value, (key, check["metrics"])
    for finding in check["findings"]:
        if finding["severity"] != "notice":
            assert finding.get("hint"), f"every error and warning says how to fix it: {finding}"
            assert finding.get("file"), f"every error and warning names its file: {finding}"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, make_repo: Callable[..., Repo], tmp_path: Path) -> None:
    case = CASE_DIR / name
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    args = expected.get("args", [])
    repo = build_case_repo(make_repo, case)
    # head as the working tree (pre-commit, local runs) ...
    assert_expected(expected, *run_case(repo, ["--base", "HEAD"], args, tmp_path / "worktree.json"))
    # ... and the same change as a commit (CI)
    repo.commit("head")
    revisions = ["--base", "HEAD~1", "--head", "HEAD"]
    assert_expected(expected, *run_case(repo, revisions, args, tmp_path / "commit.json"))


def test_every_mode_has_a_case() -> None:
    modes = set()
    for name in CASE_NAMES:
        expected = json.loads((CASE_DIR / name / "expected.json").read_text(encoding="utf-8"))
        modes.update(entry["mode"] for entry in expected["files"])
    assert modes >= {"NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE"}
    assert modes >= {"FULL", "FULL_TRANSITIVE"}


def test_the_comment_says_why_an_unchanged_schema_was_judged(
    make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    from dataops_ci.render import render
    from dataops_ci.report import Report

    repo = build_case_repo(make_repo, CASE_DIR / "changed-type-reaches-its-users")
    out = tmp_path / "r.json"
    main(["schema-compat", "-C", str(repo.root), "--format", "json", "--report-json", str(out)])
    markdown = render(Report.from_json(out.read_text(encoding="utf-8")), "markdown")
    header = "**`schemas/customer.avsc`** (mode `BACKWARD`, incompatible, its file unchanged: uses types of "
    assert header + "`schemas/address.avsc`)" in markdown
