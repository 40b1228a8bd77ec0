"""Small builders for schema pairs in tests."""

from __future__ import annotations

import json
from typing import Any

from dataops_ci.avro import ParsedSchema, SchemaIssue, compare, parse_one


def record(*fields: dict[str, Any], name: str = "Customer", namespace: str = "com.acme", **extra: Any) -> str:
    return json.dumps(
        {"type": "record", "name": name, "namespace": namespace, "fields": list(fields), **extra}, indent=2
    )


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def parsed(text: str | dict[str, Any], file: str = "schema.avsc") -> ParsedSchema:
    return parse_one(text if isinstance(text, str) else json.dumps(text, indent=2), file)


def issues_between(old: str | dict[str, Any], new: str | dict[str, Any], mode: str) -> list[SchemaIssue]:
    return compare(parsed(old, "old.avsc"), parsed(new, "new.avsc"), mode)


def summary(issues: list[SchemaIssue]) -> set[tuple[str, str, str]]:
    """(rule, severity, path) of each issue: what the tables below assert on."""
    return {(issue.rule, issue.severity, issue.path) for issue in issues}
