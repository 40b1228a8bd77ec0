"""tests: run the repository's transformation tests with pytest and report them from the JUnit XML.

pytest runs in a subprocess with the repository's own Python (`tests.python`, else `.venv/bin/python`
or `venv/bin/python` in the repository, else the interpreter running dataops-ci), in its own process
group so a hung run can be killed whole. The working tree is what gets tested.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dataops_ci.context import CheckContext
from dataops_ci.report import CheckResult, Finding, status_from_findings
from dataops_ci.testsuite.pytest_run import CaseResult, PytestRun, crash_excerpt, run_pytest, tail

NAME = "tests"
REPO_PYTHONS = (".venv/bin/python", "venv/bin/python", ".venv/Scripts/python.exe")
MESSAGE_CHARS = 500
EXIT_NO_TESTS = 5


def applies(ctx: CheckContext) -> bool:
    return bool(existing_paths(ctx))


def looked_for(ctx: CheckContext) -> str:
    return f"no folder or file of tests.paths {list(ctx.config.tests.paths)!r} exists"


def existing_paths(ctx: CheckContext) -> list[str]:
    return [p for p in ctx.config.tests.paths if (ctx.repo.root / p).exists()]


def repo_python(root: Path, configured: str | None) -> str:
    if configured:
        path = Path(configured).expanduser()
        return str(root / path) if not path.is_absolute() and (root / path).exists() else configured
    for candidate in REPO_PYTHONS:
        if (root / candidate).exists():
            return str(root / candidate)
    return sys.executable


def run(ctx: CheckContext) -> CheckResult:
    cfg = ctx.config.tests
    paths = existing_paths(ctx)
    if not paths:
        return CheckResult(NAME, "skipped", looked_for(ctx))
    targets, scope = choose_targets(ctx, paths)
    if targets is not None and not targets:
        return CheckResult(NAME, "skipped", f"no tests to run: {scope}", data={"scope": scope})
    python = repo_python(ctx.repo.root, cfg.python)
    outcome = run_pytest(
        python,
        ctx.repo.root,
        targets or paths,
        cfg.args,
        cfg.timeout_s,
        cfg.capture_output,
        scrub_env=cfg.scrub_env,
        max_output_bytes=cfg.max_output_bytes,
    )
    findings = run_findings(outcome, cfg.timeout_s, python) or case_findings(outcome, cfg.capture_output)
    metrics = counts(outcome.cases or ())
    metrics["time_s"] = round(outcome.duration_s, 3)
    if outcome.returncode == 1 and not findings:
        findings = [cannot_run("pytest failed without reporting a failing test", outcome)]
    findings += head_notice(ctx) + leftover_notice(outcome)
    status = status_from_findings(findings)
    data: dict[str, object] = {
        "scope": scope,
        "python": python,
        "command": list(outcome.command),
        "exit_code": outcome.returncode,
    }
    if outcome.output_left_out:
        data["output_left_out_bytes"] = outcome.output_left_out
    return CheckResult(
        NAME, status, summary(metrics, scope, outcome), metrics=metrics, data=data, findings=tuple(findings)
    )


def head_notice(ctx: CheckContext) -> list[Finding]:
    """Tests run on the files on disk: say so when --head names another commit than the checkout."""
    if ctx.head is None or ctx.repo.resolve("HEAD") == ctx.head:
        return []
    message = f"tests ran on the working tree, not on --head {ctx.head[:12]} (it is not checked out)"
    return [Finding("notice", "tests-ran-on-worktree", message, hint="check out the head commit first")]


def leftover_notice(outcome: PytestRun) -> list[Finding]:
    """pytest exited but left processes running: the run did not wait for them; they were killed."""
    if not outcome.leftovers:
        return []
    shown = "; ".join(outcome.leftovers[:5]) + ("; …" if len(outcome.leftovers) > 5 else "")
    message = f"pytest left {len(outcome.leftovers)} process(es) running after it exited; killed: {shown}"
    hint = "stop what a fixture or hook starts in its teardown (a leftover can hold CI runners and ports)"
    return [
        Finding(
            "notice", "tests-left-processes", message, hint=hint, data={"processes": list(outcome.leftovers)}
        )
    ]


def choose_targets(ctx: CheckContext, paths: list[str]) -> tuple[list[str] | None, str]:
    """(test files to run, or None for `paths`; a sentence saying which tests run and why)."""
    if not ctx.config.tests.changed_only:
        return None, "all tests"
    from dataops_ci.testsuite.impacted import select_tests

    py_files = ctx.repo.list_files(ctx.head, ["**/*.py"])
    selection = select_tests(ctx.repo.read_files(ctx.head, py_files), sorted(ctx.changed_paths()), paths)
    if selection.targets is None:
        return None, f"all tests (changed_only fell back: {selection.reason})"
    return list(selection.targets), f"changed_only: {selection.reason}"


def counts(cases: tuple[CaseResult, ...]) -> dict[str, int | float]:
    """One outcome per test. pytest writes a test that fails and then errors in teardown as two
    <testcase> elements with one node id: it is one test, and it failed."""
    by_test: dict[str, str] = {}
    for case in cases:
        if not is_collection_error(case):
            known = by_test.get(case.node_id)
            by_test[case.node_id] = case.outcome if known is None else _worse(known, case.outcome)
    outcomes = list(by_test.values())
    return {
        "tests": len(outcomes),
        "passed": outcomes.count("passed"),
        "failed": outcomes.count("failed"),
        "errored": outcomes.count("error"),
        "skipped": outcomes.count("skipped"),
    }


OUTCOME_RANK = {"failed": 0, "error": 1, "skipped": 2, "passed": 3}


def _worse(one: str, other: str) -> str:
    return min(one, other, key=lambda outcome: OUTCOME_RANK.get(outcome, 0))


def summary(metrics: dict[str, int | float], scope: str, outcome: PytestRun) -> str:
    if outcome.timed_out:
        return f"tests did not finish ({scope})"
    if outcome.cases is None:
        return f"pytest did not complete (exit {outcome.returncode}; {scope})"
    parts = [f"{metrics[k]} {k}" for k in ("passed", "failed", "errored", "skipped") if metrics[k]]
    return f"{', '.join(parts) or 'no tests'} in {metrics['time_s']:.1f}s ({scope})"


def is_collection_error(case: CaseResult) -> bool:
    return case.outcome == "error" and case.message == "collection failure"


def cannot_run(message: str, outcome: PytestRun, file: str | None = None, hint: str | None = None) -> Finding:
    output = crash_excerpt(outcome.output)
    return Finding("error", "cannot-run-tests", message, file=file, hint=hint, data={"output": output})


def run_findings(outcome: PytestRun, timeout_s: int, python: str) -> list[Finding]:
    """Findings about the run as a whole: timeout, crash, nothing collected, usage errors."""
    code = outcome.returncode
    if outcome.timed_out:
        hint = "find the hanging test in the output tail; raise tests.timeout_s if the suite is just slow"
        return [
            cannot_run(
                f"tests did not finish within {timeout_s}s; the process group was killed", outcome, hint=hint
            )
        ]
    if code == EXIT_NO_TESTS:
        message = "pytest collected no tests"
        return [
            Finding("notice", "no-tests-collected", message, hint="check tests.paths and test file names")
        ]
    if outcome.cases is None:
        reason = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        hint = f"run `{python} -m pytest` locally; the interpreter or a test exited without a report"
        return [cannot_run(f"pytest crashed ({reason}) before writing its report", outcome, hint=hint)]
    collection = [c for c in outcome.cases if is_collection_error(c)]
    findings = [
        cannot_run(f"cannot collect {c.file or c.node_id}: {last_line(c.details)}", outcome, file=c.file)
        for c in collection
    ]
    if code in (2, 3, 4) and not findings:
        findings.append(
            cannot_run(f"pytest stopped with exit code {code} (interrupted or usage error)", outcome)
        )
    return findings


def case_findings(outcome: PytestRun, capture_output: bool) -> list[Finding]:
    findings = []
    for case in outcome.cases or ():
        if case.outcome not in ("failed", "error"):
            continue
        rule = "test-failed" if case.outcome == "failed" else "test-error"
        verb = "failed" if case.outcome == "failed" else "errored"
        message = f"{short_name(case.node_id)} {verb}: {trim(case.message or last_line(case.details))}"
        data: dict[str, object] = {"test": case.node_id, "details": tail(case.details, 40, 4000)}
        if case.line is not None:
            data["test_line"] = case.line
        if capture_output and case.output:
            data["output"] = tail(case.output)
        line = case.failing_line or case.line
        findings.append(
            Finding("error", rule, message, file=case.file, line=line, path=case.node_id, data=data)
        )
    return findings


def short_name(node_id: str) -> str:
    """The test's name without its file (the finding carries the file and the full id)."""
    return node_id.split("::", 1)[-1]


def trim(text: str, limit: int = MESSAGE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return trim(lines[-1]) if lines else "no details"
