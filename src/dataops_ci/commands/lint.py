"""Lint FILES on their own, fast, for pre-commit (no base compared, nothing heavy imported).

The commands `avro-schema-lint` and `expectation-suite-lint`:

    dataops-ci avro-schema-lint [FILES...]        parses, names, defaults, logical types, docs
    dataops-ci expectation-suite-lint [FILES...]  suite JSON is GX 1.x (legacy 0.x is a warning), every
                                                  type and argument known to GX (the shipped catalog)

Fast by design: no git revision is compared and nothing heavy is imported (no GX, no pandas). The work is
done by the other modules' pure functions: the Avro engine (`dataops_ci.avro`) and the schema check's
parse findings, and the suite parser (`dataops_ci.expectations.suites`) with the expectations
check's findings.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dataops_ci.config import load_config
from dataops_ci.git import GitRepo, inside_repo, outside_repo_message
from dataops_ci.report import CheckResult, Finding, Report, Severity, status_from_findings
from dataops_ci.runner import repo_relative
from dataops_ci.words import plural

if TYPE_CHECKING:
    from dataops_ci.config import Config  # annotations only: no pydantic at import

AVRO = "avro-schema-lint"
SUITE = "expectation-suite-lint"
SEVERITIES: dict[str, Severity] = {"error": "error", "warning": "warning", "notice": "notice"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from dataops_ci.render import RENDERERS

    parser.add_argument("files", nargs="*", metavar="FILES", help="files to lint (default: all that match)")
    parser.add_argument("--config", help="config file (default: dataops-ci.yml or pyproject.toml)")
    parser.add_argument("-C", "--repo", default=".", help="run as if started in this directory")
    parser.add_argument("--format", default="text", choices=sorted(RENDERERS), help="output format")
    parser.add_argument(
        "--fail-on", default="error", choices=("error", "warning", "never"), help="default: error"
    )


def lint_schemas(repo: GitRepo, config: Config, files: Sequence[str]) -> list[Finding]:
    """Lint findings for `files`, parsed with every schema of the working tree (named types resolve
    as in the compatibility check: per file, or shared, by `schemas.references`)."""
    from dataops_ci.avro import lint
    from dataops_ci.checks.schema_compat.files import read_snapshot
    from dataops_ci.checks.schema_compat.verdict import parse_side, unusable_findings

    settings = config.schemas
    side = parse_side(read_snapshot(repo, None, settings.paths, settings.max_file_bytes), settings.references)
    findings: list[Finding] = []
    for path in files:
        problems = side.problems_of(path)
        if problems:
            findings += unusable_findings(path, problems, base=False)
            continue
        schema = side.revision.schemas.get(path)
        if schema is None:
            findings.append(_not_found(path, "schemas.paths"))
            continue
        for issue in lint(schema):
            severity = SEVERITIES.get(issue.severity, "warning")
            line = schema.line_of(issue.pointer)
            findings.append(Finding(severity, issue.rule, issue.message, path, line, issue.path, issue.hint))
    return findings


def lint_suites(repo: GitRepo, files: Sequence[str]) -> list[Finding]:
    from dataops_ci.expectations import catalog
    from dataops_ci.expectations.suite_findings import legacy_finding, suite_error_finding
    from dataops_ci.expectations.suites import SuiteError, parse_suite

    findings: list[Finding] = []
    for path in files:
        try:
            if not inside_repo(repo.root, path):
                raise OSError(outside_repo_message(path))
            parsed = parse_suite((repo.root / path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            findings.append(
                suite_error_finding(path, SuiteError(f"cannot read the suite file: {exc}", 1), None)
            )
            continue
        except SuiteError as exc:
            findings.append(suite_error_finding(path, exc, None))
            continue
        if parsed.legacy:
            findings.append(legacy_finding(path))
        for index, expectation in enumerate(parsed.expectations):
            unknown, wrong = catalog.problems(expectation["type"], expectation["kwargs"])
            if unknown:
                findings.append(_unknown_type(path, parsed.lines[index], index, unknown))
            elif wrong:
                findings.append(_bad_kwargs(path, parsed.kwargs_lines[index], index, expectation, wrong))
    return findings


def _unknown_type(path: str, line: int | None, index: int, message: str) -> Finding:
    return Finding(
        "error",
        "unknown-expectation",
        f"{path}: expectation {index}: {message}",
        path,
        line,
        path=f"expectations[{index}]",
        hint="use a GX 1.x expectation type (https://greatexpectations.io/expectations/)",
    )


def _bad_kwargs(
    path: str, line: int | None, index: int, expectation: dict[str, object], problems: list[str]
) -> Finding:
    return Finding(
        "error",
        "invalid-expectation",
        f"{path}: expectation {index} ({expectation['type']}): {'; '.join(problems)}",
        path,
        line,
        path=f"expectations[{index}]",
        hint="fix the expectation's kwargs to match the GX 1.x expectation",
    )


def _not_found(path: str, setting: str) -> Finding:
    return Finding(
        "error",
        "cannot-read-file",
        f"{path} is not a file of this repository matched by {setting}",
        path,
        hint=f"pass files inside the repository, or widen {setting} in the config",
    )


def _default_suites(repo: GitRepo, config: Config) -> list[str]:
    """The configured suites and those of every GX project (gx/expectations/...) of the working tree."""
    from dataops_ci.expectations.gx_project import find_projects

    found = {entry.suite for entry in config.expectations.suites}
    for project in find_projects(repo, None):
        found.update(project.store_files("expectations"))
    return sorted(found)


def main(args: argparse.Namespace) -> int:
    from dataops_ci import cli
    from dataops_ci.render import render

    started = time.perf_counter()
    repo = GitRepo.discover(Path(args.repo))
    config = load_config(repo.root, args.config)
    cwd = Path(args.repo).absolute()
    files = [repo_relative(repo.root, cwd, f) for f in args.files]
    linter: Callable[[], list[Finding]]
    if args.command == AVRO:
        files = files or repo.list_files(None, config.schemas.paths)
        linter = lambda: lint_schemas(repo, config, files)  # noqa: E731
    else:
        files = files or _default_suites(repo, config)
        linter = lambda: lint_suites(repo, files)  # noqa: E731
    findings = linter()
    kind = "schema" if args.command == AVRO else "suite"
    summary = f"{plural(len(files), kind + ' file')} linted, {plural(len(findings), 'finding')}"
    result = CheckResult(
        args.command,
        status_from_findings(findings),
        summary,
        time.perf_counter() - started,
        findings=tuple(findings),
    )
    report = Report(base="WORKTREE", head="WORKTREE", checks=(result,), duration_s=result.duration_s)
    sys.stdout.write(render(report, args.format))
    return cli.exit_code(report, args.fail_on)
