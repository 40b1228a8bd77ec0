"""Build a throwaway git repo from examples/demo-repo (base, then head) and run every check on it."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEMO_ENV = "DATAOPS_CI_DEMO_DIR"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", default="demo-output", help="folder for comment.md, report.json, report.sarif"
    )
    parser.add_argument(
        "--source", help=f"demo snapshots folder (default: examples/demo-repo, or ${DEMO_ENV})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway repo and print its path")
    parser.add_argument("--format", default="text", help="output format for the terminal")


def find_source(explicit: str | None) -> Path:
    candidates = [explicit, os.environ.get(DEMO_ENV)]
    candidates.append(str(Path(__file__).resolve().parents[3] / "examples" / "demo-repo"))
    candidates.append(str(Path.cwd() / "examples" / "demo-repo"))
    for candidate in candidates:
        if candidate and (Path(candidate) / "base").is_dir() and (Path(candidate) / "head").is_dir():
            return Path(candidate)
    raise FileNotFoundError("examples/demo-repo not found: run from a dataops-ci checkout or pass --source")


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "dataops-ci demo",
        "GIT_AUTHOR_EMAIL": "demo@example.invalid",
        "GIT_COMMITTER_NAME": "dataops-ci demo",
        "GIT_COMMITTER_EMAIL": "demo@example.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def _replace_tree(src: Path, dest: Path) -> None:
    for child in dest.iterdir():
        if child.name == ".git":
            continue
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(src, dest, dirs_exist_ok=True)


def build_repo(source: Path, dest: Path) -> Path:
    """A git repo whose `main` is the base snapshot and whose `pr` branch (checked out) is the head."""
    dest.mkdir(parents=True, exist_ok=True)
    _git(dest, "init", "-q", "-b", "main")
    _replace_tree(source / "base", dest)
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "base: the data repo on main")
    _git(dest, "checkout", "-q", "-b", "pr")
    _replace_tree(source / "head", dest)
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "head: the pull request")
    return dest


def main(args: argparse.Namespace) -> int:
    from dataops_ci import cli

    try:
        source = find_source(args.source)
    except FileNotFoundError as exc:
        raise cli.UsageError(str(exc)) from None
    out = Path(args.out).absolute()
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="dataops-ci-demo-"))
    repo = build_repo(source, workdir / "data-project")
    # Exactly what a PR run does: only what changed between main and the PR branch is checked.
    argv = ["run", "-C", str(repo), "--base", "main", "--head", "pr"]
    argv += ["--format", args.format, "--report-json", str(out / "report.json")]
    code = cli.main(argv)
    _write_extra_formats(out)
    _write_site(repo, out)
    print(
        f"\ndataops-ci demo: wrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}",
        file=sys.stderr,
    )
    if code == cli.EXIT_FAILED:
        # The demo PR breaks things on purpose; showing that is the demo working, not failing.
        print(
            "dataops-ci demo: the demo PR fails its checks, as intended (in CI this run exits 1)",
            file=sys.stderr,
        )
    if args.keep:
        print(f"dataops-ci demo: throwaway repo kept at {repo}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return cli.EXIT_OK if code == cli.EXIT_FAILED else code


def _write_site(repo: Path, out: Path) -> None:
    """The data docs site of the demo PR's head (`dataops-ci docs`), when the docs extra is installed."""
    try:
        import jinja2  # noqa: F401
    except ImportError:
        print("dataops-ci demo: no docs site (pip install 'dataops-ci[docs]')", file=sys.stderr)
        return
    from dataops_ci import cli

    cli.main(["docs", "-C", str(repo), "--out", str(out / "site"), "--report", str(out / "report.json")])


def _write_extra_formats(out: Path) -> None:
    """Render the saved report in every other format the registry knows (comment.md, report.sarif ...)."""
    from dataops_ci.render import RENDERERS, render
    from dataops_ci.report import Report

    report = Report.from_json((out / "report.json").read_text(encoding="utf-8"))
    names = {"markdown": "comment.md", "sarif": "report.sarif", "junit": "report.junit.xml"}
    for fmt, name in names.items():
        if fmt in RENDERERS:
            # Mentions come from the `teams:` the run recorded in the report, as in a real PR run.
            (out / name).write_text(render(report, fmt), encoding="utf-8")
