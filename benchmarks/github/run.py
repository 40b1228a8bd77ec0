"""Benchmark of the GitHub side against the fake GitHub API (real sockets, one process).

    python benchmarks/github/run.py [--comments 1000] [--findings 10000]

1. the sticky comment on a PR that already has N other comments (all pages are listed): first run creates,
   second run updates — wall time and request count of each;
2. the second stage on a big untrusted report: validate, render under 65,536 characters, post.
Reproducible: the generated data depends only on the arguments.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dataops_ci.github.client import GitHubClient  # noqa: E402
from dataops_ci.github.report_schema import load_untrusted  # noqa: E402
from dataops_ci.github.sticky import HeadOrder, StickyComment  # noqa: E402
from dataops_ci.render import markdown  # noqa: E402
from dataops_ci.report import CheckResult, Finding, Report  # noqa: E402
from tests.github.fake_server import FakeGitHub  # noqa: E402

REPO, PR, KEY, TOKEN = "acme/data", 1, "data-ci:checks", "ghs_write"


def big_report(findings: int) -> Report:
    items = tuple(
        Finding("error", "LT01", f"violation {i}: expected a single space", f"models/m{i % 500}.sql", i + 1)
        for i in range(findings)
    )
    return Report(
        "a" * 40, "b" * 40, (CheckResult("sql-lint", "failed", f"{findings} errors", findings=items),)
    )


def timed_publish(fake: FakeGitHub, body: str) -> tuple[str, float, int]:
    before = len(fake.log)
    started = time.perf_counter()
    with GitHubClient(fake.url, TOKEN) as client:
        sticky = StickyComment(client, REPO, PR, KEY, "github-actions[bot]", HeadOrder(client, REPO, PR))
        outcome = sticky.publish(body, "b" * 40)
    return outcome.action, time.perf_counter() - started, len(fake.log) - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--findings", type=int, default=10_000)
    args = parser.parse_args()
    with FakeGitHub() as fake:
        fake.add_token(TOKEN, "github-actions[bot]", app=True)
        for i in range(args.comments):
            fake.add_comment(REPO, PR, f"review comment {i}", "reviewer")
        report = big_report(args.findings)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.json"
            path.write_text(report.to_json())
            started = time.perf_counter()
            loaded = load_untrusted(path)
            validated = time.perf_counter() - started
            started = time.perf_counter()
            body = markdown.render(loaded, marker_key=KEY)
            rendered = time.perf_counter() - started
            size_mb = path.stat().st_size / 1e6
        print(f"report: {args.findings} findings, {size_mb:.1f} MB JSON")
        print(f"  validate untrusted report: {validated:.2f} s")
        print(f"  render comment:            {rendered:.2f} s ({len(body)} chars)")
        for attempt in ("first", "second"):
            # A different body each run (same length), so the second run really updates.
            action, seconds, requests = timed_publish(fake, f"{attempt}\n" + body[: -len(attempt) - 1])
            print(f"sticky comment, {args.comments} other comments, {attempt} run: ", end="")
            print(f"{action} in {seconds:.2f} s, {requests} requests")


if __name__ == "__main__":
    main()
