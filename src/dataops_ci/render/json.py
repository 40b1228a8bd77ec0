"""The report as JSON (schema_version 1), exactly as DESIGN.md specifies."""

from __future__ import annotations

from typing import Any

from dataops_ci.report import Report


def render(report: Report, **_: Any) -> str:
    return report.to_json() + "\n"
