"""Render reports of growing size in every format and print the timings (and comment sizes) as a table.

    python benchmarks/render/run.py [--repeat 3]

The reports are generated (fixed content, no randomness): findings spread over the five checks the way a
large PR produces them, with long messages so that the comment must be trimmed.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from dataops_ci.render import annotations, junit, markdown, sarif  # noqa: E402
from dataops_ci.report import CheckResult, Finding, Report  # noqa: E402

CHECKS = ("schema-compat", "expectations", "pipelines", "sql-lint", "tests")


def finding(check: str, i: int) -> Finding:
    data: dict[str, object] = {"breaks": "readers"} if check == "schema-compat" else {}
    if check == "expectations":
        data = {
            "expectation": "expect_column_values_to_be_between",
            "column": f"c{i}",
            "observed": i,
            "expected": {"min_value": 0, "max_value": 10},
            "unexpected_count": i,
            "unexpected_values": [i] * 8,
        }
    if check == "pipelines":
        data = {"pipeline": f"p{i % 20}", "owner": f"team{i % 7}", "notify": [f"n{i % 5}"]}
    return Finding(
        "error",
        f"{check}-rule-{i % 9}",
        f"finding {i} of {check}: " + "detail <x> @y #1 " * 10,
        f"{check}/file_{i % 50}.txt",
        i + 1,
        f"Path.f{i}",
        "a hint " * 5,
        data=data,
    )


def report(count: int) -> Report:
    per = count // len(CHECKS)
    checks = tuple(
        CheckResult(
            name, "failed", f"{per} findings", 1.0, {}, {}, tuple(finding(name, i) for i in range(per))
        )
        for name in CHECKS
    )
    return Report("a" * 40, "b" * 40, checks, quality_score=0.9, context={"base_quality_score": 0.95})


def best(fn: Callable[[], str], repeat: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}")
    print("| findings | comment (65,536 chars) | step summary (1 MiB) | SARIF | JUnit | annotations |")
    print("|--:|--:|--:|--:|--:|--:|")
    for count in (300, 3_000, 30_000):
        rep = report(count)
        comment, body = best(lambda: markdown.render(rep, marker_key="wf:job"), args.repeat)  # noqa: B023
        summary, text = best(lambda: markdown.render_step_summary(rep), args.repeat)  # noqa: B023
        cells = [f"{comment:.3f} s ({len(body):,} chars)", f"{summary:.3f} s ({len(text.encode()):,} B)"]
        for module in (sarif, junit, annotations):
            seconds, _ = best(lambda: module.render(rep), args.repeat)  # noqa: B023
            cells.append(f"{seconds:.3f} s")
        print(f"| {count:,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
