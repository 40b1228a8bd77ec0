from __future__ import annotations

import json

import pytest

from dataops_ci.report import CheckResult, Finding, Report, status_from_findings


def _report() -> Report:
    finding = Finding(
        "error", "field-removed", "Customer.fax removed", "schemas/c.avsc", 12, "Customer.fax", "x"
    )
    checks = (
        CheckResult(
            "schema-compat", "failed", "1 breaking change", 0.1, {"breaking_changes": 1}, {}, (finding,)
        ),
        CheckResult("tests", "passed", "3 passed", 0.5, {"passed": 3}),
    )
    return Report(base="a" * 40, head="WORKTREE", checks=checks, duration_s=0.6, quality_score=0.97)


def test_json_has_the_contract_keys() -> None:
    raw = json.loads(_report().to_json())
    assert raw["schema_version"] == 1
    assert raw["tool"]["name"] == "dataops-ci"
    assert raw["status"] == "failed"
    assert set(raw) >= {"base", "head", "status", "quality_score", "duration_s", "checks"}
    check = raw["checks"][0]
    assert set(check) == {"name", "status", "summary", "duration_s", "metrics", "data", "findings"}
    assert check["findings"][0] == {
        "severity": "error",
        "rule": "field-removed",
        "message": "Customer.fax removed",
        "file": "schemas/c.avsc",
        "line": 12,
        "path": "Customer.fax",
        "hint": "x",
    }


def test_round_trip() -> None:
    report = _report()
    assert Report.from_json(report.to_json()) == report


def test_unknown_schema_version_rejected() -> None:
    with pytest.raises(ValueError, match="schema_version"):
        Report.from_dict({"schema_version": 2, "base": "", "head": ""})


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [(("passed", "skipped"), "passed"), (("passed", "error"), "error"), (("error", "failed"), "failed")],
)
def test_report_status(statuses: tuple[str, ...], expected: str) -> None:
    checks = tuple(CheckResult(f"c{i}", s, "") for i, s in enumerate(statuses))  # type: ignore[arg-type]
    assert Report("b", "h", checks).status == expected


def test_could_not_check_is_error_not_failure() -> None:
    cannot = Finding("error", "cannot-read-data", "data/x.csv missing")
    problem = Finding("error", "field-removed", "gone")
    warning = Finding("warning", "doc-changed", "doc")
    assert status_from_findings([cannot, problem]) == "error"
    assert status_from_findings([problem]) == "failed"
    assert status_from_findings([warning]) == "passed"
    assert status_from_findings([warning], fail_on="warning") == "failed"
    assert status_from_findings([problem], fail_on="never") == "passed"
