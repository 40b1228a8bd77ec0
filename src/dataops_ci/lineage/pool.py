"""Cache misses computed in a process pool using every core (fork, as the lint pool: the workers inherit
the imported sqlglot), or in this process when there are few of them or one core. Results in job order."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any

from dataops_ci.lineage.cache import ParseCache
from dataops_ci.sqllint.pool import start_method, worker_count

MIN_PARALLEL = 8  # fewer misses than this: a pool's start-up costs more than it saves


def _call(job: tuple[Callable[..., dict[str, Any]], tuple[Any, ...]]) -> dict[str, Any]:
    fn, args = job
    return fn(*args)


class Runner:
    def __init__(self, processes: int | None = None) -> None:
        self.processes = processes
        self._executor: Executor | None = None
        self._broken = False

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)

    def map(self, fn: Callable[..., dict[str, Any]], jobs: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
        workers = worker_count(len(jobs), self.processes)
        if len(jobs) >= MIN_PARALLEL and workers > 1 and not self._broken:
            try:
                if self._executor is None:
                    context = multiprocessing.get_context(start_method())
                    self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
                chunk = max(1, len(jobs) // (workers * 4))
                return list(self._executor.map(_call, [(fn, args) for args in jobs], chunksize=chunk))
            except (BrokenProcessPool, OSError):
                self._broken = True  # a worker died: compute here instead, slower but complete
        return [fn(*args) for args in jobs]

    def cached(
        self,
        cache: ParseCache,
        keys: Sequence[str],
        fn: Callable[..., dict[str, Any]],
        jobs: Sequence[tuple[Any, ...]],
    ) -> list[dict[str, Any]]:
        """fn(*job) for every job, from the cache where its key is there; the rest computed and stored."""
        found: list[dict[str, Any] | None] = [cache.get(key) for key in keys]
        missing = [i for i, value in enumerate(found) if value is None]
        for i, value in zip(missing, self.map(fn, [jobs[i] for i in missing]), strict=True):
            cache.put(keys[i], value)
            found[i] = value
        return [value for value in found if value is not None]
