"""Time the whole `dataops-ci schema-compat` process on the generated repos (median of several runs).

    python benchmarks/schema/run.py [--runs 7] [--repos DIR] [--keep]
    python benchmarks/schema/run.py --pre-commit [--runs 41] [--compare OTHER/src]


Each run is a fresh `python -m dataops_ci schema-compat --base base --head main` process, so interpreter
start, imports, config, git and the Avro engine are all in the number. Targets (issue 2): one changed
schema <= 0.3 s, 2,000 schemas with 1,000 changed <= 2 s, transitive over 50 versions <= 1 s.

--pre-commit times the pre-commit path instead: each hook's entry (`dataops-ci schema-compat FILE`, ...) as
the console script, started in a repo with one staged schema change, interleaved run by run with a bare
`python -c pass` of the same venv, so that both see the same load; the ratio is the number (issue 15: <= 8x).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, make_pre_commit  # noqa: E402

TARGETS = {"one-change": 0.3, "wide": 2.0, "wide-one": None, "transitive": 1.0}
ABOUT = {
    "one-change": "20 schemas, 1 changed",
    "wide": "2,000 schemas, 1,000 changed",
    "wide-one": "2,000 schemas, 1 changed",
    "transitive": "1 schema, 50 versions, BACKWARD_TRANSITIVE",
}


def bytecode_env(cache: Path) -> dict[str, str]:
    """Compiled bytecode as an installed package has it (pip writes .pyc files), kept in `cache` so the
    benchmark writes nothing into the source tree or the venv. PYTHONDONTWRITEBYTECODE would otherwise
    make every run compile every module from source (about 1 s here)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(cache)}


def time_once(repo: Path, report: Path, env: dict[str, str]) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "dataops_ci", "schema-compat", "-C", str(repo), "--base", "base"]
    cmd += ["--head", "main", "--report-json", str(report)]  # text on stdout, as on a terminal
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{repo.name}: exit {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    # CPU time (user + sys, git children included): what the run costs when the machine is not shared.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU time (user + sys of the process and its children) of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd}: exit {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def pre_commit(out: Path, runs: int, compare: str | None) -> None:
    """The hooks as pre-commit starts them, each interleaved with a bare Python start (and, with
    `compare`, with the same hook run from another source tree, e.g. the code before a change)."""
    repo = out / "pre-commit"
    hooks = make_pre_commit(repo)
    env = bytecode_env(out / ".pycache")
    script = str(Path(sys.executable).parent / "dataops-ci")
    commands = {"python -c pass": ([sys.executable, "-c", "pass"], env)}
    for hook, args in hooks.items():
        commands[hook] = ([script, *args], env)
        if compare:
            commands[f"{hook} ({compare})"] = ([script, *args], {**env, "PYTHONPATH": compare})
    for cmd, cmd_env in commands.values():
        timed(cmd, repo, cmd_env)  # warm-up: bytecode, the config cache in the git dir, the OS file cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    load = os.getloadavg()[0]
    for _ in range(runs):
        for name, (cmd, cmd_env) in commands.items():
            times[name].append(timed(cmd, repo, cmd_env))
    print(f"load average: {load:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} cores")
    print(f"{runs} interleaved runs each\n")
    print("| command | wall median | wall min | CPU median | ratio: wall median | wall min | CPU |")
    print("|---|---|---|---|---|---|---|")
    bare = times["python -c pass"]
    bare_wall = statistics.median(w for w, _ in bare)
    bare_min = min(w for w, _ in bare)
    bare_cpu = statistics.median(c for _, c in bare)
    for name, samples in times.items():
        wall = statistics.median(w for w, _ in samples)
        low = min(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        print(
            f"| {name} | {wall * 1000:.1f} ms | {low * 1000:.1f} ms | {cpu * 1000:.1f} ms | "
            f"{wall / bare_wall:.1f}x | {low / bare_min:.1f}x | {cpu / bare_cpu:.1f}x |"
        )


def bare_python() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repos", help="reuse/generate the repos here (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated repos")
    parser.add_argument("--pre-commit", action="store_true", help="the hooks' path, against bare Python")
    parser.add_argument("--compare", metavar="SRC", help="--pre-commit: also run each hook from SRC")
    args = parser.parse_args()
    out = Path(args.repos) if args.repos else Path(tempfile.mkdtemp(prefix="dataops-ci-bench-"))
    if args.pre_commit:
        pre_commit(out, args.runs, args.compare)
        if not args.keep and not args.repos:
            shutil.rmtree(out, ignore_errors=True)
        return
    started = time.perf_counter()
    repos = generate(out)
    print(f"generated repos in {time.perf_counter() - started:.1f}s under {out}", file=sys.stderr)
    env = bytecode_env(out / ".pycache")
    python = statistics.median(bare_python() for _ in range(args.runs))
    print(f"bare `python -c pass`: {python:.3f}s (median of {args.runs})\n")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    print("| repo | what | wall median | wall min | CPU median | target | checked | breaking |")
    print("|---|---|---|---|---|---|---|---|")
    for name, repo in repos.items():
        report = out / f"{name}.json"
        time_once(repo, report, env)  # warm-up: fills the bytecode cache and the OS file cache
        runs = [time_once(repo, report, env) for _ in range(args.runs)]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        metrics = json.loads(report.read_text())["checks"][0]["metrics"]
        target = TARGETS[name]
        verdict = "" if target is None else f"<= {target} s " + ("ok" if wall <= target else "MISSED")
        print(
            f"| {name} | {ABOUT[name]} | {wall:.3f} s | {min(w for w, _ in runs):.3f} s | {cpu:.3f} s | "
            f"{verdict} | {metrics['schemas_checked']} | {metrics['breaking_changes']} |"
        )
    if not args.keep and not args.repos:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
