"""Reading pytest's JUnit XML (xunit1) into test results: node ids, lines, crash excerpts."""

from __future__ import annotations

from pathlib import Path

from dataops_ci.testsuite.pytest_run import crash_excerpt, failing_line, node_id, read_junit

XUNIT1 = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2" time="0.1">
<testcase classname="tests.test_orders.TestTotals" name="test_total[2-3]" file="tests/test_orders.py"
          line="11" time="0.01">
  <failure message="assert 5 == 6">def test_total(a, b):
&gt;       assert a + b == 6
E       assert 5 == 6

tests/test_orders.py:14: AssertionError</failure>
</testcase>
<testcase classname="tests.test_orders" name="test_ok" file="tests/test_orders.py" line="3" time="0.0"/>
</testsuite></testsuites>
"""


def test_cases_carry_node_id_lines_and_message(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(XUNIT1)
    failed, passed = read_junit(junit, tmp_path) or ()
    assert failed.node_id == "tests/test_orders.py::TestTotals::test_total[2-3]"
    assert (failed.outcome, failed.line, failed.failing_line) == ("failed", 12, 14)
    assert failed.message == "assert 5 == 6"
    assert (passed.node_id, passed.outcome) == ("tests/test_orders.py::test_ok", "passed")


def test_unreadable_xml_is_none(tmp_path: Path) -> None:
    assert read_junit(tmp_path / "missing.xml", tmp_path) is None
    (tmp_path / "half.xml").write_text("<testsuites><testsuite")
    assert read_junit(tmp_path / "half.xml", tmp_path) is None


def test_node_id_without_file_or_class() -> None:
    assert node_id(None, "tests.test_x", "test_y") == "tests.test_x::test_y"
    assert node_id("tests/test_x.py", "tests.test_x", "test_y") == "tests/test_x.py::test_y"


def test_failing_line_only_points_into_the_test_file() -> None:
    details = "transformations/x.py:3: in f\ntests/test_x.py:9: in test\nlib/y.py:1: ValueError"
    assert failing_line(details, "tests/test_x.py") == 9
    assert failing_line(details, "tests/test_other.py") is None


def test_crash_excerpt_keeps_the_start_of_faulthandlers_dump() -> None:
    output = "collected 2 items\n\nFatal Python error: Segmentation fault\n\n" + "\n".join(
        f'  File "f{i}.py", line {i}' for i in range(100)
    )
    excerpt = crash_excerpt(output, lines=5)
    assert excerpt.startswith("Fatal Python error") and 'File "f0.py"' in excerpt
    assert crash_excerpt("a\nb\nc", lines=2) == "b\nc"
