"""The report schema used to validate untrusted reports: in sync with its JSON file, and agreeing with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dataops_ci.github.report_schema import SCHEMA_FILE, InvalidReport, json_schema, load_untrusted
from dataops_ci.report import CheckResult, Finding, Report


def a_report() -> Report:
    finding = Finding(
        "error", "field-removed", "field gone", "schemas/c.avsc", 3, "C.fax", data={"breaks": "readers"}
    )
    check = CheckResult("schema-compat", "failed", "1 breaking change", 0.1, findings=(finding,))
    return Report("a" * 40, "WORKTREE", (check,), quality_score=0.5, context={"base_quality_score": 0.6})


def test_schema_file_is_generated_from_the_models() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == json_schema(), (
        "regenerate: python -m dataops_ci.github.report_schema > src/dataops_ci/github/report_schema.json"
    )


def test_a_report_round_trips_and_satisfies_the_json_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    report = a_report()
    jsonschema.validate(report.to_dict(), json_schema())
    path = tmp_path / "report.json"
    path.write_text(report.to_json())
    assert load_untrusted(path) == report


def test_the_json_schema_rejects_what_the_models_reject(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    raw = a_report().to_dict()
    raw["checks"][0]["findings"][0]["rule"] = "not a rule id\n"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(raw, json_schema())
    path = tmp_path / "report.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(InvalidReport, match="rule"):
        load_untrusted(path)
