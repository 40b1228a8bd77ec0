"""The bad-input battery (issue 11): every folder of tests/faults/cases is one kind of bad input, run through
the real `dataops-ci` in a subprocess. Each asserts the exit code, the finding that names the problem, that
every other check of the run still reported, that the report was written, and that the run stayed within
a generous bound of wall time and peak RSS (measured around the subprocess: it catches a runaway, it is not
a benchmark; the numbers are in benchmarks/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.faults import battery, github_case


def _check_report(spec: dict[str, Any], report: dict[str, Any]) -> None:
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    assert statuses == spec["statuses"], statuses
    for want in ([spec["finding"]] if "finding" in spec else []) + spec.get("also", []):
        _check_finding(want, report)
    for check, part in spec.get("summaries", {}).items():  # the other files of that check still counted
        assert part in _check(report, check)["summary"], _check(report, check)["summary"]
    for check, minimums in spec.get("data_at_least", {}).items():  # e.g. how much output was left out
        data = _check(report, check)["data"]
        assert all(data.get(key, 0) >= value for key, value in minimums.items()), data
    for unwanted in spec.get("absent", []):
        check = _check(report, unwanted["check"])
        assert not [f for f in check["findings"] if f["rule"] == unwanted["rule"]], check["findings"]


def _check(report: dict[str, Any], name: str) -> dict[str, Any]:
    (check,) = [c for c in report["checks"] if c["name"] == name]
    return check


def _check_finding(want: dict[str, Any], report: dict[str, Any]) -> None:
    check = _check(report, want["check"])
    matching = [
        f
        for f in check["findings"]
        if f["rule"] == want.get("rule", f["rule"]) and f.get("file") == want.get("file", f.get("file"))
    ]
    assert matching, check["findings"]
    text = " ".join(f"{f['message']} {f.get('hint') or ''}" for f in matching)
    for part in want.get("message", []):
        assert part in text, text
    if "line" in want:
        assert matching[0].get("line") == want["line"], matching[0]


@pytest.mark.parametrize("name", battery.case_names())
def test_bad_input(name: str, tmp_path: Path) -> None:
    spec = battery.expected(name)
    measured, report, seen = github_case.run_named(name, tmp_path)
    where = f"stdout:\n{measured.stdout[-3000:]}\nstderr:\n{measured.stderr[-3000:]}"

    assert measured.returncode is not None, f"killed after {battery.TIME_LIMIT_S}s\n{where}"
    assert measured.wall_s < spec.get("max_wall_s", battery.TIME_LIMIT_S), measured.wall_s
    assert measured.peak_rss_bytes < battery.RSS_LIMIT_BYTES, measured.peak_rss_bytes
    assert 0 < measured.own_peak_rss_bytes < battery.OWN_RSS_LIMIT_BYTES, measured.own_peak_rss_bytes
    assert measured.returncode == spec["exit"], where
    assert "Traceback" not in measured.stderr, where
    for part in spec.get("stderr", []):
        assert part in measured.stderr, where
    if spec["exit"] == 2:
        return  # nothing could be checked: the error names the file and the fix, there is no report
    assert report.is_file(), where
    _check_report(spec, battery.load_report(report))
    if "github" in spec:
        assert len(seen["comments"]) == spec["github"].get("comments", 0), seen["comments"]
