"""`--format github`: annotations the runner picks up, then the readable text, with no colour codes."""

from __future__ import annotations

from dataops_ci.render import render
from tests.render import sample_reports


def test_annotations_come_first_then_the_plain_text_report() -> None:
    out = render(sample_reports.failing(), "github")
    lines = out.splitlines()
    first_plain = next(i for i, line in enumerate(lines) if not line.startswith("::"))
    assert first_plain > 0, "annotations first"
    assert lines[0].startswith("::error file=schemas/customer.avsc,line=14")
    assert all(not line.startswith("::") for line in lines[first_plain:])
    assert "\x1b[" not in out
    assert lines[-1].startswith("dataops-ci: FAILED")
