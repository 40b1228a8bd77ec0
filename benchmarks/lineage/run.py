"""The lineage graph of generated dbt-shaped projects: cold (empty cache), warm (nothing changed), and warm
with one model changed, as a PR re-run sees it. Sizes from the command line (default 100 250 500 1000).

    python benchmarks/lineage/run.py [MODELS ...]

Each project is a real git repository (benchmarks/lineage/generate.py); the graph is built from a commit,
as the blast-radius check does, in this process. Best of 3 for the warm numbers, one cold run per size
(each with a new cache directory).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from dataops_ci.config import load_config  # noqa: E402
from dataops_ci.git import GitRepo  # noqa: E402
from dataops_ci.lineage.build import build_graph  # noqa: E402
from dataops_ci.lineage.cache import ParseCache  # noqa: E402


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@x"}  # fmt: skip
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()  # fmt: skip


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers, git)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(repo: GitRepo, rev: str, cache: ParseCache) -> tuple[float, int, int, int, float]:
    config = load_config(repo.root, None)
    cpu, started = _cpu(), time.perf_counter()
    graph = build_graph(repo, rev, config, cache)
    wall = time.perf_counter() - started
    return wall, cache.misses, len(graph.nodes), len(graph.uses), _cpu() - cpu


def measure(models: int, root: Path) -> dict[str, object]:
    repo_dir = root / f"p{models}"
    paths = generate(repo_dir, models)
    git(repo_dir, "init", "-q", "-b", "main")
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "base")
    base = git(repo_dir, "rev-parse", "HEAD")
    repo = GitRepo(repo_dir)
    cache_dir = root / f"cache{models}"
    cold, parsed, nodes, uses, cold_cpu = timed(repo, base, ParseCache(cache_dir))
    warm_runs = [timed(repo, base, ParseCache(cache_dir)) for _ in range(3)]
    # one mid-graph model changes its logic (same columns): it is parsed and traced again, nothing else
    middle = paths[len(paths) // 2 :] + paths
    changed = next(p for p in middle if "where id is not null" in (repo_dir / p).read_text(encoding="utf-8"))
    text = (repo_dir / changed).read_text(encoding="utf-8")
    (repo_dir / changed).write_text(text.replace("where id is not null", "where id > 0"), encoding="utf-8")
    git(repo_dir, "commit", "-q", "-am", "one model")
    head = git(repo_dir, "rev-parse", "HEAD")
    one = [timed(repo, head, ParseCache(cache_dir)) for _ in range(3)]
    return {
        "models": models, "nodes": nodes, "uses": uses, "cold_s": cold, "cold_cpu": cold_cpu,
        "cold_parsed": parsed, "warm_s": min(r[0] for r in warm_runs),
        "warm_cpu": min(r[4] for r in warm_runs),
        "one_s": min(r[0] for r in one), "one_cpu": min(r[4] for r in one), "one_parsed": one[0][1],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=int, default=[100, 250, 500, 1000])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| models | nodes | uses | cold: wall / CPU | parsed + traced | warm, unchanged: wall / CPU "
          "| one model changed: wall / CPU | parsed + traced |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="lineage-bench-") as tmp:
        for models in args.models:
            r = measure(models, Path(tmp))
            print(
                f"| {r['models']} | {r['nodes']} | {r['uses']} | {r['cold_s']:.2f} s / {r['cold_cpu']:.2f} s "
                f"| {r['cold_parsed']} | {r['warm_s']:.2f} s / {r['warm_cpu']:.2f} s "
                f"| {r['one_s']:.2f} s / {r['one_cpu']:.2f} s | {r['one_parsed']} |",
                flush=True,
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
