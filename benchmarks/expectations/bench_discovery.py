"""What GX project discovery adds to a run: `find_projects` on a repository of N files with no GX project
(the cost every schema-only run pays) and with one, in the working tree and at a commit.

    python benchmarks/expectations/bench_discovery.py [FILES]     (default 2000)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dataops_ci.expectations.gx_project import find_projects
from dataops_ci.git import GitRepo

ENV = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]


def build(root: Path, files: int) -> GitRepo:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for i in range(files):
        path = root / f"schemas/team{i % 40}/subject{i}.avsc"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"type": "string"}\n')
    subprocess.run(["git", *ENV, "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *ENV, "commit", "-qm", "schemas"], cwd=root, check=True)
    return GitRepo(root)


def measure(repo: GitRepo, rev: str | None, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        find_projects(repo, rev)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        repo = build(Path(tmp), files)
        worktree, head = measure(repo, None), measure(repo, "HEAD")
        print(f"{files} files, no GX project: worktree {worktree:.4f} s, HEAD {head:.4f} s")
        (Path(tmp) / "gx").mkdir()
        (Path(tmp) / "gx" / "great_expectations.yml").write_text("config_version: 4\n")
        print(f"{files} files, one GX project: worktree {measure(repo, None):.4f} s")


if __name__ == "__main__":
    main()
