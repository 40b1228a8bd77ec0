"""A GX 1.x File Data Context, made by GX itself, run with no dataops-ci config: the same verdicts and
observed values as the project's own checkpoint run by plain GX (in a separate process)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci import runner
from dataops_ci.checks import expectations
from dataops_ci.cli import main
from dataops_ci.report import CheckResult
from tests.conftest import Repo

MAKER = Path(__file__).with_name("gx_project_maker.py")
CUSTOMERS = "id,age,email\n1,30,a@example.com\n2,-5,b@example.com\n3,40,\n"
PASSING = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}
FAILING = {"type": "expect_column_max_to_be_between", "kwargs": {"column": "age", "max_value": 35}}


def make_gx_project(repo: Repo, spec: dict[str, Any], files: dict[str, str] | None = None) -> list[Any]:
    """Let GX build its project in `repo` (and commit it); GX's own checkpoint results."""
    repo.write({"data/customers.csv": CUSTOMERS, **(files or {})})
    proc = subprocess.run(
        [sys.executable, str(MAKER), str(repo.root), json.dumps(spec)],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    repo.commit("a GX project, as GX writes it")
    return list(json.loads(proc.stdout.strip().splitlines()[-1]))


def run_check(root: Path, all_files: bool = True, config: str | None = None) -> CheckResult:
    ctx = runner.build_context(
        cwd=root, base=None, head=None, config_file=config, all_files=all_files, options={}, env={}
    )
    return expectations.run(ctx)


def test_a_gx_project_agrees_with_its_own_checkpoint_run(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo("gx-repo")
    expected = make_gx_project(repo, {"expectations": [PASSING, FAILING]})
    assert [e["success"] for e in expected] == [True, False]  # the oracle itself: one passes, one fails
    assert not (repo.root / "dataops-ci.yml").exists()
    result = run_check(repo.root)
    (validation,) = result.data["gx_projects"]
    assert validation["project"] == "gx"
    assert validation["validation_definition"] == "customers_validation"
    assert validation["checkpoints"] == ["nightly"]
    assert validation["suite"] == "gx/expectations/customers_suite.json"
    assert validation["data"] == "local_files/customers"
    ours = [
        {"type": e["expectation"], "success": e["success"], "observed": e["observed"]}
        for e in validation["expectations"]
    ]
    theirs = [{k: e[k] for k in ("type", "success", "observed")} for e in expected]
    assert sorted(ours, key=str) == sorted(theirs, key=str)
    assert (validation["evaluated"], validation["passed"]) == (2, 1)
    (failed,) = [f for f in result.findings if f.rule == "expectation-failed"]
    assert failed.file == "gx/expectations/customers_suite.json"
    assert failed.data["observed"] == 40
    # GX wrote severity "critical" (its default) on every expectation: the finding is an error.
    assert failed.severity == "error"
    assert result.status == "failed"
    assert result.metrics["expectations_evaluated"] == 2
    # The CLI on the repository as it is (no dataops-ci.yml): the check runs and fails, exit 1.
    report = repo.root.parent / "report.json"
    code = main(
        ["run", "-C", str(repo.root), "--all-files", "--checks", "expectations", "--report-json", str(report)]
    )
    assert code == 1
    (check,) = json.loads(report.read_text())["checks"]
    assert (check["name"], check["status"]) == ("expectations", "failed")


def test_gx_severity_decides_the_finding_severity(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    warn = {**FAILING, "severity": "warning"}
    info = {"type": "expect_column_min_to_be_between", "kwargs": {"column": "age", "min_value": 0}}
    make_gx_project(repo, {"expectations": [warn, {**info, "severity": "info"}], "run": False})
    result = run_check(repo.root)
    failed = [f for f in result.findings if f.rule == "expectation-failed"]
    severities = {f.data["expectation"]: f.severity for f in failed}
    assert severities == {
        "expect_column_max_to_be_between": "warning",
        "expect_column_min_to_be_between": "notice",
    }
    assert result.status == "passed"


def test_a_missing_parameter_names_the_suite_and_the_parameter(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    between = {
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "age", "min_value": {"$PARAMETER": "min_age"}, "max_value": 120},
    }
    expected = make_gx_project(repo, {"expectations": [PASSING, between], "parameters": {"min_age": 0}})
    result = run_check(repo.root)
    (missing,) = [f for f in result.findings if f.rule == "missing-parameter"]
    assert "customers_suite" in missing.message and "min_age" in missing.message
    assert missing.file == "gx/expectations/customers_suite.json" and missing.line
    assert "expectations.parameters" in (missing.hint or "")
    (validation,) = result.data["gx_projects"]
    assert (validation["evaluated"], validation["passed"]) == (1, 1)  # the rest of the suite still ran
    # With the value in the config, every expectation runs, and agrees with GX given the same value.
    repo.commit("config", {"dataops-ci.yml": "expectations:\n  parameters: {min_age: 0}\n"})
    result = run_check(repo.root)
    assert not [f for f in result.findings if f.rule == "missing-parameter"]
    (validation,) = result.data["gx_projects"]
    ours = sorted((e["expectation"], e["success"], e["unexpected_count"]) for e in validation["expectations"])
    assert ours == sorted((e["type"], e["success"], e["unexpected_count"]) for e in expected)
    assert ours == [
        ("expect_column_values_to_be_between", False, 1),
        ("expect_column_values_to_not_be_null", True, 0),
    ]


def build_in_process(repo: Repo, spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The same GX-built project, made in this process (GX is imported once: faster than a new process)."""
    from tests.checks.gx_project_maker import build

    repo.write({"data/customers.csv": CUSTOMERS})
    with monkeypatch.context() as patch:
        patch.chdir(repo.root)
        build(str(repo.root), spec)
    repo.commit("a GX project, as GX writes it")


def test_a_dataframe_asset_names_the_config_key_until_mapped(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo()
    build_in_process(repo, {"datasource": "dataframe", "expectations": [PASSING, FAILING]}, monkeypatch)
    result = run_check(repo.root)
    (unmapped,) = [f for f in result.findings if f.rule == "cannot-read-dataframe-asset"]
    assert "customers_frame" in unmapped.message and "expectations.assets" in (unmapped.hint or "")
    assert unmapped.file == "gx/validation_definitions/customers_validation.json"
    assert result.status == "error"
    repo.commit(
        "map it", {"dataops-ci.yml": "expectations:\n  assets: {customers_frame: data/customers.csv}\n"}
    )
    result = run_check(repo.root)
    (validation,) = result.data["gx_projects"]
    assert [(e["expectation"], e["success"]) for e in validation["expectations"]] == [
        ("expect_column_values_to_not_be_null", True),
        ("expect_column_max_to_be_between", False),
    ]


def test_sql_credentials_come_from_gx_env_substitution(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    repo = make_repo()
    (repo.root / "data").mkdir()
    with sqlite3.connect(repo.root / "data" / "warehouse.db") as db:
        db.execute("create table customers (id integer, age integer)")
        db.executemany("insert into customers values (?, ?)", [(1, 30), (2, 40)])
    monkeypatch.setenv("DB_URL", "sqlite:///data/warehouse.db")
    spec = {"datasource": "sqlite", "connection_string": "${DB_URL}", "expectations": [PASSING, FAILING]}
    build_in_process(repo, spec, monkeypatch)
    assert "${DB_URL}" in (repo.root / "gx" / "great_expectations.yml").read_text()
    result = run_check(repo.root)
    (validation,) = result.data["gx_projects"]
    assert [(e["success"], e["observed"]) for e in validation["expectations"]] == [(True, None), (False, 40)]
    # The variable pointing outside the repository: refused, not read.
    monkeypatch.setenv("DB_URL", f"sqlite:///{repo.root.parent / 'elsewhere.db'}")
    result = run_check(repo.root)
    assert {f.rule for f in result.findings} == {"cannot-read-outside-repo"}


def test_a_base_directory_outside_the_repository_is_refused(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    config = "config_version: 4\nfluent_datasources:\n  files:\n    type: pandas_filesystem\n"
    config += "    base_directory: ../../etc\n    assets: {}\n"
    repo.commit("gx", {"gx/great_expectations.yml": config})
    result = run_check(repo.root)
    (refused,) = [f for f in result.findings if f.rule == "cannot-read-outside-repo"]
    assert "../../etc" in refused.message and refused.file == "gx/great_expectations.yml"


def test_a_pr_runs_the_project_when_its_data_changes(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo()
    build_in_process(repo, {"expectations": [PASSING], "run": False}, monkeypatch)
    repo.write({"README.md": "unrelated\n"})
    assert not expectations.applies(_ctx(repo.root))
    repo.write({"data/customers.csv": CUSTOMERS + ",50,\n"})  # a row without an id
    ctx = _ctx(repo.root)
    assert expectations.applies(ctx)
    result = expectations.run(ctx)
    assert result.status == "failed"
    assert result.data["gx_projects"][0]["evaluated"] == 1


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.parts)


def _ctx(root: Path) -> Any:
    return runner.build_context(
        cwd=root, base=None, head=None, config_file=None, all_files=False, options={}, env={}
    )


def test_a_great_expectations_folder_at_a_commit_runs_from_git(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo()
    build_in_process(repo, {"expectations": [PASSING, FAILING], "run": False}, monkeypatch)
    repo.git("mv", "gx", "great_expectations")
    head = repo.commit("the older folder name")
    before = _tree(repo.root)
    repo.write({"data/customers.csv": "id,age,email\n"})  # the working tree differs: the commit is run
    ctx = runner.build_context(
        cwd=repo.root, base="HEAD~1", head=head, config_file=None, all_files=True, options={}, env={}
    )
    result = expectations.run(ctx)
    (validation,) = result.data["gx_projects"]
    assert validation["project"] == "great_expectations"
    assert [e["success"] for e in validation["expectations"]] == [True, False]
    assert _tree(repo.root) == before  # GX wrote its results into the scratch copy only


def test_a_gx_0x_project_is_a_notice_not_a_pass(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    repo.commit("gx 0.x", {"great_expectations/great_expectations.yml": "config_version: 3.0\n"})
    result = run_check(repo.root)
    assert [f.rule for f in result.findings] == ["gx-project-legacy"]


def test_configured_suites_take_parameters_from_the_config(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    suite = {
        "name": "customers",
        "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}},
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "age", "min_value": {"$PARAMETER": "min_age"}, "max_value": 120},
            },
        ],
    }
    config = "expectations:\n  suites:\n    - {suite: expectations/c.json, data: data/customers.csv}\n"
    repo.commit(
        "suite",
        {
            "expectations/c.json": json.dumps(suite, indent=2),
            "data/customers.csv": CUSTOMERS,
            "dataops-ci.yml": config,
        },
    )
    result = run_check(repo.root)
    (missing,) = [f for f in result.findings if f.rule == "missing-parameter"]
    assert (
        "min_age" in missing.message and "customers" in missing.message and missing.line == 12
    )  # its kwargs
    assert result.metrics["expectations_evaluated"] == 1  # the rest of the suite ran
    per_suite = config.replace("data/customers.csv}", "data/customers.csv, parameters: {min_age: 0}}")
    repo.commit("values", {"dataops-ci.yml": per_suite})
    result = run_check(repo.root)
    assert [(f.rule, f.data["unexpected_count"]) for f in result.findings] == [("expectation-failed", 1)]
    repo.commit("global", {"dataops-ci.yml": config + "  parameters: {min_age: -10}\n"})
    result = run_check(repo.root)
    assert result.findings == () and result.metrics["expectations_passed"] == 2


def test_an_unreachable_database_is_a_could_not_check(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    repo = make_repo()
    (repo.root / "data").mkdir()
    with sqlite3.connect(repo.root / "data" / "x.db") as db:
        db.execute("create table customers (id integer, age integer)")
    monkeypatch.setenv("DB_URL", "sqlite:///data/x.db")
    build_in_process(
        repo,
        {"datasource": "sqlite", "connection_string": "${DB_URL}", "expectations": [PASSING]},
        monkeypatch,
    )
    monkeypatch.setenv("DB_URL", "postgresql+psycopg2://user:secret@127.0.0.1:9/db")  # nothing listens on 9
    result = run_check(repo.root)
    (finding,) = result.findings
    assert finding.rule == "cannot-connect" and result.status == "error"
    assert "secret" not in finding.message
