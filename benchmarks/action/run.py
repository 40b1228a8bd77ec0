"""What the composite action costs before and after the checks: install (uv, cold and warm, with and without
bytecode), restoring the cached environment, the first Great Expectations import, and the whole action
under act on examples/demo-repo (overhead = wall time of the job minus the checks' own duration).

    python benchmarks/action/run.py [--skip-act] [--skip-network]

Prints a Markdown table for benchmarks/README.md (section "action"). Writes scratch files to
benchmarks/out/action/. "cold uv cache" downloads from PyPI: it measures this machine's network too.
Needs the dev environment (uv, act) and `zstd` (the cache round trip is a zstd tarball, as actions/cache).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "benchmarks" / "out" / "action"
sys.path.insert(0, str(ROOT))
UV = str(Path(sys.executable).parent / "uv") if (Path(sys.executable).parent / "uv").exists() else "uv"
PYTHON = str(Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}")
FULL = "gx,sql,tests"


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def sh(*cmd: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **(env or {})})


def install(venv: Path, extras: str, bytecode: bool, uv_cache: Path) -> float:
    """`uv venv` + `uv pip install` exactly as scripts/action/install.sh does."""
    shutil.rmtree(venv, ignore_errors=True)
    env = {"UV_CACHE_DIR": str(uv_cache), "UV_PYTHON_DOWNLOADS": "never", "UV_NO_PROGRESS": "1"}
    spec = f"{ROOT}[{extras}]" if extras else str(ROOT)
    flags = ["--compile-bytecode"] if bytecode else []

    def run() -> None:
        sh(UV, "venv", "--quiet", "--python", PYTHON, str(venv), env=env)
        sh(UV, "pip", "install", "--quiet", *flags, "--python", str(venv / "bin" / "python"), spec, env=env)

    return timed(run)


def cache_round_trip(venv: Path) -> tuple[float, float, int]:
    """actions/cache stores a zstd tarball: time to save it and to restore it in place."""
    archive = OUT / "venv.tar.zst"
    save = timed(lambda: sh("tar", "--zstd", "-cf", str(archive), "-C", str(venv), "."))
    shutil.rmtree(venv)
    venv.mkdir(parents=True)
    restore = timed(lambda: sh("tar", "--zstd", "-xf", str(archive), "-C", str(venv)))
    return save, restore, archive.stat().st_size


def first_import(venv: Path, module: str) -> float:
    python = str(venv / "bin" / "python")
    return timed(lambda: sh(python, "-c", f"import {module}"))


def strip_bytecode(venv: Path) -> None:
    for cache in venv.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def install_rows(network: bool) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    warm_cache = Path(os.environ.get("UV_CACHE_DIR") or Path.home() / ".cache" / "uv")
    venv = OUT / "venv"
    for extras, label in (("", "schema-compat only (core)"), (FULL, "every check (gx, sql, tests)")):
        if network:
            cold_cache = OUT / "uv-cold-cache"
            shutil.rmtree(cold_cache, ignore_errors=True)
            seconds = install(venv, extras, True, cold_cache)
            rows.append((f"{label}: install, empty uv cache (PyPI download), bytecode", f"{seconds:.1f} s"))
        for bytecode in (False, True):
            seconds = install(venv, extras, bytecode, warm_cache)
            flavour = "with bytecode" if bytecode else "no bytecode"
            rows.append((f"{label}: install, warm uv cache, {flavour}", f"{seconds:.1f} s"))
        save, restore, size = cache_round_trip(venv)
        rows.append((f"{label}: cache save (tar+zstd, {size / 2**20:.0f} MiB)", f"{save:.1f} s"))
        rows.append((f"{label}: cache restore (untar in place)", f"{restore:.1f} s"))
    # The environment restored above holds every extra, compiled: GX's first import with and without .pyc.
    rows.append(
        (
            "first `import great_expectations`, compiled environment",
            f"{first_import(venv, 'great_expectations'):.1f} s",
        )
    )
    strip_bytecode(venv)
    rows.append(
        (
            "first `import great_expectations`, no .pyc files",
            f"{first_import(venv, 'great_expectations'):.1f} s",
        )
    )
    return rows


ACTION_STEPS = (
    "Set up Python for dataops-ci",
    "Plan the install",
    "Restore the dataops-ci environment",
    "Check the restored environment",
    "Set up uv",
    "Install dataops-ci",
    "Save the dataops-ci environment",
)
STEP_TIME = re.compile(r"Success - Main (?P<step>.+?) \[(?P<value>[0-9.]+)(?P<unit>µs|ms|s)\]")


def install_steps_seconds(log: str) -> dict[str, float]:
    """The action's own steps before `Run dataops-ci`, from act's log lines `Success - Main STEP [1.2s]`."""
    scale = {"µs": 1e-6, "ms": 1e-3, "s": 1.0}
    found: dict[str, float] = {}
    for match in STEP_TIME.finditer(log):
        if match["step"] in ACTION_STEPS:
            found[match["step"]] = float(match["value"]) * scale[match["unit"]]
    return found


def act_rows() -> list[tuple[str, str]]:
    """The composite action under act on the demo repo: a cold runner, then a warm one (cache restore)."""
    from dataops_ci.commands.demo import build_repo
    from tests.github.fake_server import FakeGitHub
    from tests.ship.harness import TEST_WORKFLOWS, git, run_act, snapshot_source

    work = OUT / "act"
    shutil.rmtree(work, ignore_errors=True)
    snapshot = work / "src"
    snapshot.mkdir(parents=True)
    snapshot_source(snapshot)
    repo = build_repo(ROOT / "examples" / "demo-repo", work / "data")
    git(repo, "remote", "add", "origin", "https://github.com/acme/data.git")
    head, base = git(repo, "rev-parse", "HEAD").strip(), git(repo, "rev-parse", "main").strip()
    event = {"number": 7, "pull_request": {"number": 7, "head": {"sha": head}, "base": {"sha": base}}}
    rows: list[tuple[str, str]] = []
    with FakeGitHub() as fake:
        fake.add_token("ghs_write", "github-actions[bot]", app=True)
        fake.add_pull("acme/data", 7, head)
        for label in (
            "cold runner (nothing cached; warm uv wheel cache)",
            "warm runner (environment restored from the cache)",
        ):
            if "warm" in label:
                shutil.rmtree(work / "cache" / "act" / "tool_cache" / "dataops-ci", ignore_errors=True)
            out = work / label.split()[0]
            started = time.perf_counter()
            run = run_act(
                event_name="pull_request",
                event=event,
                workflow=TEST_WORKFLOWS / "composite.yml",
                repo=repo,
                source_snapshot=snapshot,
                cache_dir=work / "cache",
                token="ghs_write",
                api_url=fake.url,
                out=out,
                variables={"DATAOPS_CHECKS": ""},
            )
            wall = time.perf_counter() - started
            report = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
            checks = float(report["duration_s"])
            rows.append(
                (
                    f"whole action under act, {label}",
                    f"{wall:.1f} s (checks {checks:.1f} s, overhead {wall - checks:.1f} s)",
                )
            )
            steps = install_steps_seconds(run.log)
            detail = ", ".join(f"{name.lower()} {seconds:.2f} s" for name, seconds in steps.items())
            rows.append(
                (
                    f"of it, the action's install steps ({label.split()[0]})",
                    f"{sum(steps.values()):.1f} s: {detail}",
                )
            )
            if run.returncode != 0:
                rows.append(("(act run failed; see benchmarks/out/action)", ""))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-act", action="store_true")
    parser.add_argument("--skip-network", action="store_true", help="no empty-uv-cache install (no PyPI)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = install_rows(network=not args.skip_network)
    if not args.skip_act:
        rows += act_rows()
    print("| what | time |\n|---|---|")
    for what, value in rows:
        print(f"| {what} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
