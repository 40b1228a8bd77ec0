"""The action's install plan: extras from the check registry, the cache key, stdlib only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dataops_ci.checks import CHECKS
from dataops_ci.commands import install_plan
from tests.ship.harness import ROOT


def plan(*args: str, tool_cache: str = "/opt/cache") -> dict[str, str]:
    parsed = install_plan.build_parser().parse_args([*args, "--tool-cache", tool_cache])
    return install_plan.plan(parsed)


def test_schema_only_installs_no_extra() -> None:
    assert plan("--checks", "schema-compat")["extras"] == ""


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_each_check_brings_the_extras_the_registry_names(name: str) -> None:
    assert plan("--checks", name)["extras"] == ",".join(sorted(CHECKS[name].extras))


def test_empty_checks_means_every_check_and_comment_means_none() -> None:
    every = sorted({e for spec in CHECKS.values() for e in spec.extras})
    assert plan()["extras"] == ",".join(every)
    assert plan("--command", "comment", "--checks", "expectations")["extras"] == ""


def test_checks_may_come_one_per_line_and_extras_are_added() -> None:
    outputs = plan("--checks", "schema-compat\nsql-lint\n", "--extras", "postgres")
    assert outputs["checks"] == "schema-compat,sql-lint"
    assert outputs["extras"] == "postgres,sql"


def test_key_names_everything_that_changes_the_environment() -> None:
    a, b = plan("--checks", "sql-lint"), plan("--checks", "sql-lint", "--no-bytecode")
    assert a["cache-key"] != b["cache-key"]
    assert "+".join(CHECKS["sql-lint"].extras) in a["cache-key"]
    assert f"py{sys.version_info[0]}.{sys.version_info[1]}." in a["cache-key"]
    assert a["venv"] == f"/opt/cache/dataops-ci/{a['cache-key']}"


def test_source_digest_follows_the_sources(tmp_path: Path) -> None:
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n", encoding="utf-8")
    (tmp_path / "src" / "pkg" / "a.py").write_text("A = 1\n", encoding="utf-8")
    before = install_plan.source_digest(tmp_path)
    (tmp_path / "src" / "pkg" / "__pycache__").mkdir()
    (tmp_path / "src" / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    assert install_plan.source_digest(tmp_path) == before  # compiled files do not count
    (tmp_path / "src" / "pkg" / "a.py").write_text("A = 2\n", encoding="utf-8")
    assert install_plan.source_digest(tmp_path) != before


def test_runs_with_the_standard_library_alone_and_writes_github_output(tmp_path: Path) -> None:
    """As action.yml runs it: before dataops-ci or any dependency is installed (-S: no site-packages)."""
    output = tmp_path / "github_output"
    env = {"PYTHONPATH": str(ROOT / "src"), "GITHUB_OUTPUT": str(output), "PATH": os.environ["PATH"]}
    cmd = [sys.executable, "-S", "-m", "dataops_ci.commands.install_plan", "--checks", "schema-compat,tests"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    written = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert written["extras"] == "tests" and written["checks"] == "schema-compat,tests"


def test_unknown_check_is_an_annotated_error(tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ["PATH"]}
    cmd = [sys.executable, "-S", "-m", "dataops_ci.commands.install_plan", "--checks", "schema-compat,typo"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "::error title=dataops-ci::unknown check: typo" in proc.stderr
