"""The quality trend block of the PR comment: the base branch's last runs (from the history the report's
context carries as `quality_trend`) and where this PR would put the score, as a Mermaid `xychart-beta` line
chart (GitHub renders it) and one text line that says the same for screen readers and the job summary.

context["quality_trend"] = {"branch": "main", "runs": [{"commit": "<sha>", "score": 0.95}, ...],
"threshold": 0.95}; the PR's point is the report's own `quality_score`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from dataops_ci.render.escape import code, mermaid_string
from dataops_ci.report import Report
from dataops_ci.words import plural

_SHA = re.compile(r"[0-9a-f]{7,64}")
# The score line in blue, the threshold in red (Mermaid's default palette draws the first line almost white).
INIT = '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#0969da, #cf222e"}}}}%%'


def _runs(trend: Mapping[str, Any]) -> list[tuple[str, float]]:
    out = []
    for run in trend.get("runs") or []:
        if not isinstance(run, Mapping) or not isinstance(run.get("score"), int | float):
            continue
        commit = str(run.get("commit") or "")
        out.append((commit[:7] if _SHA.fullmatch(commit) else "unknown", float(run["score"])))
    return out


def _pct(value: float) -> str:
    return f"{value * 100:.1f}"


def _threshold(trend: Mapping[str, Any]) -> float | None:
    value = trend.get("threshold")
    return float(value) if isinstance(value, int | float) and 0 <= value <= 1 else None


def chart(branch: str, runs: Sequence[tuple[str, float]], pr: float | None, threshold: float | None) -> str:
    labels = [label for label, _ in runs] + (["this PR"] if pr is not None else [])
    values = [score for _, score in runs] + ([pr] if pr is not None else [])
    low = min([*values, *([threshold] if threshold is not None else [])])
    bottom = max(0, math.floor(low * 20) * 5 - 5)  # a multiple of 5 below the lowest point
    title = mermaid_string(
        f"Quality score on {branch}, last {len(runs)} runs" + (" and this PR" if pr is not None else "")
    )
    lines = [
        "```mermaid",
        INIT,
        "xychart-beta",
        f'    title "{title}"',
        "    x-axis [" + ", ".join(f'"{mermaid_string(label)}"' for label in labels) + "]",
        f'    y-axis "quality score (%)" {bottom} --> 100',
        "    line [" + ", ".join(_pct(v) for v in values) + "]",
    ]
    if threshold is not None:
        lines.append("    line [" + ", ".join(_pct(threshold) for _ in values) + "]")
    lines.append("```")
    return "\n".join(lines)


def text_line(
    branch: str, runs: Sequence[tuple[str, float]], pr: float | None, threshold: float | None
) -> str:
    """One sentence with every number the chart shows."""
    series = " → ".join(f"{_pct(score)}%" for _, score in runs)
    line = f"Quality score on {code(branch, 80)} over the last {plural(len(runs), 'run')}: {series}"
    if pr is not None:
        delta = (pr - runs[-1][1]) * 100
        line += f"; this PR: {_pct(pr)}% ({delta:+.1f} points against the latest run)"
    if threshold is not None:
        line += f"; threshold {_pct(threshold)}%"
    return line + "."


def trend_block(report: Report) -> str | None:
    """The block, or None when the report carries no history (no trend is shown rather than an empty one)."""
    context = report.context if isinstance(report.context, Mapping) else {}
    trend = context.get("quality_trend")
    if not isinstance(trend, Mapping):
        return None
    runs = _runs(trend)
    if not runs:
        return None
    branch = str(trend.get("branch") or "the base branch")
    pr, threshold = report.quality_score, _threshold(trend)
    return "\n\n".join(
        ["**Quality trend**", chart(branch, runs, pr, threshold), text_line(branch, runs, pr, threshold)]
    )
