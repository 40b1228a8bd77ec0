"""Generate the data docs site: every schema, pipeline and suite of the repository as static HTML.

    dataops-ci docs [--out site/] [-C REPO] [--config FILE] [--report report.json] [--title TEXT]

Pages for every Avro schema (fields, types, defaults, docs, logical types, compatibility mode, its history in
git with each version's verdict), every pipeline (owner, reviewers, schedule, quality checks, data contract,
and its latest quality score when `--report` names a report JSON written by `run`) and every expectation
suite (each expectation in words); an index with a search that works from disk. Exit codes: 0 written,
2 unusable input (not a git repository, bad config or report, Jinja2 not installed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dataops_ci.config import ConfigError, load_config
from dataops_ci.git import GitRepo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="site", help="folder to write the site into (default: site/)")
    parser.add_argument("-C", dest="repo", default=".", help="the data repository (default: .)")
    parser.add_argument("--config", help="config file (default: dataops-ci.yml or pyproject.toml)")
    parser.add_argument("--report", help="a report JSON from `dataops-ci run`: latest quality scores")
    parser.add_argument("--title", default="", help="site title (default: the repository folder name)")


def main(args: argparse.Namespace) -> int:
    from dataops_ci import cli

    try:
        import jinja2  # noqa: F401  (the docs extra)
    except ImportError:
        raise cli.UsageError("the docs site needs Jinja2: pip install 'dataops-ci[docs]'") from None
    from dataops_ci.publish.site import collect_site, write_site
    from dataops_ci.report import Report

    repo = GitRepo.discover(Path(args.repo))
    config = load_config(repo.root, args.config)
    report = None
    if args.report:
        try:
            report = Report.from_json(Path(args.report).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"--report {args.report}: not a report JSON written by `run` ({exc})") from None
    site = collect_site(repo, config, report, args.title)
    out = Path(args.out)
    pages = write_site(site, out)
    counts = f"{len(site.schemas)} schemas, {len(site.pipelines)} pipelines, {len(site.suites)} suites"
    print(f"dataops-ci docs: wrote {len(pages)} pages ({counts}) to {out}/index.html", file=sys.stderr)
    for note in site.notes:
        print(f"dataops-ci docs: notice: {note}", file=sys.stderr)
    return cli.EXIT_OK
