"""sql-lint on a mattermost-shaped dbt project (`mattermost.py`): dataops-ci against plain `sqlfluff lint`.

    python benchmarks/sql/run_dbt.py [--count 36] [--plain-sqlfluff PATH] [--work DIR]

Plain sqlfluff is `sqlfluff lint --templater jinja -p <cores>` (the project's .sqlfluff names the dbt
templater, which is not installed), once with `--plain-sqlfluff` (a sqlfluff as `pip install sqlfluff`
gives it, without the Rust parser) and once with this environment's. dataops-ci is `sql-lint --all-files`
cold (no cache) and warm. Each row: wall time, CPU time of the process and its children, and whether the
violations (file, code, line, column, description) are identical to plain sqlfluff's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from mattermost import generate  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
Violation = tuple[str, str, int, int, str]


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, bytes]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**ENV, **env}, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout


def plain_violations(stdout: bytes) -> set[Violation]:
    return {
        (e["filepath"], v["code"], v["start_line_no"], v["start_line_pos"], v["description"])
        for e in json.loads(stdout)
        for v in e["violations"]
    }


def our_violations(stdout: bytes) -> set[Violation]:
    check = json.loads(stdout)["checks"][0]
    found = set()
    for f in check["findings"]:
        code = f.get("data", {}).get("code")
        if code and f.get("file"):
            description = f["message"].split("): ", 1)[-1]
            found.add((f["file"], code, f["line"], f.get("column"), description))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=36)
    parser.add_argument("--plain-sqlfluff", type=Path, help="a sqlfluff without sqlfluffrs")
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    work = args.work or Path(tempfile.mkdtemp(prefix="dataops-ci-dbtbench-"))
    env = {"PYTHONPYCACHEPREFIX": str(work / "pycache"), "DATAOPS_CI_CACHE_DIR": str(work / "cache")}
    repo = work / "repo"
    generate(repo, args.count)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    commit = ["git", "-c", "user.name=b", "-c", "user.email=b@x", "commit", "-qm", "models"]
    subprocess.run(commit, cwd=repo, check=True)
    (work / "nocache.yml").write_text("sql: {cache: false}\n")
    lint = ["lint", "--templater", "jinja", "-p", str(cores), "-f", "json", "models"]
    ours = [str(BIN / "dataops-ci"), "sql-lint", "--all-files", "--format", "json"]
    runs = {}
    if args.plain_sqlfluff:
        runs["plain sqlfluff (pip install sqlfluff)"] = [str(args.plain_sqlfluff), *lint]
    runs["sqlfluff of this environment (with sqlfluffrs)"] = [str(BIN / "sqlfluff"), *lint]
    runs["dataops-ci sql-lint --all-files, cold"] = [*ours, "--config", str(work / "nocache.yml")]
    for cmd in runs.values():  # warm-up: bytecode for every interpreter, once
        subprocess.run(cmd[:1] + ["--version"], env={**ENV, **env}, capture_output=True, check=False)
    try:
        print(f"cores: {cores}, load average before: {os.getloadavg()[0]:.1f}")
        results = {name: timed(cmd, repo, env) for name, cmd in runs.items()}
        timed(ours, repo, env)  # fill the cache
        results["dataops-ci sql-lint --all-files, warm"] = timed(ours, repo, env)
        (work / "results.json").write_text(json.dumps({k: [w, c] for k, (w, c, _) in results.items()}))
        reference = plain_violations(next(iter(results.values()))[2])
        base_wall, base_cpu = next(iter(results.values()))[:2]
        print(f"load average after: {os.getloadavg()[0]:.1f}; {len(reference)} violations\n")
        print(
            "| run | wall | CPU | wall / first | CPU / first | same violations |\n|---|---:|---:|---:|---:|---|"  # noqa: E501
        )
        for name, (wall, cpu, out) in results.items():
            got = our_violations(out) if name.startswith("dataops-ci") else plain_violations(out)
            same = "yes" if got == reference else f"no ({len(got ^ reference)} differ)"
            print(
                f"| {name} | {wall:.1f} s | {cpu:.1f} s | {wall / base_wall:.2f} | {cpu / base_cpu:.2f} | {same} |"  # noqa: E501
            )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
