"""Command line: argument parsing, and the one place that maps outcomes to exit codes.

dataops-ci run [--base REF] [--head REF] [--config FILE] [--checks a,b] [--all-files]
               [--format text|json|...] [--report-json PATH] [--github]
dataops-ci <check> [same options] [FILES...]
dataops-ci comment | migrate-suite | demo | lineage ...   (commands registered in COMMANDS)
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dataops_ci import __version__, checks
from dataops_ci.config import ConfigError
from dataops_ci.git import GitError
from dataops_ci.render import RENDERERS
from dataops_ci.report import Report

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Commands that are not checks: name -> module with add_arguments(parser) and main(args) -> int.
COMMANDS: dict[str, str] = {
    "demo": "dataops_ci.commands.demo",
    "comment": "dataops_ci.commands.comment",
    "avro-schema-lint": "dataops_ci.commands.lint",  # pre-commit: one schema on its own, no git compare
    "expectation-suite-lint": "dataops_ci.commands.lint",  # pre-commit: suite JSON shape, without GX
    "migrate-suite": "dataops_ci.commands.migrate_suite",  # GX 0.x suite -> 1.x JSON
    "lineage": "dataops_ci.commands.lineage",  # the lineage graph, or one column's up- and downstream
    "docs": "dataops_ci.commands.docs",  # the static data docs site
}


class UsageError(Exception):
    """The command line cannot be acted on (exit 2)."""


def exit_code(report: Report, fail_on: str = "error") -> int:
    """The exit code for a finished run. A check that could not run is not a pass."""
    if fail_on == "never":
        return EXIT_OK
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


def _requested_command(argv: Sequence[str] | None) -> str | None:
    """The subcommand named on the command line (its first positional argument), if any."""
    args = sys.argv[1:] if argv is None else argv
    return next((a for a in args if not a.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser. Given the command line, command modules other than the one it names are not
    imported (their parsers are never used in this run): pre-commit hooks must not pay for httpx & co."""
    wanted = _requested_command(argv) if argv is not None else None
    parser = argparse.ArgumentParser(prog="dataops-ci", description="CI for data repositories.")
    parser.add_argument("--version", action="version", version=f"dataops-ci {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    # A pre-commit hook names one check: the other checks' modules are not loaded for options never used.
    only_one_check = wanted in checks.CHECKS
    run = sub.add_parser("run", help="run every check that applies", description="Run the checks.")
    if not only_one_check:
        _add_common(run)
        run.add_argument("--checks", help=f"comma-separated subset of: {', '.join(checks.CHECKS)}")
        for name in checks.CHECKS:
            _add_check_arguments(run, name, prefixed=True)

    for name, spec in checks.CHECKS.items():
        one = sub.add_parser(name, help=spec.description, description=spec.description)
        if only_one_check and name != wanted:
            continue  # a placeholder, never parsed
        _add_common(one)
        one.add_argument("files", nargs="*", metavar="FILES", help="check these files (pre-commit)")
        _add_check_arguments(one, name, prefixed=False)

    for name, module_name in COMMANDS.items():
        if wanted in checks.CHECKS or wanted == "run":
            sub.add_parser(name)  # not this run's command: a placeholder, never parsed
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
        raise UsageError(f"unknown check(s): {', '.join(unknown)}; known: {', '.join(checks.CHECKS)}")
    return names, True


def _check_options(args: argparse.Namespace) -> dict[str, Any]:
    skip = {"base", "head", "config", "all_files", "format", "report_json", "repo", "github", "files"}
    skip |= {"sarif", "junit", "comment", "token_env"}
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
    if args.github:
        report = _publish_github(report, ctx, args)
    # Written after publishing, so the files carry approvals and the PR context.
    for fmt, target in (("json", args.report_json), ("sarif", args.sarif), ("junit", args.junit)):
        if target:
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(report, fmt), encoding="utf-8")
    sys.stdout.write(render(report, args.format))
    return exit_code(report, args.fail_on)


def _publish_github(report: Report, ctx: Any, args: argparse.Namespace) -> Report:
    # Imported only here: the GitHub side is never needed by pre-commit hooks or local runs.
    publish = importlib.import_module("dataops_ci.github.publish")
    result: Report = publish.publish(report, ctx.config, args)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        if args.command in COMMANDS:
            code: int = importlib.import_module(COMMANDS[args.command]).main(args)
            return code
        return _run_checks(args)
    except (ConfigError, GitError, UsageError) as exc:
        print(f"dataops-ci: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("dataops-ci: interrupted", file=sys.stderr)
        return 130
