"""The demo's quality history: a few commits on `main` before the base state (the data as it was imported,
then fixed step by step), each run through the real checks and recorded with `history record` on the
history branch, so that the PR comment has a trend to show."""

from __future__ import annotations

import contextlib
import io
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

DATA = "data/customers.csv"


def _broken_emails(text: str) -> str:
    """The first import: 20 addresses without a top-level domain."""
    lines = text.splitlines(keepends=True)
    for i in range(1, min(21, len(lines))):
        lines[i] = lines[i].replace("@example.com", "@example", 1)
    return "".join(lines)


def _unknown_segment(text: str) -> str:
    """An upstream system's 'vip' segment, not in the suite's value set."""
    lines = text.splitlines(keepends=True)
    for i in range(1, min(4, len(lines))):
        lines[i] = lines[i].replace(",bronze,", ",vip,", 1).replace(",silver,", ",vip,", 1)
    return "".join(lines)


# (commit message, how the base snapshot's data differed then), oldest first; the base commit follows.
STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("data: first import of customers", lambda t: _unknown_segment(_broken_emails(t))),
    ("data: fix the e-mail domains", _unknown_segment),
)


def write_history_commits(repo: Path, git: Callable[..., None]) -> list[str]:
    """Commit each step's data on the current branch; returns their SHAs (the caller commits the base)."""
    data = repo / DATA
    original = data.read_text(encoding="utf-8")
    commits = []
    for message, change in STEPS:
        data.write_text(change(original), encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", message)
        commits.append(head_of(repo))
    data.write_text(original, encoding="utf-8")
    return commits


def record_runs(repo: Path, commits: list[str]) -> None:
    """Run the data checks at each commit (no checkout) and append each run to the history branch."""
    from dataops_ci import cli

    with tempfile.TemporaryDirectory(prefix="dataops-ci-demo-history-") as tmp:
        for commit in commits:
            report = Path(tmp) / f"{commit}.json"
            argv = ["run", "-C", str(repo), "--base", commit, "--head", commit, "--all-files"]
            argv += ["--checks", "expectations,pipelines", "--format", "json", "--report-json", str(report)]
            with contextlib.redirect_stdout(io.StringIO()):
                cli.main(argv)
            record = ["history", "-C", str(repo), "record", "--report", str(report)]
            cli.main([*record, "--commit", commit, "--ref", "main", "--no-push"])


def head_of(repo: Path) -> str:
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True)
    return out.stdout.strip()
