"""`--format github`: the GitHub Actions log. Workflow-command annotations (the most important findings,
at most 10 per severity) first, so the runner turns them into annotations on the changed lines, then the
plain text report for the people reading the log."""

from __future__ import annotations

from typing import Any

from dataops_ci.render.annotations import render as render_annotations
from dataops_ci.render.text import render as render_text
from dataops_ci.report import Report


def render(report: Report, **options: Any) -> str:
    # The log is not a terminal: no colour codes around the text a reviewer reads in the Actions UI.
    return render_annotations(report, **options) + render_text(report, colour=False)
