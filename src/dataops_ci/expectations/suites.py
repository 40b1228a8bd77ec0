"""Expectation suite files: parse GX 1.x JSON (and legacy 0.x, migrated on the fly), locate lines.

A suite is `{"name", "expectations": [{"type", "kwargs", "meta"}]}`. Legacy 0.x suites use
`expectation_suite_name` and `expectation_type`; they are accepted (the caller warns) and `migrate()`
rewrites them to 1.x, which is what `dataops-ci migrate-suite` writes back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dataops_ci.json_lines import LineLocator
from dataops_ci.report import Severity

# GX 1.x `severity` of an expectation -> the severity of its finding when it fails.
SEVERITIES: dict[str, Severity] = {"critical": "error", "warning": "warning", "info": "notice"}
# Kwargs GX 0.x allowed inside an expectation that 1.x rejects; they only shaped 0.x output.
_LEGACY_ONLY_KWARGS = ("result_format", "include_config")


class SuiteError(Exception):
    """The suite file cannot be used at all (invalid JSON, wrong shape). `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class ParsedSuite:
    name: str
    expectations: list[dict[str, Any]]  # GX 1.x form
    legacy: bool
    lines: list[int | None] = field(default_factory=list)  # line of each expectation in the file
    kwargs_lines: list[int | None] = field(default_factory=list)  # line of each expectation's kwargs


def is_legacy(raw: dict[str, Any]) -> bool:
    entries = raw.get("expectations")
    legacy_entry = isinstance(entries, list) and any(
        isinstance(e, dict) and "expectation_type" in e for e in entries
    )
    return "expectation_suite_name" in raw or legacy_entry


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """A GX 1.x suite dict from a 0.x one (a 1.x suite comes back unchanged in content)."""
    name = raw.get("name") or raw.get("expectation_suite_name") or "suite"
    expectations = []
    for entry in raw.get("expectations") or []:
        if not isinstance(entry, dict):
            expectations.append(entry)
            continue
        kwargs = entry.get("kwargs", {})
        if isinstance(kwargs, dict):
            kwargs = {k: v for k, v in kwargs.items() if k not in _LEGACY_ONLY_KWARGS}
        converted: dict[str, Any] = {
            "type": entry.get("type") or entry.get("expectation_type"),
            "kwargs": kwargs,
        }
        if entry.get("meta"):
            converted["meta"] = entry["meta"]
        for key in ("id", "severity"):  # GX 1.x fields, kept as they are
            if entry.get(key) is not None:
                converted[key] = entry[key]
        expectations.append(converted)
    out: dict[str, Any] = {"name": name, "expectations": expectations}
    meta = {k: v for k, v in (raw.get("meta") or {}).items() if k != "great_expectations_version"}
    if meta:
        out["meta"] = meta
    return out


def parse_suite(text: str) -> ParsedSuite:
    """Parse a suite file's text; raise SuiteError (with a line) when it cannot be used."""
    try:
        return _parse(text)
    except RecursionError:
        raise SuiteError("nested too deeply to read (thousands of levels)", 1) from None


def _parse(text: str) -> ParsedSuite:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SuiteError(f"not valid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(raw, dict):
        raise SuiteError(f"a suite must be a JSON object, got {type(raw).__name__}", 1)
    entries = raw.get("expectations")
    locator = LineLocator(text)
    if not isinstance(entries, list):
        raise SuiteError("a suite needs an 'expectations' list", locator.line_of(("expectations",)) or 1)
    legacy = is_legacy(raw)
    suite = migrate(raw)
    for index, entry in enumerate(suite["expectations"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            line = locator.line_of(("expectations", index))
            raise SuiteError(f"expectation {index} needs a 'type' (a string naming the expectation)", line)
        if not isinstance(entry.get("kwargs"), dict):
            line = locator.line_of(("expectations", index, "kwargs"))
            raise SuiteError(f"expectation {index} ({entry['type']}): 'kwargs' must be an object", line)
    count = len(suite["expectations"])
    return ParsedSuite(
        name=str(suite["name"]),
        expectations=suite["expectations"],
        legacy=legacy,
        lines=[locator.line_of(("expectations", i)) for i in range(count)],
        kwargs_lines=[locator.line_of(("expectations", i, "kwargs")) for i in range(count)],
    )


def failure_severity(expectation: dict[str, Any], default: Severity) -> Severity:
    """The finding severity for a failed expectation: its GX `severity` when the suite sets one
    (critical -> error, warning -> warning, info -> notice), else `default`."""
    value = expectation.get("severity")
    return SEVERITIES.get(str(value).lower(), default) if value is not None else default


def dump_suite(suite: dict[str, Any]) -> str:
    return json.dumps(suite, indent=2, ensure_ascii=False) + "\n"
