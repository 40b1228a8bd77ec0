"""What discovery (checks/discovery.py) adds to a run, on a generated repository of 2,000 files.

    python benchmarks/discovery/run.py [--runs 9] [--files 2000] [--keep]

The repository: Avro schemas in `schemas/` and Kafka-subject copies in `subjects/` (outside schemas.paths,
so one notice), SQL models, GX suite JSON under `expectations/` (half of them named in the config), a
`gx/` project, a `dbt_project.yml`, and Python/CSV/Markdown files; committed as `base`, then one schema
changed in `main`. Measured:

1. in-process, `discover()` alone: for a schema-only run (only the `.avsc` rule) and for every check
   (all five rules, the suite JSON read), on the commit (`git ls-tree`) and the working tree
   (`git ls-files`); best of N.
2. whole processes, `dataops-ci schema-compat --base base --head main`, with discovery and with it
   switched off by a wrapper (`runner.with_discoveries` replaced by the identity); median of N each,
   interleaved so machine load hits both alike.

Target (issue 12): under 0.1 s added to a schema-only run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

SCHEMA = {"type": "record", "name": "T", "namespace": "bench", "fields": [{"name": "id", "type": "long"}]}
OFF = (
    "import sys; import dataops_ci.runner as r; r.with_discoveries = lambda results, ctx: results; "
    "from dataops_ci.cli import main; sys.exit(main(sys.argv[1:]))"
)
ON = "import sys; from dataops_ci.cli import main; sys.exit(main(sys.argv[1:]))"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _schema(name: str, extra: bool = False) -> str:
    fields = list(SCHEMA["fields"]) + (
        [{"name": "note", "type": ["null", "string"], "default": None}] * extra
    )
    return json.dumps({**SCHEMA, "name": name, "fields": fields}) + "\n"


def generate(root: Path, total: int) -> Path:
    """`total` files in the shares described above; returns the repository."""
    repo = root / "repo"
    counts = {"schemas": total * 25 // 100, "subjects": total * 10 // 100, "sql": total * 20 // 100}
    counts["suites"] = total * 10 // 100
    files: dict[str, str] = {}
    for i in range(counts["schemas"]):
        files[f"schemas/s{i:04d}.avsc"] = _schema(f"S{i}")
    for i in range(counts["subjects"]):
        files[f"subjects/topic-{i:04d}-value.avsc"] = _schema(f"S{i}")
    for i in range(counts["sql"]):
        files[f"models/m{i:04d}.sql"] = f"select id from raw.t{i}\n"
    named = []
    for i in range(counts["suites"]):
        files[f"expectations/suite{i:04d}.json"] = json.dumps({"name": f"s{i}", "expectations": []}) + "\n"
        if i % 2 == 0:
            named.append(f"    - {{suite: expectations/suite{i:04d}.json, data: data/d.csv}}")
    files["gx/great_expectations.yml"] = "config_version: 4.0\n"
    files["dbt_project.yml"] = "name: bench\n"
    files["dataops-ci.yml"] = "schemas:\n  paths: ['schemas/*.avsc']\nexpectations:\n  suites:\n" + "\n".join(
        named
    )
    files["dataops-ci.yml"] += "\n"
    rest = total - len(files)
    for i in range(rest):
        kind = ("py", "csv", "md")[i % 3]
        files[f"src/pkg{i % 40}/f{i:04d}.{kind}"] = f"# file {i}\n"
    for path, text in files.items():
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "base")
    _git(repo, "tag", "base")
    (repo / "schemas/s0000.avsc").write_text(_schema("S0", extra=True), encoding="utf-8")
    _git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qam", "main")
    return repo


def best(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def in_process(repo: Path, runs: int) -> dict[str, float]:
    from dataops_ci import runner
    from dataops_ci.checks import CHECKS
    from dataops_ci.checks.discovery import discover

    ctx = runner.build_context(cwd=repo, base="base", head="main", config_file=None)
    worktree = replace(ctx, head=None)
    every = list(CHECKS)
    found = discover(ctx, every)
    assert sorted(found) == ["expectations", "schema-compat", "sql-lint"], sorted(found)
    return {
        "schema-only, commit (ls-tree)": best(lambda: discover(ctx, ["schema-compat"]), runs),
        "schema-only, working tree (ls-files)": best(lambda: discover(worktree, ["schema-compat"]), runs),
        "every check, commit": best(lambda: discover(ctx, every), runs),
        "every check, working tree": best(lambda: discover(worktree, every), runs),
    }


def processes(repo: Path, runs: int, cache: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    args = ["schema-compat", "-C", str(repo), "--base", "base", "--head", "main", "--format", "json"]
    times: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(runs + 1):  # the first round warms the bytecode cache and is dropped
        for key, code in (("on", ON), ("off", OFF)):
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", code, *args], capture_output=True, env=env, check=False
            )
            times[key].append(time.perf_counter() - started)
            assert proc.returncode == 0, proc.stderr
            notices = [
                f
                for c in json.loads(proc.stdout)["checks"]
                for f in c["findings"]
                if f["rule"].startswith("uncovered-")
            ]
            assert bool(notices) == (key == "on"), key
    return {key: statistics.median(values[1:]) for key, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="dataops-ci-discovery-"))
    try:
        repo = generate(root, args.files)
        tracked = subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True).stdout
        print(f"repository: {len(tracked.splitlines())} files at {repo}")
        for what, seconds in in_process(repo, args.runs).items():
            print(f"discover(), {what}: {seconds * 1000:.1f} ms")
        medians = processes(repo, args.runs, root / "pycache")
        print(f"schema-compat process, discovery on:  {medians['on']:.3f} s (median of {args.runs})")
        print(f"schema-compat process, discovery off: {medians['off']:.3f} s")
        print(f"added by discovery: {(medians['on'] - medians['off']) * 1000:.0f} ms (target < 100 ms)")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
