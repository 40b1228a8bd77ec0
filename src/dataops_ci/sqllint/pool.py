"""Runs lint jobs: in-process for one file, else a process pool using every core.

Start method: `fork` by default on Linux — the parent imports sqlfluff and loads the dialect once and
the workers inherit it, so start-up is paid once instead of per worker (see benchmarks/README.md,
"sql-lint", for fork against spawn). `DATAOPS_CI_SQL_START_METHOD=spawn` overrides it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from dataops_ci.sqllint.jobs import LintJob

START_METHOD_ENV = "DATAOPS_CI_SQL_START_METHOD"


def worker_count(jobs: int, processes: int | None) -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(jobs, processes or available))


def start_method() -> str:
    default = "fork" if sys.platform.startswith("linux") else "spawn"
    return os.environ.get(START_METHOD_ENV, default)


def lint_jobs(jobs: Sequence[LintJob], root: Path, processes: int | None = None) -> list[dict[str, Any]]:
    """Lint every job; results in job order."""
    if not jobs:
        return []
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
