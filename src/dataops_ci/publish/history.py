"""The quality history: one JSON line per recorded run (a Report summed up), and reading it back as series.

A record: {"commit", "time" (UTC, ISO 8601), "ref", "status", "quality_score", "datasets": [{"dataset",
"suite", "score", "evaluated", "passed", "records"}], "checks": {name: {"status", "error", "warning",
"notice"}}, "tool_version"}. Lines that do not parse are skipped when read (the history is append-only: a
bad line is never rewritten away, only ignored).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dataops_ci.publish.datasets import dataset_scores
from dataops_ci.report import SEVERITIES, Report

OVERALL = "overall"


def record_of(report: Report, commit: str, ref: str, now: dt.datetime | None = None) -> dict[str, Any]:
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    datasets = [
        {
            "dataset": row.dataset,
            "suite": row.suite,
            "score": round(row.score, 4) if row.score is not None else None,
            "evaluated": row.evaluated,
            "passed": row.passed,
            "records": row.records,
        }
        for row in dataset_scores(report)
    ]
    checks = {
        c.name: {"status": c.status, **{s: c.count(s) for s in SEVERITIES}}
        for c in report.checks
        if c.name != "metrics-push"
    }
    return {
        "commit": commit,
        "time": when.isoformat().replace("+00:00", "Z"),
        "ref": ref,
        "status": report.status,
        "quality_score": report.quality_score,
        "datasets": datasets,
        "checks": checks,
        "tool_version": report.tool_version,
    }


def to_line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def parse_lines(text: str) -> list[dict[str, Any]]:
    records = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("commit"), str):
            records.append(record)
    return records


@dataclass(frozen=True)
class Point:
    commit: str
    time: str
    dataset: str  # OVERALL for the run's overall score
    score: float | None


def series(records: Iterable[Mapping[str, Any]], dataset: str | None = None) -> list[Point]:
    """One point per record: the overall score, or the given dataset's (matched on dataset or suite).
    A dataset scored by several suites in one run gets their weighted score (passed / evaluated)."""
    points = []
    for record in records:
        if dataset is None:
            score = record.get("quality_score")
        else:
            rows = [
                d
                for d in record.get("datasets") or []
                if isinstance(d, Mapping) and dataset in (d.get("dataset"), d.get("suite"))
            ]
            evaluated = sum(int(d.get("evaluated") or 0) for d in rows)
            score = sum(int(d.get("passed") or 0) for d in rows) / evaluated if evaluated else None
        value = float(score) if isinstance(score, int | float) else None
        points.append(Point(str(record["commit"]), str(record.get("time", "")), dataset or OVERALL, value))
    return points


def datasets_in(records: Iterable[Mapping[str, Any]]) -> list[str]:
    names = {
        str(d.get("dataset")) for r in records for d in r.get("datasets") or [] if isinstance(d, Mapping)
    }
    return sorted(n for n in names if n)
