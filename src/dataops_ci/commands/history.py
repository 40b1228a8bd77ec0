"""The quality history on its own git branch: `history record` appends a run, `history show` prints series.

dataops-ci history record --report report.json [--commit SHA] [--ref NAME] [--no-push]
dataops-ci history show [--dataset D] [--format text|json|csv] [--last N] [--fetch]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from dataops_ci.config import ConfigError, load_config
from dataops_ci.git import GitError, is_sha


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-C", "--repo", default=".", help="the repository (default: here)")
    parser.add_argument("--config", help="config file (default: dataops-ci.yml or pyproject.toml)")
    parser.add_argument("--branch", help="history branch (default: history.branch, dataops-ci-history)")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    record = sub.add_parser("record", help="append a run's summary (from its JSON report) to the history")
    record.add_argument("--report", required=True, metavar="PATH", help="the run's --report-json file")
    record.add_argument("--commit", help="the commit the run describes (default: the report's head)")
    record.add_argument("--ref", help="the branch it ran on (default: $GITHUB_REF_NAME, else git's branch)")
    record.add_argument("--no-push", action="store_true", help="write the local branch only, never push")
    show = sub.add_parser("show", help="print the quality score series")
    show.add_argument("--dataset", help="one dataset (or suite) instead of the overall score")
    show.add_argument("--format", default="text", choices=("text", "json", "csv"))
    show.add_argument("--last", type=int, default=0, metavar="N", help="only the last N runs")
    show.add_argument("--fetch", action="store_true", help="fetch the history branch from the remote first")


def _store(args: argparse.Namespace, no_push: bool = False) -> Any:
    from dataops_ci.publish.history_store import Store

    root = Path(args.repo).resolve()
    config = load_config(root, args.config).history
    return Store(root, args.branch or config.branch, config.file, None if no_push else config.remote), config


def main(args: argparse.Namespace) -> int:
    from dataops_ci import cli

    try:
        if args.action == "record":
            return _record(args)
        return _show(args)
    except (OSError, ValueError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise cli.UsageError(str(exc)) from None


def _record(args: argparse.Namespace) -> int:
    from dataops_ci.publish.history import record_of
    from dataops_ci.publish.history_store import append
    from dataops_ci.publish.labels import repo_and_ref
    from dataops_ci.report import Report

    report = Report.from_json(Path(args.report).read_text(encoding="utf-8"))
    store, config = _store(args, args.no_push)
    commit = args.commit or _described_commit(report, store)
    ref = args.ref or repo_and_ref(store.root)["ref"]
    result = append(store, record_of(report, commit, ref), attempts=config.push_attempts)
    if result.commit is None:
        print(f"dataops-ci history: {commit} is recorded already on {store.branch}", file=sys.stderr)
    else:
        where = f"pushed to {store.remote}" if result.pushed else "local only"
        tries = f" after {result.attempts} attempts" if result.attempts > 1 else ""
        print(
            f"dataops-ci history: recorded {commit[:12]} on {store.branch} ({where}{tries})", file=sys.stderr
        )
    return 0


def _described_commit(report: Any, store: Any) -> str:
    for candidate in (report.head_commit, report.head):
        if isinstance(candidate, str) and is_sha(candidate):
            return candidate
    try:
        return str(store.git("rev-parse", "HEAD").strip())
    except GitError:
        raise GitError("no commit to record: pass --commit") from None


def _show(args: argparse.Namespace) -> int:
    from dataops_ci.publish.history import series

    store, _ = _store(args)
    if args.fetch:
        store.fetch()
    records = store.records()
    if not records:
        print(f"dataops-ci history: no history on {store.branch} yet", file=sys.stderr)
    points = series(records, args.dataset)
    if args.last > 0:
        points = points[-args.last :]
    sys.stdout.write(_format(points, args.format))
    return 0


def _format(points: list[Any], fmt: str) -> str:
    rows = [{"commit": p.commit, "time": p.time, "dataset": p.dataset, "score": p.score} for p in points]
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=["commit", "time", "dataset", "score"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    from dataops_ci.render.escape import plain

    lines = [f"{plain(r['time'], 30):<21} {r['commit'][:12]:<12} {_pct(r['score'])}" for r in rows]
    return "".join(line + "\n" for line in lines)


def _pct(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1%}"
