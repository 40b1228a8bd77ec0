"""The bad-input battery: one folder per kind of bad input, run through the real `dataops-ci` in a subprocess.

A case folder `cases/<kind>/` holds `repo/` (files laid over `skeleton/`, a small healthy data repo) and
`expected.yml`:

    description: what the bad input is
    checks: [pipelines, schema-compat]   # --checks of the run
    args: []                            # more CLI arguments
    make: [{kind: sparse, path: pipelines/big.yml, size: 2147483648}]   # made at test time (inputs.py)
    github: {faults: [{method: GET, path: "/comments$", hang_s: 30}]}   # run --github against the fake API
    exit: 1
    finding: {check: pipelines, rule: cannot-read-pipeline, file: pipelines/big.yml, message: "..."}
    statuses: {schema-compat: passed, pipelines: error}   # every check of the run, with its status
    stderr: ["..."]                     # for exit 2: what the error names (no report then)

The skeleton is committed as the base on `main`; the case's files (and what `make:` builds) are the
working tree, so a run without --head sees them as the change, big files never go through git objects.
Used by tests/faults/test_battery.py and benchmarks/faults/run.py; both bound time and peak RSS.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import Repo
from tests.faults.inputs import make_all

HERE = Path(__file__).parent
CASES = HERE / "cases"
SKELETON = HERE / "skeleton"
DATAOPS_CI = Path(sys.executable).with_name("dataops-ci")
TIME_LIMIT_S = 60.0
RSS_LIMIT_BYTES = 1 << 30  # any process of the run (a failing test's own pytest holds ~3x its output)
OWN_RSS_LIMIT_BYTES = 512 << 20  # dataops-ci itself


@dataclass(frozen=True)
class Measured:
    """One run of dataops-ci: its exit code (None: killed at the time limit), output, and cost."""

    returncode: int | None
    stdout: str
    stderr: str
    wall_s: float
    peak_rss_bytes: int  # the largest process of the run's tree (dataops-ci, pytest, git, workers)
    own_peak_rss_bytes: int  # dataops-ci's own process (VmHWM, polled while it runs)


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.yml").is_file())


def expected(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((CASES / name / "expected.yml").read_text(encoding="utf-8"))
    return loaded


def build_repo(name: str, root: Path) -> Repo:
    """The skeleton committed on main; the case's files and its made inputs in the working tree."""
    root.mkdir(parents=True)
    repo = Repo(root)
    shutil.copytree(SKELETON, root, dirs_exist_ok=True, copy_function=shutil.copy)
    repo.commit("base: a healthy data repo")
    case_files = CASES / name / "repo"
    if case_files.is_dir():
        shutil.copytree(case_files, root, dirs_exist_ok=True, copy_function=shutil.copy)
    make_all(root, expected(name).get("make", []))
    return repo


def command(name: str, report: Path) -> list[str]:
    spec = expected(name)
    checks = ",".join(spec.get("checks", []))
    argv = [str(DATAOPS_CI), "run", "--all-files", "--format", "text", "--report-json", str(report)]
    argv += ["--checks", checks] if checks else []
    return argv + [str(a) for a in spec.get("args", [])]


def measure(argv: list[str], cwd: Path, env: dict[str, str], out_dir: Path) -> Measured:
    """Run `argv` in its own session; its wall time and the peak RSS of its process tree from wait4.
    Killed (whole group) at TIME_LIMIT_S: a runaway is reported, it does not hang the caller."""
    stdout, stderr = out_dir / "stdout.txt", out_dir / "stderr.txt"
    started = time.monotonic()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
    status, usage, own = _wait(proc.pid, started + TIME_LIMIT_S)
    wall = time.monotonic() - started
    proc.returncode = 0  # reaped by wait4 above; keep Popen from trying again
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    text = lambda p: p.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    return Measured(code, text(stdout), text(stderr), wall, usage.ru_maxrss * 1024, own)


def _wait(pid: int, deadline: float) -> tuple[int | None, resource.struct_rusage, int]:
    own = 0
    while time.monotonic() < deadline:
        own = max(own, _high_water_mark(pid))
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, own
        time.sleep(0.02)
    os.killpg(pid, signal.SIGKILL)
    _, _, usage = os.wait4(pid, 0)
    return None, usage, own


def _high_water_mark(pid: int) -> int:
    """Peak RSS of one live process so far, from /proc (0 once it has exited)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def base_env(home: Path) -> dict[str, str]:
    """The environment of the run: ours without anything that points at GitHub or a real home."""
    keep = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "DATAOPS_CI_TEST_PG_URL")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return env


def run_case(name: str, work: Path, extra_env: dict[str, str] | None = None) -> tuple[Measured, Path]:
    """Build the case's repo under `work`, run it, return the measurement and the report path."""
    repo = build_repo(name, work / "repo")
    report = work / "report.json"
    home = work / "home"
    home.mkdir(exist_ok=True)
    env = base_env(home) | (extra_env or {})
    return measure(command(name, report), repo.root, env, work), report


def load_report(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
