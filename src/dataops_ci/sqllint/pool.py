"""Runs lint jobs: in-process for one file, else a process pool using every core.

Start method: `fork` by default on Linux — the parent imports sqlfluff and loads the dialect once and
the workers inherit it, so start-up is paid once instead of per worker (see benchmarks/README.md,
"sql-lint", for fork against spawn). `DATAOPS_CI_SQL_START_METHOD=spawn` overrides it.

Linting runs the pull request's code: a `.sqlfluff` may set a Jinja `library_path` (Python modules that are
imported) or the dbt templater (the project's macros). When this process holds a credential (GITHUB_TOKEN,
ACTIONS_*, GH_*, tests.scrub_env: testsuite/environment.py), the lint runs in a fresh interpreter started
with the scrubbed environment instead (a forked worker would inherit the tokens in memory and in
/proc/self/environ). Jobs go in and results come back as JSON, never pickle: the child is untrusted.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from pathlib import Path
from typing import Any

from dataops_ci.sqllint.jobs import LintJob
from dataops_ci.testsuite.environment import pr_code_environment

START_METHOD_ENV = "DATAOPS_CI_SQL_START_METHOD"
# -P: the repository root (the child's working directory) is not put on sys.path ahead of sqlfluff.
CHILD = (
    "-P",
    "-c",
    "import sys; from dataops_ci.sqllint.pool import child_main; sys.exit(child_main(sys.argv[1:]))",
)
ERROR_MAX = 300


def worker_count(jobs: int, processes: int | None) -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(jobs, processes or available))


def start_method() -> str:
    default = "fork" if sys.platform.startswith("linux") else "spawn"
    return os.environ.get(START_METHOD_ENV, default)


def lint_jobs(
    jobs: Sequence[LintJob], root: Path, processes: int | None = None, scrub_env: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Lint every job; results in job order. Out of process, without credentials, when there are any."""
    if not jobs:
        return []
    clean = pr_code_environment(os.environ, scrub_env)
    if clean != dict(os.environ):
        return _isolated(jobs, root, processes, clean)
    return _here(jobs, root, processes)


def _here(jobs: Sequence[LintJob], root: Path, processes: int | None) -> list[dict[str, Any]]:
    from dataops_ci.sqllint import engine

    workers = worker_count(len(jobs), processes)
    if workers > 1:
        try:
            return _in_pool(jobs, root, workers, jobs[0].default_dialect)
        except (BrokenProcessPool, OSError):
            pass  # a worker died (OOM, killed): lint the files here instead, slower but complete
    with contextlib.chdir(root):
        engine.reset()
        return [engine.lint_job(job) for job in jobs]


def _in_pool(jobs: Sequence[LintJob], root: Path, workers: int, dialect: str) -> list[dict[str, Any]]:
    from dataops_ci.sqllint import engine

    method = start_method()
    if method == "fork":
        # Load sqlfluff's dialect in the parent so forked workers inherit it instead of each loading it.
        with contextlib.chdir(root):
            engine.reset()
            engine.load_config(str(root), dialect, None)
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=engine.init_worker, initargs=(str(root),)
    ) as executor:
        return list(executor.map(engine.lint_job, jobs))


def _isolated(
    jobs: Sequence[LintJob], root: Path, processes: int | None, env: dict[str, str]
) -> list[dict[str, Any]]:
    """`lint_jobs` in a new interpreter whose environment is `env`; a failure of it is each job's error."""
    with tempfile.TemporaryDirectory(prefix="dataops-ci-sqllint-") as tmp:
        jobs_file, results_file = Path(tmp) / "jobs.json", Path(tmp) / "results.json"
        jobs_file.write_text(json.dumps([asdict(job) for job in jobs]), encoding="utf-8")
        args = [str(jobs_file), str(results_file), str(root), str(processes or 0)]
        done = subprocess.run(
            [sys.executable, *CHILD, *args], cwd=root, env=env, capture_output=True, text=True, check=False
        )
        problem = f"exit code {done.returncode}: {_last_line(done.stderr)}" if done.returncode else None
        results = _read_results(results_file, jobs) if problem is None else None
    if results is None:
        problem = problem or "it wrote no results for these files"
        message = f"sqlfluff could not run in its isolated process ({problem})"[:ERROR_MAX]
        return [{"path": job.rel_path, "config_error": message, "violations": []} for job in jobs]
    return results


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:ERROR_MAX] if lines else "no output"


def _read_results(path: Path, jobs: Sequence[LintJob]) -> list[dict[str, Any]] | None:
    """The child's results when they are one dict per job, for that job's path, in order; else None."""
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(results, list) or len(results) != len(jobs):
        return None
    for result, job in zip(results, jobs, strict=True):
        if not isinstance(result, dict) or result.get("path") != job.rel_path:
            return None
    return results


def child_main(argv: Sequence[str]) -> int:
    """The isolated interpreter: read jobs, lint them here (this environment holds no credentials)."""
    jobs_file, results_file, root, processes = argv
    jobs = [LintJob(**job) for job in json.loads(Path(jobs_file).read_text(encoding="utf-8"))]
    results = _here(jobs, Path(root), int(processes) or None)
    Path(results_file).write_text(json.dumps(results), encoding="utf-8")
    return 0
