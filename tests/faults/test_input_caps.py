"""Input caps through the real CLI: an input over its cap is not read, it is a `cannot-read-*` finding naming
the cap and the key that raises it, the other files of the same check still get their verdict, the other
checks still run, and the report is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dataops_ci.cli import main
from tests.conftest import Repo

CONFIG = """\
pipelines: {max_file_bytes: 400}
sql: {max_file_bytes: 200}
expectations:
  max_suite_bytes: 300
  suites: [{suite: expectations/big.json, data: data/t.csv}]
"""
PIPELINE = "name: small\nowner: data_engineering\ndataset: {data: data/t.csv}\nquality_checks: []\n"


def _run(repo: Repo, tmp_path: Path, checks: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "report.json"
    code = main(
        ["run", "--all-files", "--checks", checks, "--format", "json", "--report-json", str(out)]
        + ["--base", "HEAD"]
    )
    return code, json.loads(out.read_text(encoding="utf-8"))


def _by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in report["checks"]}


def _cap_finding(check: dict[str, Any], rule: str, file: str, key: str) -> dict[str, Any]:
    (finding,) = [f for f in check["findings"] if f["rule"] == rule and f["file"] == file]
    assert key in finding["message"] and key in finding["hint"], finding
    return finding


def test_oversized_inputs_are_refused_alone_and_named(repo: Repo, tmp_path: Path, monkeypatch: Any) -> None:
    big_sql = "select\n" + ",\n".join(f"    column_{i}" for i in range(40)) + "\nfrom t\n"
    big_pipeline = PIPELINE.replace("small", "big") + "# padding\n" * 60
    big_suite = json.dumps({"name": "big", "expectations": [{"type": "expect_column_to_exist",
                            "kwargs": {"column": f"c{i}"}} for i in range(20)]})  # fmt: skip
    repo.commit(
        "data repo",
        {
            "dataops-ci.yml": CONFIG,
            "models/small.sql": "select a from t\n",
            "models/big.sql": big_sql,
            "pipelines/small.yml": PIPELINE,
            "pipelines/big.yml": big_pipeline,
            "expectations/big.json": big_suite,
            "data/t.csv": "id\n1\n",
        },
    )
    monkeypatch.chdir(repo.root)
    code, report = _run(repo, tmp_path, "sql-lint,pipelines,expectations")
    assert code == 1
    checks = _by_name(report)
    assert set(checks) == {"sql-lint", "pipelines", "expectations"}

    sql = checks["sql-lint"]
    _cap_finding(sql, "cannot-read-sql", "models/big.sql", "sql.max_file_bytes")
    assert sql["metrics"]["files"] == 1  # the small model was still linted
    assert "over sql.max_file_bytes not read" in sql["summary"]

    pipelines = checks["pipelines"]
    _cap_finding(pipelines, "cannot-read-pipeline", "pipelines/big.yml", "pipelines.max_file_bytes")
    assert not [
        f for f in pipelines["findings"] if f["file"] == "pipelines/small.yml" and f["severity"] == "error"
    ]

    _cap_finding(
        checks["expectations"], "cannot-read-suite", "expectations/big.json", "expectations.max_suite_bytes"
    )


def test_inputs_within_their_caps_are_read(repo: Repo, tmp_path: Path, monkeypatch: Any) -> None:
    repo.commit(
        "data repo",
        {
            "dataops-ci.yml": CONFIG.replace("expectations/big.json", "expectations/small.json"),
            "models/small.sql": "select a from t\n",
            "pipelines/small.yml": PIPELINE,
            "expectations/small.json": json.dumps(
                {
                    "name": "small",
                    "expectations": [{"type": "expect_column_to_exist", "kwargs": {"column": "id"}}],
                }
            ),
            "data/t.csv": "id\n1\n",
        },
    )
    monkeypatch.chdir(repo.root)
    _, report = _run(repo, tmp_path, "sql-lint,pipelines,expectations")
    rules = {f["rule"] for c in report["checks"] for f in c["findings"]}
    assert not {"cannot-read-sql", "cannot-read-pipeline", "cannot-read-suite"} & rules
