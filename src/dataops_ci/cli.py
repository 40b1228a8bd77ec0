"""Command line: argument parsing, and the one place that maps outcomes to exit codes.

dataops-ci run [--base REF] [--head REF] [--config FILE] [--checks a,b] [--all-files]
               [--format text|json|...] [--report-json PATH] [--github]
dataops-ci <check> [same options] [FILES...]
dataops-ci comment | migrate-suite | demo | lineage ...   (commands registered in COMMANDS)
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dataops_ci import __version__, checks
from dataops_ci.config import ConfigError
from dataops_ci.git import GitError
from dataops_ci.render import RENDERERS
from dataops_ci.report import NOTHING_CHECKED, Report
from dataops_ci.words import noun

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Commands that are not checks: name -> module with add_arguments(parser) and main(args) -> int.
COMMANDS: dict[str, str] = {
    "demo": "dataops_ci.commands.demo",
    "comment": "dataops_ci.commands.comment",
    "avro-schema-lint": "dataops_ci.commands.lint",  # pre-commit: one schema on its own, no git compare
    "expectation-suite-lint": "dataops_ci.commands.lint",  # pre-commit: suite JSON shape, without GX
    "migrate-suite": "dataops_ci.commands.migrate_suite",  # GX 0.x suite -> 1.x JSON
    "docs": "dataops_ci.commands.docs",  # the static data docs site
    "lineage": "dataops_ci.commands.lineage",  # the lineage graph, or one column's up- and downstream
    "history": "dataops_ci.commands.history",  # the quality history on its git branch: record, show
}
# The report files a run writes: format -> the option naming the file.
REPORT_FILES = {"json": "report_json", "sarif": "sarif", "junit": "junit"}
# Results that report on publishing, never on the data: they never change the exit code.
NEVER_FAILS = frozenset({"metrics-push"})


class UsageError(Exception):
    """The command line cannot be acted on (exit 2)."""


def _terminal_columns() -> int:
    """The width argparse's help formatter would measure with `shutil.get_terminal_size()`: $COLUMNS, else
    the terminal on stdout, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    try:
        size = os.get_terminal_size(stdout.fileno()) if stdout is not None else None
    except (ValueError, OSError):
        size = None
    return (size.columns if size is not None else 0) or 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, given the width it would compute itself. Left to measure it, argparse imports
    shutil (and with it bz2, lzma, zlib): ~1.5 ms on every hook's start, for help that is rarely shown
    (argparse builds a formatter for each add_argument)."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)  # argparse keeps 2 columns free


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser with `_HelpFormatter`; `add_subparsers` makes the sub-parsers of this class too."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(**kwargs)


def exit_code(report: Report, fail_on: str = "error", fail_if_nothing_checked: bool = False) -> int:
    """The exit code for a finished run. A check that could not run is not a pass. A run that checked
    nothing (every check skipped) is not a pass either, but not a failure: 0, unless the user asked
    `--fail-if-nothing-checked` (a CI job that must check something), then 1."""
    if fail_on == "never":
        return EXIT_OK
    report = report.with_checks(c for c in report.checks if c.name not in NEVER_FAILS)
    if report.status == NOTHING_CHECKED:
        return EXIT_FAILED if fail_if_nothing_checked else EXIT_OK
    if report.status != "passed":
        return EXIT_FAILED
    if fail_on == "warning" and any(f.severity == "warning" for _, f in report.findings()):
        return EXIT_FAILED
    return EXIT_OK


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", help="base revision (default: the PR base in GitHub Actions, else HEAD)")
    parser.add_argument("--head", help="head revision (default: the working tree)")
    parser.add_argument("--config", help="config file (default: dataops-ci.yml or pyproject.toml)")
    parser.add_argument("--all-files", action="store_true", help="check every file, not only changed ones")
    parser.add_argument("--format", default="text", choices=sorted(RENDERERS), help="output format")
    parser.add_argument("--report-json", metavar="PATH", help="also write the JSON report to PATH")
    parser.add_argument(
        "--fail-on",
        default="error",
        choices=("error", "warning", "never"),
        help="which findings make the exit code 1 (default: error)",
    )
    parser.add_argument(
        "--fail-if-nothing-checked",
        action="store_true",
        help="exit 1 when every check was skipped (default: 0; the verdict is 'nothing checked' either way)",
    )
    parser.add_argument("-C", "--repo", default=".", help="run as if started in this directory")
    parser.add_argument("--github", action="store_true", help="GitHub Actions: annotations, summary, comment")
    parser.add_argument("--sarif", metavar="PATH", help="also write every finding as SARIF 2.1.0 to PATH")
    parser.add_argument("--junit", metavar="PATH", help="also write the results as JUnit XML to PATH")
    parser.add_argument(
        "--comment",
        action="store_true",
        help="with --github: post the sticky PR comment (or DATAOPS_CI_COMMENT)",
    )
    parser.add_argument("--token-env", metavar="NAME", help="with --github: read the token from $NAME")
    parser.add_argument(
        "--metrics", metavar="PATH", help="also write Prometheus metrics (text format) to PATH"
    )
    parser.add_argument("--pushgateway", metavar="URL", help="also push the metrics to this Pushgateway")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser. Given a command line that starts with a command's name (a pre-commit hook: one
    check, or avro-schema-lint, ...), only that command's parser is built and only its module imported:
    the others are never used in this run (pipelines would bring pydantic, comment httpx). Otherwise (no
    argv, --help first, an unknown name) every parser, so help and the invalid-choice error list them all."""
    args = list(argv) if argv is not None else []
    known = {"run", *checks.CHECKS, *COMMANDS}
    wanted = args[0] if args and args[0] in known else None
    parser = _Parser(prog="dataops-ci", description="CI for data repositories.")
    parser.add_argument("--version", action="version", version=f"dataops-ci {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    if wanted in (None, "run"):
        run = sub.add_parser("run", help="run every check that applies", description="Run the checks.")
        _add_common(run)
        run.add_argument("--checks", help=f"comma-separated subset of: {', '.join(checks.CHECKS)}")
        for name in checks.CHECKS:
            _add_check_arguments(run, name, prefixed=True)

    for name, spec in checks.CHECKS.items():
        if wanted not in (None, name):
            continue
        one = sub.add_parser(name, help=spec.description, description=spec.description)
        _add_common(one)
        one.add_argument("files", nargs="*", metavar="FILES", help="check these files (pre-commit)")
        _add_check_arguments(one, name, prefixed=False)

    for name, module_name in COMMANDS.items():
        if wanted not in (None, name):
            continue
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=module.__doc__.splitlines()[0] if module.__doc__ else None)
        module.add_arguments(command)
    return parser


def _add_check_arguments(parser: argparse.ArgumentParser, name: str, prefixed: bool) -> None:
    """Let a check module add its own options. Loading the module must stay light (no heavy imports)."""
    adder = getattr(checks.load(name), "add_arguments", None)
    if adder is None:
        return
    if prefixed:
        group = parser.add_argument_group(f"{name} options")
        adder(group)
    else:
        adder(parser)


def _selected_checks(args: argparse.Namespace) -> tuple[list[str], bool]:
    if args.command != "run":
        return [args.command], True
    if not args.checks:
        return list(checks.CHECKS), False
    names = [n.strip() for n in args.checks.split(",") if n.strip()]
    unknown = [n for n in names if n not in checks.CHECKS]
    if unknown:
        raise UsageError(
            f"unknown {noun(len(unknown), 'check')}: {', '.join(unknown)}; known: {', '.join(checks.CHECKS)}"
        )
    return names, True


def _check_options(args: argparse.Namespace) -> dict[str, Any]:
    skip = {"base", "head", "config", "all_files", "format", "report_json", "repo", "github", "files"}
    skip |= {"sarif", "junit", "comment", "token_env", "fail_if_nothing_checked", "metrics", "pushgateway"}
    return {k: v for k, v in vars(args).items() if k not in skip and k not in {"command", "checks"}}


def _run_checks(args: argparse.Namespace) -> int:
    from dataops_ci import runner
    from dataops_ci.render import render

    names, explicit = _selected_checks(args)
    files = getattr(args, "files", None)
    ctx = runner.build_context(
        cwd=Path(args.repo),
        base=args.base,
        head=args.head,
        config_file=args.config,
        all_files=args.all_files,
        files=files if files else None,
        options=_check_options(args),
    )
    for warning in ctx.config.warnings:
        print(f"dataops-ci: warning: {warning}", file=sys.stderr)
    report = runner.run_checks(names, ctx, explicit=explicit)
    if args.command == "run":  # the base branch's quality trend, for the comment (not for pre-commit hooks)
        from dataops_ci.publish.trend import attach_trend

        report = attach_trend(report, ctx.config, ctx.repo.root, args.base)
    if args.metrics or args.pushgateway:
        from dataops_ci.publish.outputs import publish_metrics

        report = publish_metrics(report, ctx.config, ctx.repo.root, args.metrics, args.pushgateway)
    if args.github:
        report = _publish_github(report, ctx, args)
    _write_report_files(report, args)  # after publishing: the files carry approvals and the PR context
    sys.stdout.write(render(report, args.format))
    return exit_code(report, args.fail_on, args.fail_if_nothing_checked)


def _write_report_files(report: Report, args: argparse.Namespace) -> None:
    from dataops_ci.render import render

    for fmt, option in REPORT_FILES.items():
        target = getattr(args, option, None)
        if target:
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(report, fmt), encoding="utf-8")


def _write_stopped_report(args: argparse.Namespace, error: Exception) -> None:
    """A run that could not start still writes the report files it was asked for (the two-stage workflow
    posts the comment from the JSON) and, in GitHub Actions, the annotations that point at the cause."""
    from dataops_ci.render import render
    from dataops_ci.runner import could_not_start

    report = could_not_start(error, args.base, args.head)
    try:
        _write_report_files(report, args)
    except OSError as exc:
        print(f"dataops-ci: error: cannot write the report: {exc}", file=sys.stderr)
    if getattr(args, "github", False):
        sys.stdout.write(render(report, "annotations"))


def _publish_github(report: Report, ctx: Any, args: argparse.Namespace) -> Report:
    # Imported only here: the GitHub side is never needed by pre-commit hooks or local runs.
    publish = importlib.import_module("dataops_ci.github.publish")
    result: Report = publish.publish(report, ctx.config, args)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """The command line. `argv` None: this process's own arguments (the console script, `python -m
    dataops_ci`), and the process ends when this returns."""
    code = _main(argv)
    if argv is None:
        # All that is left is the exit, where the interpreter would walk its ~13,000 objects (modules,
        # classes, functions, nearly all in reference cycles) with the cyclic collector and free them one
        # by one: ~7 ms, more than any import on a pre-commit hook's path. Frozen, the collector leaves
        # them to the OS. Output is still flushed and atexit handlers still run.
        gc.freeze()
    return code


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        if args.command in COMMANDS:
            code: int = importlib.import_module(COMMANDS[args.command]).main(args)
            return code
        return _run_checks(args)
    except (ConfigError, GitError, UsageError) as exc:
        print(f"dataops-ci: error: {exc}", file=sys.stderr)
        if args.command not in COMMANDS:
            _write_stopped_report(args, exc)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("dataops-ci: interrupted", file=sys.stderr)
        return 130
