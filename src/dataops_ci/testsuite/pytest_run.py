"""Run pytest in a subprocess (`process.run_in_session`: own session, hard timeout, capped output, its
leftovers killed) and read its JUnit XML with junitparser.

Foundation for the `tests` check: knows pytest and JUnit, nothing about findings or config.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dataops_ci.testsuite.environment import pr_code_environment
from dataops_ci.testsuite.process import run_in_session

# Passed to every run: xunit1 keeps the `file`/`line` attributes on each <testcase>; no cache dir and no
# .pyc files are written into the repository (they would show up as untracked changes).
BASE_ARGS = ("-o", "junit_family=xunit1", "-p", "no:cacheprovider")
TRACEBACK_LINE = re.compile(r"^(?P<file>[^\s:][^:]*\.py):(?P<line>\d+): ", re.MULTILINE)


@dataclass(frozen=True)
class PytestRun:
    command: tuple[str, ...]
    returncode: int | None  # None: killed after the timeout
    output: str  # stdout and stderr, interleaved
    duration_s: float
    cases: tuple[CaseResult, ...] | None  # None: no readable JUnit XML (crash, kill)
    output_left_out: int = 0  # bytes of output between the kept head and tail
    leftovers: tuple[str, ...] = ()  # processes pytest left running after it exited ("pid command"), killed

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


@dataclass(frozen=True)
class CaseResult:
    node_id: str
    file: str | None
    line: int | None  # 1-based line of the test function
    outcome: str  # passed | failed | error | skipped
    time_s: float
    message: str = ""
    details: str = ""
    output: str = ""
    failing_line: int | None = None  # the line in the test file the traceback points at


def run_pytest(
    python: str,
    root: Path,
    targets: Sequence[str],
    args: Sequence[str],
    timeout_s: float,
    capture_output: bool = False,
    env: Mapping[str, str] | None = None,
    scrub_env: Sequence[str] = (),
    max_output_bytes: int = 1 << 20,
) -> PytestRun:
    with tempfile.TemporaryDirectory(prefix="dataops-ci-pytest-") as tmp:
        junit = Path(tmp) / "junit.xml"
        logging = ("-o", "junit_logging=all") if capture_output else ()
        # --rootdir: node ids and the junit `file` attribute are then relative to the repository root.
        report = (f"--rootdir={root}", f"--junitxml={junit}")
        command = (python, "-m", "pytest", *targets, *args, *BASE_ARGS, *logging, *report)
        # PR code never sees the runner's tokens (testsuite/environment.py).
        child_env = {
            **pr_code_environment(os.environ, scrub_env),
            **(env or {}),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        started = time.perf_counter()
        done = run_in_session(command, root, timeout_s, child_env, max_output_bytes)
        duration = time.perf_counter() - started
        cases = read_junit(junit, root) if done.returncode is not None else None
    return PytestRun(
        command, done.returncode, done.output, duration, cases, done.left_out_bytes, done.leftovers
    )


def read_junit(path: Path, root: Path) -> tuple[CaseResult, ...] | None:
    from junitparser import JUnitXml, JUnitXmlError

    try:
        xml = JUnitXml.fromfile(str(path))
    except (OSError, JUnitXmlError, SyntaxError, ValueError):
        return None
    suites = [xml] if xml._tag == "testsuite" else list(xml)
    return tuple(_case_result(case) for suite in suites for case in suite)


def _case_result(case: object) -> CaseResult:
    from junitparser import Error, Failure, Skipped, TestCase

    assert isinstance(case, TestCase)
    file = case._elem.get("file")
    raw_line = case._elem.get("line")
    line = int(raw_line) + 1 if raw_line and raw_line.isdigit() else None  # pytest writes it 0-based
    outcome, message, details = "passed", "", ""
    kinds = ((Failure, "failed"), (Error, "error"), (Skipped, "skipped"))
    for result in case.result:
        kind = next((name for cls, name in kinds if isinstance(result, cls)), None)
        if kind:
            outcome, message, details = kind, result.message or "", result.text or ""
            break
    output = "\n".join(part for part in (case.system_out, case.system_err) if part)
    return CaseResult(
        node_id=node_id(file, case.classname or "", case.name or ""),
        file=file,
        line=line,
        outcome=outcome,
        time_s=float(case.time or 0.0),
        message=message,
        details=details,
        output=output,
        failing_line=failing_line(details, file),
    )


def node_id(file: str | None, classname: str, name: str) -> str:
    """pytest's node id from xunit1 attributes: file::Class::name (classname is module.Class)."""
    if not file:
        return f"{classname}::{name}" if classname else name
    module = file[:-3].replace("/", ".") if file.endswith(".py") else file
    classes = classname[len(module) + 1 :] if classname.startswith(module + ".") else ""
    parts = [file, *(classes.split(".") if classes else []), name]
    return "::".join(part for part in parts if part)


def failing_line(details: str, file: str | None) -> int | None:
    """The last traceback line that points into the test's own file."""
    if not file:
        return None
    matches = [int(m["line"]) for m in TRACEBACK_LINE.finditer(details) if m["file"].endswith(file)]
    return matches[-1] if matches else None


def crash_excerpt(output: str, lines: int = 30) -> str:
    """faulthandler's dump lists the innermost frames first: keep its start, not the output's tail."""
    start = output.find("Fatal Python error")
    if start < 0:
        return tail(output, lines)
    return "\n".join(output[start:].splitlines()[:lines])


def tail(text: str, lines: int = 30, chars: int = 3000) -> str:
    kept = "\n".join(text.rstrip().splitlines()[-lines:])
    return kept[-chars:]
