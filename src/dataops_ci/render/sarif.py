"""SARIF 2.1.0 for code-scanning upload (`--format sarif`, `--sarif PATH`): every finding, one run.

Rule ids are `<check>/<rule>` (stable kebab-case), each with a short description and help text (the fix
hint the check gave, else what the check does). Every result has a location with a region, because
code scanning drops results without one: a finding that names no file points at the config file, line 1,
which is where the suite/pipeline it comes from is declared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from dataops_ci.render.escape import clean
from dataops_ci.report import SEVERITY_RANK, Finding, Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "notice": "note"}
CHECK_HELP = {
    "schema-compat": "Avro schema compatibility of changed .avsc files between the PR base and head.",
    "expectations": "Great Expectations suites validated against their data.",
    "pipelines": "Pipeline definitions: owner, reviewers, schedule and quality checks.",
    "sql-lint": "sqlfluff lint of changed SQL.",
    "tests": "Transformation unit tests run with pytest.",
}
DEFAULT_CONFIG_FILE = "dataops-ci.yml"


def rule_id(check: str, finding: Finding) -> str:
    return f"{check}/{finding.rule}"


def _rule(check: str, finding: Finding) -> dict[str, Any]:
    title = clean(finding.rule.replace("-", " ").capitalize())
    help_text = clean(finding.hint or CHECK_HELP.get(check, f"Findings of the {check} check of dataops-ci."))
    return {
        "id": rule_id(check, finding),
        "name": clean("".join(part.capitalize() for part in finding.rule.split("-")) or finding.rule),
        "shortDescription": {"text": f"{check}: {title}"},
        "fullDescription": {"text": CHECK_HELP.get(check, f"A finding of the {check} check.")},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS.get(finding.severity, "note")},
        "properties": {"tags": ["dataops-ci", check]},
    }


def _rules(report: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One rule per id, its level the most severe seen, in order of first appearance."""
    rules: dict[str, dict[str, Any]] = {}
    severities: dict[str, str] = {}
    for check, finding in report.findings():
        key = rule_id(check, finding)
        if key not in rules:
            rules[key] = _rule(check, finding)
            severities[key] = finding.severity
        elif SEVERITY_RANK.get(finding.severity, 3) < SEVERITY_RANK.get(severities[key], 3):
            severities[key] = finding.severity
            rules[key]["defaultConfiguration"]["level"] = LEVELS.get(finding.severity, "note")
    return list(rules.values()), {key: i for i, key in enumerate(rules)}


def _location(finding: Finding, config_file: str) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(int(finding.line or 1), 1)}
    if finding.column and int(finding.column) >= 1:
        region["startColumn"] = int(finding.column)
    physical = {
        "artifactLocation": {
            "uri": quote(clean(finding.file or config_file), safe="/"),
            "uriBaseId": "%SRCROOT%",
        },
        "region": region,
    }
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.path:
        location["logicalLocations"] = [{"fullyQualifiedName": clean(finding.path)}]
    return location


def _fingerprint(check: str, finding: Finding) -> str:
    # Stable across runs and line shifts: what and where, not the line number.
    key = "\0".join([check, finding.rule, finding.file or "", finding.path or "", finding.message])
    return hashlib.sha256(key.encode()).hexdigest()


def _result(check: str, finding: Finding, index: int, config_file: str) -> dict[str, Any]:
    message = clean(finding.message + (f"\nFix: {finding.hint}" if finding.hint else ""))
    properties: dict[str, Any] = {"check": check}
    if finding.path:
        properties["path"] = clean(finding.path)
    if finding.data:
        properties["data"] = _jsonable(finding.data)
    return {
        "ruleId": rule_id(check, finding),
        "ruleIndex": index,
        "level": LEVELS.get(finding.severity, "note"),
        "message": {"text": message},
        "locations": [_location(finding, config_file)],
        "partialFingerprints": {"dataopsFinding/v1": _fingerprint(check, finding)},
        "properties": properties,
    }


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def build(report: Report, config_file: str | None = None) -> dict[str, Any]:
    context = report.context if isinstance(report.context, Mapping) else {}
    config_file = config_file or str(context.get("config_file") or DEFAULT_CONFIG_FILE)
    rules, index = _rules(report)
    results = [
        _result(check, finding, index[rule_id(check, finding)], config_file)
        for check, finding in report.findings()
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "dataops-ci",
                "version": clean(report.tool_version),
                "rules": rules,
            }
        },
        "automationDetails": {"id": "dataops-ci/"},
        "invocations": [{"executionSuccessful": all(c.status != "error" for c in report.checks)}],
        "results": results,
        "properties": {"status": report.status, "qualityScore": report.quality_score},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, config_file: str | None = None, **_: Any) -> str:
    # Compact: json's C encoder is only used without indent (10x faster for thousands of results).
    return json.dumps(build(report, config_file), ensure_ascii=False) + "\n"
